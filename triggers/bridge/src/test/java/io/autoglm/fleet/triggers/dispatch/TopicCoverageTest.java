package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.pulsar.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TopicCoverageTest {

    private final Topics topics = Topics.defaults();
    private final String acme = topics.events("acme", EventFamily.HEARTBEAT);
    private final String globex = topics.events("globex", EventFamily.HEARTBEAT);
    private final List<String> existing = List.of(acme, globex, topics.events("acme", EventFamily.DEVICE), topics.registry("acme"));

    @Test
    void aTopicMissingAtTwoChecksInARowCallsForSubscribingAgain() {
        TopicCoverage coverage = new TopicCoverage(topics.allTenants(EventFamily.HEARTBEAT));

        assertThat(coverage.check(existing, List.of(acme))).as("maybe being subscribed right now").isEmpty();
        assertThat(coverage.check(existing, List.of(acme))).containsExactly(globex);
    }

    @Test
    void topicsOutsideThePatternAndTopicsFoundInBetweenDoNotCount() {
        TopicCoverage coverage = new TopicCoverage(topics.allTenants(EventFamily.HEARTBEAT));

        assertThat(coverage.check(existing, List.of(acme, globex))).isEmpty();
        assertThat(coverage.check(existing, List.of(acme))).isEmpty();
        assertThat(coverage.check(existing, List.of(acme, globex))).as("subscribed in between").isEmpty();
        assertThat(coverage.check(existing, List.of(acme))).isEmpty();
        coverage.reset();
        assertThat(coverage.check(existing, List.of(acme))).as("starts over after a reset").isEmpty();
        assertThat(coverage.check(existing, List.of(acme))).isEqualTo(Set.of(globex));
    }
}
