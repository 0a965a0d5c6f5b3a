package io.autoglm.fleet.triggers.knative;

import io.autoglm.fleet.events.EventFamily;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TriggerTopicsTest {

    @Test
    void anExactTypeReadsItsFamilyOnly() {
        assertThat(TriggerTopics.familiesOf(new EventFilter.Exact("type", "io.autoglm.device.heartbeat")))
                .containsExactly(EventFamily.HEARTBEAT);
        assertThat(TriggerTopics.familiesOf(new EventFilter.Attributes(Map.of("type", "io.autoglm.device.liveness.deadline"))))
                .containsExactly(EventFamily.DEADLINE);
    }

    @Test
    void alternativesUniteAndConjunctionsIntersect() {
        EventFilter heartbeatOrDeadline = new EventFilter.Any(List.of(
                new EventFilter.Exact("type", "io.autoglm.device.heartbeat"),
                new EventFilter.Exact("type", "io.autoglm.device.liveness.deadline")));
        assertThat(TriggerTopics.familiesOf(heartbeatOrDeadline)).containsExactlyInAnyOrder(EventFamily.HEARTBEAT, EventFamily.DEADLINE);
        assertThat(TriggerTopics.familiesOf(new EventFilter.All(List.of(heartbeatOrDeadline, new EventFilter.Exact("tenant", "acme")))))
                .containsExactlyInAnyOrder(EventFamily.HEARTBEAT, EventFamily.DEADLINE);
        assertThat(TriggerTopics.familiesOf(new EventFilter.All(List.of(heartbeatOrDeadline,
                new EventFilter.Suffix("type", ".heartbeat"))))).containsExactly(EventFamily.HEARTBEAT);
    }

    @Test
    void prefixesAndSuffixesOnTypeReadTheFamiliesOfTheMatchingCatalogueTypes() {
        assertThat(TriggerTopics.familiesOf(new EventFilter.Prefix("type", "io.autoglm.command.")))
                .containsExactlyInAnyOrder(EventFamily.COMMAND, EventFamily.DEVICE_COMMAND, EventFamily.COMMAND_STATUS, EventFamily.COMMAND_DEADLINE);
        assertThat(TriggerTopics.familiesOf(new EventFilter.Suffix("type", ".requested")))
                .containsExactlyInAnyOrder(EventFamily.DEVICE, EventFamily.COMMAND, EventFamily.COMMAND_STATUS, EventFamily.INFERENCE,
                        EventFamily.TASK, EventFamily.TASK_STATUS);
        assertThat(TriggerTopics.familiesOf(new EventFilter.Prefix("type", "io.autoglm.task.")))
                .containsExactlyInAnyOrder(EventFamily.TASK, EventFamily.TASK_STATUS, EventFamily.TASK_TIMER);
    }

    @Test
    void filtersThatDoNotConstrainTheTypeReadEverything() {
        EnumSet<EventFamily> all = EnumSet.allOf(EventFamily.class);
        assertThat(TriggerTopics.familiesOf(new EventFilter.MatchAll())).isEqualTo(all);
        assertThat(TriggerTopics.familiesOf(new EventFilter.Exact("tenant", "acme"))).isEqualTo(all);
        assertThat(TriggerTopics.familiesOf(new EventFilter.Not(new EventFilter.Exact("type", "io.autoglm.device.heartbeat")))).isEqualTo(all);
        assertThat(TriggerTopics.familiesOf(new EventFilter.Attributes(Map.of("type", "")))).isEqualTo(all);
    }

    @Test
    void aTypeOutsideTheCatalogueReadsNothing() {
        assertThat(TriggerTopics.familiesOf(new EventFilter.Exact("type", "com.example.other"))).isEmpty();
    }

    @Test
    void theAnnotationNamesFamiliesByTheirTopicNames() {
        assertThat(TriggerTopics.parseFamilies("heartbeat, deadline,device-commands"))
                .containsExactlyInAnyOrder(EventFamily.HEARTBEAT, EventFamily.DEADLINE, EventFamily.DEVICE_COMMAND);
        assertThatThrownBy(() -> TriggerTopics.parseFamilies("heartbeats")).hasMessageContaining("unknown event family 'heartbeats'")
                .hasMessageContaining("heartbeat, liveness");
        assertThatThrownBy(() -> TriggerTopics.parseFamilies(" , ")).hasMessageContaining("names no event family");
    }
}
