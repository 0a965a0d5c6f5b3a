package io.autoglm.fleet.service;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads every request body itself, ahead of Quarkus's body handler, so that no service holds more of
 * a body than it will take:
 * <ul>
 * <li>a request that may carry a body (a POST, PUT or PATCH, or any request that comes with one) is first put to
 * the service's {@link BodyAdmission} (the sink checks the token there), and refused before any of its body is read;</li>
 * <li>a body over {@code autoglm.http.max-body-size} is answered 413 with a problem body as soon as
 * it says so (its {@code Content-Length}) or, chunked, as soon as that many bytes have come in; what
 * was read is dropped, and the rest of it is read into nothing before the connection closes;</li>
 * <li>the bodies being read at once hold at most {@code autoglm.http.body-budget} bytes between them
 * (a chunked body counts as the largest it may be); past that a request is answered 503 with
 * {@code Retry-After}, so that concurrency x limit always fits the heap.</li>
 * </ul>
 * A caller that asks {@code Expect: 100-continue} is told to go on only once all that has passed (a refused one
 * never sends its body). The body read is handed on as Quarkus's body handler would have read it ({@code context.body()}).
 */
@Singleton
public class BodyGuard {

    private static final Logger LOG = Logger.getLogger(BodyGuard.class);
    /** How much of a refused body is read into nothing, in multiples of the limit, before the connection closes. */
    private static final int DRAIN_LIMITS = 4;

