package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.triggers.testing.TestTokens;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Why a token is refused, in the sink's own words, with the parser the sink runs. */
class CallerTokenTest {

    private final DefaultJWTParser parser = new DefaultJWTParser(context());

    private static JWTAuthContextInfo context() {
        return new JWTAuthContextInfo(TestTokens.KEYS.getPublic(), TestTokens.ISSUER);
    }

    @Test
    void eachRefusalSaysWhyWithoutRepeatingTheClaims() {
        Map<String, String> reasons = Map.of(
                "not-a-jwt", "it is not a signed JWT",
                TestTokens.expiredToken("acme"), "it has expired",
                TestTokens.tokenSignedByAStranger("acme"), "its signature does not verify with this sink's key",
                TestTokens.tokenOfAnotherIssuer("acme"), "it is not from the issuer this sink trusts");
        reasons.forEach((token, reason) -> assertThatThrownBy(() -> parser.parse(token)).isInstanceOf(ParseException.class)
                .satisfies(failure -> assertThat(CallerToken.describe(failure)).isEqualTo(reason)));
    }

    @Test
    void aTokenGoodForLongerThanTheMaximumIsRefusedForItsLifetime() throws Exception {
        CallerToken caller = new CallerToken(parser, Duration.ofHours(24), Clock.systemUTC(), new SinkMetrics(new SimpleMeterRegistry()));
        assertThat(caller.lifetimeRefusal(parser.parse(TestTokens.everlastingToken("acme"))))
                .isEqualTo("it is valid for longer than the PT24H this sink accepts");
        assertThat(caller.lifetimeRefusal(parser.parse(TestTokens.token("acme")))).isNull();
    }
}
