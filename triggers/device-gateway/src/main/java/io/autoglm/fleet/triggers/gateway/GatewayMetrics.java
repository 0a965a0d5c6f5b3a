package io.autoglm.fleet.triggers.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's figures at {@code /q/metrics}, read from {@link DeviceSessions} when scraped: sockets and devices
 * connected here, frames in and out, commands pushed down a socket, and frames refused by code
 * ({@code autoglm_gateway_frames_refused_total{reason="invalid-event"|"not-yours"|...}}); and the upgrades to a socket
 * refused, by reason ({@code autoglm_gateway_upgrades_refused_total{reason="unauthenticated"|...}}).
 */
@Singleton
public class GatewayMetrics implements MeterBinder {

    /** Why an upgrade to a socket was refused. */
    enum UpgradeRefusal {
        /** 426: not a WebSocket upgrade. */
        NOT_WEBSOCKET,
        /** 400: without the CloudEvents subprotocol. */
        UNSUPPORTED_SUBPROTOCOL,
        /** 503: the replica is shutting down. */
        DRAINING,
        /** 401: no valid credential or enrolment token. */
        UNAUTHENTICATED,
        /** 403: a credential naming no tenant. */
        FORBIDDEN
    }

    private final DeviceSessions sessions;
    private final Map<UpgradeRefusal, Counter> upgradesRefused = new EnumMap<>(UpgradeRefusal.class);

    GatewayMetrics(DeviceSessions sessions, MeterRegistry registry) {
        this.sessions = sessions;
        for (UpgradeRefusal refusal : UpgradeRefusal.values()) {
            upgradesRefused.put(refusal, Counter.builder("autoglm.gateway.upgrades.refused").description("Socket upgrades refused, by reason")
                    .tag("reason", refusal.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    void upgradeRefused(UpgradeRefusal refusal) {
        upgradesRefused.get(refusal).increment();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("autoglm.gateway.sockets", sessions, DeviceSessions::sockets).description("Sockets open here, devices and enrolments")
                .register(registry);
        Gauge.builder("autoglm.gateway.devices", sessions, DeviceSessions::devices).description("Devices connected here").register(registry);
        FunctionCounter.builder("autoglm.gateway.frames.in", sessions, DeviceSessions::framesIn).description("Frames read from devices")
                .register(registry);
        FunctionCounter.builder("autoglm.gateway.frames.out", sessions, DeviceSessions::framesOut)
                .description("Frames written to devices (commands, answers, refusals)").register(registry);
        FunctionCounter.builder("autoglm.gateway.commands.pushed", sessions, DeviceSessions::delivered)
                .description("Commands the network took for a device's socket").register(registry);
        for (String code : InboundFrames.ERROR_CODES) {
            FunctionCounter.builder("autoglm.gateway.frames.refused", sessions, s -> s.refused(code))
                    .description("Frames refused with a gateway.error, by its code").tag("reason", code).register(registry);
        }
    }
}
