package io.autoglm.fleet.modelstore;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file of a published version, as listed in its {@code model.json}: the path inside the version
 * directory, its size, and its sha256, which every load checks.
 */
public record ModelFile(String path, long size, String sha256) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelFile {
        checkPath(path);
        if (size < 0) {
            throw new IllegalArgumentException("file " + path + ": size must be >= 0, got " + size);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("file " + path + ": sha256 must be 64 lowercase hex digits, got '" + sha256 + "'");
        }
    }

    /**
     * Checks a path inside a version directory: relative, '/'-separated, no '.' or '..' segments, and
     * not one of the names the store itself uses ({@code model.json}, {@code trt/}).
     */
    public static String checkPath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("\\")) {
            throw new IllegalArgumentException("file paths are relative and '/'-separated, got '" + path + "'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("file path '" + path + "' has an empty, '.' or '..' segment");
            }
        }
        if (path.equals(ModelManifest.FILE_NAME) || path.startsWith(ModelManifest.ENGINE_CACHE_DIR + "/") || path.startsWith(".")) {
            throw new IllegalArgumentException("file path '" + path + "' is reserved for the store (model.json, trt/, dot files)");
        }
        return path;
    }
}
