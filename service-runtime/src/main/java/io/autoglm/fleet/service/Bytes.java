package io.autoglm.fleet.service;

/** Searches in the bytes of a body, where a string of it would be a copy. */
public final class Bytes {

    private Bytes() {
    }

    /** Where {@code part} first starts in {@code bytes}, or -1. */
    public static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
