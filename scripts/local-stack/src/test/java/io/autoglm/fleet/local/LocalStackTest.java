package io.autoglm.fleet.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalStackTest {

    @Test
    void everyServiceOfTheStackListensOnLoopbackOnly() {
        assertThat(LocalStack.service(8123, "pulsar://127.0.0.1:6650"))
                .containsEntry("quarkus.http.host", "127.0.0.1")
                .containsEntry("quarkus.http.port", "8123")
                .containsEntry("autoglm.pulsar.service-url", "pulsar://127.0.0.1:6650");
    }
}
