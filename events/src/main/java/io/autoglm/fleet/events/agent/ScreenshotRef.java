package io.autoglm.fleet.events.agent;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A screenshot by reference (a claim check): where the PNG is ({@code http(s)} or {@code file} URI of
 * the blob store), its SHA-256 so whoever fetches it can tell it is the one meant, and its size in
 * pixels. Events never carry the image itself.
 */
public record ScreenshotRef(URI uri, String sha256, int width, int height) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ScreenshotRef {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IllegalArgumentException("a screenshot's uri must be http, https or file, got " + uri);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a screenshot's sha256 must be 64 lowercase hex digits, got " + sha256);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a screenshot's size must be positive, got " + width + "x" + height);
        }
    }
}
