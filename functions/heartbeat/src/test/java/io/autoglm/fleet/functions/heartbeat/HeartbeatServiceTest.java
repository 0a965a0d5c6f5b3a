package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.liveness.LivenessPolicy;
import io.autoglm.fleet.state.RegisteredDevice;
import io.autoglm.fleet.state.Reply;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.testing.InMemoryStateTopic;
import io.autoglm.fleet.state.testing.RecordingPublisher;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HeartbeatService} without HTTP or a broker: what it answers while a tenant's tables open, and after. */
class HeartbeatServiceTest {

    private static final String TENANT = "acme";
    private static final String DEVICE = "d-acme-phone";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    /** The registry as a cold function finds it: the tenant's table opens only when the test says so. */
    private static final class OpeningSlowly implements StateTopic<RegisteredDevice> {
        final InMemoryStateTopic<RegisteredDevice> tables = new InMemoryStateTopic<>();
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        final AtomicInteger opens = new AtomicInteger();

        @Override
        public CompletableFuture<StateTable<RegisteredDevice>> table(String tenant) {
            opens.incrementAndGet();
            return opened.thenCompose(done -> tables.table(tenant));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aDeviceWhoseFirstHeartbeatsWereAnsweredAfterTheDispatcherGaveUpIsAnnouncedByItsNextOne() {
        OpeningSlowly registry = new OpeningSlowly();
        registry.tables.tableOf(TENANT).put(DEVICE, new RegisteredDevice(DEVICE, TENANT, 1));
        InMemoryStateTopic<DeviceStatusChanged> liveness = new InMemoryStateTopic<>();
        HeartbeatService service = new HeartbeatService(new LivenessEvaluator(tenant -> LivenessPolicy.DEFAULT, CLOCK.millis()), registry,
                liveness, new RecordingPublisher(), CLOCK);

        // the first heartbeat and the dispatcher's three retries of it all wait for the tenant's tables
        List<CompletableFuture<Reply>> attempts = new ArrayList<>();
        for (int attempt = 1; attempt <= 4; attempt++) {
            attempts.add(service.heartbeat("hb-1", TENANT, heartbeat(1)));
        }
        assertThat(attempts).noneMatch(CompletableFuture::isDone);
        registry.opened.complete(null);

        // each answer is ready, but every attempt timed out long ago: the event is dead-lettered, nobody hears ONLINE
        for (CompletableFuture<Reply> attempt : attempts) {
            Reply answer = attempt.join();
            assertThat(answer.type()).isEqualTo(EventType.DEVICE_STATUS_CHANGED);
            service.answerLost(answer);
        }
        assertThat(liveness.tableOf(TENANT).get(DEVICE)).map(DeviceStatusChanged::current).contains(LivenessStatus.ONLINE);

        Reply next = service.heartbeat("hb-2", TENANT, heartbeat(2)).join();

        assertThat(next).as("the device's next heartbeat announces the status nobody heard of").isNotNull();
        assertThat(next.type()).isEqualTo(EventType.DEVICE_STATUS_CHANGED);
        assertThat(((DeviceStatusChanged) next.payload()).current()).isEqualTo(LivenessStatus.ONLINE);
        assertThat(next.partitionKey()).isEqualTo(DEVICE);
        assertThat(service.heartbeat("hb-3", TENANT, heartbeat(3)).join()).as("and only that one").isNull();
        assertThat(service.answersLost()).isEqualTo(4);
    }

    @Test
    void aTenantOpenedAheadAnswersItsFirstHeartbeatWithoutOpeningAnything() {
        OpeningSlowly registry = new OpeningSlowly();
        registry.tables.tableOf(TENANT).put(DEVICE, new RegisteredDevice(DEVICE, TENANT, 1));
        HeartbeatService service = new HeartbeatService(new LivenessEvaluator(tenant -> LivenessPolicy.DEFAULT, CLOCK.millis()), registry,
                new InMemoryStateTopic<>(), new RecordingPublisher(), CLOCK);

        CompletableFuture<Void> ahead = service.openAhead(TENANT);
        assertThat(registry.opens).hasValue(1);
        registry.opened.complete(null);
        assertThat(ahead).isCompleted();

        CompletableFuture<Reply> first = service.heartbeat("hb-1", TENANT, heartbeat(1));

        assertThat(first).as("answered at once: the tables were open").isCompleted();
        assertThat(first.join().type()).isEqualTo(EventType.DEVICE_STATUS_CHANGED);
        assertThat(registry.opens).as("opened once").hasValue(1);
        assertThat(service.openAhead(TENANT)).isCompleted();
        assertThat(registry.opens).hasValue(1);
    }

    @Test
    void anAnswerThatArrivedChangesNothing() {
        OpeningSlowly registry = new OpeningSlowly();
        registry.opened.complete(null);
        registry.tables.tableOf(TENANT).put(DEVICE, new RegisteredDevice(DEVICE, TENANT, 1));
        HeartbeatService service = new HeartbeatService(new LivenessEvaluator(tenant -> LivenessPolicy.DEFAULT, CLOCK.millis()), registry,
                new InMemoryStateTopic<>(), new RecordingPublisher(), CLOCK);

        assertThat(service.heartbeat("hb-1", TENANT, heartbeat(1)).join()).isNotNull();

        assertThat(service.heartbeat("hb-2", TENANT, heartbeat(2)).join()).isNull();
        assertThat(service.answersLost()).isZero();
    }

    private static DeviceHeartbeat heartbeat(long seq) {
        return new DeviceHeartbeat(DEVICE, seq, CLOCK.instant().plusSeconds(seq), new DeviceLoad(0.2, 0.3, null, 0), new Battery(0.8, false), 40.0);
    }
}
