package io.autoglm.fleet.inference.remote;

import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.inference.InferenceFailure;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches a screenshot from the blob store its reference names ({@code file:} or {@code http(s):}) and
 * checks it is the one named (its SHA-256) before it goes to a model. A screenshot that is missing or
 * not the one named is the request's fault; a blob store that cannot be reached is ours (retryable).
 */
final class Screenshots {

    /** Larger than any phone screenshot as PNG (a 1440x3200 screen is ~5 MB). */
    static final int MAX_BYTES = 20 << 20;

    private final HttpClient http;
    private final Duration timeout;

    Screenshots(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    byte[] fetch(ScreenshotRef ref) {
        byte[] png = read(ref);
        String actual = sha256(png);
        if (!actual.equals(ref.sha256())) {
            throw InferenceFailure.badRequest("data.agent.screenshot.sha256", "the screenshot at " + ref.uri() + " has sha256 " + actual
                    + ", not the " + ref.sha256() + " the step names: it is not the screenshot this step was taken with");
        }
        return png;
    }

    private byte[] read(ScreenshotRef ref) {
        try {
            if (ref.uri().getScheme().equalsIgnoreCase("file")) {
                Path file = Path.of(ref.uri());
                if (Files.size(file) > MAX_BYTES) {
                    throw tooLarge(ref);
                }
                return Files.readAllBytes(file);
            }
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(ref.uri()).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                // an S3 presigned URL answers 403 once it expired (and for a deleted object without list rights): gone, not our fault
                if (response.statusCode() == 403 || response.statusCode() == 404 || response.statusCode() == 410) {
                    throw missing(ref, "HTTP " + response.statusCode());
                }
                if (response.statusCode() != 200) {
                    throw InferenceFailure.internal("the blob store answered HTTP " + response.statusCode() + " for " + ref.uri(), null);
                }
                byte[] png = body.readNBytes(MAX_BYTES + 1);
                if (png.length > MAX_BYTES) {
                    throw tooLarge(ref);
                }
                return png;
            }
        } catch (NoSuchFileException e) {
            throw missing(ref, "no such file");
        } catch (IOException e) {
            throw InferenceFailure.internal("cannot fetch the screenshot " + ref.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw InferenceFailure.internal("interrupted fetching " + ref.uri(), e);
        }
    }

    private static InferenceFailure missing(ScreenshotRef ref, String why) {
        return InferenceFailure.badRequest("data.agent.screenshot.uri", "the screenshot " + ref.uri() + " is not in the blob store (" + why + ")");
    }

    private static InferenceFailure tooLarge(ScreenshotRef ref) {
        return InferenceFailure.badRequest("data.agent.screenshot.uri", "the screenshot " + ref.uri() + " is over " + (MAX_BYTES >> 20) + " MiB");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
