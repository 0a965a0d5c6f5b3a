package io.autoglm.fleet.inference.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A closed-loop HTTP load: {@code concurrency} callers each post the same CloudEvent, wait for the
 * answer, and post again, for a warm-up and then a measured period. Reports throughput, latency
 * percentiles and status codes.
 */
final class HttpLoad {

    /**
     * Results of one measured period.
     *
     * @param serverCpuMsPerRequest CPU time the server process spent per answered request over the period (all its
     *                              threads, engine included; NaN when the server's process is not known): what a request
     *                              costs, whatever else runs on the host
     * @param clientCpuMsPerRequest the same for this load generator's process, which shares the host's cores
     */
    record Result(int concurrency, double requestsPerSecond, double p50Ms, double p99Ms, long answered, Map<Integer, Long> statuses,
                  double serverCpuMsPerRequest, double clientCpuMsPerRequest) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final long serverPid;

    HttpLoad(URI uri) {
        this(uri, -1);
    }

    /** {@code serverPid}: the server's process, whose CPU time each {@link Result} reports per request. */
    HttpLoad(URI uri, long serverPid) {
        this.uri = uri;
        this.serverPid = serverPid;
    }

    /** Binary-mode CloudEvent headers of an {@code inference.requested}, as the dispatcher sends it. */
    static HttpRequest.Builder inferenceRequest(URI uri, String body) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("ce-specversion", "1.0")
                .header("ce-id", "bench")
                .header("ce-source", "/bench")
                .header("ce-type", "io.autoglm.inference.requested")
                .header("ce-tenant", "bench")
                .header("ce-placement", "cloud")
                .header("ce-dataschema", "https://schemas.autoglm.io/events/v1/inference.requested.json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static String body(String model, List<String> texts) {
        StringBuilder json = new StringBuilder("{\"requestId\":\"bench\",\"model\":\"").append(model).append("\",\"texts\":[");
        for (int i = 0; i < texts.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(texts.get(i)).append('"');
        }
        return json.append("]}").toString();
    }

    Result run(String body, int concurrency, Duration warmup, Duration measure) throws InterruptedException {
        return run(inferenceRequest(uri, body).build(), concurrency, warmup, measure);
    }

    /** {@code concurrency} callers sending {@code request} over and over; what was answered in {@code measure} after {@code warmup}. */
    Result run(HttpRequest request, int concurrency, Duration warmup, Duration measure) throws InterruptedException {
        AtomicBoolean recording = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        long[][] latencies = new long[concurrency][];
        List<Map<Integer, Long>> statuses = new ArrayList<>();
        int[] counts = new int[concurrency];
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Map<Integer, Long> myStatuses = new TreeMap<>();
            latencies[c] = new long[4096];
            statuses.add(myStatuses);
            int index = c;
            Thread caller = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    int status;
                    try {
                        status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    long took = System.nanoTime() - start;
                    if (recording.get()) {
                        if (counts[index] == latencies[index].length) {
                            latencies[index] = Arrays.copyOf(latencies[index], latencies[index].length * 2);
                        }
                        latencies[index][counts[index]++] = took;
                        myStatuses.merge(status, 1L, Long::sum);
                    }
                }
            }, "caller-" + c);
            caller.setDaemon(true);
            caller.start();
            callers.add(caller);
        }
        Thread.sleep(warmup.toMillis());
        long cpuBefore = cpuNanos(serverPid);
        long clientCpuBefore = cpuNanos(ProcessHandle.current().pid());
        recording.set(true);
        long start = System.nanoTime();
        Thread.sleep(measure.toMillis());
        recording.set(false);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = cpuNanos(serverPid) - cpuBefore;
        long clientCpu = cpuNanos(ProcessHandle.current().pid()) - clientCpuBefore;
        running.set(false);
        for (Thread caller : callers) {
            caller.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < concurrency; c++) {
            System.arraycopy(latencies[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        Map<Integer, Long> merged = new TreeMap<>();
        statuses.forEach(m -> m.forEach((k, v) -> merged.merge(k, v, Long::sum)));
        long ok = merged.getOrDefault(200, 0L);
        return new Result(concurrency, ok / seconds, percentile(all, 0.50), percentile(all, 0.99), total, merged,
                serverPid < 0 || total == 0 ? Double.NaN : cpu / 1e6 / total, total == 0 ? Double.NaN : clientCpu / 1e6 / total);
    }

    /** CPU time (user + system, every thread) a process has used so far, in nanoseconds; 0 when unknown. */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    /** Posts until the answer is 200; returns how many nanoseconds after {@code since} it came. */
    long firstAnswer(String body, long since, Duration giveUp) throws InterruptedException {
        HttpRequest request = inferenceRequest(uri, body).timeout(Duration.ofSeconds(30)).build();
        long deadline = since + giveUp.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime() - since;
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no answer within " + giveUp);
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
