package io.autoglm.fleet.inference.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.events.EventJson;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A chat-completions reply as it comes in: streamed ({@code text/event-stream}, {@code data:} chunks of
 * {@code choices[0].delta.content}, the usage in the last chunk, {@code data: [DONE]}), or whole
 * ({@code application/json}) from a backend that does not stream. A stream that ends before its end,
 * or a body that is not the protocol, is a retryable {@link BackendException}.
 */
record ChatReply(String content, int promptTokens, int completionTokens) {

    private static final int EXCERPT = 120;

    /**
     * Reads a reply; {@code firstToken} hears (once) the nanosecond time of the first content, for the
     * first-token deadline; an error status is read as a {@link BackendException}.
     */
    static HttpResponse.BodyHandler<ChatReply> handler(LongConsumer firstToken) {
        return info -> {
            int status = info.statusCode();
            if (status != 200) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                        body -> {
                            throw refusal(status, body, info.headers().firstValue("Retry-After"));
                        });
            }
            String type = info.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("text/event-stream")) {
                Stream stream = new Stream(firstToken);
                return HttpResponse.BodySubscribers.fromLineSubscriber(stream, Stream::reply, StandardCharsets.UTF_8, null);
            }
            firstToken.accept(System.nanoTime());
            return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), ChatReply::whole);
        };
    }

    /** A non-streamed reply: {@code choices[0].message.content} and {@code usage}. */
    static ChatReply whole(byte[] body) {
        JsonNode reply = json(new String(body, StandardCharsets.UTF_8));
        JsonNode content = reply.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new BackendException(BackendException.Kind.RETRYABLE, "the backend's reply has no choices[0].message.content: "
                    + excerpt(new String(body, StandardCharsets.UTF_8)));
        }
        return new ChatReply(content.asText(), reply.path("usage").path("prompt_tokens").asInt(), reply.path("usage").path("completion_tokens").asInt());
    }

    static BackendException refusal(int status, String body, Optional<String> retryAfter) {
        String said = message(body);
        if (status == 401 || status == 403) {
            return new BackendException(BackendException.Kind.CREDENTIAL, "the backend refused the credential (HTTP " + status + "): " + said);
        }
        if (status == 429 || status >= 500) {
            return new BackendException(BackendException.Kind.RETRYABLE, "the backend answered HTTP " + status + ": " + said,
                    retryAfter.flatMap(ChatReply::seconds).orElse(null));
        }
        return new BackendException(BackendException.Kind.REFUSED, "the backend refused the request (HTTP " + status + "): " + said);
    }

    private static Optional<java.time.Duration> seconds(String retryAfter) {
        try {
            long seconds = Long.parseLong(retryAfter.trim());
            return seconds >= 0 ? Optional.of(java.time.Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: the backoff decides
        }
    }

    /** The {@code error.message} of an OpenAI-style error body, or the start of the body. */
    private static String message(String body) {
        try {
            JsonNode message = EventJson.mapper().readTree(body).path("error").path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (Exception e) {
            // not JSON: the body itself says what it says
        }
        return excerpt(body);
    }

    private static JsonNode json(String text) {
        try {
            return EventJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new BackendException(BackendException.Kind.RETRYABLE, "the backend's reply is not JSON: " + excerpt(text));
        }
    }

    private static String excerpt(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.isEmpty() ? "(empty)" : flat.length() > EXCERPT ? flat.substring(0, EXCERPT) + "..." : flat;
    }

    /** Server-sent events, one line at a time. */
    static final class Stream implements Flow.Subscriber<String> {
        private final LongConsumer firstToken;
        private final StringBuilder content = new StringBuilder();
        private Flow.Subscription subscription;
        private boolean started;
        private boolean ended;
        private int promptTokens;
        private int completionTokens;
        private BackendException failure;

        Stream(LongConsumer firstToken) {
            this.firstToken = firstToken;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (failure != null || !line.startsWith("data:")) {
                return; // comments, event names, the blank lines between events
            }
            String data = line.substring("data:".length()).strip();
            if (data.equals("[DONE]")) {
                ended = true;
                return;
            }
            JsonNode chunk;
            try {
                chunk = EventJson.mapper().readTree(data);
            } catch (Exception e) {
                failure = new BackendException(BackendException.Kind.RETRYABLE, "the backend's stream is not chat-completion chunks: " + excerpt(data));
                subscription.cancel();
                return;
            }
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta").path("content");
            if (delta.isTextual() && !delta.asText().isEmpty()) {
                if (!started) {
                    started = true;
                    firstToken.accept(System.nanoTime());
                }
                content.append(delta.asText());
            }
            if (choice.path("finish_reason").isTextual()) {
                ended = true;
            }
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                promptTokens = usage.path("prompt_tokens").asInt();
                completionTokens = usage.path("completion_tokens").asInt();
            }
        }

        @Override
        public void onError(Throwable error) {
            if (failure == null) {
                failure = new BackendException(BackendException.Kind.RETRYABLE, "the backend's stream broke off: " + error);
            }
        }

        @Override
        public void onComplete() {
        }

        ChatReply reply() {
            if (failure != null) {
                throw failure;
            }
            if (!ended) {
                throw new BackendException(BackendException.Kind.RETRYABLE, "the backend's stream ended before the reply did (no finish_reason, no [DONE]) after "
                        + content.length() + " characters");
            }
            return new ChatReply(content.toString(), promptTokens, completionTokens);
        }
    }
}
