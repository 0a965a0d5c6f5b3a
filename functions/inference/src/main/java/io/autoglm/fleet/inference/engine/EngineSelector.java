package io.autoglm.fleet.inference.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Chooses the execution provider at load time: tries each in order of preference (TensorRT, then CUDA,
 * then CPU) and takes the first whose session loads. Whether a provider works is only known by trying:
 * the GPU build of ONNX Runtime lists CUDA and TensorRT even on a machine without a GPU. Every
 * fallback is reported with the reason, so a GPU host silently running on CPU shows in the log.
 */
public final class EngineSelector {

    /** Loads the model on one provider; throws when that provider cannot run here. */
    @FunctionalInterface
    public interface Loader<T> {
        T load(ExecutionProvider provider) throws Exception;
    }

    /**
     * The outcome: the provider chosen, what it loaded, and why each earlier one was passed over.
     *
     * @param fallbacks one sentence per provider that failed, in the order tried
     */
    public record Selection<T>(ExecutionProvider provider, T loaded, List<String> fallbacks) {
        public Selection {
            Objects.requireNonNull(provider, "provider");
            fallbacks = List.copyOf(fallbacks);
        }
    }

    private EngineSelector() {
    }

    /**
     * @param order  providers to try, best first
     * @param report told one line per provider that failed ("TensorRT unavailable (...); trying CUDA")
     * @throws EngineUnavailableException when none loads; its message has every reason
     */
    public static <T> Selection<T> select(String model, List<ExecutionProvider> order, Loader<T> loader, Consumer<String> report) {
        if (order.isEmpty()) {
            throw new EngineUnavailableException(model + ": no execution provider to try");
        }
        List<String> fallbacks = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            ExecutionProvider provider = order.get(i);
            try {
                return new Selection<>(provider, loader.load(provider), fallbacks);
            } catch (Exception | LinkageError e) {
                String reason = provider.wireName() + " unavailable for " + model + " (" + firstLine(e) + ")";
                fallbacks.add(reason);
                report.accept(i + 1 < order.size() ? reason + "; trying " + order.get(i + 1).wireName() : reason + "; no provider left");
            }
        }
        throw new EngineUnavailableException(model + " could not be loaded on any execution provider: " + String.join("; ", fallbacks));
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** No execution provider could load the model. */
    public static final class EngineUnavailableException extends RuntimeException {
        public EngineUnavailableException(String message) {
            super(message);
        }
    }
}
