package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.simulator.TenantTokens;
import io.autoglm.fleet.triggers.dispatch.BinaryHttpForm;
import io.autoglm.fleet.triggers.dispatch.OutboundEvent;
import io.autoglm.fleet.triggers.testing.FleetEvents;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts heartbeats of a set of devices to the sink at a steady pace, one request per event in binary
 * mode with the tenant's token, and remembers which the sink accepted (202): the events the system
 * now owes a delivery or a dead letter.
 */
final class HeartbeatSender implements Runnable {

    private final URI sink;
    private final String tenant;
    private final int devices;
    private final Duration pause;
    private final TenantTokens tokens;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicLong> notAccepted = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    HeartbeatSender(URI sink, String tenant, int devices, Duration pause) throws Exception {
        this.sink = sink;
        this.tenant = tenant;
        this.devices = devices;
        this.pause = pause;
        this.tokens = new TenantTokens(TenantTokens.readPrivateKey(BridgeApp.SIGNING_KEY.privateKey()), Duration.ofHours(1));
    }

    @Override
    public void run() {
        for (long seq = 1; running; seq++) {
            for (int device = 0; device < devices && running; device++) {
                CloudEvent event = FleetEvents.heartbeat(tenant, "dev-" + device, seq);
                OutboundEvent form = BinaryHttpForm.of(event);
                HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + tokens.token(tenant));
                form.headers().forEach(header -> request.header(header.getKey(), header.getValue()));
                int status;
                try {
                    status = http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(form.body())).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception e) {
                    status = -1;
                }
                if (status == 202) {
                    accepted.add(event.getId());
                } else {
                    notAccepted.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    void stop() {
        running = false;
    }

    /** Ids of the events the sink answered 202. */
    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    /** Requests not accepted, by HTTP status (-1: no answer). */
    Map<Integer, AtomicLong> notAccepted() {
        return notAccepted;
    }
}
