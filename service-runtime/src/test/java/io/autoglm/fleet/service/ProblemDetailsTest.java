package io.autoglm.fleet.service;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemDetailsTest {

    @Test
    void tenThousandProblemsAreAnsweredWithTheFirstHundredAndHowManyMore() throws Exception {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            problems.add(new Problem("[" + i + "].time", "event [" + i + "]: time must be an RFC 3339 timestamp, got 'yesterday'"));
        }
        ProblemDetails problem = ProblemDetails.of("invalid-event", "Invalid CloudEvent", 400, "10000 problems", problems);

        assertThat(problem.problems()).hasSize(ProblemDetails.MAX_LISTED).first().isEqualTo(problems.get(0));
        assertThat(problem.moreProblems()).isEqualTo(9_900);
        String json = problem.toJson();
        assertThat(json.length()).isLessThan(16_000);
        assertThat(json).contains("\"moreProblems\":9900");
        assertThat(EventJson.mapper().readValue(json, ProblemDetails.class)).isEqualTo(problem);
    }

    @Test
    void aFewProblemsAreAllListedAndNothingMoreIsSaid() {
        ProblemDetails problem = ProblemDetails.of("invalid-event", "Invalid CloudEvent", 400, "one",
                List.of(new Problem("id", "id must not be empty")));
        assertThat(problem.moreProblems()).isNull();
        assertThat(problem.toJson()).doesNotContain("moreProblems");
    }
}
