package io.autoglm.fleet.service;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TenantAccessTest {

    @Test
    void aTokenWritesItsOwnTenantsTopics() {
        assertThat(TenantAccess.decide("tenant", Optional.of("acme"), Optional.empty()).tenant()).isEqualTo("acme");
        assertThat(TenantAccess.decide("tenant", Optional.of("acme"), Optional.of("acme")).tenant()).isEqualTo("acme");
    }

    @Test
    void anotherTenantsTopicsAreForbidden() {
        TenantAccess.Decision decision = TenantAccess.decide("tenant", Optional.of("acme"), Optional.of("globex"));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.status()).isEqualTo(403);
        assertThat(decision.refusal()).contains("tenant 'acme'").contains("tenant 'globex'").contains("/tenants/acme");
    }

    @Test
    void aTokenWithoutATenantOrWithAMalformedOneWritesNothing() {
        TenantAccess.Decision none = TenantAccess.decide("org", Optional.empty(), Optional.empty());
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.refusal()).contains("no 'org' claim");
        TenantAccess.Decision malformed = TenantAccess.decide("tenant", Optional.of("Acme Corp"), Optional.empty());
        assertThat(malformed.status()).isEqualTo(403);
        assertThat(malformed.refusal()).contains("not a tenant id");
    }
}
