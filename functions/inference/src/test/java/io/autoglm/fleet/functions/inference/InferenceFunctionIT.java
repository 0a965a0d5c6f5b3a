package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.Tensor;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.modelstore.SeedModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.autoglm.fleet.functions.inference.InferenceRequests.post;
import static io.autoglm.fleet.functions.inference.InferenceRequests.tensors;
import static io.autoglm.fleet.functions.inference.InferenceRequests.texts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** The function over real HTTP with the real seed model and a tiny tensor model from a real store. */
@QuarkusTest
@QuarkusTestResource(value = SeededStore.class, restrictToAnnotatedClass = true)
class InferenceFunctionIT {

    @BeforeEach
    void ready() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).as("models ready within 60 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void embeddingsAreMeanPooledAndNormalisedLikeTheReferenceModel() {
        Response response = post(texts(SeedModel.NAME, List.of("A man is eating food.", "A man is eating a piece of bread.")));

        response.then().statusCode(200)
                .header("ce-type", EventType.INFERENCE_COMPLETED.type())
                .header("ce-tenant", InferenceRequests.TENANT)
                .header("ce-partitionkey", "device-1")
                .body("model", equalTo(SeedModel.NAME))
                .body("version", equalTo(1))
                .body("engine", equalTo("cpu"));
        assertThat(EventValidator.standard().validateData(EventType.INFERENCE_COMPLETED, EventJson.tree(response.asByteArray())))
                .as("the reply satisfies its schema").isEmpty();
        InferenceCompleted completed = EventJson.read(response.asByteArray(), InferenceCompleted.class);
        List<Float> a = completed.embeddings().get(0);
        List<Float> b = completed.embeddings().get(1);
        assertThat(a).hasSize(384);
        assertThat(dot(a, a)).as("unit length").isCloseTo(1.0, within(1e-4));
        assertThat(dot(a, b)).as("cosine, as measured with plain ONNX Runtime").isCloseTo(0.755, within(0.01));
    }

    @Test
    void aTensorModelAnswersByOutputName() {
        Response response = post(tensors(SeededStore.ECHO, Map.of("x", new Tensor("float32", List.of(2L, 4L), List.of(1, 2, 3, 4, 5, 6, 7, 8)))));

        response.then().statusCode(200)
                .header("ce-type", EventType.INFERENCE_COMPLETED.type())
                .body("outputs.y.shape", equalTo(List.of(2, 4)))
                .body("outputs.y.data[7]", equalTo(8.0f));
    }

    @Test
    void anUnknownModelOrVersionIsA400ThatSaysWhatIsServed() {
        post(texts("nobody", List.of("hi"))).then().statusCode(400)
                .contentType("application/problem+json")
                .body("reason", equalTo("UNKNOWN_MODEL"))
                .body("detail", startsWith("model 'nobody' is not served here; this function serves all-minilm-l6-v2@stable"));
        post(texts(SeedModel.NAME + "@7", List.of("hi"))).then().statusCode(400)
                .body("detail", equalTo("all-minilm-l6-v2@7 is not served here; this function serves all-minilm-l6-v2@stable, now version 1"));
    }

    @Test
    void badTextsAreA400NamingEachOne() {
        String tooLong = "word ".repeat(400);
        post(texts(SeedModel.NAME, List.of("fine", " ", tooLong))).then().statusCode(400)
                .contentType("application/problem+json")
                .body("reason", equalTo("BAD_REQUEST"))
                .body("problems.location", equalTo(List.of("data.texts[1]", "data.texts[2]")))
                .body("problems[1].message", startsWith("data.texts[2] is 402 tokens long; all-minilm-l6-v2@1 reads at most 256"));
        post(texts(SeedModel.NAME, java.util.Collections.nCopies(33, "one text too many"))).then().statusCode(400)
                .body("problems[0].message", equalTo("data.texts has 33 texts; all-minilm-l6-v2@1 takes at most 32 per request"));
        post(texts(SeedModel.NAME, List.of())).then().statusCode(400)
                .body("problems[0].location", equalTo("data.texts"));
    }

    @Test
    void wrongTensorsAreA400NamingEachOne() {
        post(tensors(SeededStore.ECHO, Map.of("x", new Tensor("int64", List.of(1L, 3L), List.of(1, 2, 3)),
                "z", new Tensor("float32", List.of(1L), List.of(1))))).then().statusCode(400)
                .body("reason", equalTo("BAD_REQUEST"))
                .body("problems.message", hasItem("data.tensors.z is not an input of echo@1; its inputs are [x]"))
                .body("problems.message", hasItem("data.tensors.x is int64; echo@1 takes float32"))
                .body("problems.message", hasItem("data.tensors.x has shape [1, 3]; dimension 1 must be 4 (float32 [?, 4])"));
        post(tensors(SeededStore.ECHO, Map.of("x", new Tensor("float32", List.of(1L, 4L), List.of(1, 2, 3))))).then().statusCode(400)
                .body("problems[0].message", equalTo("data.tensors.x has 3 elements; shape [1, 4] needs 4"));
        post(texts(SeededStore.ECHO, List.of("text for a tensor model"))).then().statusCode(400)
                .body("problems[0].location", equalTo("data.texts"));
    }

    @Test
    void healthSaysWhatServesAndMetricsSayOnWhichEngine() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].data.'all-minilm-l6-v2@stable'", startsWith("version 1 on cpu"));
        given().get("/q/health/live").then().statusCode(200);
        post(texts(SeedModel.NAME, List.of("warm"))).then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("autoglm_inference_engine{model=\"all-minilm-l6-v2\",provider=\"cpu\"} 1.0")
                .contains("autoglm_inference_engine{model=\"all-minilm-l6-v2\",provider=\"tensorrt\"} 0.0")
                .contains("autoglm_inference_engine_fallbacks_total{model=\"all-minilm-l6-v2\"} 2.0")
                .contains("autoglm_inference_cold_start_seconds{until=\"first_answer\"}")
                .contains("autoglm_inference_batch_rows_count{model=\"all-minilm-l6-v2\"}");
    }

    private static double dot(List<Float> a, List<Float> b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.get(i) * b.get(i);
        }
        return sum;
    }
}
