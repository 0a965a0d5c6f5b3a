package io.autoglm.fleet.modelstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.autoglm.fleet.events.EventJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the store's JSON documents ({@code model.json}, {@code aliases.json}) with the
 * project's one JSON mapping, indented for people, with a trailing newline.
 */
public final class ManifestJson {

    private static final ObjectWriter WRITER = EventJson.mapper().writerWithDefaultPrettyPrinter();

    private ManifestJson() {
    }

    public static byte[] write(Object document) {
        try {
            byte[] json = WRITER.writeValueAsBytes(document);
            byte[] withNewline = new byte[json.length + 1];
            System.arraycopy(json, 0, withNewline, 0, json.length);
            withNewline[json.length] = '\n';
            return withNewline;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + document.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads a {@code model.json}; {@code where} names it in the error ("m@3/model.json"). */
    public static ModelManifest manifest(byte[] json, String where) {
        return read(json, ModelManifest.class, where);
    }

    public static <T> T read(byte[] json, Class<T> type, String where) {
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String message = cause instanceof JsonProcessingException
                    ? ((JsonProcessingException) cause).getOriginalMessage() : cause.getMessage();
            throw new InvalidModelException(where + " is not a valid " + type.getSimpleName() + ": " + message, e);
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
