package io.autoglm.fleet.service;

import io.vertx.ext.web.RoutingContext;

/**
 * What a service checks of a request before {@link BodyGuard} reads its body (the sink: the bearer
 * token), so that a caller who may not send anything is refused without a byte of the body held.
 * A service declares at most one as a CDI bean; without one every request is admitted.
 */
public interface BodyAdmission {

    /**
     * Null to admit the request (a check may leave what it learnt in the context for the route), or
     * the problem to answer instead. Called on the event loop, for every request that may carry a body
     * (POST, PUT, PATCH, and any other that comes with one), so it must not block.
     */
    ProblemDetails admit(RoutingContext context);
}
