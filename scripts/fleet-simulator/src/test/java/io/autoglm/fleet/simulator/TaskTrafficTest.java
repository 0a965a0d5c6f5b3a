package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.task.TaskAnswer;
import io.autoglm.fleet.events.task.TaskPaused;
import io.autoglm.fleet.events.task.TaskRequested;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskTrafficTest {

    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void eachTenantSubmitsItsRateOfValidTasksFromTheStartOn() {
        TaskTraffic traffic = new TaskTraffic(List.of("acme", "globex"), 6, "autoglm-sim", "run1", 1, START, 0.1);

        assertThat(traffic.due(START.minusSeconds(1))).isEmpty();
        List<Outgoing> first = traffic.due(START);
        assertThat(first).extracting(Outgoing::tenant).containsExactly("acme", "globex");
        assertThat(traffic.due(START.plusSeconds(9))).isEmpty();
        assertThat(traffic.due(START.plusSeconds(60))).hasSize(12); // 6 a minute each
        for (Outgoing outgoing : first) {
            CloudEvent event = outgoing.events().get(0);
            assertThat(EventValidator.standard().validate(event).isValid()).isTrue();
            TaskRequested task = Events.payload(event, TaskRequested.class);
            assertThat(task.taskId()).startsWith("task-" + outgoing.tenant() + "-run1-");
            assertThat(task.model()).isEqualTo("autoglm-sim");
            assertThat(task.requirements().platforms()).containsExactly(Platform.ANDROID, Platform.HARMONYOS);
            assertThat(Events.partitionKey(event)).isEqualTo(task.taskId());
        }
    }

    @Test
    void noRateNoTasks() {
        assertThat(new TaskTraffic(List.of("acme"), 0, null, "r", 1, START, 0.1).due(START.plusSeconds(600))).isEmpty();
    }

    @Test
    void theOperatorConfirmsOrRefusesAndSaysWhenATakeOverIsDone() {
        TaskTraffic traffic = new TaskTraffic(List.of("acme"), 1, null, "r", 1, START, 0.5);
        TaskPaused paused = new TaskPaused("task-1", "task:task-1:3", 3, "d-1", null, "Pay 59.00", null, START.plusSeconds(300));

        CloudEvent takeOver = traffic.answer("acme", EventType.TASK_TAKEOVER_REQUESTED, paused);
        assertThat(takeOver.getType()).isEqualTo(EventType.TASK_TAKEOVER_DONE.type());
        assertThat(Events.payload(takeOver, TaskAnswer.class).stepId()).isEqualTo("task:task-1:3");
        assertThat(EventValidator.standard().validate(takeOver).isValid()).isTrue();

        long refused = 0;
        for (int i = 0; i < 200; i++) {
            CloudEvent answer = traffic.answer("acme", EventType.TASK_CONFIRMATION_REQUESTED, paused);
            assertThat(answer.getType()).isIn(EventType.TASK_CONFIRMATION_GIVEN.type(), EventType.TASK_CONFIRMATION_REFUSED.type());
            refused += answer.getType().equals(EventType.TASK_CONFIRMATION_REFUSED.type()) ? 1 : 0;
        }
        assertThat(refused).isBetween(60L, 140L);
    }
}
