package io.autoglm.fleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret the local stack's gateway replicas sign device credentials with: made once in a directory
 * of the checkout's own ({@code .local-stack/gateway/}, ignored by git) and kept, so devices enrolled in
 * one run connect with their credentials in the next, as they would to a cluster.
 */
final class GatewaySecret {

    private GatewaySecret() {
    }

    static String in(Path directory) {
        Path file = directory.resolve("credential-secret");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(directory);
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String encoded = Base64.getEncoder().encodeToString(secret);
            Files.writeString(file, encoded + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX filesystem: the checkout's own permissions apply
            }
            return encoded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the gateway's credential secret in " + file, e);
        }
    }
}
