package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.service.BearerTokens;
import io.autoglm.fleet.service.TenantAccess;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Who asks to open a socket, decided on the upgrade request before the socket exists: a client
 * certificate of a tenant's CA, else the bearer token (a device credential, told by its HS256 header,
 * or else a tenant's enrolment token, verified as the sink verifies its callers'). A refusal is an HTTP
 * status (401, 403) with a sentence saying what to send instead.
 */
public final class UpgradeAuthentication {

    private final BearerTokens enrolment;
    private final String tenantClaim;
    private final DeviceCredentials credentials;
    private final TenantCertificates certificates;
    private final Clock clock;

    public UpgradeAuthentication(BearerTokens enrolment, String tenantClaim, DeviceCredentials credentials,
                                 TenantCertificates certificates, Clock clock) {
        this.enrolment = Objects.requireNonNull(enrolment, "enrolment");
        this.tenantClaim = Objects.requireNonNull(tenantClaim, "tenantClaim");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The caller, or the refusal. */
    public record Outcome(Caller caller, int status, String refusal) {
        static Outcome of(Caller caller) {
            return new Outcome(caller, 0, null);
        }

        static Outcome refuse(int status, String refusal) {
            return new Outcome(null, status, refusal);
        }

        public boolean admitted() {
            return caller != null;
        }
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param certificate   the client certificate of a TLS connection, or null
     */
    public Outcome authenticate(String authorization, X509Certificate certificate) {
        if (certificate != null && certificates.any()) {
            TenantCertificates.Verdict verdict = certificates.verify(certificate, clock.instant());
            return verdict.device() != null ? Outcome.of(verdict.device()) : Outcome.refuse(401, verdict.refusal());
        }
        String token = BearerTokens.tokenOf(authorization);
        if (token == null) {
            return Outcome.refuse(401, "send your tenant's enrolment token (to register) or your device credential as "
                    + "'Authorization: Bearer <token>', or a client certificate of your tenant's CA");
        }
        if (DeviceCredentials.looksLikeOne(token)) {
            DeviceCredentials.Verdict verdict = credentials.verify(token);
            return verdict.device() != null ? Outcome.of(verdict.device())
                    : Outcome.refuse(401, verdict.refusal() + "; register again with your tenant's enrolment token for a new one");
        }
        BearerTokens.Verdict verdict = enrolment.verify(token);
        if (verdict instanceof BearerTokens.Refused refused) {
            return Outcome.refuse(401, "the enrolment token was refused (" + refused.reason() + "); get one for your tenant");
        }
        TenantAccess.Decision access = TenantAccess.decide(tenantClaim,
                BearerTokens.claim(((BearerTokens.Verified) verdict).token(), tenantClaim), Optional.empty());
        if (!access.allowed()) {
            return Outcome.refuse(access.status(), "the enrolment token is refused: " + access.refusal());
        }
        return Outcome.of(new Caller.Enrolment(access.tenant()));
    }
}
