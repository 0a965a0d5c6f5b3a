package io.autoglm.fleet.modelstore;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A published version whose files are on local disk: what an inference engine loads. From
 * {@link ModelStore#open} its files were verified against the manifest; from {@link ModelStore#fetch}
 * not yet ({@link ModelStore#checkIntegrity}).
 */
public record ModelVersionDirectory(ModelManifest manifest, Path directory) {

    public ModelVersionDirectory {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(directory, "directory");
    }

    public Path file(String path) {
        return directory.resolve(ModelFile.checkPath(path));
    }

    public Path modelFile() {
        return file(manifest.modelFile());
    }

    @Override
    public String toString() {
        return manifest.name() + "@" + manifest.version() + " in " + directory;
    }
}
