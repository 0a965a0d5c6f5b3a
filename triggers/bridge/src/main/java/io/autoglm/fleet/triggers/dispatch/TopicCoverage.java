package io.autoglm.fleet.triggers.dispatch;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Whether a pattern subscription reads every topic its pattern matches. Pulsar's pattern consumer
 * gives up on a topic it found while the broker was unavailable (the subscribe failed, yet the topic
 * list it compares against was updated), so the topic would never be read. A topic missing at two
 * checks in a row (not merely being subscribed right now) calls for subscribing again.
 */
final class TopicCoverage {

    private final Pattern pattern;
    private Set<String> missingBefore = Set.of();

    TopicCoverage(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * @param existing topics the broker has in the namespace
     * @param reading  topics the subscription reads now
     * @return the topics missing at this check and the one before: non-empty means subscribe again
     */
    Set<String> check(Collection<String> existing, Collection<String> reading) {
        Set<String> missing = new TreeSet<>();
        for (String topic : existing) {
            if (pattern.matcher(topic).matches() && !reading.contains(topic)) {
                missing.add(topic);
            }
        }
        Set<String> persistent = new TreeSet<>(missing);
        persistent.retainAll(missingBefore);
        missingBefore = missing;
        return persistent;
    }

    /** After subscribing again, start over. */
    void reset() {
        missingBefore = Set.of();
    }
}
