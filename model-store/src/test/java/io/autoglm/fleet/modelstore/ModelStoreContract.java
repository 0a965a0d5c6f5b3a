package io.autoglm.fleet.modelstore;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.model.ModelVersionPromoted;
import io.autoglm.fleet.events.model.ModelVersionPublished;
import io.autoglm.fleet.modelstore.testing.ModelFixtures;
import io.autoglm.fleet.modelstore.testing.RecordingEventPublisher;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every backend must do, run against each: the filesystem here, S3 against a real S3 server.
 */
public abstract class ModelStoreContract {

    @TempDir
    protected Path work;

    protected ModelStore store;
    protected RecordingEventPublisher events;

    /** A fresh, empty backend for one test. */
    protected abstract StoreBackend newBackend() throws Exception;

    /** Overwrites a stored file of a published version behind the store's back. */
    protected abstract void tamper(String model, int version, String path, byte[] bytes) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        events = new RecordingEventPublisher();
        store = new ModelStore(newBackend(), events, Clock.systemUTC(), Duration.ofSeconds(5));
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void publishingNumbersVersionsFromOneAndRecordsEveryFileWithItsSha256() throws IOException {
        PublishedVersion first = ModelFixtures.publishLinear(store, "echo", work, 1f);
        PublishedVersion second = ModelFixtures.publishLinear(store, "echo", work, 2f);

        assertThat(first.manifest().version()).isEqualTo(1);
        assertThat(second.manifest().version()).isEqualTo(2);
        assertThat(store.versions("echo")).containsExactly(1, 2);
        assertThat(store.models()).containsExactly("echo");
        ModelManifest stored = store.manifest("echo", 2);
        assertThat(stored).isEqualTo(second.manifest());
        ModelFile model = stored.file("model.onnx").orElseThrow();
        try (InputStream in = store.backend().openFile("echo", 2, "model.onnx")) {
            byte[] bytes = in.readAllBytes();
            assertThat(model.size()).isEqualTo(bytes.length);
            assertThat(model.sha256()).isEqualTo(Checksums.sha256(bytes));
        }
        assertThat(stored.createdAt()).isNotNull();
    }

    @Test
    void aPublishedVersionIsImmutable() {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        ModelManifest before = store.manifest("echo", 1);

        assertThatThrownBy(() -> store.publish(ModelFixtures.linearDraft("echo", work, 4, 9f, Batching.DEFAULT), 1, ProgressListener.NONE))
                .isInstanceOf(VersionConflictException.class)
                .hasMessageContaining("echo@1 already exists");
        assertThat(store.manifest("echo", 1)).isEqualTo(before);
        assertThat(store.verify("echo", 1, ProgressListener.NONE).ok()).isTrue();
    }

    @Test
    void anUploadInProgressIsInvisibleAndLeavesNothingWhenAbandoned() throws IOException {
        Path file = Files.writeString(work.resolve("weights.bin"), "half a model");
        try (StoreBackend.VersionUpload upload = store.backend().beginVersion("echo", 1)) {
            upload.addFile("model.onnx", file, ProgressListener.NONE);

            assertThat(store.versions("echo")).isEmpty();
            assertThat(store.backend().readManifest("echo", 1)).isEmpty();
            assertThatThrownBy(() -> store.resolve(ModelRef.version("echo", 1))).isInstanceOf(ModelNotFoundException.class);
            assertThatThrownBy(() -> store.backend().beginVersion("echo", 1)).as("a second publisher of the same number")
                    .isInstanceOf(VersionConflictException.class);
        }
        assertThat(store.versions("echo")).isEmpty();
        assertThat(store.backend().highestClaimedVersion("echo")).isZero();
        assertThat(ModelFixtures.publishLinear(store, "echo", work, 1f).manifest().version()).isEqualTo(1);
    }

