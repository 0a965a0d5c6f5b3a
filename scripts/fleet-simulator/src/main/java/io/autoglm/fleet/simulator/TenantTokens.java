package io.autoglm.fleet.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens for the ingress sink, one per tenant: RS256 JWTs with the tenant in the
 * {@value #TENANT_CLAIM} claim, signed with a PKCS#8 PEM private key (the local stack's own, made on its
 * first run in {@code .local-stack/jwt/}). JDK only: a header, a payload, a signature.
 */
public final class TenantTokens {

    public static final String ISSUER = "https://autoglm.io/fleet";
    public static final String TENANT_CLAIM = "tenant";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final Duration lifetime;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public TenantTokens(PrivateKey key, Duration lifetime) {
        this.key = Objects.requireNonNull(key, "key");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    }

    /** Reads a {@code -----BEGIN PRIVATE KEY-----} (PKCS#8) RSA key. */
    public static PrivateKey readPrivateKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** The token of {@code tenant} (made once, valid for the lifetime). */
    public String token(String tenant) {
        return tokens.computeIfAbsent(tenant, this::sign);
    }

    private String sign(String tenant) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"fleet-simulator@" + tenant + "\",\"upn\":\"fleet-simulator@" + tenant
                + "\",\"" + TENANT_CLAIM + "\":\"" + tenant + "\",\"iat\":" + now + ",\"exp\":" + (now + lifetime.toSeconds()) + "}";
        String signingInput = URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a token for tenant " + tenant, e);
        }
    }
}
