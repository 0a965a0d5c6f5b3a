package io.autoglm.fleet.functions.registry;

import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.registry.AgentVersion;
import io.autoglm.fleet.registry.DeclarationRules;
import io.autoglm.fleet.registry.DeviceIdentity;
import io.autoglm.fleet.registry.Registrar;
import io.autoglm.fleet.state.FleetState;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** The registry's decision core and its state on Pulsar, for injection into {@link RegistryFunction}. */
@Singleton
public class RegistryWiring {

    private static final Logger LOG = Logger.getLogger(RegistryWiring.class);

    @Produces
    @Singleton
    Registrar registrar(RegistrySettings settings) {
        if (RegistrySettings.DEVELOPMENT_KEY.equals(settings.fingerprintKey())) {
            LOG.warn("autoglm.registry.fingerprint-key is the built-in development key: set a secret of your own before real devices register");
        }
        return new Registrar(new DeviceIdentity(settings.fingerprintKey().getBytes(StandardCharsets.UTF_8)),
                new DeclarationRules(AgentVersion.parse(settings.minimumAgentVersion())));
    }

    @Produces
    @Singleton
    RegistryService service(Registrar registrar, FleetState state, Clock clock) {
        return new RegistryService(registrar, state, clock);
    }

    @Produces
    @Singleton
    FleetState state(PulsarClient client, Topics topics) {
        return FleetState.onPulsar(client, topics);
    }

    void close(@Disposes FleetState state) {
        state.close();
    }

}
