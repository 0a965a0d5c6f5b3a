package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.deviceagent.backend.DeviceFacts;
import io.autoglm.fleet.deviceagent.backend.ScreenSize;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.validation.EventValidator;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeclarationsTest {

    private final AgentSettings settings = AgentSettings.defaults(URI.create("ws://localhost:8090/devices/v1"), null,
            new Location("cn-north-1", "cn-north-1a"));

    @Test
    void whatThePhoneReportsBecomesAValidDeclaration() {
        Map<String, String> identifiers = new LinkedHashMap<>();
        identifiers.put("serial", "AN2X023B10001234");
        identifiers.put("manufacturer", "");
        identifiers.put("model", "ALN-AL00");
        DeviceFacts facts = new DeviceFacts(Platform.HARMONYOS, "ALN-AL00", "OpenHarmony-5.0.1.107 (a very long build string that goes on and on)",
                new ScreenSize(1260, 2720), 12, 11617, null, identifiers);

        DeviceDeclaration declaration = Declarations.declaration("acme", facts, EnumSet.of(AgentAction.TAP, AgentAction.OBSERVE, AgentAction.BACK),
                settings, "hdc");

        assertThat(declaration.capabilities().tier()).isEqualTo(DeviceTier.DEVICE);
        assertThat(declaration.capabilities().supportedActions()).containsExactly(AgentAction.TAP, AgentAction.BACK, AgentAction.OBSERVE);
        assertThat(declaration.capabilities().location()).isEqualTo(new Location("cn-north-1", "cn-north-1a"));
        assertThat(declaration.capabilities().labels().get("os")).hasSize(63);
        assertThat(declaration.fingerprint()).containsOnly(Map.entry("serial", "AN2X023B10001234"), Map.entry("model", "ALN-AL00"),
                Map.entry("platform", "HARMONYOS"));
        assertThat(EventValidator.standard().validateData(EventType.DEVICE_REGISTRATION_REQUESTED, EventJson.tree(EventJson.write(declaration))))
                .isEmpty();
    }

    @Test
    void theTenantIsReadFromTheTokensClaims() {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String token = url.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString("{\"tenant\":\"acme\",\"sub\":\"ops\"}".getBytes(StandardCharsets.UTF_8)) + ".sig";

        assertThat(Declarations.tenantClaim(token)).isEqualTo("acme");
        assertThat(Declarations.tenantClaim("not-a-jwt")).isNull();
        assertThat(Declarations.tenantClaim("a.!!!.c")).isNull();
        assertThat(Declarations.tenantClaim(url.encodeToString("{}".getBytes()) + "." + url.encodeToString("{\"sub\":\"x\"}".getBytes()) + ".s")).isNull();
    }
}
