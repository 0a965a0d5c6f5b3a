package io.autoglm.fleet.functions.registry;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceDeregistrationRequested;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class RegistryFunctionTest {

    private static final URI SOURCE = URI.create("/devices/agents/test");
    private static final String TENANT = SamplePayloads.TENANT;

    @BeforeEach
    void emptyRegistry() {
        InMemoryRegistry.REGISTRY.clear();
    }

    @Test
    void aNewDeviceIsRegisteredUnderAStableIdAndStoredWithoutItsFingerprint() {
        Response response = postBinary(registration(SamplePayloads.declaration(), TENANT));

        response.then().statusCode(200)
                .header("ce-type", EventType.DEVICE_REGISTERED.type())
                .header("ce-dataschema", EventType.DEVICE_REGISTERED.dataSchema().toString())
                .header("ce-tenant", TENANT)
                .body("requestId", equalTo("reg-1"))
                .body("outcome", equalTo("CREATED"))
                .body("device.generation", equalTo(1))
                .body("device.tenant", equalTo(TENANT));
        String deviceId = response.header("ce-partitionkey");
        assertThat(deviceId).startsWith("d-acme-").isEqualTo(response.jsonPath().getString("device.deviceId"));
        assertThat(EventValidator.standard().validateData(EventType.DEVICE_REGISTERED, EventJson.tree(response.asByteArray()))).isEmpty();
        DeviceRecord stored = InMemoryRegistry.REGISTRY.tableOf(TENANT).get(deviceId).orElseThrow();
        assertThat(new String(EventJson.write(stored))).doesNotContain("R5CT1234ABC").doesNotContain("3c:22:fb");
    }

    @Test
    void registeringAgainIsIdempotentAndAChangeBumpsTheGeneration() {
        String first = postBinary(registration(SamplePayloads.declaration(), TENANT)).header("ce-partitionkey");

        postBinary(registration(SamplePayloads.declaration(), TENANT)).then().statusCode(200)
                .header("ce-partitionkey", first)
                .body("outcome", equalTo("UNCHANGED"))
                .body("device.generation", equalTo(1));
        postBinary(registration(moved(SamplePayloads.declaration(), "eu-central-1"), TENANT)).then().statusCode(200)
                .header("ce-partitionkey", first)
                .body("outcome", equalTo("UPDATED"))
                .body("device.generation", equalTo(2))
                .body("device.capabilities.location.region", equalTo("eu-central-1"));
        assertThat(InMemoryRegistry.REGISTRY.tableOf(TENANT).snapshot()).hasSize(1);
    }

    @Test
    void aStructuredRequestGetsAStructuredReply() {
        given().contentType("application/cloudevents+json")
                .body(HttpForms.structuredBody(registration(SamplePayloads.declaration(), TENANT)))
                .post("/")
                .then().statusCode(200)
                .contentType("application/cloudevents+json")
                .body("type", equalTo(EventType.DEVICE_REGISTERED.type()))
                .body("data.outcome", equalTo("CREATED"));
    }

    @Test
    void aDeclarationForAnotherTenantIsRejectedWithEveryReasonAndNothingIsStored() {
        DeviceDeclaration declaration = SamplePayloads.declaration();
        DeviceCapabilities phone = declaration.capabilities();
        DeviceDeclaration broken = new DeviceDeclaration("globex", new DeviceCapabilities(phone.platform(), phone.tier(), phone.hardware(),
                phone.network(), new Location("eu-west-1", "us-east-1a"), phone.labels(), phone.agentVersion(), phone.supportedActions(),
                phone.models()), Map.of("mac", "02:00:00:00:00:00"));

        postBinary(registration(broken, TENANT)).then().statusCode(200)
                .header("ce-type", EventType.DEVICE_REGISTRATION_REJECTED.type())
                .body("requestId", equalTo("reg-1"))
                .body("requestType", equalTo(EventType.DEVICE_REGISTRATION_REQUESTED.type()))
                .body("problems.location", hasItems("data.tenant", "data.capabilities.location.zone", "data.fingerprint.mac"));
        assertThat(InMemoryRegistry.REGISTRY.tableOf(TENANT).snapshot()).isEmpty();
        assertThat(InMemoryRegistry.REGISTRY.tableOf("globex").snapshot()).isEmpty();
    }

    @Test
    void malformedJsonIsA400ProblemNotA500() {
        CloudEvent event = CloudEventBuilder.v1(registration(SamplePayloads.declaration(), TENANT))
                .withData("application/json", BytesCloudEventData.wrap("{\"tenant\": ".getBytes()))
                .build();

        postBinary(event).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("data is not valid JSON"));
    }

    @Test
    void dataThatBreaksTheSchemaIsA400NamingTheField() {
        String json = new String(EventJson.write(SamplePayloads.declaration())).replace("\"memoryMb\":12288", "\"memoryMb\":-5");
        CloudEvent event = CloudEventBuilder.v1(registration(SamplePayloads.declaration(), TENANT))
                .withData("application/json", BytesCloudEventData.wrap(json.getBytes()))
                .build();

        postBinary(event).then().statusCode(400)
                .contentType("application/problem+json")
                .body("problems.location", hasItem("data.capabilities.hardware.memoryMb"));
    }

    @Test
    void deregistrationTombstonesTheDeviceAndASecondOneIsRejected() {
        String deviceId = postBinary(registration(SamplePayloads.declaration(), TENANT)).header("ce-partitionkey");
        CloudEvent deregistration = Events.newEvent(EventType.DEVICE_DEREGISTRATION_REQUESTED, SOURCE, TENANT, deviceId,
                new DeviceDeregistrationRequested(deviceId, TENANT, "retired")).withId("dereg-1").build();

        postBinary(deregistration).then().statusCode(200)
                .header("ce-type", EventType.DEVICE_DEREGISTERED.type())
                .body("deviceId", equalTo(deviceId))
                .body("reason", equalTo("retired"));
        assertThat(InMemoryRegistry.REGISTRY.tableOf(TENANT).get(deviceId)).isEmpty();
        postBinary(deregistration).then().statusCode(200)
                .header("ce-type", EventType.DEVICE_DEREGISTRATION_REJECTED.type())
                .body("subject", equalTo(deviceId))
                .body("problems[0].location", equalTo("data.deviceId"));
    }

    @Test
    void anotherTenantCannotDeregisterADevice() {
        String deviceId = postBinary(registration(SamplePayloads.declaration(), TENANT)).header("ce-partitionkey");
        CloudEvent foreign = Events.newEvent(EventType.DEVICE_DEREGISTRATION_REQUESTED, SOURCE, "globex", deviceId,
                new DeviceDeregistrationRequested(deviceId, TENANT, "hostile")).withId("dereg-2").build();

        postBinary(foreign).then().statusCode(200)
                .header("ce-type", EventType.DEVICE_DEREGISTRATION_REJECTED.type())
                .body("problems[0].location", equalTo("data.tenant"));
        assertThat(InMemoryRegistry.REGISTRY.tableOf(TENANT).get(deviceId)).isPresent();
    }

    @Test
    void metricsCountRegistrationsAndDeregistrationsByOutcomePerTenant() {
        // a tenant of its own: the other tests' requests do not move these lines
        DeviceDeclaration declaration = SamplePayloads.declaration();
        DeviceDeclaration initech = new DeviceDeclaration("initech", declaration.capabilities(), declaration.fingerprint());
        String deviceId = postBinary(registration(initech, "initech")).then().statusCode(200).extract().header("ce-partitionkey");
        postBinary(registration(initech, "initech")).then().statusCode(200).body("outcome", equalTo("UNCHANGED"));
        postBinary(registration(declaration, "initech")).then().statusCode(200)
                .header("ce-type", EventType.DEVICE_REGISTRATION_REJECTED.type());
        CloudEvent deregistration = Events.newEvent(EventType.DEVICE_DEREGISTRATION_REQUESTED, SOURCE, "initech", deviceId,
                new DeviceDeregistrationRequested(deviceId, "initech", "retired")).withId("dereg-metered").build();
        postBinary(deregistration).then().statusCode(200).header("ce-type", EventType.DEVICE_DEREGISTERED.type());
        postBinary(deregistration).then().statusCode(200).header("ce-type", EventType.DEVICE_DEREGISTRATION_REJECTED.type());

        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("autoglm_registry_registrations_total{outcome=\"created\",tenant=\"initech\"} 1.0")
                .contains("autoglm_registry_registrations_total{outcome=\"unchanged\",tenant=\"initech\"} 1.0")
                .contains("autoglm_registry_registrations_total{outcome=\"rejected\",tenant=\"initech\"} 1.0")
                .contains("autoglm_registry_deregistrations_total{outcome=\"deregistered\",tenant=\"initech\"} 1.0")
                .contains("autoglm_registry_deregistrations_total{outcome=\"rejected\",tenant=\"initech\"} 1.0");
    }

    private static CloudEvent registration(DeviceDeclaration declaration, String tenant) {
        return Events.newEvent(EventType.DEVICE_REGISTRATION_REQUESTED, SOURCE, tenant, "r5ct1234abc", declaration).withId("reg-1").build();
    }

    private static DeviceDeclaration moved(DeviceDeclaration declaration, String region) {
        DeviceCapabilities c = declaration.capabilities();
        return new DeviceDeclaration(declaration.tenant(), new DeviceCapabilities(c.platform(), c.tier(), c.hardware(), c.network(),
                new Location(region, null), c.labels(), c.agentVersion(), c.supportedActions(), c.models()), declaration.fingerprint());
    }

    private static Response postBinary(CloudEvent event) {
        return given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/");
    }
}
