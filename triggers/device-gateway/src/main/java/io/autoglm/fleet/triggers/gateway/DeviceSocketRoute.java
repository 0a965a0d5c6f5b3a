package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.service.ProblemDetails;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /devices/v1}: the upgrade to a device's socket, on the HTTP server Quarkus runs. Refused
 * before the socket exists, each with a problem body: not an upgrade (426), no {@value #SUBPROTOCOL}
 * subprotocol offered (400), no valid credential (401) or one naming no tenant (403), the replica
 * draining (503). Then the socket's frames go to {@link DeviceSessions}.
 */
@Singleton
public class DeviceSocketRoute {

    public static final String PATH = "/devices/v1";
    /** The CloudEvents WebSocket binding's structured JSON mode. */
    public static final String SUBPROTOCOL = "cloudevents.json";

    private static final Logger LOG = Logger.getLogger(DeviceSocketRoute.class);
    /**
     * Ticks a ping interval: each pings its share of the sockets. 150 (a tick every 100 ms at the 15 s default) keeps a
     * tick's pings, and the pongs that answer them at once, to ~70 at 10,000 sockets: a fifteenth (one burst of ~670 a
     * second) held the commands behind it by tens of ms, the gateway's whole latency tail.
     */
    private static final int SWEEP_SLOTS = 150;

    private final DeviceSessions sessions;
    private final UpgradeAuthentication authentication;
    private final GatewaySettings settings;
    private final Clock clock;
    private final Vertx vertx;
    private final GatewayMetrics metrics;
    private long sweeper = -1;

    DeviceSocketRoute(DeviceSessions sessions, UpgradeAuthentication authentication, GatewaySettings settings, Clock clock, Vertx vertx,
                      GatewayMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
        this.authentication = authentication;
        this.settings = settings;
        this.clock = clock;
        this.vertx = vertx;
    }

    void install(@Observes Router router) {
        router.get(PATH).handler(this::upgrade);
    }

    void start(@Observes StartupEvent started) {
        // a tick every 1/SWEEP_SLOTS of the ping interval (at least 100 ms): each pings its share of the sockets
        long tick = Math.max(100, settings.pingInterval().toMillis() / SWEEP_SLOTS);
        int slots = (int) Math.max(1, settings.pingInterval().toMillis() / tick);
        AtomicLong ticks = new AtomicLong();
        sweeper = vertx.setPeriodic(tick, tick, id -> sessions.sweep(settings.idleTimeout(), ticks.getAndIncrement(), slots, System.nanoTime()));
        LOG.infof("device gateway replica %s: sockets at %s", sessions.replica(), PATH);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        sessions.drain(settings.drain().reconnectAfter(), settings.drain().grace());
    }

    private void upgrade(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            metrics.upgradeRefused(GatewayMetrics.UpgradeRefusal.NOT_WEBSOCKET);
            context.response().putHeader("Upgrade", "websocket");
            ProblemDetails.of("upgrade-required", "WebSocket only", 426, "this endpoint is a WebSocket: connect with "
                    + "subprotocol " + SUBPROTOCOL + " (the CloudEvents WebSocket binding, structured mode)").answer(context);
            return;
        }
        if (!offers(request.getHeader("Sec-WebSocket-Protocol"))) {
            metrics.upgradeRefused(GatewayMetrics.UpgradeRefusal.UNSUPPORTED_SUBPROTOCOL);
            ProblemDetails.of("unsupported-subprotocol", "Unsupported WebSocket subprotocol", 400, "this gateway speaks only the "
                    + "subprotocol " + SUBPROTOCOL + " (one CloudEvent in the JSON format per text frame): ask for it in "
                    + "Sec-WebSocket-Protocol").answer(context);
            return;
        }
        if (sessions.draining()) {
            metrics.upgradeRefused(GatewayMetrics.UpgradeRefusal.DRAINING);
            context.response().putHeader("Retry-After", "1");
            ProblemDetails.of("draining", "Replica shutting down", 503, "this replica is shutting down: connect to another").answer(context);
            return;
        }
        UpgradeAuthentication.Outcome outcome = authentication.authenticate(request.getHeader("Authorization"), peerCertificate(request));
        if (!outcome.admitted()) {
            metrics.upgradeRefused(outcome.status() == 401 ? GatewayMetrics.UpgradeRefusal.UNAUTHENTICATED : GatewayMetrics.UpgradeRefusal.FORBIDDEN);
            if (outcome.status() == 401) {
                context.response().putHeader("WWW-Authenticate", "Bearer");
            }
            ProblemDetails.of(outcome.status() == 401 ? "unauthenticated" : "forbidden-tenant",
                    outcome.status() == 401 ? "Missing or invalid credential" : "No tenant", outcome.status(), outcome.refusal())
                    .answer(context);
            return;
        }
        Caller caller = outcome.caller();
        request.toWebSocket().onSuccess(socket -> open(socket, caller))
                .onFailure(failure -> LOG.debugf("upgrade of %s failed: %s", caller, failure.getMessage()));
    }

    private void open(ServerWebSocket socket, Caller caller) {
        DeviceSession session = new DeviceSession(UUID.randomUUID().toString(), caller, new VertxDeviceSocket(socket),
                settings.outboundQueue(), clock.instant(), System.nanoTime());
        socket.textMessageHandler(text -> sessions.text(session, text, System.nanoTime()));
        socket.binaryMessageHandler(data -> sessions.binary(session, System.nanoTime()));
        socket.pongHandler(data -> session.heard(System.nanoTime()));
        socket.exceptionHandler(failure -> {
            String message = String.valueOf(failure.getMessage());
            // Vert.x's words when a message (aggregated from its frames) or one frame is over the limit
            if (message.contains("max message size") || message.contains("exceeds maximum size") || message.contains("Max frame length")) {
                session.close(InboundFrames.CLOSE_TOO_BIG, "frame over " + settings.maxFrameSize().asLongValue() + " bytes");
            } else {
                LOG.debugf("socket %s: %s", session.connectionId(), message);
            }
        });
        socket.closeHandler(closed -> {
            Short code = socket.closeStatusCode();
            String reason = socket.closeReason();
            sessions.closed(session, reason != null && !reason.isEmpty() ? reason : code == null ? "connection lost" : "closed (" + code + ")");
        });
        sessions.opened(session);
    }

    private static boolean offers(String protocols) {
        if (protocols == null) {
            return false;
        }
        for (String protocol : protocols.split(",")) {
            if (protocol.trim().equals(SUBPROTOCOL)) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate peerCertificate(HttpServerRequest request) {
        if (!request.isSSL()) {
            return null;
        }
        try {
            List<Certificate> chain = request.connection().peerCertificates();
            return chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate first ? first : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
