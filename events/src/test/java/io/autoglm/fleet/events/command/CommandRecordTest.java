package io.autoglm.fleet.events.command;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRecordTest {

    @Test
    void aRecordSurvivesTheTablesJsonWithItsHistoryDispatchAndEventIds() {
        CommandRecord record = SamplePayloads.commandRecord();

        byte[] json = EventJson.write(record);
        CommandRecord read = EventJson.read(json, CommandRecord.class);

        assertThat(read).isEqualTo(record);
        assertThat(read.history()).extracting(CommandTransition::eventId).containsExactly("evt-dispatched", "evt-delivered", "evt-accepted",
                "evt-completed");
        assertThat(read.dispatch()).isEqualTo(SamplePayloads.commandDispatched());
        assertThat(new String(json, StandardCharsets.UTF_8)).as("derived answers are not stored").doesNotContain("orphan");
    }

    @Test
    void aRecordWithoutItsDispatchIsAnOrphanAndOlderRowsStillRead() {
        CommandRecord orphan = new CommandRecord("cmd-9", null, "acme", "d-1", null, CommandState.IN_PROGRESS, null, null, null, 0,
                List.of(new CommandTransition(CommandState.IN_PROGRESS, Instant.EPOCH, "command.accepted")), null, null, 0, Instant.EPOCH);
        assertThat(orphan.orphan()).isTrue();
        assertThat(orphan.sequence()).isZero();
        assertThat(SamplePayloads.commandRecord().orphan()).isFalse();

        String older = "{\"commandId\":\"cmd-9\",\"tenant\":\"acme\",\"deviceId\":\"d-1\",\"state\":\"QUEUED\",\"deliveries\":0,"
                + "\"history\":[{\"state\":\"QUEUED\",\"at\":\"2026-11-21T13:05:00Z\",\"detail\":\"command.dispatched\"}],\"late\":0}";
        CommandRecord read = EventJson.read(older.getBytes(StandardCharsets.UTF_8), CommandRecord.class);
        assertThat(read.history().get(0).eventId()).isNull();
        assertThat(read.batchSize()).isNull();
    }
}