    @Test
    void aliasesResolveAndDefaultToStable() {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        ModelFixtures.publishLinear(store, "echo", work, 2f);
        store.promote("echo", "stable", 1);
        store.promote("echo", "canary", 2);

        assertThat(store.resolve(ModelRef.parse("echo"))).isEqualTo(1);
        assertThat(store.resolve(ModelRef.parse("echo@canary"))).isEqualTo(2);
        assertThat(store.resolve(ModelRef.parse("echo@2"))).isEqualTo(2);
        assertThat(store.resolve(ModelRef.parse("echo@latest"))).as("the newest, implicitly").isEqualTo(2);
        assertThat(store.aliases("echo").aliases()).isEqualTo(Map.of("stable", 1, "canary", 2));
        assertThatThrownBy(() -> store.resolve(ModelRef.parse("echo@beta")))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("echo has no alias 'beta'").hasMessageContaining("stable -> 1");
        assertThatThrownBy(() -> store.resolve(ModelRef.parse("echo@7")))
                .isInstanceOf(ModelNotFoundException.class).hasMessage("echo@7 is not published (versions: 1, 2)");
        assertThatThrownBy(() -> store.resolve(ModelRef.parse("nope")))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("no model 'nope'").hasMessageContaining("models: echo");
    }

    @Test
    void rollbackUndoesPromotionsInOrder() {
        for (int i = 1; i <= 3; i++) {
            ModelFixtures.publishLinear(store, "echo", work, i);
            store.promote("echo", "stable", i);
        }

        Promotion back = store.rollback("echo", "stable");
        assertThat(back.version()).isEqualTo(2);
        assertThat(back.previous()).isEqualTo(3);
        assertThat(store.rollback("echo", "stable").version()).isEqualTo(1);
        assertThatThrownBy(() -> store.rollback("echo", "stable"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("no earlier version");
        assertThat(store.resolve(ModelRef.parse("echo@stable"))).isEqualTo(1);
    }

    @Test
    void promotingAVersionThatDoesNotExistIsRefused() {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        assertThatThrownBy(() -> store.promote("echo", "stable", 5))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("echo@5 is not published");
        assertThatThrownBy(() -> store.promote("echo", "Stable!", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.aliases("echo").aliases()).isEmpty();
    }

    @Test
    void aStaleAliasesWriteLosesInsteadOfOverwriting() {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        ModelFixtures.publishLinear(store, "echo", work, 2f);
        store.promote("echo", "stable", 1);
        StoredDocument seen = store.backend().readAliases("echo").orElseThrow();
        store.promote("echo", "stable", 2);

        byte[] stale = ManifestJson.write(AliasTable.empty().promote("canary", 1, null));
        assertThatThrownBy(() -> store.backend().writeAliases("echo", stale, seen.tag())).isInstanceOf(VersionConflictException.class);
        assertThatThrownBy(() -> store.backend().writeAliases("echo", stale, null)).isInstanceOf(VersionConflictException.class);
        assertThat(store.aliases("echo").aliases()).isEqualTo(Map.of("stable", 2));
    }

    @Test
    void verificationAndLoadingCatchATamperedFile() throws Exception {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        assertThat(store.verify("echo", 1, ProgressListener.NONE).ok()).isTrue();
        assertThat(store.open(ModelRef.version("echo", 1), ProgressListener.NONE).modelFile()).exists();

        int size = (int) store.manifest("echo", 1).file("model.onnx").orElseThrow().size();
        tamper("echo", 1, "model.onnx", new byte[size]);

        Verification result = store.verify("echo", 1, ProgressListener.NONE);
        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).singleElement().asString().startsWith("model.onnx has sha256 ");
        assertThatThrownBy(() -> store.open(ModelRef.version("echo", 1), ProgressListener.NONE))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("echo@1 failed verification: model.onnx has sha256");

        tamper("echo", 1, "model.onnx", "short".getBytes(StandardCharsets.UTF_8));
        assertThat(store.verify("echo", 1, ProgressListener.NONE).problems()).singleElement().asString()
                .isEqualTo("model.onnx has 5 bytes, model.json says " + size);
    }

    @Test
    void gcKeepsTheNewestAndEveryAliasTarget() {
        for (int i = 1; i <= 5; i++) {
            ModelFixtures.publishLinear(store, "echo", work, i);
        }
        store.promote("echo", "stable", 2);

        GarbageCollection dry = store.gc("echo", 2, true);
        assertThat(dry.removed()).containsExactly(1, 3);
        assertThat(store.versions("echo")).containsExactly(1, 2, 3, 4, 5);

        GarbageCollection gc = store.gc("echo", 2, false);
        assertThat(gc.removed()).containsExactly(1, 3);
        assertThat(gc.kept()).containsExactly(2, 4, 5);
        assertThat(store.versions("echo")).containsExactly(2, 4, 5);
        assertThat(store.verify("echo", 2, ProgressListener.NONE).ok()).isTrue();
        assertThat(ModelFixtures.publishLinear(store, "echo", work, 6f).manifest().version())
                .as("numbers are not reused after gc").isEqualTo(6);
    }

    @Test
    void publishingAndPromotingAreAnnounced() {
        PublishedVersion published = ModelFixtures.publishLinear(store, "echo", work, 1f);
        store.promote("echo", "stable", 1);

        List<CloudEvent> sent = events.events();
        assertThat(sent).extracting(CloudEvent::getType)
                .containsExactly(EventType.MODEL_VERSION_PUBLISHED.type(), EventType.MODEL_VERSION_PROMOTED.type());
        ModelVersionPublished payload = Events.payload(sent.get(0), ModelVersionPublished.class);
        assertThat(payload.digest()).isEqualTo(published.digest())
                .isEqualTo(Checksums.sha256(ManifestJson.write(store.manifest("echo", 1))));
        assertThat(payload.sizeBytes()).isEqualTo(published.manifest().sizeBytes());
        assertThat(payload.store()).isEqualTo(store.location());
        assertThat(Events.partitionKey(sent.get(0))).isEqualTo("echo");
        ModelVersionPromoted promoted = Events.payload(sent.get(1), ModelVersionPromoted.class);
        assertThat(promoted.alias()).isEqualTo("stable");
        assertThat(promoted.version()).isEqualTo(1);
        assertThat(promoted.previousVersion()).isNull();
        assertThat(published.announced()).isTrue();
    }

    @Test
    void aFailedAnnouncementDoesNotUndoThePublication() {
        events.failing(true);
        PublishedVersion published = ModelFixtures.publishLinear(store, "echo", work, 1f);
        assertThat(published.announced()).isFalse();
        assertThat(store.versions("echo")).containsExactly(1);
    }

    @Test
    void theSeedModelImportsFromItsMavenJarWithItsSignature() {
        PublishedVersion seed = ModelFixtures.publishSeed(store, SeedModel.NAME, SeedModel.BATCHING);
        ModelManifest m = seed.manifest();

        assertThat(m.precision()).isEqualTo(Precision.INT8);
        assertThat(m.files()).extracting(ModelFile::path).containsExactly("model.onnx", "tokenizer.json");
        assertThat(m.inputs()).extracting(TensorSpec::name).containsExactly("input_ids", "attention_mask", "token_type_ids");
        assertThat(m.inputs().get(0).dtype()).isEqualTo("int64");
        assertThat(m.inputs().get(0).shape()).containsExactly(-1L, -1L);
        assertThat(m.outputs()).extracting(TensorSpec::name).contains("last_hidden_state");
        assertThat(m.text().tokenizer()).isEqualTo("tokenizer.json");
        assertThat(m.batching()).isEqualTo(SeedModel.BATCHING);
        assertThat(store.open(ModelRef.version(SeedModel.NAME, 1), ProgressListener.NONE).file("tokenizer.json")).exists();
    }
}
