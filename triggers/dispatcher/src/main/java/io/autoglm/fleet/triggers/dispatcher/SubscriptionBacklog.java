package io.autoglm.fleet.triggers.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.triggers.dispatch.TriggerSubscription;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.apache.pulsar.common.naming.TopicName;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One Trigger's subscription backlog, as the broker counts it (its {@code msgBacklog}, summed over the topics the
 * subscription reads): read from the Pulsar admin API's topic stats every {@code autoglm.dispatcher.backlog-interval},
 * not at scrape time, so that a scrape costs no broker call; NaN until the first read and while the broker does not answer.
 * The requests go through a Vert.x client on the dispatcher's event loops (the JDK's client cost ~10 MB of RSS).
 */
final class SubscriptionBacklog {

    private static final Logger LOG = Logger.getLogger(SubscriptionBacklog.class);

    private final TriggerSubscription subscription;
    private final URI admin;
    private final HttpClient http;
    private final Duration timeout;
    private volatile double backlog = Double.NaN;
    private volatile boolean reading;

    SubscriptionBacklog(TriggerSubscription subscription, URI admin, HttpClient http, Duration timeout) {
        this.subscription = subscription;
        this.admin = admin;
        this.http = http;
        this.timeout = timeout;
    }

    /** The last backlog read. */
    double value() {
        return backlog;
    }

    /** Reads the backlog again, unless the last read is still under way. */
    void refresh() {
        if (reading) {
            return;
        }
        reading = true;
        String name = subscription.trigger().subscriptionName();
        List<Future<Long>> topics = new ArrayList<>();
        for (String topic : subscription.topics()) {
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(statsOf(admin, topic).toString())
                    .setFollowRedirects(true).setIdleTimeout(timeout.toMillis());
            topics.add(http.request(request).compose(sent -> sent.send()).compose(response -> response.body().map(body -> {
                if (response.statusCode() == 404) {
                    return 0L; // not created yet
                }
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode() + " for the stats of " + topic);
                }
                return backlogOf(EventJson.tree(body.getBytes()), name);
            })));
        }
        Future.all(topics).onComplete(all -> {
            reading = false;
            if (all.failed()) {
                backlog = Double.NaN;
                LOG.debugf("Trigger %s: backlog not read: %s", subscription.trigger().id(), all.cause().getMessage());
                return;
            }
            backlog = topics.stream().mapToLong(Future::result).sum();
        });
    }

    /** {@code GET <admin>/admin/v2/persistent/<tenant>/<namespace>/<topic>/stats}. */
    static URI statsOf(URI admin, String topic) {
        TopicName name = TopicName.get(topic);
        String base = admin.toString().endsWith("/") ? admin.toString() : admin + "/";
        return URI.create(base + "admin/v2/" + name.getDomain() + "/" + name.getTenant() + "/" + name.getNamespacePortion() + "/"
                + name.getEncodedLocalName() + "/stats");
    }

    /** The {@code msgBacklog} of {@code subscription} in a topic's stats; 0 when it has not subscribed there yet. */
    static long backlogOf(JsonNode stats, String subscription) {
        return stats.path("subscriptions").path(subscription).path("msgBacklog").asLong(0);
    }
}
