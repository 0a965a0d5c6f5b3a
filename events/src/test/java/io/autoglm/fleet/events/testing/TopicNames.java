package io.autoglm.fleet.events.testing;

import java.util.UUID;

/**
 * Topic names no other test, test run or build shares, so tests on one broker never see each
 * other's messages and never need to clean up.
 */
public final class TopicNames {

    private TopicNames() {
    }

    /** {@code persistent://public/default/<prefix>-<random>}. */
    public static String unique(String prefix) {
        return "persistent://public/default/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    }
}
