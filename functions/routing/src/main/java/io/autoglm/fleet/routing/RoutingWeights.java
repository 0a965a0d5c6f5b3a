package io.autoglm.fleet.routing;

import java.util.Locale;

/**
 * How LOAD_BALANCE weighs a device: {@code capability * c + (1 - load) * l + responsiveness * r}, each
 * term in [0, 1]. The weights are normalised to sum to 1, so the score is in [0, 1] too.
 */
public record RoutingWeights(double capability, double load, double responsiveness) {

    /** The design's defaults: capability 0.6, spare capacity 0.3, responsiveness 0.1. */
    public static final RoutingWeights DEFAULT = new RoutingWeights(0.6, 0.3, 0.1);

    /** Round-trip time at which responsiveness is one half. */
    static final double HALF_RESPONSIVE_RTT_MS = 100.0;

    public RoutingWeights {
        if (capability < 0 || load < 0 || responsiveness < 0 || capability + load + responsiveness <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "routing weights must be >= 0 and not all 0, got capability %s, load %s, responsiveness %s", capability, load, responsiveness));
        }
        double sum = capability + load + responsiveness;
        capability /= sum;
        load /= sum;
        responsiveness /= sum;
    }

    /** Responsiveness in (0, 1]: 1 at no delay, 1/2 at {@value #HALF_RESPONSIVE_RTT_MS} ms. */
    static double responsiveness(double rttMs) {
        return HALF_RESPONSIVE_RTT_MS / (HALF_RESPONSIVE_RTT_MS + Math.max(0, rttMs));
    }

    double score(DeviceEntry entry) {
        return capability * entry.profile.capability + load * (1 - entry.load()) + responsiveness * responsiveness(entry.rttMs());
    }

    /** The score with its terms, for a decision's reason. */
    String explain(DeviceEntry entry) {
        return String.format(Locale.ROOT, "score %.2f (capability %.2f, load %.2f, responsiveness %.2f)", score(entry),
                entry.profile.capability, entry.load(), responsiveness(entry.rttMs()));
    }
}
