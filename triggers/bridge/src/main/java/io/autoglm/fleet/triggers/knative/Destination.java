package io.autoglm.fleet.triggers.knative;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Knative Destination ({@code subscriber}, {@code deadLetterSink}): a reference to an addressable
 * object, a URI, or both, in which case the URI is resolved against the referenced object's address.
 */
public record Destination(Optional<Reference> ref, Optional<URI> uri) {

    public Destination {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(uri, "uri");
        if (ref.isEmpty() && uri.isEmpty()) {
            throw new IllegalArgumentException("a destination needs a ref or a uri");
        }
        if (ref.isEmpty() && !uri.get().isAbsolute()) {
            throw new IllegalArgumentException("a destination without a ref needs an absolute uri, got " + uri.get());
        }
    }

    /** The URL to deliver to, given where referenced objects are reachable. */
    public URI resolve(Addresses addresses) {
        if (ref.isEmpty()) {
            return uri.get();
        }
        String base = addresses.of(ref.get()).toString().replaceAll("/+$", "");
        String path = uri.map(URI::toString).orElse("");
        return URI.create(path.isEmpty() ? base : base + (path.startsWith("/") ? "" : "/") + path);
    }

    @Override
    public String toString() {
        return ref.map(r -> r + uri.map(u -> " + " + u).orElse("")).orElseGet(() -> uri.get().toString());
    }

    /**
     * A reference to an addressable object, as Knative's {@code KReference}.
     *
     * @param namespace the referenced object's namespace (defaults to the Trigger's)
     */
    public record Reference(String apiVersion, String kind, String name, String namespace) {
        public Reference {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(namespace, "namespace");
        }

        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    /** Where referenced objects are reachable: the cluster's service DNS, or local processes. */
    @FunctionalInterface
    public interface Addresses {
        URI of(Reference reference);

        /**
         * A Knative Service's cluster-local address, {@code http://<name>.<namespace>.svc.cluster.local},
         * unless {@code overrides} names the service (e.g. a local process).
         */
        static Addresses clusterLocal(Map<String, URI> overrides) {
            Map<String, URI> copy = Map.copyOf(overrides);
            return reference -> {
                URI override = copy.get(reference.name());
                return override != null ? override
                        : URI.create("http://" + reference.name() + "." + reference.namespace() + ".svc.cluster.local");
            };
        }
    }
}
