package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.LivenessStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One tenant's devices as the router needs them: every registered device by id, the ONLINE ones in an
 * array for uniform random sampling, and "selections": for requirements few devices meet (or that NEAREST
 * and BROADCAST go through in full), the set of ONLINE devices meeting them, kept current as devices change
 * so that no decision has to scan the whole fleet. It is fed by the registry and liveness tables and the
 * heartbeat feed; it never holds another tenant's device (a record of another tenant is refused), so no
 * decision taken on it can cross tenants.
 *
 * <p>Registry and status changes take a write lock (and update every selection: a few microseconds); load
 * reports touch only the device's own volatile fields; decisions read under the read lock, in parallel.
 */
public final class FleetIndex {

    /** Random probes of the whole ONLINE array before sampling switches to the requirements' selection. */
    static final int PROBES = 64;
    /** Selections kept; the least recently used goes beyond that. */
    static final int MAX_SELECTIONS = 64;

    private final String tenant;
    private final Map<String, DeviceEntry> devices = new ConcurrentHashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Eligibility.Key, Selection> selections = new HashMap<>();
    private final AtomicLong uses = new AtomicLong();
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
     * Up to {@code wanted} distinct qualifying devices, uniformly at random. Without a selection for the
     * requirements yet, random probes of the whole ONLINE array come first (enough when many qualify);
     * when they find too few, the requirements get a selection, which later requests use directly.
     * Asking for more than qualify gives all of them (an unbounded {@code wanted} is a plain argmax).
     */
    List<DeviceEntry> sample(Eligibility eligible, int wanted, Random random) {
        DeviceEntry[] members = existingSelection(eligible.key());
        if (members == null) {
            List<DeviceEntry> probed = probe(eligible, wanted, random);
            if (probed.size() == wanted) {
                return probed;
            }
            members = members(eligible.key());
        }
        return pick(members, eligible, wanted, random);
    }

    /** Every ONLINE device that qualifies. */
    List<DeviceEntry> all(Eligibility eligible) {
        List<DeviceEntry> qualifying = new ArrayList<>();
        for (DeviceEntry entry : members(eligible.key())) {
            if (eligible.hasRoom(entry)) {
                qualifying.add(entry);
            }
        }
        return qualifying;
    }

    /** The ONLINE devices {@code key} selects, kept from now on as a selection; do not modify the array. */
    DeviceEntry[] members(Eligibility.Key key) {
        DeviceEntry[] existing = existingSelection(key);
        if (existing != null) {
            return existing;
        }
        lock.writeLock().lock();
        try {
            Selection selection = selections.get(key);
            if (selection == null) {
                selection = new Selection(key);
                for (int i = 0; i < onlineCount; i++) {
                    if (key.selects(online[i].profile)) {
                        selection.members.add(online[i]);
                    }
                }
                selections.put(key, selection);
                if (selections.size() > MAX_SELECTIONS) {
                    selections.values().stream().min(Comparator.comparingLong(s -> s.lastUse)).ifPresent(s -> selections.remove(s.key));
                }
            }
            selection.lastUse = uses.incrementAndGet();
            return selection.snapshot();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private DeviceEntry[] existingSelection(Eligibility.Key key) {
        lock.readLock().lock();
        try {
            Selection selection = selections.get(key);
            if (selection == null) {
                return null;
            }
            selection.lastUse = uses.incrementAndGet();
            return selection.snapshot();
        } finally {
            lock.readLock().unlock();
        }
    }

    private List<DeviceEntry> probe(Eligibility eligible, int wanted, Random random) {
        lock.readLock().lock();
        try {
            List<DeviceEntry> picked = new ArrayList<>(Math.min(wanted, 8));
            for (int probe = 0; probe < PROBES && picked.size() < wanted && onlineCount > 0; probe++) {
                DeviceEntry candidate = online[random.nextInt(onlineCount)];
                if (eligible.test(candidate) && !picked.contains(candidate)) {
                    picked.add(candidate);
                }
            }
            return picked;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static List<DeviceEntry> pick(DeviceEntry[] members, Eligibility eligible, int wanted, Random random) {
        List<DeviceEntry> picked = new ArrayList<>(Math.min(wanted, 8));
        if (members.length == 0) {
            return picked;
        }
        for (int probe = 0; probe < PROBES && picked.size() < wanted; probe++) {
            DeviceEntry candidate = members[random.nextInt(members.length)];
            if (eligible.hasRoom(candidate) && !picked.contains(candidate)) {
                picked.add(candidate);
            }
        }
        if (picked.size() == wanted) {
            return picked;
        }
        List<DeviceEntry> all = new ArrayList<>();
        for (DeviceEntry member : members) {
            if (eligible.hasRoom(member)) {
                all.add(member);
            }
        }
        if (all.size() <= wanted) {
            return all;
        }
        picked.clear();
        for (int i = 0; i < wanted; i++) {
            int j = i + random.nextInt(all.size() - i);
            DeviceEntry chosen = all.get(j);
            all.set(j, all.get(i));
            all.set(i, chosen);
            picked.add(chosen);
        }
        return picked;
    }

    /**
     * Puts the entry in or out of the ONLINE array and of every selection, and drops it when nothing is
     * known about it. Under the write lock.
     */
    private void settle(DeviceEntry entry) {
        boolean routable = entry.routable();
        if (routable && entry.onlineSlot < 0) {
            if (onlineCount == online.length) {
                online = Arrays.copyOf(online, online.length * 2);
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
        for (Selection selection : selections.values()) {
            boolean member = routable && selection.key.selects(entry.profile);
            if (member ? selection.members.add(entry) : selection.members.remove(entry)) {
                selection.array = null;
            }
        }
        if (entry.profile == null && entry.status == null) {
            devices.remove(entry.deviceId, entry);
        }
    }

    /** The ONLINE devices one requirements key selects; the set changes under the write lock, readers share an array copy. */
    private static final class Selection {
        final Eligibility.Key key;
        final Set<DeviceEntry> members = new HashSet<>();
        volatile DeviceEntry[] array;
        volatile long lastUse;

        Selection(Eligibility.Key key) {
            this.key = key;
        }

        /** Under the read or the write lock. */
        DeviceEntry[] snapshot() {
            DeviceEntry[] current = array;
            if (current == null) {
                current = members.toArray(new DeviceEntry[0]);
                array = current;
            }
            return current;
        }
    }
}
