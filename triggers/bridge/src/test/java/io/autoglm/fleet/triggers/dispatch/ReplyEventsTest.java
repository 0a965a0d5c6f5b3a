package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.triggers.knative.EventAttributes;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyEventsTest {

    private final EventValidator validator = EventValidator.standard();

    private static SubscriberResponse binary(int status, CloudEvent event) {
        return new SubscriberResponse(status, new ArrayList<>(HttpForms.binaryHeaders(event).entrySet()), HttpForms.binaryBody(event));
    }

    @Test
    void anAnswerWithoutAnEventIsNoReply() {
        assertThat(ReplyEvents.read(new SubscriberResponse(202, List.of(), new byte[0]), validator)).isEmpty();
        assertThat(ReplyEvents.read(new SubscriberResponse(200, List.of(Map.entry("Content-Type", "application/json")),
                "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)), validator)).isEmpty();
    }

    @Test
    void aBinaryOrStructuredReplyIsReadAndValidated() {
        CloudEvent registered = ValidEvents.of(EventType.DEVICE_REGISTERED);
        Optional<Validation> binary = ReplyEvents.read(binary(200, registered), validator);
        assertThat(binary).hasValueSatisfying(reply -> assertThat(reply.event().getId()).isEqualTo(registered.getId()));

        Optional<Validation> structured = ReplyEvents.read(new SubscriberResponse(200,
                List.of(Map.entry("content-type", "application/cloudevents+json; charset=utf-8")), HttpForms.structuredBody(registered)), validator);
        assertThat(structured).hasValueSatisfying(reply -> assertThat(reply.type()).isEqualTo(EventType.DEVICE_REGISTERED));
    }

    @Test
    void anInvalidReplyIsReportedWithItsProblems() {
        CloudEvent noTenant = CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_REGISTERED)).withoutExtension(Extensions.TENANT).build();
        Optional<Validation> reply = ReplyEvents.read(binary(200, noTenant), validator);
        assertThat(reply).hasValueSatisfying(validation -> {
            assertThat(validation.isValid()).isFalse();
            assertThat(validation.summary()).contains("tenant");
        });

        Optional<Validation> batch = ReplyEvents.read(new SubscriberResponse(200,
                List.of(Map.entry("Content-Type", "application/cloudevents-batch+json")), "[]".getBytes(StandardCharsets.UTF_8)), validator);
        assertThat(batch).hasValueSatisfying(validation -> assertThat(validation.summary()).contains("a reply is one event"));
    }

    @Test
    void aReplyInheritsDeviceAndTraceFromTheRequestUnlessItSetsThem() {
        EventAttributes request = Map.of(Extensions.PARTITION_KEY, "dev-1",
                Extensions.TRACEPARENT, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Extensions.TENANT, "acme")::get;
        CloudEvent bare = CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_REGISTERED)).withoutExtension(Extensions.PARTITION_KEY).build();

        CloudEvent inherited = ReplyEvents.inherit(bare, request);
        assertThat(inherited.getExtension(Extensions.PARTITION_KEY)).isEqualTo("dev-1");
        assertThat(inherited.getExtension(Extensions.TRACEPARENT)).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        CloudEvent own = ValidEvents.of(EventType.DEVICE_REGISTERED);
        assertThat(ReplyEvents.inherit(own, request).getExtension(Extensions.PARTITION_KEY)).isEqualTo(own.getExtension(Extensions.PARTITION_KEY));
        assertThat(ReplyEvents.tenantOf(request)).isEqualTo("acme");
    }
}
