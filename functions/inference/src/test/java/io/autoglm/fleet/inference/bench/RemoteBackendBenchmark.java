package io.autoglm.fleet.inference.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.inference.AgentStep;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.modelstore.FileSystemBackend;
import io.autoglm.fleet.modelstore.ModelDraft;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.ModelStore;
import io.autoglm.fleet.modelstore.ProgressListener;
import io.autoglm.fleet.modelstore.RemoteBackend;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The inference function serving a remote version, against the same backend called directly, in the same run:
 * <ul>
 * <li>added latency: an agent step (1080x2400 screenshot) through the function vs the function's own chat request
 * posted straight to the backend (WireMock, answering the same SSE reply after a fixed model time), at 1 and 32
 * concurrent callers, rounds alternating which goes first, p50 and p99 (medians over rounds);</li>
 * <li>the function's RSS at idle and with 32 agent steps in flight;</li>
 * <li>cold start: process start to the first answered agent step (median of N), beside the same process's Quarkus
 * being up ({@code /q/health/live} first 200), a function with nothing of ours to wait for; plain, and with the JDK's
 * AOT cache from a training run, as the image runs it.</li>
 * </ul>
 * Arguments: quarkus-run.jar, a work directory, the report file, seconds per measurement, rounds, cold starts.
 */
public final class RemoteBackendBenchmark {

