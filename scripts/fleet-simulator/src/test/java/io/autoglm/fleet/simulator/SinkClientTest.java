package io.autoglm.fleet.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every event sent to the sink ends in exactly one outcome, or is counted as in flight until it does. */
class SinkClientTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer server;
    private SinkClient client;
    private FleetStatus status;

    @BeforeEach
    void sink() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        status = new FleetStatus();
        client = new SinkClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                new TenantTokens(generator.generateKeyPair().getPrivate(), Duration.ofMinutes(5)), status);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    /** What the fake sink answers is in the event id (binary mode); a batch is accepted. */
    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String id = String.valueOf(exchange.getRequestHeaders().getFirst("ce-id"));
        if (id.startsWith("drop")) {
            exchange.close(); // the connection ends without an answer
            return;
        }
        if (id.startsWith("hold")) {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int code = id.startsWith("refuse") ? 400 : id.startsWith("busy") ? 503 : 202;
        byte[] body = (code == 400 ? "{\"title\":\"invalid event\"}" : "{}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static CloudEvent heartbeat(String id) {
        DeviceHeartbeat payload = new DeviceHeartbeat("d-1", 1, Instant.parse("2026-12-03T10:00:00Z"), new DeviceLoad(0.2, 0.3, null, 0),
                new Battery(0.9, false), 40.0);
        return Events.newEvent(EventType.DEVICE_HEARTBEAT, URI.create("/devices/acme/d-1"), "acme", "d-1", payload).withId(id).build();
    }

    @Test
    void everyEventSentIsAcceptedRefusedUnavailableUnansweredOrInFlightAndTheSummarySaysSo() throws Exception {
        CompletableFuture<Integer> hold = client.send(Outgoing.binary("acme", heartbeat("hold-1")));
        List<CompletableFuture<Integer>> answered = List.of(
                client.send(Outgoing.binary("acme", heartbeat("accept-1"))),
                client.send(Outgoing.binary("acme", heartbeat("refuse-1"))),
                client.send(Outgoing.binary("acme", heartbeat("busy-1"))),
                client.send(Outgoing.binary("acme", heartbeat("drop-1"))),
                client.send(Outgoing.batch("acme", List.of(heartbeat("b-1"), heartbeat("b-2"), heartbeat("b-3")))));
        assertThat(CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).thenApply(done -> answered.stream().map(CompletableFuture::join)
                .toList()).get(30, TimeUnit.SECONDS)).containsExactly(202, 400, 503, -1, 202);
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

        FleetStatus.SinkCounts stopped = status.snapshot().sink();

        assertThat(stopped).isEqualTo(new FleetStatus.SinkCounts(8, 4, 1, 1, 1, 1, 0, "400 {\"title\":\"invalid event\"}"));
        assertThat(stopped.unaccounted()).isZero();
        assertThat(client.awaitAnswers(Duration.ZERO)).isFalse();
        assertThat(StatusBoard.summary(Duration.ofSeconds(10), status.snapshot(), List.of())).contains(
                "  sink            8 events sent = 4 accepted (0/s) + 1 refused + 1 unavailable (503) + 1 without answer + 1 in flight at stop");

        release.countDown();

        assertThat(client.awaitAnswers(Duration.ofSeconds(30))).isTrue();
        assertThat(hold.join()).isEqualTo(202);
        assertThat(status.snapshot().sink()).isEqualTo(new FleetStatus.SinkCounts(8, 5, 1, 1, 1, 0, 0, "400 {\"title\":\"invalid event\"}"));
    }
}
