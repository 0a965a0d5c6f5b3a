package io.autoglm.fleet.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TenantTokensTest {

    @Test
    void aTokenIsAnRs256JwtWithTheTenantClaimThatThePublicHalfVerifies(@TempDir Path keys) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        // as the local stack writes its key: PKCS#8 PEM
        Path pem = keys.resolve("private.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        TenantTokens tokens = new TenantTokens(TenantTokens.readPrivateKey(pem), Duration.ofMinutes(5));

        String token = tokens.token("acme");

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(decode(parts[0])).contains("\"alg\":\"RS256\"");
        assertThat(decode(parts[1])).contains("\"tenant\":\"acme\"").contains("\"iss\":\"https://autoglm.io/fleet\"").contains("\"exp\":");
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pair.getPublic());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        assertThat(tokens.token("acme")).isSameAs(token);
        assertThat(tokens.token("globex")).isNotEqualTo(token);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
