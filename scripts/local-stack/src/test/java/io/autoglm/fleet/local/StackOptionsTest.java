package io.autoglm.fleet.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackOptionsTest {

    @Test
    void defaultsAreTwoHundredDevicesOfTwoTenantsUntilStopped() {
        StackOptions options = StackOptions.parse(new String[0]);
        assertThat(options.devices()).isEqualTo(200);
        assertThat(options.tenants()).containsExactly("acme", "globex");
        assertThat(options.duration()).isEmpty();
        assertThat(options.simulate()).isTrue();
    }

    @Test
    void readsEveryOption() {
        StackOptions options = StackOptions.parse(new String[] {"--devices", "50", "--tenants", "a,b,c", "--duration", "90s",
                "--seed", "7", "--no-simulator", "--rebuild", "--commands-per-second", "300", "--answer-at-once", "--warm-up", "1m"});
        assertThat(options).isEqualTo(new StackOptions(50, List.of("a", "b", "c"), java.util.Optional.of(Duration.ofSeconds(90)), false, 7,
                java.util.Optional.of(300.0), true, java.util.Optional.of(Duration.ofMinutes(1))));
        assertThat(StackOptions.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(StackOptions.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aMistakeSaysWhatIsExpected() {
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--devices", "many"})).hasMessageContaining("whole number > 0, got 'many'");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--duration", "soon"})).hasMessageContaining("90s, 5m, 1h or PT2M");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--commands-per-second", "-1"})).hasMessageContaining("a number >= 0, got '-1'");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--devise", "5"})).hasMessageContaining("unknown option --devise")
                .hasMessageContaining("Usage: scripts/run-local");
    }
}
