package io.autoglm.fleet.local;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The baseline of {@code scripts/bench-fleet}: the least a fleet's heartbeats can cost on this machine. N devices' heartbeats
 * at 1 s, each the JSON of a real {@code DeviceHeartbeat}, written by a raw Pulsar producer per tenant topic (keyed by the
 * device, batching as the client defaults) to a Pulsar standalone broker started as the local stack starts its own, and
 * read by a raw Key_Shared consumer that puts each device's last heartbeat time in a map: no CloudEvent, no schema
 * validation, no HTTP, no liveness decision. What it costs (the broker and this process, CPU-seconds per device-minute) is
 * what the whole stack's cost is measured against.
 *
 * <pre>java ... RawFleetBaseline DEVICES WARM_UP MEASURE   (e.g. 2000 2m 10m)</pre>
 */
public final class RawFleetBaseline {

    private static final List<String> TENANTS = List.of("acme", "globex");
    private static final Duration TICK = Duration.ofMillis(100);

    private RawFleetBaseline() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: RawFleetBaseline DEVICES WARM_UP MEASURE (e.g. 2000 2m 10m)");
            System.exit(2);
        }
        int devices = Integer.parseInt(args[0]);
        Duration warmUp = StackOptions.duration(args[1]);
        Duration measure = StackOptions.duration(args[2]);
        Path repo = Path.of(System.getProperty("autoglm.repo", ".")).toAbsolutePath().normalize();
        Path home = repo.resolve("target/bench/raw-fleet-broker");
        PulsarStandalone.deleteTree(home);
        PulsarStandalone broker = PulsarStandalone.in(Path.of(System.getProperty("pulsar.distribution.dir")), home);
        broker.start(Duration.ofMinutes(3));
        ResourceUse resources = new ResourceUse();
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build()) {
            Map<String, Long> lastHeard = new ConcurrentHashMap<>();
            LongAdder received = new LongAdder();
            List<String> topics = TENANTS.stream().map(tenant -> "persistent://public/default/raw-heartbeats-" + tenant).toList();
            Consumer<byte[]> consumer = client.newConsumer(Schema.BYTES).topics(topics).subscriptionName("raw-liveness")
                    .subscriptionType(SubscriptionType.Key_Shared).messageListener((reading, message) -> {
                        lastHeard.put(message.getKey(), message.getPublishTime());
                        received.increment();
                        reading.acknowledgeAsync(message);
                    }).subscribe();
            List<Producer<byte[]>> producers = new ArrayList<>();
            for (String topic : topics) {
                producers.add(client.newProducer(Schema.BYTES).topic(topic).create());
            }
            long[] seq = new long[devices];
            long ticksPerBeat = Duration.ofSeconds(1).toMillis() / TICK.toMillis();
            long[] tick = {0};
            ticks.scheduleAtFixedRate(() -> {
                long slot = tick[0]++ % ticksPerBeat;
                for (int d = (int) slot; d < devices; d += (int) ticksPerBeat) { // each device once a second, spread over the ticks
                    String deviceId = TENANTS.get(d % TENANTS.size()) + "-" + d;
                    DeviceHeartbeat heartbeat = new DeviceHeartbeat(deviceId, ++seq[d], Instant.now(), new DeviceLoad(0.35, 0.6, null, 0),
                            new Battery(0.8, false), 38.5);
                    producers.get(d % TENANTS.size()).newMessage().key(deviceId).value(EventJson.write(heartbeat)).sendAsync();
                }
            }, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
            ProcessHandle self = ProcessHandle.current();
            ticks.scheduleAtFixedRate(() -> {
                resources.sample("pulsar", broker.process().toHandle());
                resources.sampleAlone("raw pipeline", self);
            }, 0, 5, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "raw pipeline: %d devices at 1 s heartbeats, warming up for %s, then measuring for %s%n", devices,
                    warmUp, measure);
            Thread.sleep(warmUp.toMillis());
            ticks.submit(() -> {
                resources.sample("pulsar", broker.process().toHandle());
                resources.sampleAlone("raw pipeline", self);
                resources.startWindow();
            }).get();
            long receivedBefore = received.sum();
            Thread.sleep(measure.toMillis());
            ticks.submit(() -> {
                resources.sample("pulsar", broker.process().toHandle());
                resources.sampleAlone("raw pipeline", self);
            }).get();
            ticks.shutdownNow();
            double seconds = resources.window().toMillis() / 1000.0;
            double cpu = 0;
            for (ResourceUse.Usage usage : resources.usage()) {
                cpu += usage.cpuSeconds();
                System.out.printf(Locale.ROOT, "  %-19s CPU %5.2f   RSS %4d / %4d MiB%n", usage.name(), usage.cpuSeconds() / seconds,
                        usage.rssBytes() >> 20, usage.maxRssBytes() >> 20);
            }
            System.out.printf(Locale.ROOT, "  heartbeats read: %.0f/s (%d devices seen)%n", (received.sum() - receivedBefore) / seconds, lastHeard.size());
            System.out.printf(Locale.ROOT, "  the raw pipeline: %.2f cores = %.4f CPU-seconds per device-minute (%d devices)%n", cpu / seconds,
                    cpu / (devices * seconds / 60), devices);
            consumer.close();
            for (Producer<byte[]> producer : producers) {
                producer.close();
            }
        } finally {
            ticks.shutdownNow();
            broker.close();
        }
    }
}
