package io.autoglm.fleet.inference.serving;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.TensorSpec;
import io.autoglm.fleet.modelstore.TextEmbedding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a sentence-embedding model (e.g. all-MiniLM-L6-v2): tokenizes each text with the version's
 * {@code tokenizer.json}, refuses empty texts and texts longer than the model reads (never cuts them
 * silently), pads a batch to its longest text with the attention mask marking the padding, and pools
 * the token states into one L2-normalised vector per text.
 */
public final class TextEmbeddingRunner implements ModelRunner<TextEmbeddingRunner.Texts> {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

    /** A request's texts as token ids, one row per text, unpadded. */
    public record Texts(long[][] ids, long[][] typeIds) {
    }

    private final String name;
    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final TextEmbedding settings;
    private final List<String> inputs;
    private final int maxTexts;

    /**
     * @param tokenizer built by {@link #tokenizer} (the loader builds it while the session loads); closed with this runner
     */
    public TextEmbeddingRunner(String name, Model model, HuggingFaceTokenizer tokenizer, ModelManifest manifest) {
        this.name = Objects.requireNonNull(name, "name");
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.settings = Objects.requireNonNull(manifest.text(), "a text-embedding manifest");
        this.maxTexts = manifest.batching().maxBatchSize();
        this.inputs = manifest.inputs().stream().map(TensorSpec::name).toList();
        if (!inputs.contains(INPUT_IDS) || !KNOWN_INPUTS.containsAll(inputs)) {
            throw new IllegalArgumentException(name + ": a text-embedding model takes input_ids and optionally attention_mask "
                    + "and token_type_ids; this one takes " + inputs);
        }
    }

    /** The tokenizer of a version, as this runner uses it: special tokens added, no padding, no truncation. */
    public static HuggingFaceTokenizer tokenizer(Path tokenizerFile) {
        try {
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerFile)
                    .optAddSpecialTokens(true)
                    .optPadding(false)
                    .optTruncation(false)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the tokenizer " + tokenizerFile, e);
        }
    }

    @Override
    public Texts prepare(InferenceRequested request) {
        List<Problem> problems = new ArrayList<>();
        List<String> texts = request.texts();
        if (!request.tensors().isEmpty()) {
            problems.add(new Problem("data.tensors", name + " embeds texts: send data.texts, not data.tensors"));
        }
        if (texts.isEmpty()) {
            problems.add(new Problem("data.texts", name + " needs at least one text in data.texts"));
        } else if (texts.size() > maxTexts) {
            problems.add(new Problem("data.texts", "data.texts has " + texts.size() + " texts; " + name + " takes at most "
                    + maxTexts + " per request"));
        }
        if (!problems.isEmpty()) {
            throw InferenceFailure.badRequest(problems);
        }
        long[][] ids = new long[texts.size()][];
        long[][] typeIds = new long[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            String location = "data.texts[" + i + "]";
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                problems.add(new Problem(location, location + " is empty"));
                continue;
            }
            Encoding encoding = tokenizer.encode(text);
            if (encoding.getIds().length > settings.maxTokens()) {
                problems.add(new Problem(location, location + " is " + encoding.getIds().length + " tokens long; " + name
                        + " reads at most " + settings.maxTokens() + " (split the text)"));
                continue;
            }
            ids[i] = encoding.getIds();
            typeIds[i] = encoding.getTypeIds();
        }
        if (!problems.isEmpty()) {
            throw InferenceFailure.badRequest(problems);
        }
        return new Texts(ids, typeIds);
    }

    @Override
    public int rows(Texts prepared) {
        return prepared.ids().length;
    }

    @Override
    public List<ModelOutput> run(List<Texts> batch) {
        int rows = batch.stream().mapToInt(this::rows).sum();
        int tokens = batch.stream().flatMap(t -> java.util.Arrays.stream(t.ids())).mapToInt(a -> a.length).max().orElse(0);
        long[] ids = new long[rows * tokens];
        long[] mask = new long[rows * tokens];
        long[] types = new long[rows * tokens];
        int row = 0;
        for (Texts texts : batch) {
            for (int i = 0; i < texts.ids().length; i++, row++) {
                long[] textIds = texts.ids()[i];
                System.arraycopy(textIds, 0, ids, row * tokens, textIds.length);
                System.arraycopy(texts.typeIds()[i], 0, types, row * tokens, textIds.length);
                java.util.Arrays.fill(mask, row * tokens, row * tokens + textIds.length, 1L);
            }
        }
        Map<String, long[]> byName = Map.of(INPUT_IDS, ids, ATTENTION_MASK, mask, TOKEN_TYPE_IDS, types);
        float[][] vectors;
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList in = new NDList();
            for (String input : inputs) {
                NDArray array = manager.create(byName.get(input), new Shape(rows, tokens));
                array.setName(input);
                in.add(array);
            }
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), in, false);
            NDArray states = settings.output() == null ? out.get(0) : out.get(settings.output());
            if (states == null) {
                throw new IllegalStateException(name + " has no output '" + settings.output() + "'");
            }
            Shape shape = states.getShape();
            if (shape.dimension() != 3 || shape.get(0) != rows || shape.get(1) != tokens) {
                throw new IllegalStateException(name + ": token states have shape " + shape + ", expected (" + rows + ", " + tokens + ", dims)");
            }
            vectors = Pooling.pool(states.toFloatArray(), mask, rows, tokens, (int) shape.get(2),
                    "cls".equals(settings.pooling()), settings.normalize());
        }
        List<ModelOutput> outputs = new ArrayList<>(batch.size());
        row = 0;
        for (Texts texts : batch) {
            List<float[]> embeddings = new ArrayList<>(texts.ids().length);
            for (int i = 0; i < texts.ids().length; i++) {
                embeddings.add(vectors[row++]);
            }
            outputs.add(ModelOutput.embeddings(embeddings));
        }
        return outputs;
    }

    @Override
    public InferenceRequested warmupRequest() {
        return new InferenceRequested("warm-up", name, List.of("Warming up the model before it takes traffic."), null, null, null);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
