package io.autoglm.fleet.deviceagent.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDK socket against a real WebSocket server (Vert.x) on loopback. */
class JdkGatewayConnectorTest {

    Vertx vertx;
    HttpServer server;
    final BlockingQueue<ServerWebSocket> accepted = new LinkedBlockingQueue<>();
    final BlockingQueue<String> serverReceived = new LinkedBlockingQueue<>();
    final JdkGatewayConnector connector = new JdkGatewayConnector(Duration.ofSeconds(5));

    @BeforeEach
    void server() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of("cloudevents.json")).setMaxWebSocketFrameSize(1024))
                .webSocketHandler(socket -> {
                    if (!"Bearer good-token".equals(socket.headers().get("Authorization"))) {
                        socket.reject(401);
                        return;
                    }
                    socket.textMessageHandler(serverReceived::add);
                    accepted.add(socket);
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private URI uri() {
        return URI.create("ws://127.0.0.1:" + server.actualPort() + "/devices/v1");
    }

    @Test
    void framesGoBothWaysWithTheSubprotocolAndTheBearerToken() throws Exception {
        Recorder listener = new Recorder();
        GatewayConnection connection = connector.connect(uri(), "good-token", listener).get(10, TimeUnit.SECONDS);
        ServerWebSocket socket = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(socket).isNotNull();
        assertThat(socket.subProtocol()).isEqualTo("cloudevents.json");
        assertThat(socket.path()).isEqualTo("/devices/v1");

        connection.send("{\"one\":1}");
        connection.send("{\"two\":2}");
        assertThat(serverReceived.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"one\":1}");
        assertThat(serverReceived.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"two\":2}");

        String large = "x".repeat(10_000);
        socket.writeTextMessage(large);
        assertThat(listener.frames.poll(10, TimeUnit.SECONDS)).isEqualTo(large);

        assertThat(connection.ping().get(10, TimeUnit.SECONDS)).isPositive();

        socket.close((short) 1001, "going away");
        assertThat(listener.closes.poll(10, TimeUnit.SECONDS)).isEqualTo("1001 going away");
    }

    @Test
    void aRefusedUpgradeIsAHandshakeRefusalWithTheStatus() {
        CompletableFuture<GatewayConnection> refused = connector.connect(uri(), "bad-token", new Recorder());

        assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(HandshakeRefusedException.class)
                .cause().satisfies(e -> assertThat(((HandshakeRefusedException) e).unauthorised()).isTrue());
    }

    @Test
    void noGatewayThereIsAFailedConnection() throws Exception {
        int port = server.actualPort();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        CompletableFuture<GatewayConnection> failed = connector.connect(URI.create("ws://127.0.0.1:" + port + "/devices/v1"), "good-token", new Recorder());

        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(java.net.ConnectException.class);
    }

    static final class Recorder implements GatewayListener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

        @Override
        public void onFrame(String frame) {
            frames.add(frame);
        }

        @Override
        public void onClosed(int code, String reason) {
            closes.add(code + " " + reason);
        }

        @Override
        public void onBroken(Throwable cause) {
            closes.add("broken " + cause);
        }
    }
}
