package io.autoglm.fleet.triggers.knative;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationTest {

    private static final Destination.Reference REGISTRY =
            new Destination.Reference("serving.knative.dev/v1", "Service", "registry", "fleet");

    @Test
    void aReferenceResolvesToTheKnativeServicesClusterAddressUnlessOverridden() {
        Destination destination = new Destination(Optional.of(REGISTRY), Optional.empty());
        assertThat(destination.resolve(Destination.Addresses.clusterLocal(Map.of())))
                .isEqualTo(URI.create("http://registry.fleet.svc.cluster.local"));
        assertThat(destination.resolve(Destination.Addresses.clusterLocal(Map.of("registry", URI.create("http://127.0.0.1:8081/")))))
                .isEqualTo(URI.create("http://127.0.0.1:8081"));
    }

    @Test
    void aRelativeUriIsAppendedToTheReferencedAddress() {
        Destination destination = new Destination(Optional.of(REGISTRY), Optional.of(URI.create("/dead-letters")));
        assertThat(destination.resolve(Destination.Addresses.clusterLocal(Map.of("registry", URI.create("http://127.0.0.1:8081/")))))
                .isEqualTo(URI.create("http://127.0.0.1:8081/dead-letters"));
        assertThat(new Destination(Optional.of(REGISTRY), Optional.of(URI.create("events"))).resolve(Destination.Addresses.clusterLocal(Map.of())))
                .isEqualTo(URI.create("http://registry.fleet.svc.cluster.local/events"));
    }

    @Test
    void anAbsoluteUriAloneIsUsedAsItIs() {
        assertThat(new Destination(Optional.empty(), Optional.of(URI.create("http://example.com:9000/in"))).resolve(reference -> {
            throw new AssertionError("no reference to resolve");
        })).isEqualTo(URI.create("http://example.com:9000/in"));
    }
}
