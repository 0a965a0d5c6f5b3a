package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.task.TaskAssigned;
import io.autoglm.fleet.events.task.TaskCanceled;
import io.autoglm.fleet.events.task.TaskCompleted;
import io.autoglm.fleet.events.task.TaskFailed;
import io.autoglm.fleet.events.task.TaskHandedOver;
import io.autoglm.fleet.events.task.TaskPaused;
import io.autoglm.fleet.events.task.TaskRequested;
import io.autoglm.fleet.events.task.TaskStepCompleted;
import io.autoglm.fleet.simulator.agent.AgentModelEndpoint;
import io.autoglm.fleet.simulator.agent.SimulatedAgentModel;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.PulsarClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fleet simulator of the local stack: N devices of several tenants register through the ingress
 * sink, heartbeat with jitter, drop out and come back, while operators send commands and apps send
 * inference bursts. It watches the bus and shows, live, the devices ONLINE/SUSPECT/OFFLINE per tenant,
 * events per second, the router's decisions, inference p50/p99 (from sending the request to its answer's
 * publication on the bus) and the dead letters; the summary comes at the end ({@code --duration}, or SIGTERM/Ctrl-C).
 * With {@code --agent-model-port} it also serves the simulated agent model ({@code autoglm-sim}) that drives the
 * simulated phones' apps over the OpenAI-compatible API.
 */
public final class FleetSimulator {

    private static final Duration TICK = Duration.ofMillis(100);

    private FleetSimulator() {
    }

