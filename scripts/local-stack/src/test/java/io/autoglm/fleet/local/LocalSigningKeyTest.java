package io.autoglm.fleet.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class LocalSigningKeyTest {

    @Test
    void theFirstRunMakesAMatchingPairOnlyItsUserCanReadTheSecretOf(@TempDir Path state) throws Exception {
        LocalSigningKey key = LocalSigningKey.in(state.resolve("jwt"));

        assertThat(Files.readString(key.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(key.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.privateKey()))).isEqualTo("rw-------");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey(key.privateKey()));
        signer.update("payload".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey(key.publicKey()));
        verifier.update("payload".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void laterRunsKeepThePairSoTokensMadeEarlierStillVerify(@TempDir Path state) throws Exception {
        LocalSigningKey first = LocalSigningKey.in(state);
        String privatePem = Files.readString(first.privateKey());

        LocalSigningKey again = LocalSigningKey.in(state);

        assertThat(again).isEqualTo(first);
        assertThat(Files.readString(again.privateKey())).isEqualTo(privatePem);
    }

    @Test
    void aHalfPairIsReplacedByANewPair(@TempDir Path state) throws Exception {
        LocalSigningKey first = LocalSigningKey.in(state);
        String publicPem = Files.readString(first.publicKey());
        Files.delete(first.privateKey());

        LocalSigningKey made = LocalSigningKey.in(state);

        assertThat(Files.exists(made.privateKey())).isTrue();
        assertThat(Files.readString(made.publicKey())).isNotEqualTo(publicPem);
    }

    private static byte[] der(Path pem) throws Exception {
        return Base64.getDecoder().decode(Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    private static PrivateKey privateKey(Path pem) throws Exception {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
    }

    private static PublicKey publicKey(Path pem) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
    }
}
