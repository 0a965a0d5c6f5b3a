package io.autoglm.fleet.modelstore;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A version's {@code model.json}: what the model is (format, precision, inputs, outputs), every file
 * with its sha256, how to batch and run it, and when it was published. A draft (what a publisher
 * hands in) has version 0, no files and no time; the store fills them in when it publishes.
 *
 * @param modelFile   the file the engine loads (e.g. {@code model.onnx}); one of {@code files}; null for a remote backend
 * @param text        set for text-embedding models, null for models fed named tensors
 * @param description free text for people
 * @param remote      set for a version served by a remote backend ({@code format} {@value #FORMAT_REMOTE}): no files, no
 *                    model file; null for a version the function loads
 */
public record ModelManifest(
        String name,
        int version,
        String format,
        String modelFile,
        Precision precision,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        List<ModelFile> files,
        Batching batching,
        EngineHints engine,
        TextEmbedding text,
        Instant createdAt,
        String description,
        @JsonInclude(JsonInclude.Include.NON_NULL) RemoteBackend remote) {

    public static final String FILE_NAME = "model.json";
    public static final String ENGINE_CACHE_DIR = "trt";
    public static final String FORMAT_ONNX = "onnx";
    /** The format of a version served by a remote backend. */
    public static final String FORMAT_REMOTE = "remote";

    public ModelManifest {
        ModelRef.checkName(name);
        if (version < 0) {
            throw new IllegalArgumentException("version must be positive (0 in a draft), got " + version);
        }
        Objects.requireNonNull(format, "format");
        if (format.equals(FORMAT_REMOTE) != (remote != null)) {
            throw new IllegalArgumentException("a version of format '" + FORMAT_REMOTE + "' says how to reach its backend in 'remote', "
                    + "and only such a version does (format '" + format + "', remote " + (remote == null ? "absent" : "given") + ")");
        }
        if (remote != null) {
            if (modelFile != null || (files != null && !files.isEmpty()) || text != null) {
                throw new IllegalArgumentException("a remote version has no modelFile, files or text: the backend holds the model");
            }
        } else {
            ModelFile.checkPath(Objects.requireNonNull(modelFile, "modelFile"));
        }
        precision = precision == null ? Precision.FP32 : precision;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        files = files == null ? List.of() : List.copyOf(files);
        batching = batching == null ? Batching.DEFAULT : batching;
        engine = engine == null ? EngineHints.DEFAULT : engine;
        unique("input", inputs.stream().map(TensorSpec::name).toList());
        unique("output", outputs.stream().map(TensorSpec::name).toList());
        unique("file", files.stream().map(ModelFile::path).toList());
        if (version > 0) {
            Objects.requireNonNull(createdAt, "createdAt");
        }
        if (version > 0 && remote == null) {
            requireFile(files, modelFile, "modelFile");
            if (text != null) {
                requireFile(files, text.tokenizer(), "text.tokenizer");
            }
        }
        if (text != null && !outputs.isEmpty() && outputs.stream().noneMatch(o -> o.name().equals(text.output()))
                && text.output() != null) {
            throw new IllegalArgumentException("text.output '" + text.output() + "' is not among the outputs "
                    + outputs.stream().map(TensorSpec::name).toList());
        }
    }

    /** A manifest of a version the function loads from its files. */
    public ModelManifest(String name, int version, String format, String modelFile, Precision precision, List<TensorSpec> inputs,
            List<TensorSpec> outputs, List<ModelFile> files, Batching batching, EngineHints engine, TextEmbedding text,
            Instant createdAt, String description) {
        this(name, version, format, modelFile, precision, inputs, outputs, files, batching, engine, text, createdAt, description, null);
    }

    /** A draft of a version served by {@code backend}. */
    public static ModelManifest remoteDraft(String name, RemoteBackend backend, String description) {
        return new ModelManifest(name, 0, FORMAT_REMOTE, null, null, null, null, null, null, null, null, null, description, backend);
    }

    /** The published form of a draft: its version number, file list with checksums, and time. */
    public ModelManifest published(int newVersion, List<ModelFile> newFiles, Instant at) {
        ModelRef.checkVersion(newVersion);
        return new ModelManifest(name, newVersion, format, modelFile, precision, inputs, outputs, newFiles, batching, engine,
                text, at, description, remote);
    }

    /** This manifest under another model name (publishing a draft under the name given on the command line). */
    public ModelManifest named(String newName) {
        return new ModelManifest(newName, version, format, modelFile, precision, inputs, outputs, files, batching, engine,
                text, createdAt, description, remote);
    }

    public ModelManifest withBatching(Batching newBatching) {
        return new ModelManifest(name, version, format, modelFile, precision, inputs, outputs, files, newBatching, engine,
                text, createdAt, description, remote);
    }

    /** Whether a remote backend serves this version (no files to load). */
    @JsonIgnore
    public boolean isRemote() {
        return remote != null;
    }

    @JsonIgnore
    public boolean draft() {
        return version == 0;
    }

    @JsonIgnore
    public long sizeBytes() {
        return files.stream().mapToLong(ModelFile::size).sum();
    }

    public Optional<ModelFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    public Optional<TensorSpec> input(String inputName) {
        return inputs.stream().filter(i -> i.name().equals(inputName)).findFirst();
    }

    private static void requireFile(List<ModelFile> files, String path, String what) {
        if (files.stream().noneMatch(f -> f.path().equals(path))) {
            throw new IllegalArgumentException(what + " '" + path + "' is not among the version's files");
        }
    }

    private static void unique(String what, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException("duplicate " + what + " '" + n + "'");
            }
        }
    }
}
