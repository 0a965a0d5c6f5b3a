package io.autoglm.fleet.triggers.ingress;

/**
 * Pulsar did not take the events (broker unreachable, timeout, transaction aborted): our failure,
 * not the caller's. Nothing of the request is visible to consumers; the caller may retry (HTTP 503).
 */
public class IngressUnavailableException extends RuntimeException {
    public IngressUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
