package io.autoglm.fleet.triggers.dispatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class AttemptOutcomeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static AttemptOutcome answered(int status, String body) {
        return AttemptOutcome.of(new SubscriberResponse(status, List.of(), body.getBytes(StandardCharsets.UTF_8)), null, TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204})
    void twoHundredsAreDelivered(int status) {
        assertThat(answered(status, "")).isInstanceOf(AttemptOutcome.Delivered.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408, 429})
    void serverErrorsTimeoutsAndTooManyRequestsAreRetried(int status) {
        AttemptOutcome.Failed failed = (AttemptOutcome.Failed) answered(status, "busy");
        assertThat(failed.retryable()).isTrue();
        assertThat(failed.status()).hasValue(status);
        assertThat(failed.reason()).isEqualTo("HTTP " + status + ": busy");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 406, 409, 413, 422, 302})
    void otherClientErrorsGoStraightToTheDeadLetters(int status) {
        assertThat(((AttemptOutcome.Failed) answered(status, "")).retryable()).isFalse();
    }

    @Test
    void noAnswerIsRetriedAndSaysWhy() {
        AttemptOutcome.Failed timedOut = (AttemptOutcome.Failed) AttemptOutcome.of(null, new CompletionException(new TimeoutException()), TIMEOUT);
        assertThat(timedOut.retryable()).isTrue();
        assertThat(timedOut.status()).isEmpty();
        assertThat(timedOut.reason()).isEqualTo("no answer within PT2S");

        AttemptOutcome.Failed closed = (AttemptOutcome.Failed) AttemptOutcome.of(null, new IOException("the subscriber closed the connection"), TIMEOUT);
        assertThat(closed.retryable()).isTrue();
        assertThat(closed.reason()).isEqualTo("the request failed: java.io.IOException: the subscriber closed the connection");
    }

    @Test
    void aSubscriberThatCannotBeConnectedToIsUnreachableNotAFailedAttempt() {
        AttemptOutcome refused = AttemptOutcome.of(null, new CompletionException(new ConnectException("Connection refused")), TIMEOUT);
        assertThat(refused).isInstanceOfSatisfying(AttemptOutcome.Unreachable.class,
                unreachable -> assertThat(unreachable.reason()).startsWith("cannot connect: ").contains("Connection refused"));
        assertThat(AttemptOutcome.of(null, new io.netty.channel.ConnectTimeoutException("connection timed out: /10.0.0.1:80"), TIMEOUT))
                .as("a connect timeout").isInstanceOf(AttemptOutcome.Unreachable.class);
    }

    @Test
    void failuresOfOneKindShareTheirKindWhateverTheAnswersBody() {
        assertThat(((AttemptOutcome.Failed) answered(500, "event a failed")).kind())
                .isEqualTo(((AttemptOutcome.Failed) answered(500, "event b failed")).kind()).isEqualTo("HTTP 500");
    }

    @Test
    void aLongBodyIsQuotedInPart() {
        AttemptOutcome.Failed failed = (AttemptOutcome.Failed) answered(500, "x".repeat(5000));
        assertThat(failed.reason()).hasSize("HTTP 500: ".length() + AttemptOutcome.QUOTED_BODY + 3).endsWith("...");
    }
}
