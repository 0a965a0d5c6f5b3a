package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.state.Reply;
import io.autoglm.fleet.triggers.dispatch.BinaryHttpForm;
import io.autoglm.fleet.triggers.dispatch.OutboundEvent;
import io.autoglm.fleet.triggers.dispatch.ReplyEvents;
import io.autoglm.fleet.triggers.dispatch.SubscriberResponse;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-process subscriber answers the dispatcher as a function's HTTP edge would. */
class InProcessSubscriberTest {

    private static final URI TARGET = URI.create("in-process://heartbeat");
    private static final URI SOURCE = URI.create("/autoglm/functions/in-process");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static SubscriberResponse post(InProcessSubscriber.Function function, CloudEvent event) {
        return new InProcessSubscriber(SOURCE, function).post(TARGET, BinaryHttpForm.of(event), TIMEOUT).join();
    }

    @Test
    void theFunctionGetsTheEventAndItsReplyComesBackAsABinaryModeEvent() {
        CloudEvent heartbeat = ValidEvents.of(EventType.DEVICE_HEARTBEAT);
        AtomicReference<CloudEvent> received = new AtomicReference<>();
        SubscriberResponse response = post(event -> {
            received.set(event);
            return CompletableFuture.completedFuture(new Reply(EventType.DEVICE_STATUS_CHANGED, SamplePayloads.of(EventType.DEVICE_STATUS_CHANGED),
                    Events.tenant(event), Events.partitionKey(event)));
        }, heartbeat);

        assertThat(received.get().getId()).isEqualTo(heartbeat.getId());
        assertThat(Events.payload(received.get(), DeviceHeartbeat.class)).isEqualTo(Events.payload(heartbeat, DeviceHeartbeat.class));
        assertThat(response.status()).isEqualTo(200);
        Validation reply = ReplyEvents.read(response, EventValidator.standard()).orElseThrow();
        assertThat(reply.isValid()).as(reply.summary()).isTrue();
        assertThat(reply.event().getType()).isEqualTo(EventType.DEVICE_STATUS_CHANGED.type());
        assertThat(reply.event().getSource()).isEqualTo(SOURCE);
        assertThat(Events.tenant(reply.event())).isEqualTo(Events.tenant(heartbeat));
    }

    @Test
    void noReplyIsA204WithoutAnEvent() {
        SubscriberResponse response = post(event -> CompletableFuture.completedFuture(null), ValidEvents.of(EventType.DEVICE_HEARTBEAT));

        assertThat(response.status()).isEqualTo(204);
        assertThat(ReplyEvents.read(response, EventValidator.standard())).isEmpty();
    }

    @Test
    void anEventAgainstTheContractIsRefusedWith400BeforeTheFunctionSeesIt() {
        CloudEvent heartbeat = ValidEvents.of(EventType.DEVICE_HEARTBEAT);
        CloudEvent broken = CloudEventBuilder.v1(heartbeat).withData("application/json", "{\"deviceId\": 7}".getBytes(StandardCharsets.UTF_8)).build();
        AtomicReference<CloudEvent> received = new AtomicReference<>();

        SubscriberResponse response = post(event -> {
            received.set(event);
            return CompletableFuture.completedFuture(null);
        }, broken);

        assertThat(response.status()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("deviceId");
        assertThat(received.get()).isNull();
    }

    @Test
    void aFunctionRejectingTheEventIsA400AndAnyOtherFailureA500() {
        CloudEvent heartbeat = ValidEvents.of(EventType.DEVICE_HEARTBEAT);

        SubscriberResponse refused = post(event -> {
            throw new InvalidEventException(List.of(new Problem("data.sequence", "goes backwards")));
        }, heartbeat);
        SubscriberResponse failed = post(event -> CompletableFuture.failedFuture(new IllegalStateException("state table closed")), heartbeat);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("goes backwards");
        assertThat(failed.status()).isEqualTo(500);
        assertThat(new String(failed.body(), StandardCharsets.UTF_8)).contains("state table closed");
    }

    @Test
    void aFunctionNotAnsweringInTimeFailsTheAttempt() {
        OutboundEvent request = BinaryHttpForm.of(ValidEvents.of(EventType.DEVICE_HEARTBEAT));
        CompletableFuture<SubscriberResponse> answer = new InProcessSubscriber(SOURCE, event -> new CompletableFuture<>())
                .post(TARGET, request, Duration.ofMillis(50));

        assertThat(answer).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
    }
}
