package io.autoglm.fleet.functions.commands;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Removes ended commands past {@code autoglm.commands.retention} every {@code autoglm.commands.retention-sweep}
 * ({@link CommandService#forgetEnded}): without it every command ever sent stays in the compacted table and in memory.
 */
@Singleton
public class CommandRetention {

    private static final System.Logger LOG = System.getLogger(CommandRetention.class.getName());

    @Inject
    CommandSettings settings;
    /** Only once a sweep runs: the service connects to Pulsar when it is built. */
    @Inject
    Provider<CommandService> commands;

    private ScheduledExecutorService sweeper;

    void start(@Observes StartupEvent started) {
        long every = settings.retentionSweep().toMillis();
        if (settings.retention().isZero() || every <= 0) {
            return;
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "commands-retention");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    private void sweep() {
        try {
            int removed = commands.get().forgetEnded(settings.retention()).get(5, TimeUnit.MINUTES);
            if (removed > 0) {
                LOG.log(System.Logger.Level.INFO, "removed {0} command(s) ended more than {1} ago", removed, settings.retention());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "removing ended commands failed, tried again at the next sweep: " + e);
        }
    }
}
