package io.autoglm.fleet.inference.remote;

import io.autoglm.fleet.events.Failures;
import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.AgentReply;
import io.autoglm.fleet.events.agent.UnparseableReplyException;
import io.autoglm.fleet.events.inference.AgentStep;
import io.autoglm.fleet.events.inference.AgentStepResult;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.inference.serving.ServingVersion;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.RemoteBackend;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A model version served by a remote OpenAI-compatible backend (vLLM, SGLang, a hosted API): an
 * agent step goes out as Open-AutoGLM sends it ({@link ChatRequests}), streamed, its first token
 * timed, and comes back parsed by the action grammar.
 * <ul>
 * <li>At most {@code maxConcurrency} requests in flight and {@code maxQueue} waiting; past that a
 * request is refused at once (CAPACITY: 429, retry later), as the local batcher does.</li>
 * <li>429 (its {@code Retry-After} honoured), 5xx, refused connections and a stream cut short are
 * retried with exponential backoff, up to the version's attempts: then BACKEND_UNAVAILABLE. Other 4xx
 * are not retried (BAD_REQUEST); 401/403 is CREDENTIAL_REFUSED.</li>
 * <li>No first token within {@code firstTokenMs}, or no end within {@code totalMs}: TIMEOUT.</li>
 * <li>Ready once the backend lists its served model ({@code GET /models}); a connection that fails
 * marks it down (readiness says why) until a call gets through again.</li>
 * </ul>
 */
public final class RemoteVersion implements ServingVersion {

