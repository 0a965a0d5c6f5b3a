package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.events.EventJson;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriptionBacklogTest {

    @Test
    void aTopicsStatsAreAskedOfTheAdminApiByItsRestPath() {
        assertThat(SubscriptionBacklog.statsOf(URI.create("http://pulsar:8080"), "persistent://public/fleet/fleet.acme.heartbeat"))
                .isEqualTo(URI.create("http://pulsar:8080/admin/v2/persistent/public/fleet/fleet.acme.heartbeat/stats"));
        assertThat(SubscriptionBacklog.statsOf(URI.create("http://pulsar:8080/"), "persistent://public/fleet/fleet.acme.heartbeat"))
                .hasPath("/admin/v2/persistent/public/fleet/fleet.acme.heartbeat/stats");
    }

    @Test
    void theBacklogIsTheSubscriptionsMsgBacklogAndNoneBeforeItSubscribed() {
        var stats = EventJson.tree("""
                {"msgInCounter": 12, "subscriptions": {"fleet-heartbeat": {"msgBacklog": 7, "type": "Key_Shared"},
                 "other": {"msgBacklog": 100}}}""".getBytes(StandardCharsets.UTF_8));

        assertThat(SubscriptionBacklog.backlogOf(stats, "fleet-heartbeat")).isEqualTo(7);
        assertThat(SubscriptionBacklog.backlogOf(stats, "fleet-registry")).isZero();
    }
}
