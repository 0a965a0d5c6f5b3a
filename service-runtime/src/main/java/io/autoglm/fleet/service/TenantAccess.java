package io.autoglm.fleet.service;

import io.autoglm.fleet.events.Extensions;

import java.util.Optional;

/**
 * Whose topics a caller may write: the tenant its token names, and only that one. A request for
 * another tenant (the sink's {@code /tenants/<t>}) is refused (403); one that names none goes to the
 * token's tenant (the sink's {@code /}, the device gateway's enrolment). Whatever tenant the events
 * themselves carry is overwritten with the token's.
 */
public final class TenantAccess {

    private TenantAccess() {
    }

    /** The decision: the tenant to write for, or the status and sentence of a refusal. */
    public record Decision(String tenant, int status, String refusal) {
        static Decision allow(String tenant) {
            return new Decision(tenant, 0, null);
        }

        static Decision refuse(int status, String refusal) {
            return new Decision(null, status, refusal);
        }

        public boolean allowed() {
            return tenant != null;
        }
    }

    /**
     * @param claimName    the claim that names the tenant (for the message)
     * @param tokenTenant  the claim's value in the verified token, if any
     * @param pathTenant   the tenant the request addresses ({@code /tenants/<t>}), if any
     */
    public static Decision decide(String claimName, Optional<String> tokenTenant, Optional<String> pathTenant) {
        if (tokenTenant.isEmpty() || tokenTenant.get().isBlank()) {
            return Decision.refuse(403, "the token has no '" + claimName + "' claim, so it names no tenant whose topics it may write");
        }
        String tenant = tokenTenant.get();
        Optional<String> malformed = Extensions.checkValue(Extensions.TENANT, tenant);
        if (malformed.isPresent()) {
            return Decision.refuse(403, "the token's '" + claimName + "' claim is not a tenant id: " + malformed.get());
        }
        if (pathTenant.isPresent() && !pathTenant.get().equals(tenant)) {
            return Decision.refuse(403, "the token is for tenant '" + tenant + "' and may not write to tenant '" + pathTenant.get()
                    + "'; post to /tenants/" + tenant + " or to /");
        }
        return Decision.allow(tenant);
    }
}
