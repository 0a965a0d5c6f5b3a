package io.autoglm.fleet.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class PerTenantTest {

    @Test
    void aTenantIsOpenedOnceAndAFailedOpeningIsTriedAgainOnTheNextUse() {
        List<String> opened = new ArrayList<>();
        boolean[] fail = {true};
        PerTenant<String> tenants = new PerTenant<>(tenant -> {
            opened.add(tenant);
            return fail[0] ? CompletableFuture.failedFuture(new IllegalStateException("broker down")) : CompletableFuture.completedFuture("open " + tenant);
        });

        assertThat(tenants.of("acme")).isCompletedExceptionally();
        fail[0] = false;
        assertThat(tenants.of("acme").join()).isEqualTo("open acme");
        assertThat(tenants.of("acme").join()).isEqualTo("open acme");
        assertThat(tenants.of("globex").join()).isEqualTo("open globex");

        assertThat(opened).containsExactly("acme", "acme", "globex");
        assertThat(tenants.openings()).hasSize(2);
        tenants.clear();
        assertThat(tenants.openings()).isEmpty();
    }
}
