package io.autoglm.fleet.deviceagent.protocol;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Opens a device's socket to a gateway: {@code ws(s)://host:port/devices/v1}, subprotocol
 * {@code cloudevents.json}, {@code Authorization: Bearer <token>}. The agent's protocol code only knows
 * this interface; {@link JdkGatewayConnector} is the real one, tests pass a fake.
 */
public interface GatewayConnector {

    /** The CloudEvents WebSocket binding's structured JSON subprotocol. */
    String SUBPROTOCOL = "cloudevents.json";

    /**
     * Connects; the future fails with {@link HandshakeRefusedException} when the gateway answers the upgrade
     * with an HTTP status (401: the token was refused), with any other exception when it cannot be reached.
     */
    CompletableFuture<GatewayConnection> connect(URI gateway, String bearerToken, GatewayListener listener);
}
