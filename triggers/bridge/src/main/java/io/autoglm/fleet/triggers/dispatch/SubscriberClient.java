package io.autoglm.fleet.triggers.dispatch;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one event to a Trigger's subscriber and returns what it answered. A future that fails means
 * no answer came: connection refused or reset, or no complete answer within {@code timeout}.
 */
public interface SubscriberClient extends AutoCloseable {

    CompletableFuture<SubscriberResponse> post(URI target, OutboundEvent event, Duration timeout);

    @Override
    void close();
}
