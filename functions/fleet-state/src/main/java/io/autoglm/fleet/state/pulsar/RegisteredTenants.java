package io.autoglm.fleet.state.pulsar;

import io.autoglm.fleet.events.pulsar.Topics;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.impl.PulsarClientImpl;
import org.apache.pulsar.common.api.proto.CommandGetTopicsOfNamespace;
import org.apache.pulsar.common.naming.NamespaceName;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Which tenants have a registry on the broker, from the namespace's topic list (the lookup Pulsar's pattern consumers
 * use): a tenant's registry topic exists from its first registration, before any of its devices can send a heartbeat,
 * so a function that lists them can open a tenant's tables before its first event instead of on its path.
 */
public final class RegisteredTenants {

    private RegisteredTenants() {
    }

    /** The tenants with a registry topic in {@code topics}' namespace; none where the client cannot list topics. */
    public static CompletableFuture<Set<String>> list(PulsarClient client, Topics topics) {
        if (!(client instanceof PulsarClientImpl impl)) {
            return CompletableFuture.completedFuture(Set.of());
        }
        return impl.getLookup().getTopicsUnderNamespace(NamespaceName.get(topics.namespace()), CommandGetTopicsOfNamespace.Mode.PERSISTENT,
                        topics.registriesOfAllTenants().pattern(), null)
                .thenApply(found -> {
                    Set<String> tenants = new TreeSet<>();
                    found.getTopics().forEach(topic -> topics.tenantOfRegistry(topic).ifPresent(tenants::add));
                    return tenants;
                });
    }
}
