package io.autoglm.fleet.routing.views;

import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.routing.FleetIndex;
import io.autoglm.fleet.routing.views.pulsar.PulsarHeartbeatFeed;
import io.autoglm.fleet.state.FleetState;
import io.autoglm.fleet.state.PerTenant;
import org.apache.pulsar.client.api.PulsarClient;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Each tenant's {@link FleetIndex}, built on the tenant's first request and kept current: the registry
 * table says which devices exist and what they declared, the liveness table which are ONLINE, the
 * heartbeat feed how loaded they are. A tenant's index is only ever fed from that tenant's topics.
 */
public final class FleetViews implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FleetViews.class.getName());

    private final FleetState state;
    private final HeartbeatFeed heartbeats;
    private final PerTenant<FleetIndex> fleets = new PerTenant<>(this::open);
    private final boolean owning;

    /** Views over {@code state} and {@code heartbeats}, which whoever made them closes. */
    public FleetViews(FleetState state, HeartbeatFeed heartbeats) {
        this(state, heartbeats, false);
    }

    private FleetViews(FleetState state, HeartbeatFeed heartbeats, boolean owning) {
        this.state = Objects.requireNonNull(state, "state");
        this.heartbeats = Objects.requireNonNull(heartbeats, "heartbeats");
        this.owning = owning;
    }

    /** Views on Pulsar (the tenant's registry and liveness tables, its heartbeat topic), closed with them. */
    public static FleetViews onPulsar(PulsarClient client, Topics topics) {
        return new FleetViews(FleetState.onPulsar(client, topics), new PulsarHeartbeatFeed(client, topics), true);
    }

    /** Closes the tables and the feed when these views opened them ({@link #onPulsar}); otherwise does nothing. */
    @Override
    public void close() {
        if (owning) {
            heartbeats.close();
            state.close();
        }
    }

    /** The tenant's index, once both tables have been read. */
    public CompletableFuture<FleetIndex> of(String tenant) {
        return fleets.of(tenant);
    }

    private CompletableFuture<FleetIndex> open(String tenant) {
        FleetIndex index = new FleetIndex(tenant);
        CompletableFuture<Void> devices = state.registry().table(tenant).thenAccept(table -> table.forEachAndListen((deviceId, record) -> {
            if (record == null || tenant.equals(record.tenant())) {
                index.registered(deviceId, record);
            } else {
                LOG.log(System.Logger.Level.WARNING, "ignoring device {0} of tenant {1} found in the registry of tenant {2}", deviceId,
                        record.tenant(), tenant);
            }
        }));
        CompletableFuture<Void> statuses = state.liveness().table(tenant).thenAccept(table -> table.forEachAndListen((deviceId, change) ->
                index.statusChanged(deviceId, change == null ? null : change.current())));
        heartbeats.follow(tenant, heartbeat -> index.loadReported(heartbeat.deviceId(), heartbeat.load(), heartbeat.rttMs()))
                .whenComplete((following, failure) -> {
                    if (failure != null) {
                        LOG.log(System.Logger.Level.WARNING, "tenant " + tenant
                                + ": no load reports (routing on declared capabilities and in-flight counts only)", failure);
                    }
                });
        return devices.thenCombine(statuses, (a, b) -> {
            LOG.log(System.Logger.Level.INFO, "tenant {0}: {1} devices registered, {2} ONLINE", tenant, index.registeredCount(),
                    index.onlineCount());
            return index;
        });
    }
}
