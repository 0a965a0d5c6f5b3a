package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.inference.Tensor;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.cloudevents.CloudEvent;
import io.restassured.response.Response;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Builds and posts {@code inference.requested} events the way the trigger dispatcher does (binary mode). */
final class InferenceRequests {

    static final String TENANT = "acme";

    private InferenceRequests() {
    }

    static CloudEvent texts(String model, List<String> texts) {
        return event(new InferenceRequested(UUID.randomUUID().toString(), model, texts, null, null, null));
    }

    static CloudEvent tensors(String model, Map<String, Tensor> tensors) {
        return event(new InferenceRequested(UUID.randomUUID().toString(), model, null, tensors, null, null));
    }

    static CloudEvent event(InferenceRequested request) {
        return Events.newEvent(EventType.INFERENCE_REQUESTED, URI.create("/router"), TENANT, "device-1", request)
                .withExtension(Extensions.PLACEMENT, "cloud")
                .build();
    }

    static Response post(CloudEvent event) {
        return given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/");
    }
}
