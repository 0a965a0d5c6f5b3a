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

    @Test
    void aDeadLetterKeepsTheEventAndAddsWhyWhereAndHowOften() {
        CloudEvent original = ValidEvents.of(EventType.DEVICE_HEARTBEAT);

        CloudEvent letter = DeadLetters.of(original, URI.create("http://heartbeat.fleet.svc.cluster.local"),
                OptionalInt.of(503), "HTTP 503: busy (attempt 4 of 4)", 4);

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
        assertThat(EventValidator.standard().validate(letter).isValid()).as("a dead letter is a valid contract event").isTrue();
    }

    @Test
    void withoutAnAnswerThereIsNoErrorCodeAndLongReasonsAreCut() {
        CloudEvent letter = DeadLetters.of(ValidEvents.of(EventType.DEVICE_HEARTBEAT), URI.create("http://x"), OptionalInt.empty(),
                "r".repeat(5000), 1);
        assertThat(letter.getExtension(Extensions.ERROR_CODE)).isNull();
        assertThat((String) letter.getExtension(Extensions.ERROR_DATA)).hasSize(DeadLetters.MAX_REASON);
    }
}
