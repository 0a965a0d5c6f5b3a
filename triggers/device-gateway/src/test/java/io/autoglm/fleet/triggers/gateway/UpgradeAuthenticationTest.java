package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.service.BearerTokens;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may open a socket: enrolment tokens, device credentials and tenant-CA client certificates, each refusal in words. */
class UpgradeAuthenticationTest {

    private static final byte[] KEY = "a key of at least thirty-two bytes, for tests".getBytes();
    private static final TestCertificates.Issued ACME_CA = TestCertificates.authority("acme-ca");
    private static final TestCertificates.Issued GLOBEX_CA = TestCertificates.authority("globex-ca");

    private final Clock clock = Clock.systemUTC();
    private final DeviceCredentials credentials = new DeviceCredentials(KEY, "https://gateway.test", Duration.ofDays(30), clock);
    private final UpgradeAuthentication authentication = new UpgradeAuthentication(
            new BearerTokens(new DefaultJWTParser(new JWTAuthContextInfo(TestTokens.KEYS.getPublic(), TestTokens.ISSUER)),
                    Duration.ofHours(24), clock, "this gateway"),
            "tenant", credentials,
            new TenantCertificates(Map.of("acme", List.of(ACME_CA.certificate()), "globex", List.of(GLOBEX_CA.certificate()))), clock);

    @Test
    void anEnrolmentTokenEnrolsDevicesOfItsTenant() {
        UpgradeAuthentication.Outcome outcome = authentication.authenticate("Bearer " + TestTokens.token("acme"), null);
        assertThat(outcome.caller()).isEqualTo(new Caller.Enrolment("acme"));
    }

    @Test
    void aDeviceCredentialTheGatewayIssuedIsThatDevice() {
        DeviceCredential credential = credentials.issue("acme", "d-acme-1");
        assertThat(credential.expiresAt()).isAfter(Instant.now().plus(Duration.ofDays(29)));

        UpgradeAuthentication.Outcome outcome = authentication.authenticate("Bearer " + credential.token(), null);

        assertThat(outcome.caller()).isEqualTo(new Caller.Device("acme", "d-acme-1", Caller.Proof.CREDENTIAL));
    }

    @Test
    void aCredentialOfAnotherGatewaysKeyOrPastItsTimeIsRefused() {
        DeviceCredentials stranger = new DeviceCredentials("another key of at least thirty-two bytes!!".getBytes(), "https://gateway.test",
                Duration.ofDays(30), clock);
        DeviceCredentials past = new DeviceCredentials(KEY, "https://gateway.test", Duration.ofDays(30),
                Clock.fixed(Instant.now().minus(Duration.ofDays(31)), ZoneOffset.UTC));

        UpgradeAuthentication.Outcome forged = authentication.authenticate("Bearer " + stranger.issue("acme", "d-1").token(), null);
        UpgradeAuthentication.Outcome expired = authentication.authenticate("Bearer " + past.issue("acme", "d-1").token(), null);

        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.refusal()).contains("signature does not verify with this gateway's key");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.refusal()).contains("it has expired").contains("register again");
    }

    @Test
    void withoutACredentialOrWithABadTokenTheAnswerIs401() {
        assertThat(authentication.authenticate(null, null).status()).isEqualTo(401);
        UpgradeAuthentication.Outcome stranger = authentication.authenticate("Bearer " + TestTokens.tokenSignedByAStranger("acme"), null);
        assertThat(stranger.status()).isEqualTo(401);
        assertThat(stranger.refusal()).contains("enrolment token was refused").doesNotContain("acme");
        assertThat(authentication.authenticate("Bearer " + TestTokens.everlastingToken("acme"), null).refusal())
                .contains("valid for longer than the PT24H this gateway accepts");
    }

    @Test
    void anEnrolmentTokenNamingNoTenantIs403() {
        UpgradeAuthentication.Outcome outcome = authentication.authenticate("Bearer " + TestTokens.tokenWithoutTenant(), null);
        assertThat(outcome.status()).isEqualTo(403);
        assertThat(outcome.refusal()).contains("no 'tenant' claim");
    }

    @Test
    void aClientCertificateOfTheTenantsCaIsTheDeviceItNames() {
        UpgradeAuthentication.Outcome outcome = authentication.authenticate(null,
                TestCertificates.device(ACME_CA, "d-acme-7", "acme").certificate());
        assertThat(outcome.caller()).isEqualTo(new Caller.Device("acme", "d-acme-7", Caller.Proof.CERTIFICATE));
    }

    @Test
    void aCertificateNamingAnotherTenantThanItsCasIsRefused() {
        UpgradeAuthentication.Outcome outcome = authentication.authenticate(null,
                TestCertificates.device(ACME_CA, "d-globex-1", "globex").certificate());
        assertThat(outcome.status()).isEqualTo(401);
        assertThat(outcome.refusal()).contains("not issued by tenant 'globex's CA");
    }

    @Test
    void anExpiredOrUnnamedCertificateOrOneOfATenantWithoutACaIsRefused() {
        TestCertificates.Issued expired = TestCertificates.device(ACME_CA, "CN=d-1,O=acme", Instant.now().minus(Duration.ofDays(3)),
                Duration.ofDays(1));
        TestCertificates.Issued unnamed = TestCertificates.device(ACME_CA, "O=acme", Instant.now().minusSeconds(60), Duration.ofDays(1));
        TestCertificates.Issued initech = TestCertificates.device(ACME_CA, "d-1", "initech");

        assertThat(authentication.authenticate(null, expired.certificate()).refusal()).contains("not valid now");
        assertThat(authentication.authenticate(null, unnamed.certificate()).refusal()).contains("no CN=<device id>");
        assertThat(authentication.authenticate(null, initech.certificate()).refusal()).contains("tenant 'initech' enrols no devices by certificate");
    }

    @Test
    void onlyAnHs256TokenIsTakenForADeviceCredential() {
        assertThat(DeviceCredentials.looksLikeOne(credentials.issue("acme", "d-1").token())).isTrue();
        assertThat(DeviceCredentials.looksLikeOne(TestTokens.token("acme"))).isFalse();
        assertThat(DeviceCredentials.looksLikeOne("not-a-jwt")).isFalse();
    }
}
