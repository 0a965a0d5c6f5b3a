package io.autoglm.fleet.triggers.ingress;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubmissionTest {

    private final EventValidator validator = EventValidator.standard();

    private byte[] batch(CloudEvent... events) {
        StringBuilder json = new StringBuilder("[");
        for (CloudEvent event : events) {
            json.append(json.length() > 1 ? "," : "").append(new String(HttpForms.structuredBody(event), StandardCharsets.UTF_8));
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValidBatchIsAcceptedWhole() {
        CloudEvent heartbeat = ValidEvents.of(EventType.DEVICE_HEARTBEAT);
        CloudEvent registration = ValidEvents.of(EventType.DEVICE_REGISTRATION_REQUESTED);

        Submission submission = Submission.of(validator.validateBatch(batch(heartbeat, registration)), true);

        assertThat(submission.valid()).isTrue();
        assertThat(submission.events()).extracting(CloudEvent::getId).containsExactly(heartbeat.getId(), registration.getId());
    }

    @Test
    void oneInvalidEventRefusesTheWholeBatchAndEveryProblemNamesItsElement() {
        CloudEvent good = ValidEvents.of(EventType.DEVICE_HEARTBEAT);
        CloudEvent badTenant = CloudEventBuilder.v1(good).withId("b1").withExtension("tenant", "Acme Corp").build();
        CloudEvent badTrace = CloudEventBuilder.v1(good).withId("b2").withExtension("traceparent", "nope").build();

        Submission submission = Submission.of(validator.validateBatch(batch(good, badTenant, badTrace)), true);

        assertThat(submission.valid()).isFalse();
        assertThat(submission.events()).as("nothing is written").isEmpty();
        assertThat(submission.problems()).extracting(Problem::location).containsExactly("[1].tenant", "[2].traceparent");
        assertThat(submission.problems().get(0).message()).startsWith("event [1]: tenant must be");
    }

    @Test
    void aSingleEventKeepsItsProblemsAsTheValidatorSaidThem() {
        List<Validation> single = List.of(validator.validateStructured("{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8)));
        Submission submission = Submission.of(single, false);
        assertThat(submission.problems()).isNotEmpty().noneMatch(problem -> problem.location().startsWith("["));
    }

    @Test
    void anEmptyBatchIsRefused() {
        Submission submission = Submission.of(validator.validateBatch("[]".getBytes(StandardCharsets.UTF_8)), true);
        assertThat(submission.valid()).isFalse();
        assertThat(submission.problems()).singleElement().extracting(Problem::message).asString().contains("holds no event");
    }
}
