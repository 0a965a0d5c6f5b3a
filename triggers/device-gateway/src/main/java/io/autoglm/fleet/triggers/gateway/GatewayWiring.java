package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.modelstore.blob.BlobStore;
import io.autoglm.fleet.modelstore.blob.BlobStores;
import io.autoglm.fleet.service.BearerTokens;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The gateway's parts as CDI beans; the Pulsar client, publisher and ingress path are the bridge runtime's. */
@Singleton
public class GatewayWiring {

    private static final Logger LOG = Logger.getLogger(GatewayWiring.class);

    private final ExecutorService blocking = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "gateway-screenshots");
        thread.setDaemon(true);
        return thread;
    });

    @Produces
    @Singleton
    InboundFrames frames(GatewaySettings settings) {
        return new InboundFrames(EventValidator.standard(), settings.maxFrameSize().asLongValue(), settings.maxEventSize().asLongValue());
    }

    @Produces
    @Singleton
    DeviceCredentials credentials(GatewaySettings settings, Clock clock) {
        byte[] key;
        if (settings.credentials().secret().isPresent()) {
            key = DeviceCredentials.key(settings.credentials().secret().get());
        } else {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            LOG.warn("autoglm.gateway.credentials.secret is not set: device credentials are signed with a key of this process alone "
                    + "(other replicas refuse them, and devices must enrol again after a restart)");
        }
        return new DeviceCredentials(key, settings.credentials().issuer(), settings.credentials().lifetime(), clock);
    }

    @Produces
    @Singleton
    UpgradeAuthentication authentication(JWTParser parser, GatewaySettings settings, DeviceCredentials credentials, Clock clock) {
        BearerTokens enrolment = new BearerTokens(parser, settings.enrolment().maxTokenLifetime(), clock, "this gateway");
        return new UpgradeAuthentication(enrolment, settings.enrolment().tenantClaim(), credentials,
                TenantCertificates.load(settings.tenantCa()), clock);
    }

    @Produces
    @Singleton
    BlobStore blobs(GatewaySettings settings, Clock clock) {
        return BlobStores.fromUri(settings.screenshots().store(), clock);
    }

    void close(@Disposes BlobStore blobs) {
        blobs.close();
    }

    @Produces
    @Singleton
    ScreenshotSink screenshots(GatewaySettings settings, BlobStore blobs, Vertx vertx, Clock clock) {
        Duration every = settings.screenshots().sweepInterval();
        if (!every.isZero() && !every.isNegative()) {
            vertx.setPeriodic(every.toMillis(), id -> blocking.execute(() -> {
                try {
                    int swept = blobs.sweepExpired(clock.instant());
                    LOG.debugf("swept %d expired screenshot(s) from %s", swept, blobs.location());
                } catch (RuntimeException e) {
                    LOG.warnf("sweeping the expired screenshots of %s: %s", blobs.location(), e.getMessage());
                }
            }));
        }
        return new BlobScreenshots(blobs, settings.screenshots().ttl(), blocking);
    }

    @Produces
    @Singleton
    TopicTails tails(PulsarClient client) {
        return new TopicTails(client);
    }

    void close(@Disposes TopicTails tails) {
        tails.close();
    }

    @Produces
    @Singleton
    DeviceSessions sessions(GatewaySettings settings, InboundFrames frames, EventIngress ingress, PulsarEventPublisher publisher,
                            Topics topics, TopicTails tails, ScreenshotSink screenshots, DeviceCredentials credentials, Clock clock) {
        String replica = settings.replica().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            return host != null && !host.isBlank() ? host : "gateway-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        });
        return new DeviceSessions(replica, frames, new SessionFrames(replica), ingress, publisher, topics, tails, screenshots,
                credentials, clock, settings.registrationTimeout());
    }

    @jakarta.annotation.PreDestroy
    void shutdown() {
        blocking.shutdown();
    }
}
