package io.autoglm.fleet.modelstore;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * A model version served by a remote backend instead of files in the store: an OpenAI-compatible
 * chat endpoint (vLLM, SGLang, a hosted API) serving a vision-language model. The store keeps where
 * it is and how to call it, never the credential itself: only where the serving function finds it
 * (an environment variable or a mounted secret file).
 *
 * @param protocol       {@value #OPENAI_CHAT}: {@code POST <baseUrl>/chat/completions}, {@code GET <baseUrl>/models}
 * @param baseUrl        the API root, e.g. {@code http://vllm.gpu.svc:8000/v1}
 * @param servedModel    the model name the backend serves (vLLM's {@code --served-model-name})
 * @param credential     where the bearer token comes from; null for a backend without one
 * @param maxConcurrency requests in flight to the backend at once, from one serving function
 * @param maxQueue       requests waiting for one of those; past it a request is refused (capacity, retry later)
 */
public record RemoteBackend(String protocol, URI baseUrl, String servedModel, Credential credential, Sampling sampling,
        Timeouts timeouts, int maxConcurrency, int maxQueue, Retry retry) {

    public static final String OPENAI_CHAT = "openai-chat";

    public RemoteBackend {
        protocol = protocol == null ? OPENAI_CHAT : protocol;
        if (!protocol.equals(OPENAI_CHAT)) {
            throw new IllegalArgumentException("remote.protocol must be " + OPENAI_CHAT + ", got '" + protocol + "'");
        }
        Objects.requireNonNull(baseUrl, "remote.baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("remote.baseUrl must be an http(s) URL with a host, got '" + baseUrl + "'");
        }
        if (baseUrl.getUserInfo() != null || baseUrl.getQuery() != null) {
            throw new IllegalArgumentException("remote.baseUrl must carry no credentials and no query: put the key in remote.credential");
        }
        if (servedModel == null || servedModel.isBlank()) {
            throw new IllegalArgumentException("remote.servedModel must name the model the backend serves");
        }
        sampling = sampling == null ? Sampling.DEFAULT : sampling;
        timeouts = timeouts == null ? Timeouts.DEFAULT : timeouts;
        maxConcurrency = maxConcurrency == 0 ? 16 : maxConcurrency;
        maxQueue = maxQueue == 0 ? 64 : maxQueue;
        if (maxConcurrency < 1 || maxQueue < 0) {
            throw new IllegalArgumentException("remote.maxConcurrency must be >= 1 and remote.maxQueue >= 0, got "
                    + maxConcurrency + " and " + maxQueue);
        }
        retry = retry == null ? Retry.DEFAULT : retry;
    }

    /** {@code path} under the base URL ({@code chat/completions}). */
    public URI endpoint(String path) {
        String base = baseUrl.toString();
        return URI.create(base.endsWith("/") ? base + path : base + "/" + path);
    }

    /** Where the bearer token is read from: exactly one of an environment variable or a file (a mounted secret). */
    public record Credential(String env, String file) {
        public Credential {
            if ((env == null || env.isBlank()) == (file == null || file.isBlank())) {
                throw new IllegalArgumentException("remote.credential names exactly one of env (a variable) or file (a mounted secret)");
            }
        }
    }

    /** The request defaults, as Open-AutoGLM sends them. */
    public record Sampling(Double temperature, Double topP, Double frequencyPenalty, Integer maxTokens) {
        public static final Sampling DEFAULT = new Sampling(0.0, 0.85, 0.2, 3000);

        public Sampling {
            temperature = temperature == null ? 0.0 : temperature;
            topP = topP == null ? 0.85 : topP;
            frequencyPenalty = frequencyPenalty == null ? 0.2 : frequencyPenalty;
            maxTokens = maxTokens == null ? 3000 : maxTokens;
            if (temperature < 0 || topP <= 0 || topP > 1 || maxTokens < 1) {
                throw new IllegalArgumentException("remote.sampling: temperature >= 0, 0 < topP <= 1, maxTokens >= 1");
            }
        }
    }

    /** How long to wait to connect, for the first streamed token, and for the whole reply; milliseconds. */
    public record Timeouts(int connectMs, int firstTokenMs, int totalMs) {
        public static final Timeouts DEFAULT = new Timeouts(5_000, 30_000, 120_000);

        public Timeouts {
            connectMs = connectMs == 0 ? 5_000 : connectMs;
            firstTokenMs = firstTokenMs == 0 ? 30_000 : firstTokenMs;
            totalMs = totalMs == 0 ? 120_000 : totalMs;
            if (connectMs < 0 || firstTokenMs < 0 || totalMs < firstTokenMs) {
                throw new IllegalArgumentException("remote.timeouts must be positive, with totalMs >= firstTokenMs");
            }
        }
    }

    /**
     * Attempts per request (the first included) on 429 (honouring {@code Retry-After}), 502, 503, 504 and
     * connection errors, with exponential backoff from {@code initialBackoffMs} up to {@code maxBackoffMs}.
     */
    public record Retry(int maxAttempts, int initialBackoffMs, int maxBackoffMs) {
        public static final Retry DEFAULT = new Retry(3, 200, 5_000);

        public Retry {
            maxAttempts = maxAttempts == 0 ? 3 : maxAttempts;
            initialBackoffMs = initialBackoffMs == 0 ? 200 : initialBackoffMs;
            maxBackoffMs = maxBackoffMs == 0 ? 5_000 : maxBackoffMs;
            if (maxAttempts < 1 || initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs) {
                throw new IllegalArgumentException("remote.retry: maxAttempts >= 1, 0 <= initialBackoffMs <= maxBackoffMs");
            }
        }
    }
}
