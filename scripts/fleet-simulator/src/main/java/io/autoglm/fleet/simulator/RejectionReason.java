package io.autoglm.fleet.simulator;

import java.util.regex.Pattern;

/**
 * A router's rejection problem in words that count: the same reason for every command it applies to, without
 * the ids, tenants and counts of one occasion, so the live status can say how many were rejected for what.
 */
final class RejectionReason {

    private static final Pattern COMMAND_PREFIX = Pattern.compile("^command \\S+: ");
    private static final Pattern NO_DEVICE = Pattern.compile("^no ONLINE device of tenant \\S+ has .*");
    private static final Pattern NOT_REGISTERED = Pattern.compile("^device \\S+ is not registered in tenant \\S+$");
    private static final Pattern NAMED_DEVICE = Pattern.compile("^device \\S+ ");
    private static final Pattern MEMORY = Pattern.compile("has \\d+ MB of memory, \\d+ MB are required");

    private RejectionReason() {
    }

    static String of(String problem) {
        String reason = COMMAND_PREFIX.matcher(problem).replaceFirst("");
        if (NO_DEVICE.matcher(reason).matches()) {
            return "no ONLINE device has what it asks";
        }
        if (NOT_REGISTERED.matcher(reason).matches()) {
            return "the device it names is not registered";
        }
        reason = NAMED_DEVICE.matcher(reason).replaceFirst("the device it names ");
        return MEMORY.matcher(reason).replaceAll("has too little memory");
    }
}