    /** The simulated agent model alone, until the process is stopped (SIGTERM, Ctrl-C). */
    private static void serveAgentModel(SimulatorOptions options) throws InterruptedException {
        AgentModelEndpoint agentModel = AgentModelEndpoint.start(options.agentModelPort().getAsInt(),
                new SimulatedAgentModel(options.agentModelBadReplies(), options.seed()), options.agentModelLatency(), options.seed());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(agentModel);
            stopped.countDown();
        }, "agent-model-stop"));
        describe(agentModel, options);
        stopped.await();
    }

    private static void stop(AgentModelEndpoint agentModel) {
        System.out.println("The simulated agent model " + SimulatedAgentModel.NAME + " answered " + agentModel.replies() + " requests");
        agentModel.close();
    }

    private static void describe(AgentModelEndpoint agentModel, SimulatorOptions options) {
        say("Simulated agent model %s (a simulation, not a real model) at %s: %.0f%% bad replies, first token %d ms, total %d ms",
                SimulatedAgentModel.NAME, agentModel.baseUrl(), options.agentModelBadReplies() * 100,
                options.agentModelLatency().firstToken().toMillis(), options.agentModelLatency().total().toMillis());
    }

    public static void main(String[] args) throws Exception {
        // the Pulsar client's INFO lines would drown the status: warnings and errors only
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // the console is the status: the Pulsar client's retries while the broker starts are not news (process logs: .local-stack/logs)
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.pulsar", System.getProperty("org.slf4j.simpleLogger.log.org.apache.pulsar", "error"));
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fleet-simulator: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.agentModelOnly()) {
            serveAgentModel(options);
            return;
        }
        FleetStatus status = new FleetStatus();
        TenantTokens tokens = new TenantTokens(TenantTokens.readPrivateKey(options.signingKey()), Duration.ofHours(12));
        Instant start = Instant.now();
        boolean throughGateway = !options.gateways().isEmpty();
        FleetBehaviour behaviour = options.commandsPerSecond().isPresent()
                ? FleetBehaviour.DEFAULT.withCommandsPerSecond(options.commandsPerSecond().getAsDouble() / options.tenants().size())
                : FleetBehaviour.DEFAULT;
        options.warmUp().ifPresent(warmUp -> status.commands().steadyFrom(start.plus(warmUp).toEpochMilli()));
        SimulatedFleet fleet = new SimulatedFleet(options.devices(), options.tenants(), behaviour, options.seed(), start,
                options.missing().contains("registry"), throughGateway);
        SinkClient sink = new SinkClient(options.sink(), tokens, status);
        // the fleet registers first: tasks go from 30 s on
        TaskTraffic tasks = new TaskTraffic(options.tenants(), options.tasksPerMinute(), options.taskModel().orElse(null), fleet.run(),
                options.seed(), start.plusSeconds(30), 0.1);
        GatewayLinks links = throughGateway ? new GatewayLinks(options.gateways(), tokens, status, new CommandExecution(options.seed(), 0.02, options.answerAtOnce())) : null;
        AgentModelEndpoint agentModel = options.agentModelPort().isPresent()
                ? AgentModelEndpoint.start(options.agentModelPort().getAsInt(), new SimulatedAgentModel(options.agentModelBadReplies(), options.seed()),
                        options.agentModelLatency(), options.seed())
                : null;
        PulsarClient client = PulsarClient.builder().serviceUrl(options.pulsar()).build();
        BusObserver observer = new BusObserver(client, new Topics(options.namespace()), status);
        boolean terminal = System.console() != null;
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fleet-simulator");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch finished = new CountDownLatch(1);
        long startNanos = System.nanoTime();

        say("Simulating %d devices of %s against %s for %s%s", options.devices(), String.join(", ", options.tenants()),
                throughGateway ? "the gateway " + options.gateways() + " (operators and apps: " + options.sink() + ")" : options.sink(),
                options.duration().map(StatusBoard::clock).orElse("as long as you like (Ctrl-C stops)"),
                options.missing().isEmpty() ? "" : "; missing functions: " + String.join(", ", options.missing()));
        if (agentModel != null) {
            describe(agentModel, options);
        }
        scheduler.scheduleAtFixedRate(() -> {
            try {
                Instant now = Instant.now();
                for (BusObserver.Registration answered; (answered = observer.nextRegistration()) != null; ) {
                    fleet.registered(answered.requestId(), answered.deviceId(), now);
                }
                for (GatewayLinks.Enrolled enrolled; links != null && (enrolled = links.nextEnrolled()) != null; ) {
                    fleet.enrolled(enrolled.device(), enrolled.deviceId(), now);
                }
                for (BusObserver.StatusChange change; (change = observer.nextStatusChange()) != null; ) {
                    fleet.statusChanged(change.deviceId(), change.status());
                }
                for (BusObserver.TaskEvent task; (task = observer.nextTaskEvent()) != null; ) {
                    Outgoing answer = taskEvent(task, status.tasks(), tasks, fleet);
                    if (answer != null) {
                        sink.send(answer);
                    }
                }
                for (Outgoing task : tasks.due(now)) {
                    String taskId = Events.payload(task.events().get(0), TaskRequested.class).taskId();
                    status.tasks().submitted(taskId, System.currentTimeMillis());
                    sink.send(task).thenAccept(answer -> {
                        if (answer < 200 || answer >= 300) {
                            status.tasks().notAccepted(taskId);
                        }
                    });
                }
                for (Outgoing outgoing : fleet.tick(now)) {
                    long sentAt = System.currentTimeMillis();
                    List<String> commandIds = new ArrayList<>();
                    for (CloudEvent event : outgoing.events()) {
                        if (event.getType().equals(EventType.INFERENCE_REQUESTED.type())) {
                            status.inferenceSent(Events.payload(event, InferenceRequested.class).requestId(), sentAt);
                        } else if (event.getType().equals(EventType.COMMAND_REQUESTED.type())) {
                            CommandRequested command = Events.payload(event, CommandRequested.class);
                            book(status.commands(), command, sentAt);
                            commandIds.add(command.commandId());
                        } else if (event.getType().equals(EventType.COMMAND_BATCH_REQUESTED.type())) {
                            CommandBatchRequested batch = Events.payload(event, CommandBatchRequested.class);
                            batch.commands().forEach(command -> book(status.commands(), command, sentAt));
                            batch.commands().forEach(command -> commandIds.add(command.commandId()));
                            status.commands().batch(batch.batchId(), batch.commands().stream().map(CommandRequested::commandId).toList());
                        }
                    }
                    if (outgoing.mode() == Outgoing.Mode.SOCKET) {
                        links.send(outgoing.device(), outgoing.events().get(0));
                    } else {
                        sink.send(outgoing).thenAccept(answer -> {
                            if (answer < 200 || answer >= 300) {
                                // skipped, or the sink did not take it: no command the fleet knows of
                                commandIds.forEach(status.commands()::notAccepted);
                            }
                        });
                    }
                }
            } catch (RuntimeException e) {
                System.err.println("fleet-simulator: tick failed: " + e);
            }
        }, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);

        FleetStatus.Snapshot[] previous = {status.snapshot()};
        int[] printedLines = {0};
        scheduler.scheduleAtFixedRate(() -> {
            FleetStatus.Snapshot now = status.snapshot();
            List<String> lines = StatusBoard.live(Duration.ofNanos(System.nanoTime() - startNanos), now, previous[0]);
            previous[0] = now;
            StringBuilder out = new StringBuilder();
            if (terminal && printedLines[0] > 0) {
                out.append("\u001b[").append(printedLines[0]).append("F"); // back to the block's first line, rewrite it
            }
            lines.forEach(line -> out.append(terminal ? "\u001b[2K" : "").append(line).append('\n'));
            printedLines[0] = lines.size();
            System.out.print(out);
            System.out.flush();
        }, 2, terminal ? 2 : 10, TimeUnit.SECONDS);

        Thread summary = new Thread(() -> {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(1, TimeUnit.SECONDS);
                // nothing new is sent: what is on its way gets its answer (or its timeout) before the counts are final
                sink.awaitAnswers(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            StatusBoard.summary(Duration.ofNanos(System.nanoTime() - startNanos), status.snapshot(), options.missing())
                    .forEach(System.out::println);
            if (agentModel != null) {
                stop(agentModel);
            }
            System.out.flush();
            observer.close();
            if (links != null) {
                links.close();
            }
            client.closeAsync();
            finished.countDown();
        }, "fleet-simulator-summary");
        Runtime.getRuntime().addShutdownHook(summary);
        if (options.duration().isPresent()) {
            Thread.sleep(options.duration().get().toMillis());
            Runtime.getRuntime().removeShutdownHook(summary);
            summary.start();
            finished.await(10, TimeUnit.SECONDS);
            System.exit(0);
        } else {
            finished.await();
        }
    }

    /**
     * A task's life event into the book; a paused step is answered as an operator would (for a take-over, after signing
     * in on the phone): the answer to send, or null.
     */
    private static Outgoing taskEvent(BusObserver.TaskEvent event, TaskBook book, TaskTraffic tasks, SimulatedFleet fleet) {
        switch (event.type()) {
            case TASK_ASSIGNED -> book.assigned(((TaskAssigned) event.payload()).taskId());
            case TASK_STEP_COMPLETED -> {
                TaskStepCompleted step = (TaskStepCompleted) event.payload();
                book.step(step.taskId(), step.step().timings());
            }
            case TASK_HANDED_OVER -> book.handedOver(((TaskHandedOver) event.payload()).taskId());
            case TASK_COMPLETED -> book.ended(((TaskCompleted) event.payload()).taskId(), TaskBook.State.COMPLETED, null, event.at());
            case TASK_FAILED -> {
                TaskFailed failed = (TaskFailed) event.payload();
                book.ended(failed.taskId(), TaskBook.State.FAILED, String.valueOf(failed.reason()), failed.detail(), event.at());
            }
            case TASK_CANCELED -> book.ended(((TaskCanceled) event.payload()).taskId(), TaskBook.State.CANCELED, null, event.at());
            case TASK_CONFIRMATION_REQUESTED, TASK_TAKEOVER_REQUESTED -> {
                TaskPaused paused = (TaskPaused) event.payload();
                book.paused(paused.taskId());
                boolean takeOver = event.type() == EventType.TASK_TAKEOVER_REQUESTED;
                if (takeOver && paused.deviceId() != null) {
                    fleet.device(paused.deviceId()).ifPresent(device -> device.phone().takeOver());
                }
                CloudEvent answer = tasks.answer(event.tenant(), event.type(), paused);
                book.answered(paused.taskId(), !takeOver, answer.getType().equals(EventType.TASK_CONFIRMATION_GIVEN.type()));
                return Outgoing.binary(event.tenant(), answer);
            }
            default -> {
            }
        }
        return null;
    }

    /** The commands function's execution timeout when a command names none (autoglm.commands.default-timeout). */
    private static final long DEFAULT_TIMEOUT_MS = 60_000;
    private static final long DEFAULT_TTL_MS = 60_000;

    private static void book(CommandBook book, CommandRequested command, long sentAt) {
        book.requested(command.commandId(), sentAt, command.ttlMs() == null ? DEFAULT_TTL_MS : command.ttlMs(),
                command.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : command.timeoutMs());
    }

    private static void say(String format, Object... arguments) {
        System.out.println(String.format(format, arguments));
    }
}
