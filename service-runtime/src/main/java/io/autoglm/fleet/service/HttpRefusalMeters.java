package io.autoglm.fleet.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

import java.util.Locale;

/**
 * Every service's requests refused by its {@link BodyGuard} before the service saw them, at {@code /q/metrics}:
 * {@code autoglm_http_requests_refused_total{reason="too_large"|"busy"|"bad_length"}}, read from the guard's counts.
 */
@Singleton
public class HttpRefusalMeters implements MeterBinder {

    private final BodyGuard guard;

    HttpRefusalMeters(BodyGuard guard) {
        this.guard = guard;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (BodyGuard.Refusal refusal : BodyGuard.Refusal.values()) {
            FunctionCounter.builder("autoglm.http.requests.refused", guard, g -> g.refused(refusal))
                    .description("Requests refused before the service read them (413 over the body limit, 503 over the body budget, "
                            + "400 for a bad Content-Length)")
                    .tag("reason", refusal.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }
}
