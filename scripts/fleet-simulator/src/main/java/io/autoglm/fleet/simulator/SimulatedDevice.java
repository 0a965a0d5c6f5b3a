package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.simulator.phone.SimulatedPhone;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One simulated device: its declaration, the id the registry gave it, its heartbeat rhythm (interval
 * and jitter), whether it is silent right now (dropped out until {@link #silentUntil()}) and the status the
 * heartbeat function gave it, and the phone it is (the apps and screens its commands change).
 */
final class SimulatedDevice {

    private final String tenant;
    private final String serial;
    private final DeviceDeclaration declaration;
    private final Duration interval;
    private final double jitter;
    private String deviceId;
    private Instant registrationSentAt;
    private int registrationAttempts;
    private long seq;
    private Instant nextHeartbeat;
    private Instant silentUntil;
    private LivenessStatus status;
    private final SimulatedPhone phone = new SimulatedPhone();

    SimulatedDevice(String tenant, String serial, DeviceDeclaration declaration, Duration interval, double jitter) {
        this.tenant = Objects.requireNonNull(tenant);
        this.serial = Objects.requireNonNull(serial);
        this.declaration = Objects.requireNonNull(declaration);
        this.interval = interval;
        this.jitter = jitter;
    }

    SimulatedPhone phone() {
        return phone;
    }

    String tenant() {
        return tenant;
    }

    String serial() {
        return serial;
    }

    DeviceDeclaration declaration() {
        return declaration;
    }

    /** The registration request's id: how the registry's reply is matched to this device. */
    String registrationId() {
        return "reg-" + serial + "-" + registrationAttempts;
    }

    boolean registered() {
        return deviceId != null;
    }

    String deviceId() {
        return deviceId;
    }

    void registered(String id, Instant now) {
        this.deviceId = id;
        this.nextHeartbeat = now;
    }

    Instant registrationSentAt() {
        return registrationSentAt;
    }

    int registrationAttempts() {
        return registrationAttempts;
    }

    void registrationSent(Instant now) {
        registrationAttempts++;
        registrationSentAt = now;
    }

    Duration interval() {
        return interval;
    }

    /** Spread of the gap between heartbeats, as a fraction of the interval (0.2: ±20 %). */
    double jitter() {
        return jitter;
    }

    long nextSeq() {
        return ++seq;
    }

    Instant nextHeartbeat() {
        return nextHeartbeat;
    }

    void nextHeartbeat(Instant at) {
        nextHeartbeat = at;
    }

    boolean silentAt(Instant now) {
        return silentUntil != null && now.isBefore(silentUntil);
    }

    Instant silentUntil() {
        return silentUntil;
    }

    /** Its status as the heartbeat function last announced it (null before the first). */
    LivenessStatus status() {
        return status;
    }

    void status(LivenessStatus now) {
        status = now;
    }

    void dropOut(Instant until) {
        silentUntil = until;
        nextHeartbeat = until;
    }
}
