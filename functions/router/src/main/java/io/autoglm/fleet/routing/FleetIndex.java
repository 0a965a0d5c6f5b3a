package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.LivenessStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * One tenant's devices as the router needs them: every registered device by id, and the ONLINE ones in
 * an array for uniform random sampling. It is fed by the registry and liveness tables and the heartbeat
 * feed; it never holds another tenant's device (a record of another tenant is refused), so no decision
 * taken on it can cross tenants.
 *
 * <p>Registry and status changes take a write lock; load reports touch only the device's own volatile
 * fields; decisions read under the read lock and may run in parallel.
 */
public final class FleetIndex {

    /** Random probes before sampling falls back to a scan, for requirements few devices meet. */
    static final int PROBES = 64;

    private final String tenant;
    private final Map<String, DeviceEntry> devices = new ConcurrentHashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private DeviceEntry[] online = new DeviceEntry[64];
    private int onlineCount;
    private int registeredCount;

    public FleetIndex(String tenant) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    public String tenant() {
        return tenant;
    }

    /** The registry's value for {@code deviceId}: a record, or null when it was deregistered. */
    public void registered(String deviceId, DeviceRecord record) {
        if (record != null && !tenant.equals(record.tenant())) {
            throw new IllegalArgumentException("device " + deviceId + " belongs to tenant " + record.tenant() + ", not " + tenant);
        }
        lock.writeLock().lock();
        try {
            DeviceEntry entry = record == null ? devices.get(deviceId) : devices.computeIfAbsent(deviceId, DeviceEntry::new);
            if (entry == null) {
                return;
            }
            if ((entry.profile == null) != (record == null)) {
                registeredCount += record == null ? -1 : 1;
            }
            entry.profile = record == null ? null : new DeviceProfile(record);
            settle(entry);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The liveness table's value for {@code deviceId}: its status, or null when the record was removed. */
    public void statusChanged(String deviceId, LivenessStatus status) {
        lock.writeLock().lock();
        try {
            DeviceEntry entry = status == null ? devices.get(deviceId) : devices.computeIfAbsent(deviceId, DeviceEntry::new);
            if (entry == null) {
                return;
            }
            entry.status = status;
            settle(entry);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A heartbeat's load report; ignored for devices the index does not know. */
    public void loadReported(String deviceId, DeviceLoad load, Double rttMs) {
        DeviceEntry entry = devices.get(deviceId);
        if (entry != null) {
            entry.report(load, rttMs);
        }
    }

    public int registeredCount() {
        lock.readLock().lock();
        try {
            return registeredCount;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int onlineCount() {
        lock.readLock().lock();
        try {
            return onlineCount;
        } finally {
            lock.readLock().unlock();
        }
    }

    DeviceEntry find(String deviceId) {
        return devices.get(deviceId);
    }

    /**
     * Up to {@code wanted} distinct ONLINE devices that pass {@code eligible}, uniformly at random: random
     * probes first (cheap when many qualify), then a scan of every ONLINE device when the probes found too few.
     */
    List<DeviceEntry> sample(Predicate<DeviceEntry> eligible, int wanted, Random random) {
        lock.readLock().lock();
        try {
            List<DeviceEntry> picked = new ArrayList<>(wanted);
            if (onlineCount == 0) {
                return picked;
            }
            for (int probe = 0; probe < PROBES && picked.size() < wanted; probe++) {
                DeviceEntry candidate = online[random.nextInt(onlineCount)];
                if (eligible.test(candidate) && !picked.contains(candidate)) {
                    picked.add(candidate);
                }
            }
            if (picked.size() == wanted) {
                return picked;
            }
            List<DeviceEntry> all = scan(eligible);
            picked.clear();
            for (int i = 0; i < wanted && i < all.size(); i++) {
                int j = i + random.nextInt(all.size() - i);
                DeviceEntry chosen = all.get(j);
                all.set(j, all.get(i));
                all.set(i, chosen);
                picked.add(chosen);
            }
            return picked;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every ONLINE device that passes {@code eligible}. */
    List<DeviceEntry> all(Predicate<DeviceEntry> eligible) {
        lock.readLock().lock();
        try {
            return scan(eligible);
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<DeviceEntry> scan(Predicate<DeviceEntry> eligible) {
        List<DeviceEntry> matching = new ArrayList<>();
        for (int i = 0; i < onlineCount; i++) {
            if (eligible.test(online[i])) {
                matching.add(online[i]);
            }
        }
        return matching;
    }

    /** Puts the entry in or out of the ONLINE array, and drops it when nothing is known about it. Under the write lock. */
    private void settle(DeviceEntry entry) {
        boolean routable = entry.routable();
        if (routable && entry.onlineSlot < 0) {
            if (onlineCount == online.length) {
                online = java.util.Arrays.copyOf(online, online.length * 2);
            }
            entry.onlineSlot = onlineCount;
            online[onlineCount++] = entry;
        } else if (!routable && entry.onlineSlot >= 0) {
            DeviceEntry last = online[--onlineCount];
            online[entry.onlineSlot] = last;
            last.onlineSlot = entry.onlineSlot;
            online[onlineCount] = null;
            entry.onlineSlot = -1;
        }
        if (entry.profile == null && entry.status == null) {
            devices.remove(entry.deviceId, entry);
        }
    }
}
