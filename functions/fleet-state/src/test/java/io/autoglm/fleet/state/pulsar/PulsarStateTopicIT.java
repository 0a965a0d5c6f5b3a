package io.autoglm.fleet.state.pulsar;

import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.state.FleetState;
import io.autoglm.fleet.state.StateTable;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TableView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealPulsarExtension.class)
class PulsarStateTopicIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Topics topics = new Topics(Topics.DEFAULT_NAMESPACE);
    private final String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aTenantIsListedOnceItHasARegistryAndATopicWrittenHereWritesAsTheOthers(PulsarClient client) {
        assertThat(RegisteredTenants.list(client, topics).join()).doesNotContain(tenant);
        try (FleetState reader = FleetState.onPulsar(client, topics)) {
            PulsarStateTopic<DeviceRecord> written = PulsarStateTopic.registry(client, topics).writtenHere();
            try (written) {
                written.table(tenant).join().put("d-1", record("d-1", 1)).join();
            }

            assertThat(RegisteredTenants.list(client, topics).join()).contains(tenant);
            assertThat(reader.registry().table(tenant).join().getLatest("d-1").join()).contains(record("d-1", 1));
        }
    }

    @Test
    void aWriteIsReadableAtOnceHereAndByAnotherProcessThatCatchesUp(PulsarClient client) {
        try (FleetState writer = FleetState.onPulsar(client, topics); FleetState reader = FleetState.onPulsar(client, topics)) {
            StateTable<DeviceRecord> mine = writer.registry().table(tenant).join();
            StateTable<DeviceRecord> theirs = reader.registry().table(tenant).join();
            DeviceRecord record = record("d-1", 1);

            mine.put("d-1", record).join();

            assertThat(mine.get("d-1")).contains(record);
            assertThat(theirs.getLatest("d-1").join()).contains(record);
            try (FleetState later = FleetState.onPulsar(client, topics)) {
                assertThat(later.registry().table(tenant).join().get("d-1")).as("a table opened later reads it from the log").contains(record);
            }
        }
    }

    /**
     * Pulsar's TableView could finish a refresh while the last value was still being decoded (apache/pulsar#26566):
     * a heartbeat right after its device's registration then found no device. Each write here is such a race.
     */
    @Test
    void everyWriteIsInAnotherProcesssTableOnceItHasCaughtUp(PulsarClient client) {
        try (FleetState writer = FleetState.onPulsar(client, topics); FleetState reader = FleetState.onPulsar(client, topics)) {
            StateTable<DeviceRecord> mine = writer.registry().table(tenant).join();
            StateTable<DeviceRecord> theirs = reader.registry().table(tenant).join();
            List<String> missed = new ArrayList<>();
            for (int device = 0; device < 300; device++) {
                String id = "d-" + device;
                DeviceRecord record = record(id, 1);
                mine.put(id, record).join();
                if (!theirs.getLatest(id).join().equals(Optional.of(record))) {
                    missed.add(id);
                }
            }
            assertThat(missed).as("writes the other table did not hold once it had caught up").isEmpty();
            assertThat(theirs.size()).isEqualTo(300);
        }
    }

    @Test
    void aTableOpensOnALongLogAndHoldsItsLatestValues(PulsarClient client) {
        int devices = 5_000;
        try (FleetState writer = FleetState.onPulsar(client, topics)) {
            StateTable<DeviceRecord> mine = writer.registry().table(tenant).join();
            CompletableFuture.allOf(IntStream.range(0, devices)
                    .mapToObj(device -> mine.put("d-" + device, record("d-" + device, 1 + device % 3)))
                    .toArray(CompletableFuture[]::new)).join();
        }
        try (FleetState later = FleetState.onPulsar(client, topics)) {
            StateTable<DeviceRecord> table = later.registry().table(tenant).join();
            assertThat(table.size()).isEqualTo(devices);
            assertThat(table.get("d-4999").map(DeviceRecord::generation)).contains(1L + 4999 % 3);
        }
    }

    @Test
    void aTableOpenedAfterItsTopicWasUnloadedReadsTheTopic(PulsarClient client, PulsarEndpoints endpoints) throws Exception {
        try (FleetState writer = FleetState.onPulsar(client, topics)) {
            DeviceRecord record = record("d-1", 1);
            writer.registry().table(tenant).join().put("d-1", record).join();

            HttpResponse<String> unloaded = HTTP.send(HttpRequest.newBuilder(adminUri(endpoints, topics.registry(tenant), "unload"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unloaded.statusCode()).as(unloaded.body()).isBetween(200, 299);

            try (FleetState later = FleetState.onPulsar(client, topics)) {
                assertThat(later.registry().table(tenant).join().get("d-1")).contains(record);
            }
        }
    }

    @Test
    void aTombstoneRemovesTheDeviceEverywhereAndListenersHearOfIt(PulsarClient client) {
        try (FleetState writer = FleetState.onPulsar(client, topics); FleetState reader = FleetState.onPulsar(client, topics)) {
            StateTable<DeviceRecord> mine = writer.registry().table(tenant).join();
            mine.put("d-1", record("d-1", 1)).join();
            mine.put("d-2", record("d-2", 1)).join();
            StateTable<DeviceRecord> theirs = reader.registry().table(tenant).join();
            Map<String, String> heard = new ConcurrentHashMap<>();
            theirs.forEachAndListen((id, value) -> heard.put(id, value == null ? "removed" : "generation " + value.generation()));

            mine.remove("d-1").join();

            assertThat(mine.get("d-1")).isEmpty();
            assertThat(theirs.getLatest("d-1").join()).isEmpty();
            assertThat(heard).containsEntry("d-1", "removed").containsEntry("d-2", "generation 1");
            assertThat(theirs.size()).isEqualTo(1);
        }
    }

    @Test
    void afterCompactionTheTopicHoldsOnlyTheLatestValueOfEachLiveDevice(PulsarClient client, PulsarEndpoints endpoints) throws Exception {
        try (FleetState writer = FleetState.onPulsar(client, topics)) {
            StateTable<DeviceRecord> table = writer.registry().table(tenant).join();
            for (int generation = 1; generation <= 3; generation++) {
                table.put("d-1", record("d-1", generation)).join();
            }
            table.put("d-2", record("d-2", 1)).join();
            table.remove("d-2").join();
        }

        compact(endpoints, topics.registry(tenant));

        try (TableView<DeviceRecord> fresh = client.newTableView(new JsonRecordSchema<>(DeviceRecord.class)).topic(topics.registry(tenant)).create()) {
            assertThat(fresh.keySet()).containsExactly("d-1");
            assertThat(fresh.get("d-1").generation()).isEqualTo(3);
        }
        try (var reader = client.newReader(Schema.BYTES).topic(topics.registry(tenant)).readCompacted(true)
                .startMessageId(org.apache.pulsar.client.api.MessageId.earliest).create()) {
            int messages = 0;
            while (reader.hasMessageAvailable() && reader.readNext(5, TimeUnit.SECONDS) != null) {
                messages++;
            }
            assertThat(messages).as("one message per live device after compaction").isEqualTo(1);
        }
    }

    private static DeviceRecord record(String deviceId, long generation) {
        DeviceRecord sample = SamplePayloads.record();
        return new DeviceRecord(deviceId, sample.tenant(), generation, sample.capabilities(), sample.fingerprintDigest(),
                sample.registeredAt(), Instant.parse("2026-11-21T13:05:00Z").plusSeconds(generation));
    }

    /** {@code operation} of the admin REST API on {@code topic} (in public/default). */
    private static URI adminUri(PulsarEndpoints endpoints, String topic, String operation) {
        return URI.create(endpoints.adminUrl() + "/admin/v2/persistent/public/default/"
                + URLEncoder.encode(topic.substring(topic.lastIndexOf('/') + 1), StandardCharsets.UTF_8) + "/" + operation);
    }

    /** Triggers compaction through the admin REST API and waits for it to finish. */
    private static void compact(PulsarEndpoints endpoints, String topic) throws Exception {
        URI path = adminUri(endpoints, topic, "compaction");
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(path).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isBetween(200, 299);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String status = HTTP.send(HttpRequest.newBuilder(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            if (status.contains("SUCCESS")) {
                return;
            }
            assertThat(status).doesNotContain("ERROR");
            Thread.sleep(200);
        }
        throw new AssertionError("compaction of " + topic + " did not finish within 60 s");
    }
}
