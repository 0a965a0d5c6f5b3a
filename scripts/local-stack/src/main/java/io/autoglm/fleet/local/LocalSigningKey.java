package io.autoglm.fleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Objects;

/**
 * The key pair the local stack's tokens are signed with: made on first use (RSA 2048, PEM: PKCS#8 private,
 * X.509 public) in a directory of this checkout's own ({@code .local-stack/jwt/}, ignored by git), so no
 * private key is ever committed and every clone trusts only its own tokens. The sink verifies with
 * {@link #publicKey()}; the fleet simulator (or a test) signs with {@link #privateKey()}.
 *
 * @param privateKey the private half, readable by this user only
 * @param publicKey  the public half
 */
public record LocalSigningKey(Path privateKey, Path publicKey) {

    public LocalSigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** The pair in {@code directory} ({@code private.pem}, {@code public.pem}), made first when either is missing. */
    public static LocalSigningKey in(Path directory) {
        LocalSigningKey key = new LocalSigningKey(directory.resolve("private.pem"), directory.resolve("public.pem"));
        if (Files.isRegularFile(key.privateKey()) && Files.isRegularFile(key.publicKey())) {
            return key;
        }
        try {
            Files.createDirectories(directory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            writePrivate(key.privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(key.publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the local signing key pair in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot make an RSA key pair", e);
        }
    }

    private static void writePrivate(Path file, String pem) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        } catch (FileAlreadyExistsException e) {
            // made at the same moment by another run: write over it
        }
        Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
