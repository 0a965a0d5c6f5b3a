package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Devices sending heartbeats through the broker, as their agents would: each on its own schedule, every
 * interval +- a jitter (uniform), seq counting up, with a random load. Devices can be silenced one by one.
 */
final class HeartbeatLoad implements AutoCloseable {

    private record Due(long at, String tenant, String deviceId) {
    }

    private static final URI SOURCE = URI.create("/devices/agents/simulated");

    private final EventPublisher publisher;
    private final long intervalMs;
    private final double jitter;
    private final Random random = new Random(42);
    private final PriorityQueue<Due> schedule = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    private final Map<String, Long> seqs = new ConcurrentHashMap<>();
    /** Last heartbeat sent by each device: its sentAt in epoch ms. */
    final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    /** First heartbeat sent by each device, in epoch ms. */
    final Map<String, Long> firstSent = new ConcurrentHashMap<>();
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();
    final LongAdder sent = new LongAdder();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param jitter the spread of each gap, as a fraction of the interval (0.5: gaps uniform in [0.5, 1.5] intervals) */
    HeartbeatLoad(EventPublisher publisher, Map<String, String> deviceTenants, long intervalMs, double jitter) {
        this.publisher = publisher;
        this.intervalMs = intervalMs;
        this.jitter = jitter;
        long now = System.currentTimeMillis();
        deviceTenants.forEach((deviceId, tenant) -> schedule.add(new Due(now + random.nextInt((int) intervalMs), tenant, deviceId)));
        thread = new Thread(this::run, "heartbeat-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** One more device starts beating, within an interval from now (a device whose registration was just answered). */
    void start(String deviceId, String tenant) {
        long at = System.currentTimeMillis() + random.nextInt((int) intervalMs);
        synchronized (schedule) {
            schedule.add(new Due(at, tenant, deviceId));
        }
    }

    /** The device sends no more heartbeats ({@link #lastSent} keeps when it sent its last one). */
    void silence(String deviceId) {
        silenced.add(deviceId);
    }

    private void run() {
        while (running) {
            Due due;
            synchronized (schedule) {
                due = schedule.peek();
            }
            long wait = due == null ? 50 : due.at - System.currentTimeMillis();
            if (wait > 0) {
                sleep(Math.min(wait, 50));
                continue;
            }
            synchronized (schedule) {
                schedule.poll();
            }
            if (silenced.contains(due.deviceId)) {
                continue;
            }
            long now = System.currentTimeMillis();
            long seq = seqs.merge(due.deviceId, 1L, Long::sum);
            DeviceHeartbeat heartbeat = new DeviceHeartbeat(due.deviceId, seq, Instant.ofEpochMilli(now),
                    new DeviceLoad(random.nextDouble(), random.nextDouble(), null, random.nextInt(3)), new Battery(0.8, false),
                    20.0 + random.nextInt(80));
            lastSent.put(due.deviceId, now);
            firstSent.putIfAbsent(due.deviceId, now);
            publisher.publish(Events.newEvent(EventType.DEVICE_HEARTBEAT, SOURCE, due.tenant, due.deviceId, heartbeat).build());
            sent.increment();
            long gap = Math.round(intervalMs * (1 - jitter + 2 * jitter * random.nextDouble()));
            synchronized (schedule) {
                schedule.add(new Due(due.at + gap, due.tenant, due.deviceId));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
