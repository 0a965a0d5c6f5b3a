package io.autoglm.fleet.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentVersionTest {

    @Test
    void versionsOrderBySemverPrecedence() {
        assertThat(AgentVersion.parse("1.10.0")).isGreaterThan(AgentVersion.parse("1.9.9"));
        assertThat(AgentVersion.parse("2.0.0-rc.1")).isLessThan(AgentVersion.parse("2.0.0"));
        assertThat(AgentVersion.parse("2.0.0+build.7")).isEqualByComparingTo(AgentVersion.parse("2.0.0"));
        assertThat(AgentVersion.parse("1.4.2")).hasToString("1.4.2");
    }

    @Test
    void somethingElseIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> AgentVersion.parse("v1.4")).hasMessageContaining("not a semantic version like 1.4.2");
    }
}
