package io.autoglm.fleet.triggers.testing;

import io.smallrye.jwt.build.Jwt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A key pair made for one test run (never committed), and tokens signed with it, as a tenant's issuer signs
 * them: the sink's callers' and the device gateway's enrolment tokens. Needs {@code smallrye-jwt-build} on the
 * test class path.
 */
public final class TestTokens {

    public static final String ISSUER = "https://autoglm.io/fleet";
    public static final KeyPair KEYS = generate();
    public static final KeyPair STRANGER = generate();

    private TestTokens() {
    }

    /** The public key as a PEM file, for {@code mp.jwt.verify.publickey.location}. */
    public static Path publicKeyFile() {
        try {
            Path file = Files.createTempFile("test-public", ".pem");
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String token(String tenant) {
        return Jwt.issuer(ISSUER).upn("gateway@" + tenant).claim("tenant", tenant).expiresIn(300).sign(KEYS.getPrivate());
    }

    public static String tokenWithoutTenant() {
        return Jwt.issuer(ISSUER).upn("gateway").expiresIn(300).sign(KEYS.getPrivate());
    }

    public static String expiredToken(String tenant) {
        long past = System.currentTimeMillis() / 1000 - 3600;
        return Jwt.issuer(ISSUER).claim("tenant", tenant).issuedAt(past - 60).expiresAt(past).sign(KEYS.getPrivate());
    }

    public static String tokenOfAnotherIssuer(String tenant) {
        return Jwt.issuer("https://example.com").claim("tenant", tenant).expiresIn(300).sign(KEYS.getPrivate());
    }

    /** A token good until the year 3000. */
    public static String everlastingToken(String tenant) {
        return Jwt.issuer(ISSUER).upn("gateway@" + tenant).claim("tenant", tenant).expiresAt(32_503_680_000L).sign(KEYS.getPrivate());
    }

    public static String tokenSignedByAStranger(String tenant) {
        return Jwt.issuer(ISSUER).claim("tenant", tenant).expiresIn(300).sign(STRANGER.getPrivate());
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
