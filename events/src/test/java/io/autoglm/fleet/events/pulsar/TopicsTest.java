package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventFamily;
import org.apache.pulsar.common.naming.TopicName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {

    private final Topics topics = Topics.defaults();

    @Test
    void aFamilyPatternMatchesThatFamilysTopicOfEveryTenantAndNothingElse() {
        Pattern heartbeats = topics.allTenants(EventFamily.HEARTBEAT);
        assertThat(heartbeats.matcher(topics.events("acme", EventFamily.HEARTBEAT)).matches()).isTrue();
        assertThat(heartbeats.matcher(topics.events("globex-2", EventFamily.HEARTBEAT)).matches()).isTrue();
        assertThat(heartbeats.matcher(topics.events("acme", EventFamily.DEVICE)).matches()).isFalse();
        assertThat(heartbeats.matcher("persistent://public/default/fleetXacmeXheartbeat").matches()).as("dots are literal").isFalse();
        assertThat(heartbeats.matcher(topics.registry("acme")).matches()).isFalse();
    }

    @Test
    void severalFamiliesGoInOnePatternThatPulsarCanReadTheNamespaceOf() {
        Pattern pattern = topics.allTenants(List.of(EventFamily.HEARTBEAT, EventFamily.DEADLINE, EventFamily.DEVICE_COMMAND));
        assertThat(pattern.matcher(topics.events("acme", EventFamily.DEADLINE)).matches()).isTrue();
        assertThat(pattern.matcher(topics.events("acme", EventFamily.DEVICE_COMMAND)).matches()).isTrue();
        assertThat(pattern.matcher(topics.events("acme", EventFamily.COMMAND)).matches()).isFalse();
        // Pulsar's pattern consumer parses the namespace out of the pattern's text
        assertThat(TopicName.get(pattern.pattern()).getNamespace()).isEqualTo("public/default");
    }

    @Test
    void aRegistryTopicNamesItsTenant() {
        assertThat(topics.tenantOfRegistry(topics.registry("globex-2"))).contains("globex-2");
        assertThat(topics.registriesOfAllTenants().matcher(topics.registry("acme")).matches()).isTrue();
        assertThat(topics.registriesOfAllTenants().matcher(topics.liveness("acme")).matches()).isFalse();
        assertThat(topics.tenantOfRegistry(topics.liveness("acme"))).isEmpty();
        assertThat(topics.tenantOfRegistry(new Topics("public/other").registry("acme"))).as("another namespace").isEmpty();
        assertThat(topics.tenantOfRegistry("persistent://public/default/fleet.registry")).isEmpty();
    }

    @Test
    void deadLettersHaveATopicPerTenant() {
        assertThat(topics.deadLetters("acme")).isEqualTo("persistent://public/default/fleet.acme.dead-letters");
        assertThat(topics.deadLettersOfAllTenants().matcher(topics.deadLetters("acme")).matches()).isTrue();
        assertThat(topics.deadLettersOfAllTenants().matcher(topics.events("acme", EventFamily.DEVICE)).matches()).isFalse();
        assertThat(topics.isDeadLetters(topics.deadLetters("acme"))).isTrue();
        assertThat(topics.isDeadLetters(topics.events("acme", EventFamily.DEVICE))).isFalse();
        assertThat(new Topics("other/ns").isDeadLetters(topics.deadLetters("acme"))).isFalse();
    }

    @Test
    void deviceReservationsHaveACompactedTopicPerTenant() {
        assertThat(topics.reservations("acme")).isEqualTo("persistent://public/default/fleet.acme.device-reservations");
        assertThat(topics.tenantOfRegistry(topics.reservations("acme"))).isEmpty();
    }

    @Test
    void taskStatesHaveACompactedTopicPerTenant() {
        assertThat(topics.taskState("acme")).isEqualTo("persistent://public/default/fleet.acme.task-state");
        assertThat(topics.taskStatesOfAllTenants().matcher(topics.taskState("globex-2")).matches()).isTrue();
        assertThat(topics.taskStatesOfAllTenants().matcher(topics.commandState("acme")).matches()).isFalse();
        assertThat(topics.taskStatesOfAllTenants().matcher(topics.events("acme", EventFamily.TASK)).matches()).isFalse();
        assertThat(topics.events("acme", EventFamily.TASK_TIMER)).isEqualTo("persistent://public/default/fleet.acme.task-timer");
    }
}
