package io.autoglm.fleet.inference.serving;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Measures what scale-to-zero costs a caller: from the moment the process started (as the OS saw
 * it, JVM start-up included) to the first inference answered, and to the moment every model was
 * loaded and warm. Logged once and reported to the observer.
 */
public final class ColdStart {

    private static final Logger LOG = Logger.getLogger(ColdStart.class.getName());

    private final Instant processStart;
    private final Clock clock;
    private final InferenceObserver observer;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile Duration toReady;
    private volatile Duration toFirstAnswer;

    public ColdStart(Instant processStart, Clock clock, InferenceObserver observer) {
        this.processStart = Objects.requireNonNull(processStart, "processStart");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** When this process started: the OS's start time, else the JVM's. */
    public static Instant processStart() {
        return ProcessHandle.current().info().startInstant()
                .orElseGet(() -> Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    public void ready() {
        if (toReady == null) {
            toReady = Duration.between(processStart, clock.instant());
            LOG.info(() -> "models loaded and warm " + toReady.toMillis() + " ms after process start");
        }
    }

    public void answered() {
        if (answered.compareAndSet(false, true)) {
            toFirstAnswer = Duration.between(processStart, clock.instant());
            LOG.info(() -> "cold start: first inference answered " + toFirstAnswer.toMillis() + " ms after process start"
                    + (toReady == null ? "" : " (models ready after " + toReady.toMillis() + " ms)"));
            observer.coldStart(toFirstAnswer, toReady == null ? toFirstAnswer : toReady);
        }
    }

    public Optional<Duration> toFirstAnswer() {
        return Optional.ofNullable(toFirstAnswer);
    }

    public Optional<Duration> toReady() {
        return Optional.ofNullable(toReady);
    }
}
