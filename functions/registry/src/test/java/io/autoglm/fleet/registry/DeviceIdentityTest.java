package io.autoglm.fleet.registry;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceIdentityTest {

    private static final byte[] KEY = "a-test-key-of-32-bytes-or-so!!!!".getBytes(StandardCharsets.UTF_8);
    private final DeviceIdentity identity = new DeviceIdentity(KEY);

    @Test
    void theSameFingerprintGivesTheSameIdWhateverItsOrderCaseOrMacPunctuation() {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("serial", "R5CT1234ABC");
        first.put("mac", "3c:22:fb:01:02:03");
        Map<String, String> second = new LinkedHashMap<>();
        second.put("MAC", " 3C-22-FB-01-02-03 ");
        second.put("serial", "r5ct1234abc");

        assertThat(identity.of("acme", first)).isEqualTo(identity.of("acme", second));
    }

    @Test
    void theIdMatchesTheContractPatternAndCarriesNoRawInput() {
        DeviceIdentity.Identity id = identity.of("acme", Map.of("serial", "R5CT1234ABC", "mac", "3c:22:fb:01:02:03"));

        assertThat(id.deviceId()).matches("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$").startsWith("d-acme-").hasSize("d-acme-".length() + 16);
        assertThat(id.fingerprintDigest()).matches("[a-f0-9]{64}");
        assertThat(id.deviceId() + id.fingerprintDigest()).doesNotContainIgnoringCase("r5ct1234abc").doesNotContain("3c22fb010203");
    }

    @Test
    void theLongestTenantStillGivesAValidId() {
        String tenant = "t" + "x".repeat(61) + "z";

        assertThat(identity.of(tenant, Map.of("serial", "S1")).deviceId()).matches("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");
    }

    @Test
    void theSameHardwareInAnotherTenantIsAnotherDevice() {
        Map<String, String> fingerprint = Map.of("serial", "R5CT1234ABC");

        assertThat(identity.of("acme", fingerprint).fingerprintDigest()).isNotEqualTo(identity.of("globex", fingerprint).fingerprintDigest());
    }

    @Test
    void anotherDeploymentKeyGivesOtherIds() {
        DeviceIdentity other = new DeviceIdentity("another-key-of-at-least-16-bytes".getBytes(StandardCharsets.UTF_8));
        Map<String, String> fingerprint = Map.of("serial", "R5CT1234ABC");

        assertThat(identity.of("acme", fingerprint)).isNotEqualTo(other.of("acme", fingerprint));
    }

    @Test
    void inputsCannotRunTogether() {
        assertThat(identity.of("acme", Map.of("a", "bc"))).isNotEqualTo(identity.of("acme", Map.of("ab", "c")));
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new DeviceIdentity(new byte[8])).hasMessageContaining("at least 16 bytes");
    }
}
