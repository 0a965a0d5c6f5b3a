package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.state.Reply;
import io.autoglm.fleet.triggers.dispatch.BinaryHttpForm;
import io.autoglm.fleet.triggers.dispatch.OutboundEvent;
import io.autoglm.fleet.triggers.dispatch.SubscriberClient;
import io.autoglm.fleet.triggers.dispatch.SubscriberResponse;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A function's service behind the dispatcher's {@link SubscriberClient}, so that the real delivery engine (Trigger
 * filters, per-device order, retries with backoff, replies, dead letters) feeds functions running in this JVM. What
 * the function's HTTP edge does is done here without the socket: the binary-mode request is read and checked against
 * the contract (400 when invalid), the service's reply goes back as a binary-mode 200 (204 when there is none), an
 * {@link InvalidEventException} is a 400 and any other failure a 500; no answer within the attempt's timeout fails the
 * attempt as a request timing out would.
 */
final class InProcessSubscriber implements SubscriberClient {

    /** A function's service: the reply to an event, or null for none. */
    @FunctionalInterface
    interface Function {
        CompletableFuture<Reply> handle(CloudEvent event);
    }

    private static final EventValidator VALIDATOR = EventValidator.standard();
    private static final SubscriberResponse NO_REPLY = new SubscriberResponse(204, List.of(), new byte[0]);

    private final URI source;
    private final Function function;

    /** @param source the {@code source} of the function's reply events */
    InProcessSubscriber(URI source, Function function) {
        this.source = Objects.requireNonNull(source, "source");
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    public CompletableFuture<SubscriberResponse> post(URI target, OutboundEvent request, Duration timeout) {
        List<Validation> events = HttpEvents.read(VALIDATOR, request.headers(), request.body());
        if (events.size() != 1 || !events.get(0).isValid()) {
            return CompletableFuture.completedFuture(problem(400, events.size() == 1 ? events.get(0).summary() : "a batch of " + events.size()));
        }
        CompletableFuture<Reply> reply;
        try {
            reply = function.handle(events.get(0).event());
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((answer, failure) -> {
            if (failure == null) {
                return answer == null ? NO_REPLY : replied(answer);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            return cause instanceof InvalidEventException ? problem(400, cause.getMessage()) : problem(500, String.valueOf(cause));
        }).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SubscriberResponse replied(Reply reply) {
        OutboundEvent form = BinaryHttpForm.of(Events.newEvent(reply.type(), source, reply.tenant(), reply.partitionKey(), reply.payload()).build());
        return new SubscriberResponse(200, form.headers(), form.body());
    }

    private static SubscriberResponse problem(int status, String detail) {
        return new SubscriberResponse(status, List.of(Map.entry(BinaryHttpForm.CONTENT_TYPE, "text/plain")), detail.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
    }
}
