package io.autoglm.fleet.events.testing;

import java.io.UncheckedIOException;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs an integration test against the build's real Pulsar broker
 * ({@link SharedPulsarBroker}): the broker is ready before the class starts, and test, lifecycle and
 * constructor parameters of type {@link PulsarEndpoints} or {@link PulsarClient} are resolved. The
 * client is one per test class and is closed after the class.
 */
public final class RealPulsarExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealPulsarExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        SharedPulsarBroker.endpoints();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == PulsarEndpoints.class || type == PulsarClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PulsarEndpoints endpoints = SharedPulsarBroker.endpoints();
        if (parameter.getParameter().getType() == PulsarEndpoints.class) {
            return endpoints;
        }
        // stored values that are AutoCloseable are closed with their context: here, after the class
        return classContext(context).getStore(NAMESPACE).computeIfAbsent(PulsarClient.class, key -> {
            try {
                return endpoints.clientBuilder().build();
            } catch (PulsarClientException e) {
                throw new UncheckedIOException(e);
            }
        }, PulsarClient.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }
}
