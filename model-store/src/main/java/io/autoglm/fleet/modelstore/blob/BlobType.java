package io.autoglm.fleet.modelstore.blob;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of blob a store takes: screenshots, as a device encodes them. The type decides the key's
 * extension and the content type the blob is served with, and its signature is checked on the way in,
 * so a store never hands out a URI to something that is not the image it claims to be.
 */
public enum BlobType {
    PNG("image/png", "png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}),
    JPEG("image/jpeg", "jpg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});

    private final String contentType;
    private final String extension;
    private final byte[] signature;

    BlobType(String contentType, String extension, byte[] signature) {
        this.contentType = contentType;
        this.extension = extension;
        this.signature = signature;
    }

    public String contentType() {
        return contentType;
    }

    /** The key's file extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** Whether {@code bytes} start as a file of this type does. */
    public boolean matches(byte[] bytes) {
        return bytes.length >= signature.length && Arrays.equals(bytes, 0, signature.length, signature, 0, signature.length);
    }

    /** The type of a content type ({@code image/png}; parameters and case ignored). */
    public static BlobType ofContentType(String contentType) {
        String bare = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (BlobType type : values()) {
            if (type.contentType.equals(bare)) {
                return type;
            }
        }
        throw new InvalidBlobException("a blob's content type must be one of " + known(BlobType::contentType) + ", got '" + contentType + "'");
    }

    /** The type a key's extension names ({@code png}). */
    public static BlobType ofExtension(String extension) {
        for (BlobType type : values()) {
            if (type.extension.equals(extension)) {
                return type;
            }
        }
        throw new InvalidBlobException("a blob's extension must be one of " + known(BlobType::extension) + ", got '" + extension + "'");
    }

    private static String known(java.util.function.Function<BlobType, String> name) {
        return Arrays.stream(values()).map(name).collect(Collectors.joining(", "));
    }
}
