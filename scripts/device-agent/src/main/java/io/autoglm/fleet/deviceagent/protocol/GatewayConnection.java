package io.autoglm.fleet.deviceagent.protocol;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One open socket to a gateway: text frames out (one structured CloudEvent each), a ping for the round trip, close. */
public interface GatewayConnection {

    /** Sends one text frame; frames go out in the order they were sent. */
    CompletableFuture<Void> send(String frame);

    /** Pings the gateway; completes with the round trip when the pong comes back. */
    CompletableFuture<Duration> ping();

    /** Starts the closing handshake and lets the socket go; no listener call is owed after this. */
    void close(int code, String reason);
}