    private final long limit;
    private final String limitText;
    private final long budget;
    private final Optional<BodyAdmission> admission;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong mostHeld = new AtomicLong();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);

    /** Why the guard refused a request before the service saw it (the service's {@link BodyAdmission} counts its own). */
    public enum Refusal {
        /** 413: over {@code autoglm.http.max-body-size}, declared or read. */
        TOO_LARGE,
        /** 503: the bodies being read held the whole {@code autoglm.http.body-budget}. */
        BUSY,
        /** 400: a {@code Content-Length} that is not a length. */
        BAD_LENGTH
    }

    @Inject
    BodyGuard(@ConfigProperty(name = "autoglm.http.max-body-size", defaultValue = "1M") MemorySize limit,
            @ConfigProperty(name = "autoglm.http.body-budget") Optional<MemorySize> budget,
            Instance<BodyAdmission> admission) {
        this(limit.asLongValue(), budget.map(MemorySize::asLongValue).orElse(defaultBudget(limit.asLongValue())),
                admission.isResolvable() ? Optional.of(admission.get()) : Optional.empty());
    }

    public BodyGuard(long limit, long budget, Optional<BodyAdmission> admission) {
        if (limit <= 0 || budget < limit) {
            throw new IllegalArgumentException("autoglm.http.body-budget (" + budget + " bytes) must hold at least one body of "
                    + "autoglm.http.max-body-size (" + limit + " bytes)");
        }
        this.limit = limit;
        this.limitText = describe(limit);
        this.budget = budget;
        this.admission = admission;
        for (Refusal refusal : Refusal.values()) {
            refused.put(refusal, new LongAdder());
        }
    }

    /** A quarter of the heap, at most 64 MiB, and never less than one body. */
    static long defaultBudget(long limit) {
        return Math.max(limit, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 4));
    }

    void install(@Observes Router router) {
        install(router.route().order(Integer.MIN_VALUE));
    }

    /** Makes this guard the handler of {@code route}, which must come before any body handler. */
    public void install(Route route) {
        route.handler(this::handle);
    }

    /** The most body bytes held at once since start (for tests and readiness). */
    public long mostHeld() {
        return mostHeld.get();
    }

    /** Requests refused for {@code refusal} since start ({@link HttpRefusalMeters}). */
    public long refused(Refusal refusal) {
        return refused.get(refusal).sum();
    }

    /** The largest body taken, in bytes. */
    public long limit() {
        return limit;
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        HttpMethod method = request.method();
        String declaredText = request.getHeader("Content-Length");
        long declared;
        try {
            declared = declaredText == null ? -1 : Long.parseLong(declaredText.trim());
        } catch (NumberFormatException e) {
            declared = -2;
        }
        if (declared < -1) {
            refused.get(Refusal.BAD_LENGTH).increment();
            refuse(context, ProblemDetails.of("bad-request", "Bad Content-Length", 400,
                    "the Content-Length header '" + declaredText + "' is not a length in bytes"));
            return;
        }
        boolean streamed = request.version() == HttpVersion.HTTP_2 || request.headers().contains("Transfer-Encoding");
        boolean sends = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        if (!sends && !streamed && declared <= 0) {
            context.next(); // a GET, a health probe: nothing to read, nothing to admit
            return;
        }
        if (declared > limit) {
            refused.get(Refusal.TOO_LARGE).increment();
            refuse(context, tooLarge());
            return;
        }
        if (admission.isPresent()) {
            ProblemDetails refusal = admission.get().admit(context);
            if (refusal != null) {
                refuse(context, refusal);
                return;
            }
        }
        if (!streamed && declared <= 0) {
            if (declared == 0) {
                handOn(context, Buffer.buffer());
            } else {
                context.next();
            }
            return;
        }
        long reserved = streamed ? limit : declared;
        if (!reserve(reserved)) {
            refused.get(Refusal.BUSY).increment();
            LOG.debugf("503: %d body bytes held, budget %d", held.get(), budget);
            context.response().putHeader("Retry-After", "1");
            refuse(context, ProblemDetails.of("busy", "Too many request bodies at once", 503,
                    "the service is reading as many request bodies as its memory allows; send this one again shortly"));
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect")) && request.version() != HttpVersion.HTTP_1_0) {
            context.response().writeContinue(); // the caller waits for it before it sends the body (curl does, for a second)
        }
        new BodyReader(context, reserved).start();
    }

    /** Hands {@code body} on as the request's, read (so Quarkus's body handler lets it be). */
    private static void handOn(RoutingContext context, Buffer body) {
        RoutingContextInternal internal = (RoutingContextInternal) context;
        internal.setBody(body);
        internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
        context.next();
    }

    private boolean reserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > budget) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                mostHeld.accumulateAndGet(now + bytes, Math::max);
                return true;
            }
        }
    }

    private ProblemDetails tooLarge() {
        return ProblemDetails.of("request-too-large", "Request too large", 413,
                "the body is over this service's limit of " + limitText + "; send less per request (fewer events per batch)");
    }

    /**
     * Answers {@code problem} and stops the body: over HTTP/2 the stream is reset; over HTTP/1.1 the connection closes once the request has come in, what is
     * left of it read into nothing, or once that has gone on for {@value #DRAIN_LIMITS} limits' worth.
     */
    private void refuse(RoutingContext context, ProblemDetails problem) {
        HttpServerRequest request = context.request();
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        if (!http2) {
            context.response().putHeader("Connection", "close");
        }
        problem.answer(context);
        if (request.isEnded()) {
            return;
        }
        if (http2) {
            context.response().reset(8); // CANCEL: this stream only (the services turn HTTP/2 off; this is for one that turns it on)
            return;
        }
        long[] drained = {0};
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_LIMITS * limit) {
                request.connection().close();
            }
        });
        request.endHandler(ignored -> request.connection().close());
        request.resume();
    }

    private static String describe(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    /** One body coming in, holding its reservation until it has been read or given up. */
    private final class BodyReader {
        private final RoutingContext context;
        private final long reserved;
        private final AtomicBoolean released = new AtomicBoolean();
        private Buffer body;

        BodyReader(RoutingContext context, long reserved) {
            this.context = context;
            this.reserved = reserved;
            this.body = Buffer.buffer((int) Math.min(reserved, 64 * 1024));
        }

        void start() {
            HttpServerRequest request = context.request();
            context.addEndHandler(ignored -> release());
            request.exceptionHandler(ignored -> release());
            request.handler(this::chunk);
            request.endHandler(ignored -> end());
            request.resume();
        }

        private void chunk(Buffer chunk) {
            if (body == null) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                body = null;
                release();
                refused.get(Refusal.TOO_LARGE).increment();
                refuse(context, tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        }

        private void end() {
            if (body == null) {
                return;
            }
            release();
            Buffer read = body;
            body = null;
            handOn(context, read);
        }

        private void release() {
            if (released.compareAndSet(false, true)) {
                held.addAndGet(-reserved);
            }
        }
    }
}
