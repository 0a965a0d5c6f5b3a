package io.autoglm.fleet.triggers.dispatcher;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dispatcher's settings; {@code autoglm.dispatcher.*}. */
@ConfigMapping(prefix = "autoglm.dispatcher")
public interface DispatcherSettings {

    /**
     * A YAML file or a directory of them holding the Trigger objects: {@code knative/base/triggers}
     * locally, the mounted {@code fleet-triggers} ConfigMap in a cluster. Other kinds in the files are skipped.
     */
    @WithDefault("/etc/autoglm/triggers")
    Path triggers();

    /** The namespace of Triggers that do not name one, and of the services they reference. */
    @WithDefault("default")
    String namespace();

    /** Only Triggers of this broker are run; empty runs the Triggers of every broker. */
    @WithDefault("fleet")
    Optional<String> broker();

    /**
     * Names of Triggers not to run, e.g. those whose function is not deployed in this environment
     * (their events stay in Pulsar until a dispatcher runs the Trigger).
     */
    Optional<List<String>> skip();

    /**
     * Where referenced subscribers answer, by service name (e.g. {@code registry=http://127.0.0.1:8081});
     * a service not listed is reached at its Knative address {@code http://<name>.<namespace>.svc.cluster.local}.
     */
    Map<String, URI> subscribers();

    /**
     * Most requests in flight to one Trigger's subscriber (keep-alive connections). A device's events
     * go one at a time, so this also bounds how many devices are served at once.
     */
    @WithDefault("64")
    int concurrency();

    /**
     * Most requests in flight on one connection to a quick subscriber (HTTP/1.1 pipelining; 1 turns it off). While a
     * subscriber answers within a few milliseconds its requests gather on few connections and share their system calls;
     * a slower one (inference) gets one request per connection, so it sees the whole {@link #concurrency()}.
     */
    @WithDefault("8")
    int pipelining();

    /**
     * Most events of one Trigger taken from Pulsar and not yet acknowledged (and the size of Pulsar's receiver
     * queue). Four per connection keeps the connections busy; more only adds to what each garbage collection copies.
     */
    @WithDefault("256")
    int maxPending();

    /** Limit of one delivery attempt, for Triggers without {@code delivery.timeout}. */
    @WithDefault("30s")
    Duration attemptTimeout();

    /** How long opening a connection to a subscriber may take. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** How often the pattern subscriptions look for new tenants' topics. */
    @WithDefault("5s")
    Duration topicDiscovery();

    /** Wait before Pulsar redelivers an event whose reply or dead letter could not be written. */
    @WithDefault("1s")
    Duration redeliveryDelay();

    /**
     * Longest pause of a Trigger whose subscriber cannot be connected to (refused, no route, connect timeout). While paused its
     * events stay in Pulsar and are not dead-lettered; after this long, those that cannot be delivered go to the dead letters
     * (from where {@code POST /dead-letters/replay} puts them back).
     */
    @WithDefault("5m")
    Duration maxPause();

    /** Wait before the first probe of an unreachable subscriber; each next probe waits twice as long, up to {@link #maxProbeInterval()}. */
    @WithDefault("1s")
    Duration probeInterval();

    /**
     * Longest wait between two probes of an unreachable subscriber, and so the longest a subscriber that is back waits for
     * its events. A probe is one connection attempt.
     */
    @WithDefault("5s")
    Duration maxProbeInterval();

    /** On shutdown, how long events in hand may take to finish before Pulsar redelivers them elsewhere. */
    @WithDefault("10s")
    Duration shutdownGrace();

    /** How often the counts of every Trigger are logged; 0 turns the log line off. */
    @WithDefault("30s")
    Duration statsInterval();

    /**
     * The Pulsar admin (web service) URL, e.g. {@code http://pulsar:8080}: with it, each Trigger's subscription backlog
     * is read from the broker's topic stats every {@link #backlogInterval()} ({@code autoglm_dispatcher_backlog});
     * without it there is no backlog figure.
     */
    Optional<URI> adminUrl();

    /** How often each Trigger's subscription backlog is read (one stats request per topic the Trigger reads). */
    @WithDefault("15s")
    Duration backlogInterval();
}
