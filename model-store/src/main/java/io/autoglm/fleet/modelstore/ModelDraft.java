package io.autoglm.fleet.modelstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What a publisher hands to the store: a draft manifest (no version, no checksums yet) and the local
 * files that make up the version, by their path inside it.
 */
public record ModelDraft(ModelManifest manifest, Map<String, Path> files) {

    public ModelDraft {
        Objects.requireNonNull(manifest, "manifest");
        Map<String, Path> copy = new LinkedHashMap<>();
        files.forEach((path, source) -> copy.put(ModelFile.checkPath(path), Objects.requireNonNull(source, path)));
        files = java.util.Collections.unmodifiableMap(copy);
        if (manifest.isRemote()) {
            if (!files.isEmpty()) {
                throw new InvalidModelException("a remote version has no files (the backend holds the model), got " + files.keySet());
            }
        } else if (!files.containsKey(manifest.modelFile())) {
            throw new InvalidModelException("the model file '" + manifest.modelFile() + "' is not among the files " + files.keySet());
        }
        if (manifest.text() != null && !files.containsKey(manifest.text().tokenizer())) {
            throw new InvalidModelException("the tokenizer '" + manifest.text().tokenizer() + "' is not among the files " + files.keySet());
        }
        for (Map.Entry<String, Path> file : files.entrySet()) {
            if (!Files.isRegularFile(file.getValue())) {
                throw new InvalidModelException("file " + file.getKey() + " (" + file.getValue() + ") does not exist or is not a regular file");
            }
        }
    }

    /**
     * A draft from a directory laid out like a version: a {@code model.json} (its version, files and
     * time are ignored) beside the model file and its assets. Dot files and {@code trt/} are skipped.
     */
    public static ModelDraft fromDirectory(Path dir) {
        Path manifestFile = dir.resolve(ModelManifest.FILE_NAME);
        byte[] json;
        try {
            json = Files.readAllBytes(manifestFile);
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + manifestFile + ": a directory to publish needs a model.json", e);
        }
        ModelManifest manifest = ManifestJson.manifest(json, manifestFile.toString());
        ModelManifest draft = new ModelManifest(manifest.name(), 0, manifest.format(), manifest.modelFile(), manifest.precision(),
                manifest.inputs(), manifest.outputs(), null, manifest.batching(), manifest.engine(), manifest.text(), null,
                manifest.description(), manifest.remote());
        return new ModelDraft(draft, draft.isRemote() ? Map.of() : fromDirectoryFiles(dir));
    }

    /** The files of a directory laid out like a version, by path; {@code model.json}, dot files and {@code trt/} left out. */
    static Map<String, Path> fromDirectoryFiles(Path dir) {
        Map<String, Path> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).sorted().forEach(file -> {
                String path = dir.relativize(file).toString().replace('\\', '/');
                if (!path.equals(ModelManifest.FILE_NAME) && !path.startsWith(".") && !path.contains("/.")
                        && !path.startsWith(ModelManifest.ENGINE_CACHE_DIR + "/")) {
                    files.put(path, file);
                }
            });
        } catch (IOException e) {
            throw new InvalidModelException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }
}