    private static final String SERVED = "autoglm-phone-9b";
    private static final String SSE = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<think>the send button is at the bottom right</think>\"}}]}\n\n"
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<answer>do(action=\\\"Tap\\\", element=[870,930])</answer>\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1800,\"completion_tokens\":20}}\n\ndata: [DONE]\n\n";

    private final Path app;
    private final Path work;
    private final Path out;
    private final Duration measure;
    private final int rounds;
    private final int coldStarts;
    private final int modelMillis;
    private final String launcher = System.getProperty("bench.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    private final List<String> javaOptions = List.of(System.getProperty("bench.javaOptions", "-Xmx256m -XX:+UseSerialGC").split(" "));
    private final StringBuilder report = new StringBuilder();

    private RemoteBackendBenchmark(String[] args) {
        app = Path.of(args[0]);
        work = Path.of(args[1]);
        out = Path.of(args[2]);
        measure = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 10);
        rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        coldStarts = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        modelMillis = Integer.getInteger("bench.modelMillis", 20);
    }

    public static void main(String[] args) {
        try {
            new RemoteBackendBenchmark(args).run();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
    }

    private void run() throws Exception {
        WireMockServer backend = new WireMockServer(options().dynamicPort().containerThreads(80).jettyAcceptors(2).maxRequestJournalEntries(4));
        backend.start();
        try {
            backend.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withBody("{\"data\":[{\"id\":\"" + SERVED + "\"}]}")));
            backend.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                    .withBody(SSE).withFixedDelay(modelMillis)));
            Path store = store(backend);
            Path screen = screenshot();
            byte[] png = Files.readAllBytes(screen);
            String step = new String(EventJson.write(new InferenceRequested("bench", "phone", null, null, null, null,
                    new AgentStep("task-bench", "给张三发消息：今晚七点见", List.of(), new ScreenshotRef(screen.toUri(), sha256(png), 1080, 2400), "微信", "zh"))),
                    StandardCharsets.UTF_8);
            line("Run " + java.time.Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, load average at start "
                    + Files.readString(Path.of("/proc/loadavg")).trim() + "; the function on " + launcher + " with " + String.join(" ", javaOptions)
                    + "; the backend (WireMock, " + modelMillis + " ms model time, the same SSE reply) and the callers in this JVM; screenshot 1080x2400, "
                    + png.length / 1024 + " KiB PNG, inlined as " + (png.length * 4 / 3 / 1024) + " KiB of base64");
            latency(store, backend, step);
            if (coldStarts > 0) {
                coldStart(store, step);
            }
        } finally {
            backend.stop();
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println("\nwritten to " + out);
    }

    private void latency(Path store, WireMockServer backend, String step) throws Exception {
        int port = 19000 + (int) (ProcessHandle.current().pid() % 1000);
        Process function = start(store, port, out.resolveSibling("remote-function.log"));
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            InferenceBenchmark.awaitReady(port);
            long idle = InferenceBenchmark.rss(function.pid());
            // the exact chat request the function sends, captured once and posted straight to the backend as the baseline
            backend.resetRequests();
            HttpResponse<String> first = HttpClient.newHttpClient().send(HttpLoad.inferenceRequest(uri, step).build(), HttpResponse.BodyHandlers.ofString());
            if (first.statusCode() != 200 || !first.body().contains("\"Tap\"")) {
                throw new IllegalStateException("the function did not answer the agent step: " + first.statusCode() + " " + first.body());
            }
            byte[] chat = chatBody(backend);
            HttpRequest direct = HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer sk-bench")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(chat)).build();
            HttpLoad toFunction = new HttpLoad(uri, function.pid());
            HttpLoad toBackend = new HttpLoad(URI.create(backend.baseUrl()));
            Duration warmup = Duration.ofSeconds(3);
            line("\n| callers | round | direct p50 / p99 ms | through the function p50 / p99 ms | added p50 / p99 ms | function CPU ms/step |");
            line("| ---: | ---: | ---: | ---: | ---: | ---: |");
            long loaded = 0;
            for (int callers : new int[] {1, 32}) {
                List<Double> addedP50 = new ArrayList<>();
                List<Double> addedP99 = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    HttpLoad.Result base;
                    HttpLoad.Result through;
                    InferenceBenchmark.RssSampler sampler = new InferenceBenchmark.RssSampler(function.pid());
                    if (round % 2 == 1) {
                        base = toBackend.run(direct, callers, warmup, measure);
                        sampler.start();
                        through = toFunction.run(step, callers, warmup, measure);
                    } else {
                        sampler.start();
                        through = toFunction.run(step, callers, warmup, measure);
                        sampler.stop();
                        base = toBackend.run(direct, callers, warmup, measure);
                    }
                    sampler.stop();
                    if (callers == 32) {
                        loaded = Math.max(loaded, sampler.max());
                    }
                    addedP50.add(through.p50Ms() - base.p50Ms());
                    addedP99.add(through.p99Ms() - base.p99Ms());
                    line(String.format(Locale.ROOT, "| %d | %d | %.1f / %.1f | %.1f / %.1f | %+.1f / %+.1f | %.2f |", callers, round, base.p50Ms(), base.p99Ms(),
                            through.p50Ms(), through.p99Ms(), through.p50Ms() - base.p50Ms(), through.p99Ms() - base.p99Ms(), through.serverCpuMsPerRequest())
                            + (through.statuses().keySet().stream().anyMatch(s -> s != 200) ? " statuses " + through.statuses() : ""));
                }
                line(String.format(Locale.ROOT, "| %d | **median** | | | **%+.1f / %+.1f** | |", callers, InferenceBenchmark.median(addedP50),
                        InferenceBenchmark.median(addedP99)));
            }
            line(String.format(Locale.ROOT, "\nFunction RSS: %d MB idle (ready, one step answered), %d MB at most with 32 agent steps in flight.",
                    idle >> 20, loaded >> 20));
        } finally {
            InferenceBenchmark.stop(function);
        }
    }

    private void coldStart(Path store, String step) throws Exception {
        // as the image runs it: the JDK's AOT cache from a training run up to the first answer (JDK 25+)
        Path archive = out.resolveSibling("remote-inference.aot");
        Files.deleteIfExists(archive);
        int port = 19500 + (int) (ProcessHandle.current().pid() % 400);
        Process training = start(store, port, out.resolveSibling("remote-aot-training.log"), List.of("-XX:AOTCacheOutput=" + archive));
        try {
            coldStartOnce(port, step, System.nanoTime());
        } finally {
            InferenceBenchmark.stop(training); // the cache is written as the JVM exits
        }
        line("\n| cold start of a function serving only a remote version, " + coldStarts + " starts (ms) | median |");
        line("| --- | ---: |");
        for (boolean cached : new boolean[] {false, true}) {
            if (cached && !Files.exists(archive)) {
                line("| (no AOT cache was written: JDK < 25) | |");
                continue;
            }
            List<Double> live = new ArrayList<>();
            List<Double> answered = new ArrayList<>();
            for (int i = 0; i < coldStarts; i++) {
                long start = System.nanoTime();
                Process function = start(store, port + 1 + i, out.resolveSibling("remote-cold-" + (cached ? "aot-" : "") + i + ".log"),
                        cached ? List.of("-XX:AOTCache=" + archive) : List.of());
                try {
                    double[] times = coldStartOnce(port + 1 + i, step, start);
                    live.add(times[0]);
                    answered.add(times[1]);
                } finally {
                    InferenceBenchmark.stop(function);
                }
            }
            String how = cached ? ", the JDK's AOT cache" : "";
            line(String.format(Locale.ROOT, "| process start -> Quarkus up (/q/health/live 200)%s (%s) | %.0f |", how, list(live),
                    InferenceBenchmark.median(live)));
            line(String.format(Locale.ROOT, "| process start -> first agent step answered%s (%s) | **%.0f** |", how, list(answered),
                    InferenceBenchmark.median(answered)));
        }
    }

    /** Milliseconds from {@code start} to the first 200 of {@code /q/health/live}, and to the first answered step. */
    private static double[] coldStartOnce(int port, String step, long start) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        Double liveAt = null;
        while (true) {
            try {
                if (liveAt == null && client.send(HttpRequest.newBuilder(uri.resolve("/q/health/live")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    liveAt = (System.nanoTime() - start) / 1e6;
                }
                if (liveAt != null && client.send(HttpLoad.inferenceRequest(uri, step).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return new double[] {liveAt, (System.nanoTime() - start) / 1e6};
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
                throw new IllegalStateException("no answer within 120 s");
            }
            Thread.sleep(10);
        }
    }

    private static String list(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }

    private Path store(WireMockServer backend) throws IOException {
        Path dir = work.resolve("remote-store");
        deleteTree(dir);
        Path key = Files.writeString(Files.createDirectories(work).resolve("bench-key"), "sk-bench\n");
        ModelStore store = ModelStore.of(new FileSystemBackend(dir));
        store.publish(new ModelDraft(ModelManifest.remoteDraft("phone", new RemoteBackend("openai-chat", URI.create(backend.baseUrl() + "/v1"),
                SERVED, new RemoteBackend.Credential(null, key.toString()), null, null, 32, 64, null), "benchmark backend"), Map.of()),
                null, ProgressListener.NONE);
        store.promote("phone", "stable", 1);
        return dir;
    }

    /** A 1080x2400 screenshot-like PNG: bands of colour and some text-like noise (a real one is 0.3-2 MB). */
    private Path screenshot() throws IOException {
        BufferedImage image = new BufferedImage(1080, 2400, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < 2400; y++) {
            for (int x = 0; x < 1080; x++) {
                int band = (y / 120) % 5;
                int rgb = new int[] {0xf5f5f5, 0xffffff, 0x07c160, 0xededed, 0x1e1e1e}[band];
                if ((y % 120) > 40 && (y % 120) < 70 && x > 60 && x < 900 && random.nextInt(4) == 0) {
                    rgb = 0x333333;
                }
                image.setRGB(x, y, rgb);
            }
        }
        Path file = Files.createDirectories(work).resolve("screen-1080x2400.png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static byte[] chatBody(WireMockServer backend) {
        return backend.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/v1/chat/completions")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the function sent no chat request")).getRequest().getBody();
    }

    private Process start(Path store, int port, Path log) throws IOException {
        return start(store, port, log, List.of());
    }

    private Process start(Path store, int port, Path log, List<String> extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher));
        command.addAll(javaOptions);
        command.addAll(extra);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1", "-Dautoglm.inference.store=" + store.toAbsolutePath(),
                "-Dautoglm.inference.models=phone", "-Dautoglm.inference.store-poll-interval=0s", "-Dautoglm.inference.providers=cpu", "-jar",
                app.toString()));
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "ORT_DISABLE_TELEMETRY", "1", "MALLOC_ARENA_MAX", "2"));
        return builder.start();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
