package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.testing.InMemoryStateTopic;
import io.autoglm.fleet.state.testing.RecordingPublisher;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The function's state, publisher and clock in memory, so its tests need no broker and control time; off for the tests on
 * the real broker ({@code commands-test.in-memory=false}, {@link CommandsFunctionIT}).
 */
@Singleton
@IfBuildProperty(name = "commands-test.in-memory", stringValue = "true", enableIfMissing = true)
public class TestState {

    static final InMemoryStateTopic<CommandRecord> COMMANDS = new InMemoryStateTopic<>();
    /** What the function published (events) and scheduled (deadlines). */
    static final RecordingPublisher PUBLISHED = new RecordingPublisher();
    /** Starts at the real time: the queries' tokens are issued now, and a clock a day behind them finds them too long-lived. */
    static final ManualClock CLOCK = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    StateTopic<CommandRecord> commands() {
        return COMMANDS;
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    EventPublisher publisher() {
        return PUBLISHED;
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock clock() {
        return CLOCK;
    }

    /** The queries' tokens: the test key pair's public half. */
    public static class Keys implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
        }

        @Override
        public void stop() {
        }
    }
}
