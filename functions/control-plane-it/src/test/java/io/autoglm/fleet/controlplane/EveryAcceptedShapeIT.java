package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.triggers.dispatch.BinaryHttpForm;
import io.autoglm.fleet.triggers.dispatch.OutboundEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the sink accepts, every function can process: each event shape the sink takes (binary, structured, batch;
 * with and without {@code datacontenttype}), read as the sink reads it and delivered as the dispatcher delivers it,
 * reaches each function as a process and is answered 2xx, never with a status the dispatcher would retry into a
 * dead letter.
 */
@ExtendWith(RealPulsarExtension.class)
class EveryAcceptedShapeIT {

    private static final Map<String, EventType> TRIGGERED_BY = Map.of(
            "registry", EventType.DEVICE_REGISTRATION_REQUESTED,
            "heartbeat", EventType.DEVICE_HEARTBEAT,
            "router", EventType.COMMAND_REQUESTED);

    private final EventValidator validator = EventValidator.standard();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyShapeTheSinkAcceptsIsProcessedByEveryFunction(PulsarEndpoints endpoints) throws Exception {
        Topics topics = TestNamespaces.create(endpoints, "shapes");
        Map<String, String> settings = Map.of("autoglm.pulsar.service-url", endpoints.serviceUrl(),
                "autoglm.pulsar.namespace", topics.namespace());
        for (Map.Entry<String, EventType> function : TRIGGERED_BY.entrySet()) {
            try (FunctionProcess process = FunctionProcess.start(function.getKey(), settings, FleetScenario.REPORT.resolve("logs-shapes"))) {
                for (Map.Entry<String, List<CloudEvent>> shape : acceptedShapes(ValidEvents.of(function.getValue())).entrySet()) {
                    for (CloudEvent event : shape.getValue()) {
                        OutboundEvent delivery = BinaryHttpForm.of(event);
                        HttpRequest.Builder request = HttpRequest.newBuilder(process.url()).POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
                        delivery.headers().forEach(header -> request.header(header.getKey(), header.getValue()));
                        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(answer.statusCode()).as("%s, %s: %s", function.getKey(), shape.getKey(), answer.body()).isBetween(200, 299);
                    }
                }
            }
        }
    }

    /** The events the sink reads from each shape of request it accepts, built from {@code sample}. */
    private Map<String, List<CloudEvent>> acceptedShapes(CloudEvent sample) {
        CloudEvent typed = CloudEventBuilder.v1(sample).withData("application/json", sample.getData()).build();
        CloudEvent untyped = CloudEventBuilder.v1(sample).withData(null, sample.getData()).build();
        Map<String, List<CloudEvent>> shapes = new LinkedHashMap<>();
        for (CloudEvent event : List.of(typed, untyped)) {
            String with = event.getDataContentType() == null ? " without datacontenttype" : " with datacontenttype";
            shapes.put("binary" + with, read(HttpForms.binaryHeaders(event), HttpForms.binaryBody(event)));
            shapes.put("structured" + with, read(Map.of("Content-Type", HttpEvents.STRUCTURED), HttpForms.structuredBody(event)));
        }
        String batch = "[" + new String(HttpForms.structuredBody(typed), StandardCharsets.UTF_8) + ","
                + new String(HttpForms.structuredBody(CloudEventBuilder.v1(untyped).withId(untyped.getId() + "-2").build()),
                        StandardCharsets.UTF_8) + "]";
        shapes.put("batch, with and without datacontenttype", read(Map.of("Content-Type", HttpEvents.BATCH), batch.getBytes(StandardCharsets.UTF_8)));
        return shapes;
    }

    private List<CloudEvent> read(Map<String, String> headers, byte[] body) {
        List<CloudEvent> events = new ArrayList<>();
        for (Validation validation : HttpEvents.read(validator, headers.entrySet(), body)) {
            assertThat(validation.isValid()).as("the sink accepts it: %s", validation.summary()).isTrue();
            events.add(validation.event());
        }
        return events;
    }
}
