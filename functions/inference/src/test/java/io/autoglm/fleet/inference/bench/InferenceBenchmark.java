package io.autoglm.fleet.inference.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inference tier's benchmark, run by {@code scripts/bench-inference}: the packaged function as a
 * separate process, driven over HTTP, against baselines measured in the same run.
 * <ol>
 * <li>dynamic batching: throughput and latency at 1, 8 and 32 concurrent callers, the same model
 *     published twice, with batching (32 rows, 5 ms) and without (1 row);</li>
 * <li>overhead: the function's HTTP path vs a raw ONNX Runtime loop at the same batch size;</li>
 * <li>cold start: process start to first answered inference, median of N, vs a bare {@code java}
 *     program that only creates the session and runs one inference; with and without a class cache from a
 *     training run (the JDK's AOT cache on JDK 25 and later, a dynamic AppCDS archive before);</li>
 * <li>resident memory of the function idle and under load.</li>
 * </ol>
 * Arguments: {@code app store classpath out [seconds] [runs]}; {@code runs} 0 skips the cold starts. System
 * properties: {@code bench.java}, the {@code java} launcher of the function and the bare program (default: this
 * JVM's), and {@code bench.javaOptions}, their JVM options.
 */
public final class InferenceBenchmark {

    static final String BATCHED = "minilm-batched";
    static final String UNBATCHED = "minilm-unbatched";
    /** 16 tokens with [CLS] and [SEP], as in the figures. */
    static final String TEXT = "the quick brown fox jumps over the lazy dog and then runs far away";

    private final Path app;
    private final Path store;
    private final String classpath;
    private final Path out;
    private final Duration measure;
    private final int runs;
    private final List<String> javaOptions;
    private final String launcher;
    private final StringBuilder report = new StringBuilder();

    private InferenceBenchmark(String[] args) {
        app = Path.of(args[0]);
        store = Path.of(args[1]);
        classpath = args[2];
        out = Path.of(args[3]);
        measure = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 10);
        runs = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        javaOptions = List.of(System.getProperty("bench.javaOptions", "-Xmx256m -XX:+UseSerialGC -XX:CompileThresholdScaling=8").split(" "));
        launcher = System.getProperty("bench.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public static void main(String[] args) {
        try {
            new InferenceBenchmark(args).run();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    private void run() throws Exception {
        line("Run " + java.time.Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + "load average at start " + Files.readString(Path.of("/proc/loadavg")).trim() + "; the function and the bare program on "
                + launcher + " (Java " + javaFeature() + ") with " + String.join(" ", javaOptions) + "; this driver and the raw loop on "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        Map<String, Double> raw = rawLoop();
        throughput(raw);
        if (runs > 0) {
            coldStart();
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("\nwritten to " + out);
    }

    // ---- raw ONNX Runtime baseline --------------------------------------------------------------

    private Map<String, Double> rawLoop() throws Exception {
        Map<String, Double> itemsPerSecond = new LinkedHashMap<>();
        try (RawOnnxRuntimeLoop loop = new RawOnnxRuntimeLoop(store.resolve(BATCHED).resolve("1"), 1)) {
            line("\nText: \"" + TEXT + "\" (" + loop.tokens(TEXT) + " tokens).");
            for (int batch : new int[]{1, 8, 32}) {
                itemsPerSecond.put("b" + batch, loop.itemsPerSecond(TEXT, batch, measure.toSeconds()));
            }
        }
        line("\n| raw ONNX Runtime loop (tokenize + run + pool, 1 intra-op thread) | texts/s | ms per batch |");
        line("| --- | ---: | ---: |");
        itemsPerSecond.forEach((batch, rate) -> line(String.format(Locale.ROOT, "| batch %s | %.0f | %.2f |", batch.substring(1), rate,
                Integer.parseInt(batch.substring(1)) * 1000 / rate)));
        return itemsPerSecond;
    }

    // ---- throughput, latency, overhead, memory ---------------------------------------------------

    private void throughput(Map<String, Double> raw) throws Exception {
        int port = 18000 + (int) (ProcessHandle.current().pid() % 1000);
        Process function = start(port, BATCHED + "," + UNBATCHED, List.of(), out.resolveSibling("function-throughput.log"));
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            awaitReady(port);
            Thread.sleep(2000);
            long idleRss = rss(function.pid());
            HttpLoad load = new HttpLoad(uri, function.pid());
            Duration warmup = Duration.ofSeconds(3);
            // the JIT compiles the HTTP path on the first requests: warm both models before the first measurement,
            // so that batching off (measured first) does not pay for it
            for (String model : List.of(UNBATCHED, BATCHED)) {
                load.run(HttpLoad.body(model, List.of(TEXT)), 8, warmup, Duration.ofSeconds(1));
            }
            RssSampler sampler = new RssSampler(function.pid());
            sampler.start();
            Map<String, HttpLoad.Result> results = new LinkedHashMap<>();
            String batchedBefore = metrics(port);
            for (String model : List.of(UNBATCHED, BATCHED)) {
                for (int concurrency : new int[]{1, 8, 32}) {
                    String before = metrics(port);
                    HttpLoad.Result result = load.run(HttpLoad.body(model, List.of(TEXT)), concurrency, warmup, measure);
                    results.put(model + "/" + concurrency, result);
                    if (model.equals(BATCHED) && concurrency == 32) {
                        batchedBefore = before;
                    }
                }
            }
            String batchedAfter = metrics(port);
            HttpLoad.Result batchOf32 = load.run(HttpLoad.body(BATCHED, Collections.nCopies(32, TEXT)), 1, warmup, measure);
            HttpLoad.Result batchOf1 = results.get(UNBATCHED + "/1");
            sampler.stop();
            double rowsPerBatch = delta(batchedBefore, batchedAfter, "autoglm_inference_batch_rows_sum", BATCHED)
                    / delta(batchedBefore, batchedAfter, "autoglm_inference_batch_rows_count", BATCHED);
            double computeMs = 1000 * delta(batchedBefore, batchedAfter, "autoglm_inference_batch_compute_seconds_sum", BATCHED)
                    / delta(batchedBefore, batchedAfter, "autoglm_inference_batch_compute_seconds_count", BATCHED);

            line("\n| concurrency | batching off: req/s | p50 ms | p99 ms | CPU ms/req | batching on (32 rows, 5 ms): req/s | p50 ms | p99 ms "
                    + "| CPU ms/req | on / off |");
            line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (int concurrency : new int[]{1, 8, 32}) {
                HttpLoad.Result off = results.get(UNBATCHED + "/" + concurrency);
                HttpLoad.Result on = results.get(BATCHED + "/" + concurrency);
                line(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %.2f | %.0f | %.1f | %.1f | %.2f | **%.2f** |", concurrency,
                        off.requestsPerSecond(), off.p50Ms(), off.p99Ms(), off.serverCpuMsPerRequest(), on.requestsPerSecond(), on.p50Ms(),
                        on.p99Ms(), on.serverCpuMsPerRequest(), on.requestsPerSecond() / off.requestsPerSecond()));
            }
            HttpLoad.Result on32 = results.get(BATCHED + "/32");
            double functionGain = on32.requestsPerSecond() / results.get(UNBATCHED + "/32").requestsPerSecond();
            double engineGain = raw.get("b32") / raw.get("b1");
            line(String.format(Locale.ROOT, "%nBatching's gain, relative to the engine's (target >= 0.9): the function's batched / unbatched at 32 callers "
                    + "%.2f over the raw loop's batch-32 / batch-1 texts/s %.2f = **%.2f**.", functionGain, engineGain, functionGain / engineGain));
            double rawBatch32Ms = 32 * 1000 / raw.get("b32");
            line(String.format(Locale.ROOT, "%nAt 32 callers with batching: %.1f rows per engine call on average, %.1f ms per call in the function; "
                            + "p99 %.1f ms vs the bound max queue delay + 2 x one batch's compute = 5 + 2 x %.1f = %.1f ms (raw loop's batch of 32).",
                    rowsPerBatch, computeMs, on32.p99Ms(), rawBatch32Ms, 5 + 2 * rawBatch32Ms));
            line("CPU ms/req: the function process's CPU time (every thread, the engine's included) per answered request over the "
                    + "measured period. The load generator (this driver) shares the cores: " + String.join(", ", results.entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue().clientCpuMsPerRequest())).toList())
                    + " ms of its CPU per request.");
            // where both sides are CPU-bound on the shared cores, on / off can be no more than this
            HttpLoad.Result off32 = results.get(UNBATCHED + "/32");
            double offCpu = off32.serverCpuMsPerRequest() + off32.clientCpuMsPerRequest();
            double onCpu = on32.serverCpuMsPerRequest() + on32.clientCpuMsPerRequest();
            line(String.format(Locale.ROOT, "CPU per request at 32 callers, function + load generator: batching off %.2f ms, on %.2f ms; "
                            + "off / on = %.2f, the on / off ratio the host allows when both sides are CPU-bound.", offCpu, onCpu, offCpu / onCpu));
            results.forEach((name, r) -> {
                if (r.statuses().keySet().stream().anyMatch(s -> s != 200)) {
                    line("Non-200 answers in " + name + ": " + r.statuses());
                }
            });

            line("\n| overhead: same batch size | function over HTTP, texts/s | raw ONNX Runtime loop, texts/s | function / raw |");
            line("| --- | ---: | ---: | ---: |");
            line(String.format(Locale.ROOT, "| 32 texts per request, 1 caller (one engine call of 32 per request) | %.0f | %.0f | **%.2f** |",
                    batchOf32.requestsPerSecond() * 32, raw.get("b32"), batchOf32.requestsPerSecond() * 32 / raw.get("b32")));
            line(String.format(Locale.ROOT, "| 1 text per request, 1 caller, batching off | %.0f | %.0f | %.2f |",
                    batchOf1.requestsPerSecond(), raw.get("b1"), batchOf1.requestsPerSecond() / raw.get("b1")));
            line(String.format(Locale.ROOT, "| 1 text per request, 32 callers, dynamic batching (%.1f rows per call) | %.0f | %.0f | %.2f |",
                    rowsPerBatch, on32.requestsPerSecond(), raw.get("b32"), on32.requestsPerSecond() / raw.get("b32")));

            line(String.format(Locale.ROOT, "%nResident memory of the function (both models loaded): idle %.0f MB, under load (max) %.0f MB.",
                    idleRss / 1e6, Math.max(sampler.max(), idleRss) / 1e6));
        } finally {
            stop(function);
        }
    }

    // ---- cold start --------------------------------------------------------------------------------

    private void coldStart() throws Exception {
        // a training run records every class a cold start loads, up to the first answer: the JDK's AOT cache (JEP 483,
        // 515: classes loaded and linked, method profiles) from JDK 25, a dynamic AppCDS archive before
        boolean aot = javaFeature() >= 25;
        Path archive = out.resolveSibling(aot ? "inference.aot" : "inference-appcds.jsa");
        Files.deleteIfExists(archive);
        int port = 19000 + (int) (ProcessHandle.current().pid() % 1000);
        Process training = start(port, BATCHED, List.of(aot ? "-XX:AOTCacheOutput=" + archive : "-XX:ArchiveClassesAtExit=" + archive),
                out.resolveSibling("function-" + (aot ? "aot" : "appcds") + "-training.log"));
        new HttpLoad(URI.create("http://127.0.0.1:" + port + "/")).firstAnswer(HttpLoad.body(BATCHED, List.of("A man is eating food.")),
                System.nanoTime(), Duration.ofSeconds(120));
        stop(training); // the archive is written as the JVM exits (the AOT cache by a child JVM it waits for)
        List<String> useArchive = List.of(aot ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
        String archiveName = aot ? "the JDK's AOT cache" : "an AppCDS archive";

        List<Double> plain = new ArrayList<>();
        List<Double> plainOwn = new ArrayList<>();
        List<Double> withCds = new ArrayList<>();
        List<Double> withCdsOwn = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        List<Double> withCdsCpu = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> bareTokenizer = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double[] a = coldStartOnce(port, List.of(), i);
            plain.add(a[0]);
            plainOwn.add(a[1]);
            plainCpu.add(a[2]);
            if (Files.exists(archive)) {
                double[] b = coldStartOnce(port, useArchive, i);
                withCds.add(b[0]);
                withCdsOwn.add(b[1]);
                withCdsCpu.add(b[2]);
            }
            bare.add(bareOnce(false));
            bareTokenizer.add(bareOnce(true));
        }
        line("\n| cold start, median of " + runs + " (all runs, ms) | process start -> first answer, ms | ratio to bare session |");
        line("| --- | ---: | ---: |");
        double bareMedian = median(bare);
        line(row("bare `java`: ONNX Runtime session + 1 inference (baseline)", bare, bareMedian));
        line(row("bare `java`: tokenizer + session + 1 inference", bareTokenizer, bareMedian));
        line(row("inference function over HTTP", plain, bareMedian));
        if (!withCds.isEmpty()) {
            line(row("inference function over HTTP, " + archiveName + " from a training run", withCds, bareMedian));
        }
        line(String.format(Locale.ROOT, "%nThe function's own log (process start as the OS saw it -> first answer): median %.0f ms, with %s %.0f ms.",
                median(plainOwn), archiveName, withCds.isEmpty() ? Double.NaN : median(withCdsOwn)));
        // what a cold start costs in CPU, which other load on the host does not stretch the way it stretches wall time
        line(String.format(Locale.ROOT, "CPU time of the function process at its first answer (every thread): median %.0f ms, with %s %.0f ms.",
                median(plainCpu), archiveName, withCdsCpu.isEmpty() ? Double.NaN : median(withCdsCpu)));
    }

    private double[] coldStartOnce(int port, List<String> extra, int run) throws Exception {
        Path log = out.resolveSibling("function-cold-" + (extra.isEmpty() ? "plain" : "archive") + "-" + run + ".log");
        long start = System.nanoTime();
        Process function = start(port, BATCHED, extra, log);
        try {
            long nanos = new HttpLoad(URI.create("http://127.0.0.1:" + port + "/"))
                    .firstAnswer(HttpLoad.body(BATCHED, List.of("A man is eating food.")), start, Duration.ofSeconds(120));
            long cpuNanos = HttpLoad.cpuNanos(function.pid());
            Thread.sleep(200);
            Matcher own = Pattern.compile("first inference answered (\\d+) ms").matcher(Files.readString(log));
            return new double[]{nanos / 1e6, own.find() ? Double.parseDouble(own.group(1)) : Double.NaN, cpuNanos / 1e6};
        } finally {
            stop(function);
        }
    }

    private double bareOnce(boolean tokenizer) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher));
        command.addAll(javaOptions);
        command.addAll(List.of("-cp", classpath, BareSession.class.getName(), store.resolve(BATCHED).resolve("1").toString()));
        if (tokenizer) {
            command.add("--tokenizer");
        }
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("answered")) {
                    double ms = (System.nanoTime() - start) / 1e6;
                    process.waitFor(30, TimeUnit.SECONDS);
                    return ms;
                }
            }
        }
        throw new IllegalStateException("the bare session program did not answer (exit " + process.waitFor() + ")");
    }

    // ---- process handling -------------------------------------------------------------------------

    private Process start(int port, String models, List<String> extra, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher));
        command.addAll(javaOptions);
        command.addAll(extra);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dautoglm.inference.store=" + store.toAbsolutePath(),
                "-Dautoglm.inference.models=" + models, "-Dautoglm.inference.store-poll-interval=0s",
                // as the CPU deployment configures it (knative/base/functions/inference.yaml): no TensorRT/CUDA probe at load
                "-Dautoglm.inference.providers=cpu", "-jar", app.toString()));
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "ORT_DISABLE_TELEMETRY", "1"));
        return builder.start();
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static void awaitReady(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the function did not get ready");
    }

    private static String metrics(int port) throws Exception {
        // HTTP/1.1 and a timeout: the JDK client's default h2c upgrade once left this request unanswered for good
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double delta(String before, String after, String metric, String model) {
        return value(after, metric, model) - value(before, metric, model);
    }

    private static double value(String metrics, String metric, String model) {
        Matcher m = Pattern.compile("^" + Pattern.quote(metric) + "\\{model=\"" + Pattern.quote(model) + "\"} ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** Samples a process's resident memory every 200 ms, keeping the maximum. */
    static final class RssSampler {
        private final long pid;
        private final AtomicLong max = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        RssSampler(long pid) {
            this.pid = pid;
            this.thread = new Thread(() -> {
                while (running) {
                    max.accumulateAndGet(rss(this.pid), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long max() {
            return max.get();
        }
    }

    /** The feature version of {@link #launcher}, from its home's {@code release} file (JAVA_VERSION="25.0.1"). */
    private int javaFeature() throws IOException {
        Path release = Path.of(launcher).toRealPath().getParent().getParent().resolve("release");
        return javaFeature(Files.exists(release) ? Files.readString(release) : "").orElse(Runtime.version().feature());
    }

    /** The feature version a JDK's {@code release} file names ({@code JAVA_VERSION="25.0.3"}, {@code "1.8.0_402"}). */
    static java.util.OptionalInt javaFeature(String release) {
        Matcher version = Pattern.compile("^JAVA_VERSION=\"(?:1\\.)?(\\d+)", Pattern.MULTILINE).matcher(release);
        return version.find() ? java.util.OptionalInt.of(Integer.parseInt(version.group(1))) : java.util.OptionalInt.empty();
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String row(String what, List<Double> values, double baseline) {
        double median = median(values);
        return String.format(Locale.ROOT, "| %s (%s) | **%.0f** | %.2f |", what,
                String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList()), median, median / baseline);
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
