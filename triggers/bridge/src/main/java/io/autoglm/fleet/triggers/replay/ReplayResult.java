package io.autoglm.fleet.triggers.replay;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay of a tenant's dead letters did.
 *
 * @param tenant       whose dead letters
 * @param replayed     dead letters put back on their original topic (and taken off the dead letters)
 * @param skipped      dead letters the filter did not match; they stay for a later replay
 * @param byTrigger    replayed, per Trigger that had dead-lettered them ({@value DeadLetterReplay#NO_TRIGGER}: a function's own)
 * @param unreplayable dead letters the filter matched that cannot be put back (their topic is not the tenant's, their
 *                     type is unknown, or the write failed); they stay in the dead letters
 * @param problems     why, for the first of them
 */
public record ReplayResult(String tenant, long replayed, long skipped, Map<String, Long> byTrigger, long unreplayable,
        List<String> problems) {

    public ReplayResult {
        byTrigger = Collections.unmodifiableMap(new TreeMap<>(byTrigger));
        problems = List.copyOf(problems);
    }
}
