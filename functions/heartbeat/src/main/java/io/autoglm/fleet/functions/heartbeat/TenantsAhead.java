package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.state.pulsar.RegisteredTenants;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Opens a tenant's tables as soon as its registry topic exists ({@link RegisteredTenants}, every
 * {@code autoglm.heartbeat.tenant-discovery}), not when its first heartbeat arrives. On the first heartbeat's path the
 * opening held every first heartbeat of the tenant past the heartbeat Trigger's timeout on a loaded host, and, as the
 * dispatcher keeps each device's heartbeats in order, the tenant's waiting heartbeats filled the Trigger's window of
 * events in hand, so the next tenant's heartbeats were not even fetched until the first tenant had opened. A device
 * heartbeats only once its registration is answered, after the registry topic was written: a tenant listed here is
 * mostly open before its first heartbeat. Tenants the listing misses still open on their first heartbeat.
 */
@Singleton
public class TenantsAhead {

    private static final System.Logger LOG = System.getLogger(TenantsAhead.class.getName());

    @Inject
    HeartbeatService liveness;
    @Inject
    HeartbeatSettings settings;
    /** Only when discovery is on: the client connects when it is built. */
    @Inject
    Provider<PulsarClient> client;
    @Inject
    Topics topics;

    private final Set<String> opening = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService discovery;

    void start(@Observes StartupEvent started) {
        long every = settings.tenantDiscovery().toMillis();
        if (every <= 0) {
            return;
        }
        discovery = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heartbeat-tenant-discovery");
            thread.setDaemon(true);
            return thread;
        });
        discovery.scheduleWithFixedDelay(this::discover, 0, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (discovery != null) {
            discovery.shutdownNow();
        }
    }

    private void discover() {
        try {
            for (String tenant : RegisteredTenants.list(client.get(), topics).get(30, TimeUnit.SECONDS)) {
                if (opening.add(tenant)) {
                    liveness.openAhead(tenant).whenComplete((opened, failure) -> {
                        if (failure != null) {
                            opening.remove(tenant); // tried again at the next discovery
                            LOG.log(System.Logger.Level.WARNING, "could not open the tables of tenant " + tenant + " ahead: " + failure);
                        }
                    });
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "could not list the tenants: {0}", e.toString());
        }
    }
}
