package io.autoglm.fleet.registry;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Derives a device's stable id from its tenant and hardware fingerprint, so that registering the same
 * device again lands on the same record. The fingerprint inputs (serials, MACs) are normalised and fed
 * to HMAC-SHA256 under a deployment secret: a plain hash of a 48-bit MAC could be reversed by trying
 * them all, the keyed one cannot without the key. Only the digest is kept; the inputs are never stored.
 *
 * <p>The id is {@code d-<tenant>-<16 base32 characters of the digest>} (80 bits), which matches the
 * contract's device id pattern for every valid tenant.
 */
public final class DeviceIdentity {

    private static final String ALGORITHM = "HmacSHA256";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int ID_CHARACTERS = 16;
    private static final Pattern MAC_ADDRESS = Pattern.compile("[0-9a-f]{2}([:.-]?[0-9a-f]{2}){5}");

    private final SecretKeySpec key;

    /** @param secret the deployment's fingerprint key; every replica must use the same one, for good */
    public DeviceIdentity(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16) {
            throw new IllegalArgumentException("the fingerprint key needs at least 16 bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** A device's id and the digest it was derived from. */
    public record Identity(String deviceId, String fingerprintDigest) {
        public Identity {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(fingerprintDigest, "fingerprintDigest");
        }
    }

    public Identity of(String tenant, Map<String, String> fingerprint) {
        Objects.requireNonNull(tenant, "tenant");
        if (fingerprint.isEmpty()) {
            throw new IllegalArgumentException("a device identity needs at least one fingerprint input");
        }
        byte[] digest = mac().doFinal(canonical(tenant, fingerprint).getBytes(StandardCharsets.UTF_8));
        return new Identity("d-" + tenant + "-" + base32(digest, ID_CHARACTERS), HexFormat.of().formatHex(digest));
    }

    /**
     * The fingerprint as one string that does not depend on map order, key case, surrounding blanks or
     * the way a MAC address is punctuated; lengths are written out so no two inputs can run together.
     */
    static String canonical(String tenant, Map<String, String> fingerprint) {
        Map<String, String> sorted = new TreeMap<>();
        fingerprint.forEach((name, value) -> sorted.put(name.toLowerCase(Locale.ROOT), normalise(value)));
        StringBuilder text = new StringBuilder().append(tenant.length()).append(':').append(tenant);
        sorted.forEach((name, value) -> text.append('|').append(name.length()).append(':').append(name)
                .append('=').append(value.length()).append(':').append(value));
        return text.toString();
    }

    /** Trimmed and lower-cased; a MAC address also loses its separators. */
    static String normalise(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        return MAC_ADDRESS.matcher(text).matches() ? text.replaceAll("[:.-]", "") : text;
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static String base32(byte[] bytes, int characters) {
        StringBuilder text = new StringBuilder(characters);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; text.length() < characters; ) {
            if (bits < 5) {
                buffer = (buffer << 8) | (bytes[i++] & 0xff);
                bits += 8;
            }
            text.append(BASE32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        return text.toString();
    }
}
