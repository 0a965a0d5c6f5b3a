package io.autoglm.fleet.simulator;

import io.autoglm.fleet.triggers.dispatch.BinaryHttpForm;
import io.autoglm.fleet.triggers.dispatch.OutboundEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the simulated fleet's events to the ingress sink as a device, an operator console or an app
 * would: with the tenant's bearer token, in binary, structured or batch mode. Counts what the sink
 * answered, in events (every event sent ends accepted, refused, unavailable or unanswered, or is still in
 * flight); at most {@link #MAX_IN_FLIGHT} requests wait for an answer, beyond that events are skipped
 * (counted as such; a slow sink shows as SUSPECT devices, as it would in the field).
 */
final class SinkClient {

    static final int MAX_IN_FLIGHT = 256;

    private final URI sink;
    private final TenantTokens tokens;
    private final FleetStatus status;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    private final AtomicInteger inFlight = new AtomicInteger();

    SinkClient(URI sink, TenantTokens tokens, FleetStatus status) {
        this.sink = Objects.requireNonNull(sink);
        this.tokens = Objects.requireNonNull(tokens);
        this.status = Objects.requireNonNull(status);
    }

    /** Sends one request; completes with the HTTP status, 0 when skipped (too many in flight), -1 when no answer came. */
    CompletableFuture<Integer> send(Outgoing outgoing) {
        int events = outgoing.events().size();
        if (inFlight.get() >= MAX_IN_FLIGHT) {
            status.skipped(events);
            return CompletableFuture.completedFuture(0);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + tokens.token(outgoing.tenant()));
        switch (outgoing.mode()) {
            case BINARY -> {
                OutboundEvent form = BinaryHttpForm.of(outgoing.events().get(0));
                form.headers().forEach((Map.Entry<String, String> header) -> request.header(header.getKey(), header.getValue()));
                request.POST(HttpRequest.BodyPublishers.ofByteArray(form.body()));
            }
            case STRUCTURED -> request.header("Content-Type", JsonFormat.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.serialize(outgoing.events().get(0))));
            default -> request.header("Content-Type", "application/cloudevents-batch+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch(outgoing)));
        }
        status.sent(events);
        inFlight.incrementAndGet();
        CompletableFuture<HttpResponse<String>> answer;
        try {
            answer = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((response, failure) -> {
            // counted before the request leaves the in-flight ones, so a summary after awaitAnswers sees every outcome
            int code;
            if (failure != null) {
                status.unanswered(events);
                code = -1;
            } else {
                code = response.statusCode();
                if (code == 202) {
                    status.accepted(events);
                } else if (code == 503) {
                    status.unavailable(events);
                } else {
                    status.refused(events, code + " " + response.body());
                }
            }
            synchronized (inFlight) {
                inFlight.decrementAndGet();
                inFlight.notifyAll();
            }
            return code;
        });
    }

    /** Waits until every request sent has its outcome, or {@code timeout} passed; true when none is left in flight. */
    boolean awaitAnswers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inFlight) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(inFlight, left);
            }
        }
        return true;
    }

    private byte[] batch(Outgoing outgoing) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        for (int i = 0; i < outgoing.events().size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(json.serialize(outgoing.events().get(i)));
        }
        body.write(']');
        return body.toByteArray();
    }

    /** Requests waiting for the sink's answer. */
    int inFlight() {
        return inFlight.get();
    }
}
