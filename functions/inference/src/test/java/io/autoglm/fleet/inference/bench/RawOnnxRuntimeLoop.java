package io.autoglm.fleet.inference.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.autoglm.fleet.inference.serving.Pooling;

import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The baseline: the seed model on plain ONNX Runtime in a loop, same session settings as the
 * function (1 intra-op thread, all optimisations, CPU arena on), doing what the function does per
 * batch (tokenize, run, mean-pool and normalise) and nothing else: no HTTP, no JSON, no queue.
 */
final class RawOnnxRuntimeLoop implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;

    RawOnnxRuntimeLoop(Path versionDir, int intraOpThreads) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setCPUArenaAllocator(true);
            session = env.createSession(versionDir.resolve("model.onnx").toString(), options);
        }
        tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(versionDir.resolve("tokenizer.json"))
                .optPadding(true).optTruncation(false).build();
    }

    int tokens(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    /** One batch: tokenize, run, pool. Returns the vectors. */
    float[][] embed(List<String> texts) throws Exception {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int rows = encodings.length;
        int tokens = encodings[0].getIds().length;
        long[] ids = new long[rows * tokens];
        long[] mask = new long[rows * tokens];
        long[] types = new long[rows * tokens];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(encodings[r].getIds(), 0, ids, r * tokens, tokens);
            System.arraycopy(encodings[r].getAttentionMask(), 0, mask, r * tokens, tokens);
            System.arraycopy(encodings[r].getTypeIds(), 0, types, r * tokens, tokens);
        }
        long[] shape = {rows, tokens};
        try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            OnnxTensor states = (OnnxTensor) result.get(0);
            long[] out = states.getInfo().getShape();
            float[] flat = new float[(int) (out[0] * out[1] * out[2])];
            states.getFloatBuffer().get(flat);
            return Pooling.pool(flat, mask, rows, tokens, (int) out[2], false, true);
        }
    }

    /** Texts embedded per second at {@code batchSize}, over {@code seconds} after a warm-up. */
    double itemsPerSecond(String text, int batchSize, double seconds) throws Exception {
        List<String> batch = Collections.nCopies(batchSize, text);
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            embed(batch);
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long items = 0;
        while (System.nanoTime() < end) {
            embed(batch);
            items += batchSize;
        }
        return items / ((System.nanoTime() - start) / 1e9);
    }

    @Override
    public void close() throws Exception {
        tokenizer.close();
        session.close();
    }
}
