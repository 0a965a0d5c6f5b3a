package io.autoglm.fleet.simulator;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TenantTokensTest {

    private static final Path KNATIVE_LOCAL = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "../.."))
            .resolve("knative/overlays/local/jwt");

    @Test
    void aTokenIsAnRs256JwtWithTheTenantClaimThatTheLocalPublicKeyVerifies() throws Exception {
        TenantTokens tokens = new TenantTokens(TenantTokens.readPrivateKey(KNATIVE_LOCAL.resolve("local-only-private.pem")),
                Duration.ofMinutes(5));

        String token = tokens.token("acme");

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(decode(parts[0])).contains("\"alg\":\"RS256\"");
        assertThat(decode(parts[1])).contains("\"tenant\":\"acme\"").contains("\"iss\":\"https://autoglm.io/fleet\"").contains("\"exp\":");
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey());
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        assertThat(tokens.token("acme")).isSameAs(token);
        assertThat(tokens.token("globex")).isNotEqualTo(token);
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    private static PublicKey publicKey() throws Exception {
        String base64 = java.nio.file.Files.readString(KNATIVE_LOCAL.resolve("local-only-public.pem"))
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
