package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.commands.Verdict;
import io.autoglm.fleet.events.command.CommandState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

import java.util.Locale;

/**
 * The commands function's figures at {@code /q/metrics}, read from {@link CommandService}'s counters when scraped:
 * transitions into each state ({@code autoglm_commands_transitions_total{state}}: the terminal states are how commands
 * ended), inputs by verdict ({@code autoglm_commands_inputs_total{verdict}}: late, orphan, refused, ...), pending
 * commands sent again on connect, batches completed.
 */
@Singleton
public class CommandsMetrics implements MeterBinder {

    private final CommandService commands;

    CommandsMetrics(CommandService commands) {
        this.commands = commands;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (CommandState state : CommandState.values()) {
            FunctionCounter.builder("autoglm.commands.transitions", commands, c -> c.transitionsInto(state))
                    .description("Commands that moved into the state").tag("state", tag(state.name()))
                    .tag("terminal", Boolean.toString(state.terminal())).register(registry);
        }
        for (Verdict verdict : Verdict.values()) {
            FunctionCounter.builder("autoglm.commands.inputs", commands, c -> c.verdicts(verdict))
                    .description("Inputs (requests, results, deadlines, cancels) by what the lifecycle made of them")
                    .tag("verdict", tag(verdict.name())).register(registry);
        }
        FunctionCounter.builder("autoglm.commands.resent", commands, CommandService::resent)
                .description("Pending commands sent again to a device that connected").register(registry);
        FunctionCounter.builder("autoglm.commands.batches.completed", commands, CommandService::batchesCompleted)
                .description("Batches whose every command ended").register(registry);
    }

    private static String tag(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
