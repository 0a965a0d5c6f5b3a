package io.autoglm.fleet.inference.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cold-start baseline: a bare {@code java} program that only creates the ONNX Runtime session for
 * the seed model and runs one inference (the token ids of "A man is eating food.", fixed), then
 * prints {@code answered} and exits. With {@code --tokenizer} it also builds the tokenizer and
 * tokenizes the sentence, which the function has to do too.
 */
public final class BareSession {

    private BareSession() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean withTokenizer = args.length > 1 && args[1].equals("--tokenizer");
        long[] ids = {101, 1037, 2158, 2003, 5983, 2833, 1012, 102};
        if (withTokenizer) {
            try (var tokenizer = ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"))) {
                ids = tokenizer.encode("A man is eating food.").getIds();
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(dir.resolve("model.onnx").toString(), options)) {
                long[] shape = {1, ids.length};
                long[] mask = new long[ids.length];
                java.util.Arrays.fill(mask, 1);
                try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                     OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                     OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
                     OrtSession.Result result = session.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
                    System.out.println("answered " + ((OnnxTensor) result.get(0)).getInfo().getShape().length);
                }
            }
        }
    }
}
