package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.commands.CommandLifecycle;
import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.pulsar.PulsarStateTopic;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;

import java.time.Clock;

/** The command lifecycle and the command state table it reads and writes on Pulsar, for {@link CommandsFunction}. */
@Singleton
public class CommandsWiring {

    @Produces
    @Singleton
    CommandLifecycle lifecycle(CommandSettings settings) {
        return new CommandLifecycle(settings.deliveryTtl(), settings.executionTimeout());
    }

    @Produces
    @Singleton
    CommandService service(CommandLifecycle lifecycle, StateTopic<CommandRecord> commands, EventPublisher publisher, Clock clock) {
        return new CommandService(lifecycle, commands, publisher, clock);
    }

    /** Each tenant's compacted {@code command-state} topic, written only here. */
    @Produces
    @Singleton
    StateTopic<CommandRecord> commands(PulsarClient client, Topics topics) {
        return PulsarStateTopic.commands(client, topics).writtenHere();
    }

    void close(@Disposes StateTopic<CommandRecord> commands) {
        commands.close();
    }
}