    private static final Logger LOG = Logger.getLogger(RemoteVersion.class.getName());
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "remote-backend-timers");
        thread.setDaemon(true);
        return thread;
    });

    /** How often a backend marked down is probed until it answers again. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final ModelManifest manifest;
    private final RemoteBackend backend;
    private final HttpClient http;
    private final String authorization;
    private final Screenshots screenshots;
    private final Clock clock;
    private final ExecutorService preparing;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;
    private boolean draining;
    private CompletableFuture<Void> drained;
    private volatile String down;

    RemoteVersion(ModelManifest manifest, HttpClient http, String bearerToken, Clock clock) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.backend = Objects.requireNonNull(manifest.remote(), "manifest.remote");
        this.http = Objects.requireNonNull(http, "http");
        this.authorization = bearerToken == null ? null : "Bearer " + bearerToken;
        this.clock = clock;
        this.screenshots = new Screenshots(http, Duration.ofMillis(backend.timeouts().firstTokenMs()));
        this.preparing = Executors.newFixedThreadPool(Math.min(8, backend.maxConcurrency()), runnable -> {
            Thread thread = new Thread(runnable, "remote-" + manifest.name() + "@" + manifest.version());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens {@code manifest}'s backend: reads its credential ({@code env} from {@code environment}, or the
     * file), and checks the backend lists the served model; fails saying why otherwise.
     */
    public static RemoteVersion open(ModelManifest manifest, Map<String, String> environment) {
        RemoteBackend backend = manifest.remote();
        String label = manifest.name() + "@" + manifest.version();
        String token = credential(label, backend.credential(), environment);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(backend.timeouts().connectMs())).build();
        RemoteVersion version = new RemoteVersion(manifest, http, token, Clock.systemUTC());
        String problem = version.probe();
        if (problem != null) {
            version.close();
            throw new IllegalStateException(label + " cannot be served: " + problem);
        }
        LOG.info(() -> "serving " + label + " from " + backend.baseUrl() + " (" + backend.servedModel() + ")");
        return version;
    }

    private static String credential(String label, RemoteBackend.Credential credential, Map<String, String> environment) {
        if (credential == null) {
            return null;
        }
        if (credential.env() != null && !credential.env().isBlank()) {
            String token = environment.get(credential.env());
            if (token == null || token.isBlank()) {
                throw new IllegalStateException(label + "'s credential is the environment variable " + credential.env() + ", which is not set");
            }
            return token.strip();
        }
        try {
            return Files.readString(Path.of(credential.file())).strip();
        } catch (IOException e) {
            throw new IllegalStateException(label + "'s credential file " + credential.file() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Null when the backend lists the served model, otherwise what is wrong. */
    String probe() {
        HttpRequest.Builder request = HttpRequest.newBuilder(backend.endpoint("models"))
                .timeout(Duration.ofMillis(backend.timeouts().connectMs() + 5_000L)).GET();
        authorize(request);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                return ChatReply.refusal(response.statusCode(), response.body(), java.util.Optional.empty()).getMessage()
                        + " (GET " + backend.endpoint("models") + ")";
            }
            List<String> served = new ArrayList<>();
            for (JsonNode model : EventJson.mapper().readTree(response.body()).path("data")) {
                served.add(model.path("id").asText());
            }
            return served.contains(backend.servedModel()) ? null
                    : "the backend at " + backend.baseUrl() + " does not serve '" + backend.servedModel() + "' (it serves " + served + ")";
        } catch (IOException e) {
            return "the backend at " + backend.baseUrl() + " cannot be reached: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public String engine() {
        return "remote";
    }

    @Override
    public int queued() {
        synchronized (lock) {
            return running + waiting.size();
        }
    }

    @Override
    public String problem() {
        return down;
    }

    @Override
    public CompletableFuture<InferenceCompleted> infer(InferenceRequested request) {
        AgentStep step = request.agent();
        if (step == null) {
            throw InferenceFailure.badRequest("data.agent", manifest.name() + "@" + manifest.version()
                    + " is a vision-language model on a remote backend: send it an agent step (data.agent), not texts or tensors");
        }
        CompletableFuture<InferenceCompleted> answer = new CompletableFuture<>();
        long takenAt = System.nanoTime();
        Runnable start = () -> preparing.execute(() -> prepare(request, step, takenAt, answer));
        synchronized (lock) {
            if (draining) {
                throw InferenceFailure.superseded(manifest.name() + "@" + manifest.version() + " is being replaced");
            }
            if (running < backend.maxConcurrency()) {
                running++;
            } else if (waiting.size() < backend.maxQueue()) {
                waiting.add(start);
                return answer.whenComplete((ok, error) -> finished());
            } else {
                throw InferenceFailure.capacity(manifest.name() + "@" + manifest.version() + " has " + running + " requests in flight to its backend and "
                        + waiting.size() + " waiting, its most; retry shortly");
            }
        }
        start.run();
        return answer.whenComplete((ok, error) -> finished());
    }

    private void finished() {
        Runnable next;
        CompletableFuture<Void> done = null;
        synchronized (lock) {
            next = waiting.poll();
            if (next == null) {
                running--;
                if (draining && running == 0) {
                    done = drained;
                }
            }
        }
        if (next != null) {
            next.run();
        }
        if (done != null) {
            close();
            done.complete(null);
        }
    }

    private void prepare(InferenceRequested request, AgentStep step, long takenAt, CompletableFuture<InferenceCompleted> answer) {
        byte[] body;
        try {
            body = ChatRequests.agentStep(backend, step, screenshots.fetch(step.screenshot()), LocalDate.now(clock));
        } catch (RuntimeException e) {
            answer.completeExceptionally(e instanceof InferenceFailure ? e : InferenceFailure.internal("cannot build the request: " + e, e));
            return;
        }
        attempt(request, body, 1, takenAt, System.nanoTime(), answer);
    }

    private void attempt(InferenceRequested request, byte[] body, int attempt, long takenAt, long sentAt, CompletableFuture<InferenceCompleted> answer) {
        RemoteBackend.Timeouts timeouts = backend.timeouts();
        long start = System.nanoTime();
        AtomicLong firstToken = new AtomicLong();
        HttpRequest.Builder call = HttpRequest.newBuilder(backend.endpoint("chat/completions"))
                .timeout(Duration.ofMillis(timeouts.totalMs()))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        authorize(call);
        CompletableFuture<HttpResponse<ChatReply>> exchange = http.sendAsync(call.build(), ChatReply.handler(firstToken::set));
        AtomicBoolean timedOut = new AtomicBoolean();
        java.util.concurrent.ScheduledFuture<?> firstTokenDeadline = TIMERS.schedule(() -> {
            if (firstToken.get() == 0 && timedOut.compareAndSet(false, true)) {
                exchange.cancel(true);
            }
        }, timeouts.firstTokenMs(), TimeUnit.MILLISECONDS);
        java.util.concurrent.ScheduledFuture<?> totalDeadline = TIMERS.schedule(() -> {
            if (timedOut.compareAndSet(false, true)) {
                exchange.cancel(true);
            }
        }, timeouts.totalMs(), TimeUnit.MILLISECONDS);
        exchange.whenComplete((response, error) -> {
            firstTokenDeadline.cancel(false);
            totalDeadline.cancel(false);
            if (error == null) {
                down = null;
                answer.complete(completed(request, response.body(), takenAt, sentAt, start, firstToken.get()));
                return;
            }
            BackendException failure = timedOut.get()
                    ? new BackendException(BackendException.Kind.TIMEOUT, firstToken.get() == 0
                            ? "no first token within " + timeouts.firstTokenMs() + " ms" : "the reply did not end within " + timeouts.totalMs() + " ms")
                    : classify(error);
            RemoteBackend.Retry retry = backend.retry();
            if (failure.kind() == BackendException.Kind.RETRYABLE && attempt < retry.maxAttempts()) {
                long backoff = Math.min(retry.maxBackoffMs(), (long) retry.initialBackoffMs() << (attempt - 1));
                long delay = failure.retryAfter() != null ? Math.min(failure.retryAfter().toMillis(), 30_000) : backoff;
                LOG.fine(() -> "attempt " + attempt + " of " + request.requestId() + " failed (" + failure.getMessage() + "); again in " + delay + " ms");
                TIMERS.schedule(() -> attempt(request, body, attempt + 1, takenAt, sentAt, answer), delay, TimeUnit.MILLISECONDS);
                return;
            }
            answer.completeExceptionally(failure(failure, attempt));
        });
    }

    private BackendException classify(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause instanceof BackendException backendFailure) {
            return backendFailure;
        }
        if (cause instanceof IOException && cause.getCause() instanceof BackendException backendFailure) {
            return backendFailure;
        }
        if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
            markDown("cannot connect to " + backend.baseUrl() + ": " + cause);
        }
        return new BackendException(BackendException.Kind.RETRYABLE, "the call to " + backend.baseUrl() + " failed: " + cause);
    }

    /**
     * Readiness goes DOWN with {@code why}; the backend is probed ({@code GET /models}) every {@link #PROBE_INTERVAL}
     * until it answers, as a version that is not ready gets no requests to find out by (Knative takes it out of service).
     */
    private void markDown(String why) {
        boolean probing = down != null;
        down = why;
        if (!probing) {
            TIMERS.schedule(this::probeWhileDown, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void probeWhileDown() {
        if (down == null || preparing.isShutdown()) {
            return;
        }
        preparing.execute(() -> {
            String problem = probe();
            if (problem == null) {
                down = null;
                LOG.info(() -> this + " answers again");
            } else {
                down = problem;
                TIMERS.schedule(this::probeWhileDown, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private InferenceFailure failure(BackendException failure, int attempts) {
        String label = manifest.name() + "@" + manifest.version();
        switch (failure.kind()) {
            case CREDENTIAL:
                return InferenceFailure.credentialRefused(label + ": " + failure.getMessage()
                        + "; fix the credential named in the version's model.json (remote.credential)");
            case REFUSED:
                return InferenceFailure.badRequest("data.agent", label + ": " + failure.getMessage());
            case TIMEOUT:
                return InferenceFailure.timeout(label + ": " + failure.getMessage());
            default:
                return InferenceFailure.backendUnavailable(label + ": " + failure.getMessage()
                        + (attempts > 1 ? " (attempt " + attempts + " of " + attempts + ")" : ""));
        }
    }

    private InferenceCompleted completed(InferenceRequested request, ChatReply reply, long takenAt, long sentAt, long start, long firstToken) {
        long end = System.nanoTime();
        double firstTokenMs = firstToken == 0 ? (end - start) / 1e6 : Math.max(0, (firstToken - start) / 1e6);
        double totalMs = (end - start) / 1e6;
        AgentStepResult result;
        try {
            AgentReply parsed = ActionGrammar.parse(reply.content());
            result = new AgentStepResult(reply.content(), parsed.thinking(), parsed.answer(), parsed.action(), null, firstTokenMs, totalMs,
                    reply.promptTokens(), reply.completionTokens());
        } catch (UnparseableReplyException e) {
            result = new AgentStepResult(reply.content(), null, null, null, e.reason(), firstTokenMs, totalMs, reply.promptTokens(),
                    reply.completionTokens());
        }
        return new InferenceCompleted(request.requestId(), manifest.name(), manifest.version(), null, null, engine(), 1,
                (sentAt - takenAt) / 1e6, (end - sentAt) / 1e6, result);
    }

    private void authorize(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
    }

    @Override
    public CompletableFuture<Void> drain() {
        synchronized (lock) {
            draining = true;
            if (drained == null) {
                drained = new CompletableFuture<>();
            }
            if (running > 0) {
                return drained;
            }
        }
        close();
        drained.complete(null);
        return drained;
    }

    @Override
    public void close() {
        preparing.shutdown();
    }

    @Override
    public String toString() {
        return manifest.name() + "@" + manifest.version() + " on " + backend.baseUrl();
    }
}
