package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersTest {

    private static final String TOPIC = "persistent://public/default/fleet.acme.heartbeats";

    @Test
    void aDeadLetterKeepsTheEventAndAddsWhyWhereAndHowOften() {
        CloudEvent original = ValidEvents.of(EventType.DEVICE_HEARTBEAT);

        CloudEvent letter = DeadLetters.of(original, URI.create("http://heartbeat.fleet.svc.cluster.local"),
                OptionalInt.of(503), "HTTP 503: busy (attempt 4 of 4)", 4, "fleet/heartbeat", TOPIC);

        assertThat(letter.getId()).isEqualTo(original.getId());
        assertThat(letter.getType()).isEqualTo(original.getType());
        assertThat(letter.getData().toBytes()).isEqualTo(original.getData().toBytes());
        for (String name : original.getExtensionNames()) {
            assertThat(letter.getExtension(name)).as(name).isEqualTo(original.getExtension(name));
        }
        assertThat(letter.getExtension(Extensions.ERROR_DEST)).isEqualTo("http://heartbeat.fleet.svc.cluster.local");
        assertThat(letter.getExtension(Extensions.ERROR_CODE)).isEqualTo(503);
        assertThat(letter.getExtension(Extensions.ERROR_DATA)).isEqualTo("HTTP 503: busy (attempt 4 of 4)");
        assertThat(letter.getExtension(Extensions.DELIVERY_ATTEMPTS)).isEqualTo(4);
        assertThat(DeadLetters.triggerOf(letter)).isEqualTo("fleet/heartbeat");
        assertThat(DeadLetters.topicOf(letter)).isEqualTo(TOPIC);
        assertThat(EventValidator.standard().validate(letter).isValid()).as("a dead letter is a valid contract event").isTrue();
    }

    @Test
    void withoutAnAnswerThereIsNoErrorCodeAndLongReasonsAreCut() {
        CloudEvent letter = DeadLetters.of(ValidEvents.of(EventType.DEVICE_HEARTBEAT), URI.create("http://x"), OptionalInt.empty(),
                "r".repeat(5000), 1, "fleet/heartbeat", TOPIC);
        assertThat(letter.getExtension(Extensions.ERROR_CODE)).isNull();
        assertThat((String) letter.getExtension(Extensions.ERROR_DATA)).hasSize(DeadLetters.MAX_REASON);
    }

    @Test
    void aReplayIsTheEventAsItWasForTheTriggerThatCouldNotDeliverIt() {
        CloudEvent original = ValidEvents.of(EventType.DEVICE_HEARTBEAT);
        CloudEvent letter = DeadLetters.of(original, URI.create("http://x"), OptionalInt.of(500), "HTTP 500", 4, "fleet/heartbeat", TOPIC);

        CloudEvent replay = DeadLetters.replayOf(letter);

        assertThat(replay.getExtensionNames()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(original.getExtensionNames().stream(), java.util.stream.Stream.of(Extensions.REPLAY_FOR)).toList());
        assertThat(replay.getExtension(Extensions.REPLAY_FOR)).isEqualTo("fleet/heartbeat");
        assertThat(replay.getId()).isEqualTo(original.getId());
        assertThat(replay.getData().toBytes()).isEqualTo(original.getData().toBytes());
        assertThat(EventValidator.standard().validate(replay).isValid()).isTrue();

        CloudEvent again = DeadLetters.of(replay, URI.create("http://x"), OptionalInt.of(500), "HTTP 500", 4, "fleet/heartbeat", TOPIC);
        assertThat(again.getExtension(Extensions.REPLAY_FOR)).as("a dead letter is for no Trigger in particular").isNull();
    }

    @Test
    void aFunctionsOwnDeadLetterIsReplayedForEveryTriggerOfItsTopic() {
        CloudEvent letter = io.cloudevents.core.builder.CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT))
                .withExtension(Extensions.ERROR_DATA, "HTTP 500").withExtension(Extensions.DELIVERY_ATTEMPTS, 1).build();
        assertThat(DeadLetters.triggerOf(letter)).isNull();
        assertThat(DeadLetters.replayOf(letter).getExtension(Extensions.REPLAY_FOR)).isNull();
        assertThat(DeadLetters.replayOf(letter).getExtension(Extensions.DELIVERY_ATTEMPTS)).isNull();
    }
}
