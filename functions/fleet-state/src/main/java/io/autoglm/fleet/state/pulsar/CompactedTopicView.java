package io.autoglm.fleet.state.pulsar;

import io.autoglm.fleet.events.Failures;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A compacted topic read into a map: the latest value per key, tombstones removing keys, and listeners
 * told of every change. It does what Pulsar's {@code TableView} does, with one guarantee that one lacks
 * (up to 4.2 at least; apache/pulsar#26566): {@link #refreshAsync()} completes only once every message up
 * to the topic's last one has been <em>applied</em>. The {@code TableView} records a message's position
 * before it decodes and applies the value, so a refresh racing with that decode completed while the
 * table still missed the value: a heartbeat of a device registered a moment before was then refused as
 * unknown. Here a message's position is published only after its value is in the map and the listeners
 * have heard of it.
 *
 * <p>One read loop per view applies messages in log order on the client's threads; the map is safe to
 * read from any thread. A read error other than the reader's closing is retried after a short pause.
 */
final class CompactedTopicView<V> implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CompactedTopicView.class.getName());
    private static final long RETRY_MILLIS = 50;

    private final Reader<V> reader;
    private final Map<String, V> data = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, V>> listeners = new ArrayList<>();
    private final Queue<Catchup> catchups = new ConcurrentLinkedQueue<>();
    private volatile MessageId applied;
    private volatile boolean closed;

    private CompactedTopicView(Reader<V> reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** Opens a view of {@code topic}; completes once it holds everything the topic held when it opened. */
    static <V> CompletableFuture<CompactedTopicView<V>> open(PulsarClient client, Schema<V> schema, String topic) {
        return client.newReader(schema)
                .topic(topic)
                .startMessageId(MessageId.earliest)
                .readCompacted(true)
                .createAsync()
                .thenCompose(reader -> {
                    CompactedTopicView<V> view = new CompactedTopicView<>(reader);
                    view.readNext();
                    return view.refreshAsync().thenApply(caughtUp -> view)
                            .whenComplete((opened, failure) -> {
                                if (failure != null) {
                                    view.closeAsync();
                                }
                            });
                });
    }

    V get(String key) {
        return data.get(key);
    }

    int size() {
        return data.size();
    }

    void forEach(BiConsumer<String, V> action) {
        data.forEach(action);
    }

    /** {@code listener} hears of every change applied from now on ({@code null}: the key was removed). */
    void listen(BiConsumer<String, V> listener) {
        synchronized (listeners) {
            listeners.add(listener);
        }
    }

    /** Calls {@code listener} for every key present now, then for every later change, with none missed between. */
    void forEachAndListen(BiConsumer<String, V> listener) {
        synchronized (listeners) {
            data.forEach(listener);
            listeners.add(listener);
        }
    }

    /** Completes once this view has applied every message the topic holds now. */
    CompletableFuture<Void> refreshAsync() {
        return reader.getLastMessageIdsAsync().thenCompose(lastIds -> {
            MessageId last = lastIds.isEmpty() ? null : lastIds.get(0);
            if (last == null || ((MessageIdAdv) last).getEntryId() < 0) {
                return CompletableFuture.completedFuture(null); // an empty topic
            }
            Catchup catchup = new Catchup(last);
            catchups.add(catchup); // first: a message applied from here on settles it
            if (closed) {
                catchup.fail(closedFailure());
            }
            if (catchup.settleIfApplied(applied)) {
                catchups.remove(catchup); // most refreshes find the view caught up: none stays queued on a quiet topic
            }
            return catchup.done;
        });
    }

    CompletableFuture<Void> closeAsync() {
        closed = true;
        return reader.closeAsync().whenComplete((ok, failure) -> failCatchups(closedFailure()));
    }

    private PulsarClientException closedFailure() {
        return new PulsarClientException.AlreadyClosedException("the view of " + reader.getTopic() + " is closed");
    }

    @Override
    public void close() {
        closeAsync().join();
    }

    /**
     * The read loop. Messages already queued in the client come back as completed futures: those are taken in
     * a plain loop, so a long backlog does not nest one callback in another until the stack runs out.
     */
    private void readNext() {
        while (true) {
            CompletableFuture<Message<V>> next = reader.readNextAsync();
            if (!next.isDone()) {
                next.whenComplete((message, failure) -> {
                    if (took(message, failure)) {
                        readNext();
                    }
                });
                return;
            }
            Message<V> message = null;
            Throwable failure = null;
            try {
                message = next.join();
            } catch (CompletionException | CancellationException e) {
                failure = e;
            }
            if (!took(message, failure)) {
                return;
            }
        }
    }

    /** Applies a read message, or handles the read's failure; whether the loop should read on now. */
    private boolean took(Message<V> message, Throwable failure) {
        if (failure == null) {
            apply(message);
            return true;
        }
        if (closed || Failures.unwrap(failure) instanceof PulsarClientException.AlreadyClosedException) {
            failCatchups(Failures.unwrap(failure));
        } else {
            LOG.log(System.Logger.Level.WARNING, "reading " + reader.getTopic() + " failed, retrying: " + Failures.unwrap(failure));
            CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(this::readNext);
        }
        return false;
    }

    /** Applies one message, then publishes its position: a refresh that sees the position sees the value. */
    private void apply(Message<V> message) {
        if (message.hasKey()) {
            V value = message.size() > 0 ? message.getValue() : null;
            String key = message.getKey();
            synchronized (listeners) {
                if (value == null) {
                    data.remove(key);
                } else {
                    data.put(key, value);
                }
                for (BiConsumer<String, V> listener : listeners) {
                    try {
                        listener.accept(key, value);
                    } catch (RuntimeException e) { // a listener's bug must not stop the table
                        LOG.log(System.Logger.Level.ERROR, "a listener of " + reader.getTopic() + " failed on key " + key, e);
                    }
                }
            }
        }
        MessageId position = message.getMessageId();
        applied = position;
        if (!catchups.isEmpty()) {
            catchups.removeIf(catchup -> catchup.settleIfApplied(position));
        }
    }

    private void failCatchups(Throwable failure) {
        catchups.removeIf(catchup -> {
            catchup.fail(failure);
            return true;
        });
    }

    /** A refresh waiting for the view to apply the message at {@code target}. */
    private static final class Catchup {
        final MessageId target;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Catchup(MessageId target) {
            this.target = target;
        }

        boolean settleIfApplied(MessageId position) {
            if (position != null && position.compareTo(target) >= 0) {
                done.complete(null);
                return true;
            }
            return done.isDone();
        }

        void fail(Throwable failure) {
            done.completeExceptionally(failure);
        }
    }
}
