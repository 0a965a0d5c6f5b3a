package io.autoglm.fleet.modelstore;

import io.autoglm.fleet.modelstore.onnx.OnnxSignature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Brings a model from outside into the store: from an {@code .onnx} file, a directory, or an archive
 * (a {@code .jar}/{@code .zip}, e.g. one resolved from Maven). It picks the files, reads the ONNX
 * graph's inputs and outputs for {@code model.json}, and publishes them as a new version.
 */
public final class ModelImport {

    private ModelImport() {
    }

    /**
     * What to import.
     *
     * @param source  an {@code .onnx} file, a directory, or a {@code .jar}/{@code .zip}
     * @param entries version path -> path inside the source (archive entry or relative file); empty
     *                takes the {@code .onnx} file alone (as {@code model.onnx}) or a directory's every file
     * @param modelFile the version path of the ONNX file; null for the only {@code .onnx} among the entries
     */
    public record Spec(String model, Path source, Map<String, String> entries, String modelFile, Precision precision,
                       Batching batching, EngineHints engine, TextEmbedding text, String description) {
        public Spec {
            ModelRef.checkName(model);
            Objects.requireNonNull(source, "source");
            entries = entries == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
    }

    /** Imports and publishes; {@code version} null takes the next number. */
    public static PublishedVersion run(ModelStore store, Spec spec, Integer version, ProgressListener progress) {
        Path work = null;
        try {
            work = Files.createTempDirectory("model-import-");
            return store.publish(draft(spec, work), version, progress);
        } catch (IOException e) {
            throw new ModelStoreException("cannot create a work directory for the import: " + e, e);
        } finally {
            if (work != null) {
                try {
                    AtomicFiles.deleteRecursively(work);
                } catch (IOException ignored) {
                    // a temporary directory; the OS cleans it eventually
                }
            }
        }
    }

    /** The draft for {@code spec}; archive entries are extracted into {@code work}. */
    public static ModelDraft draft(Spec spec, Path work) {
        Map<String, Path> files = collect(spec, work);
        String modelFile = spec.modelFile() != null ? spec.modelFile() : onlyOnnx(files);
        Path onnx = files.get(modelFile);
        if (onnx == null) {
            throw new InvalidModelException("model file '" + modelFile + "' is not among the imported files " + files.keySet());
        }
        OnnxSignature signature = OnnxSignature.read(onnx);
        ModelManifest manifest = new ModelManifest(spec.model(), 0, ModelManifest.FORMAT_ONNX, modelFile, spec.precision(),
                signature.inputs(), signature.outputs(), null, spec.batching(), spec.engine(), spec.text(), null, spec.description());
        return new ModelDraft(manifest, files);
    }

    private static Map<String, Path> collect(Spec spec, Path work) {
        Path source = spec.source();
        if (!Files.exists(source)) {
            throw new InvalidModelException("import source " + source + " does not exist");
        }
        Map<String, Path> files = new LinkedHashMap<>();
        String name = source.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (Files.isDirectory(source)) {
            if (spec.entries().isEmpty()) {
                return ModelDraft.fromDirectoryFiles(source);
            }
            spec.entries().forEach((path, relative) -> files.put(path, source.resolve(relative)));
        } else if (name.endsWith(".jar") || name.endsWith(".zip")) {
            if (spec.entries().isEmpty()) {
                throw new InvalidModelException("importing from an archive needs --entry <path>=<entry> for each file to take");
            }
            try (ZipFile zip = new ZipFile(source.toFile())) {
                spec.entries().forEach((path, entryName) -> files.put(path, extract(zip, entryName, work.resolve(path), source)));
            } catch (IOException e) {
                throw new InvalidModelException("cannot read the archive " + source + ": " + e.getMessage(), e);
            }
        } else if (spec.entries().isEmpty()) {
            files.put(name.endsWith(".onnx") ? "model.onnx" : source.getFileName().toString(), source);
        } else {
            throw new InvalidModelException("--entry applies to a directory or an archive, not to the single file " + source);
        }
        return files;
    }

    private static Path extract(ZipFile zip, String entryName, Path target, Path archive) {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null || entry.isDirectory()) {
            throw new InvalidModelException(archive + " has no file entry '" + entryName + "'");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + entryName + " from " + archive, e);
        }
    }

    private static String onlyOnnx(Map<String, Path> files) {
        var onnx = files.keySet().stream().filter(p -> p.endsWith(".onnx")).toList();
        if (onnx.size() != 1) {
            throw new InvalidModelException("name the model file (--model-file): the imported files have "
                    + (onnx.isEmpty() ? "no .onnx file" : "several .onnx files " + onnx));
        }
        return onnx.get(0);
    }
}
