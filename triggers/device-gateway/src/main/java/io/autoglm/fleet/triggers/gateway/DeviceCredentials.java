package io.autoglm.fleet.triggers.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.service.BearerTokens;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.build.Jwt;
import org.eclipse.microprofile.jwt.JsonWebToken;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The per-device credential: a JWT the gateway signs (HS256, with the key every replica shares) naming
 * the tenant ({@code tenant}) and the device ({@code sub}), issued once the registry registered the
 * device, and what a device reconnects with from then on. Verified here, by any replica.
 */
public final class DeviceCredentials {

    public static final String TENANT_CLAIM = "tenant";
    /** The device ids of the contract ({@code common.json#/$defs/deviceId}). */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKey key;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;
    private final BearerTokens tokens;

    public DeviceCredentials(byte[] key, String issuer, Duration lifetime, Clock clock) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the device credential key must have at least " + MIN_KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        JWTAuthContextInfo context = new JWTAuthContextInfo(this.key, issuer);
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
        // a credential lives exactly its lifetime; a minute of leeway for clocks between replicas
        this.tokens = new BearerTokens(new DefaultJWTParser(context), lifetime.plusMinutes(1), clock, "this gateway");
    }

    /** The key of {@code autoglm.gateway.credentials.secret}: base64 when it reads as such, else its UTF-8 bytes. */
    public static byte[] key(String secret) {
        try {
            byte[] decoded = Base64.getDecoder().decode(secret);
            if (decoded.length >= MIN_KEY_BYTES) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // not base64: the text itself is the key
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** A credential for {@code deviceId} of {@code tenant}. */
    public DeviceCredential issue(String tenant, String deviceId) {
        Instant now = clock.instant();
        Instant expires = now.plus(lifetime);
        String token = Jwt.issuer(issuer).subject(deviceId).claim(TENANT_CLAIM, tenant)
                .issuedAt(now.getEpochSecond()).expiresAt(expires.getEpochSecond())
                .jws().algorithm(SignatureAlgorithm.HS256).sign(key);
        return new DeviceCredential(deviceId, token, Instant.ofEpochSecond(expires.getEpochSecond()));
    }

    /** Whether {@code token} claims to be a device credential (an HS256 JWT), by its header alone. */
    public static boolean looksLikeOne(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            JsonNode header = EventJson.tree(Base64.getUrlDecoder().decode(token.substring(0, dot)));
            return header != null && "HS256".equals(header.path("alg").asText());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The device a credential proves, or why it does not. */
    public Verdict verify(String token) {
        BearerTokens.Verdict verdict = tokens.verify(token);
        if (verdict instanceof BearerTokens.Refused refused) {
            return new Verdict(null, "the device credential was refused (" + refused.reason() + ")");
        }
        JsonWebToken verified = ((BearerTokens.Verified) verdict).token();
        Optional<String> tenant = BearerTokens.claim(verified, TENANT_CLAIM);
        String device = verified.getSubject();
        if (tenant.isEmpty() || Extensions.checkValue(Extensions.TENANT, tenant.get()).isPresent()) {
            return new Verdict(null, "the device credential names no tenant");
        }
        if (device == null || !DEVICE_ID.matcher(device).matches()) {
            return new Verdict(null, "the device credential names no device");
        }
        return new Verdict(new Caller.Device(tenant.get(), device, Caller.Proof.CREDENTIAL), null);
    }

    /** The device, or the refusal. */
    public record Verdict(Caller.Device device, String refusal) {
    }
}
