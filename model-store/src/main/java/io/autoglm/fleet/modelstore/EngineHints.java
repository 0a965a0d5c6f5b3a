package io.autoglm.fleet.modelstore;

import java.util.List;
import java.util.Set;

/**
 * How the publisher suggests running a model: execution providers in order of preference
 * ({@code tensorrt}, {@code cuda}, {@code cpu}), intra-op threads, and whether TensorRT may build FP16
 * engines. Servers take the first provider that loads and fall back down the list.
 *
 * @param intraOpThreads threads ONNX Runtime uses inside one operator; null lets the server decide
 */
public record EngineHints(List<String> providers, Integer intraOpThreads, boolean trtFp16) {

    public static final Set<String> PROVIDERS = Set.of("tensorrt", "cuda", "cpu");
    private static final List<String> DEFAULT_PROVIDERS = List.of("tensorrt", "cuda", "cpu");
    public static final EngineHints DEFAULT = new EngineHints(DEFAULT_PROVIDERS, null, false);

    public EngineHints {
        providers = providers == null || providers.isEmpty() ? DEFAULT_PROVIDERS : List.copyOf(providers);
        for (String provider : providers) {
            if (!PROVIDERS.contains(provider)) {
                throw new IllegalArgumentException("engine.providers must be among " + PROVIDERS + ", got '" + provider + "'");
            }
        }
        if (intraOpThreads != null && (intraOpThreads < 1 || intraOpThreads > 256)) {
            throw new IllegalArgumentException("engine.intraOpThreads must be 1-256, got " + intraOpThreads);
        }
    }
}
