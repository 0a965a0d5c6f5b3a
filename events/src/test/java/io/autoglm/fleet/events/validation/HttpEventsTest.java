package io.autoglm.fleet.events.validation;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.fixtures.InvalidEvent;
import io.autoglm.fleet.events.fixtures.InvalidEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HttpEventsTest {

    private final EventValidator validator = EventValidator.standard();

    static List<InvalidEvent> invalidEvents() {
        return InvalidEvents.all();
    }

    @Test
    void readsBinaryModeWithCaseInsensitiveHeaderNames() {
        Map<String, String> headers = new LinkedHashMap<>();
        InvalidEvents.validAttributes().forEach((name, value) ->
                headers.put(name.equals("datacontenttype") ? "Content-Type" : "Ce-" + name.toUpperCase(), value));

        List<Validation> events = HttpEvents.read(validator, headers.entrySet(), data());

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.problems()).isEmpty();
            assertThat(event.event().getExtension("tenant")).isEqualTo("acme");
        });
    }

    @Test
    void percentDecodesHeaderValues() {
        assertThat(HttpEvents.percentDecode("caf%C3%A9%20au%20lait")).isEqualTo("café au lait");
        assertThat(HttpEvents.percentDecode("100%")).isEqualTo("100%");
        assertThat(HttpEvents.percentDecode("%zz")).isEqualTo("%zz");
    }

    @Test
    void readsStructuredAndBatchModeByContentType() {
        byte[] event = InvalidEvents.validStructured().getBytes(StandardCharsets.UTF_8);
        byte[] batch = ("[" + InvalidEvents.validStructured() + "," + InvalidEvents.validStructured() + "]").getBytes(StandardCharsets.UTF_8);

        assertThat(HttpEvents.read(validator, Map.of("content-type", "application/cloudevents+json; charset=utf-8").entrySet(), event))
                .singleElement().extracting(Validation::isValid).isEqualTo(true);
        assertThat(HttpEvents.read(validator, Map.of("Content-Type", "application/cloudevents-batch+json").entrySet(), batch))
                .hasSize(2).allMatch(Validation::isValid);
    }

    @Test
    void explainsARequestThatIsNoCloudEventAndAnUnknownFormat() {
        assertThat(HttpEvents.read(validator, Map.of("Content-Type", "application/json").entrySet(), data()))
                .singleElement().extracting(Validation::summary).asString().contains("not a CloudEvent");
        assertThat(HttpEvents.read(validator, Map.of("Content-Type", "application/cloudevents+avro").entrySet(), data()))
                .singleElement().extracting(Validation::summary).asString().contains("not supported");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void rejectsEveryInvalidEventOfTheContractOverHttp(InvalidEvent invalid) {
        List<Validation> events = HttpEvents.read(validator, invalid.httpHeaders().entrySet(), invalid.body());

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.isValid()).isFalse();
            assertThat(event.problems()).extracting(Problem::location).contains(invalid.location());
        });
    }

    private static byte[] data() {
        return InvalidEvents.validData().getBytes(StandardCharsets.UTF_8);
    }
}
