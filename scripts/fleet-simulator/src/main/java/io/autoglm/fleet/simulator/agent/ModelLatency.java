package io.autoglm.fleet.simulator.agent;

import java.time.Duration;
import java.util.Random;

/**
 * How long the simulated model takes, standing for a real model on a GPU: the time to its first token
 * and to the end of its reply, from the request's arrival; each reply varies by up to a fifth either way.
 */
public record ModelLatency(Duration firstToken, Duration total) {

    /** About what AutoGLM-Phone-9B takes on one GPU for a screenshot and a short answer. */
    public static final ModelLatency DEFAULT = new ModelLatency(Duration.ofMillis(350), Duration.ofMillis(1200));
    /** No waiting at all (tests). */
    public static final ModelLatency NONE = new ModelLatency(Duration.ZERO, Duration.ZERO);

    public ModelLatency {
        if (firstToken == null || total == null || firstToken.isNegative() || total.compareTo(firstToken) < 0) {
            throw new IllegalArgumentException("the model's latency needs 0 <= first token <= total, got " + firstToken + " and " + total);
        }
    }

    /** One reply's times, in milliseconds: {@code [firstToken, total]}. */
    long[] sample(Random random) {
        double spread;
        synchronized (random) {
            spread = 0.8 + 0.4 * random.nextDouble();
        }
        long first = Math.round(firstToken.toMillis() * spread);
        return new long[] {first, Math.max(first, Math.round(total.toMillis() * spread))};
    }
}
