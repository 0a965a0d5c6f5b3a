package io.autoglm.fleet.modelstore.s3;

import io.autoglm.fleet.modelstore.ModelStoreContract;
import io.autoglm.fleet.modelstore.ProgressListener;
import io.autoglm.fleet.modelstore.StoreBackend;
import io.autoglm.fleet.modelstore.testing.ModelFixtures;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's contract against a real S3 API server: S3Proxy (in-memory blob store) started in this
 * JVM for each test, spoken to over HTTP with the AWS SDK and SigV4 like any S3 endpoint.
 */
class S3ModelStoreIT extends ModelStoreContract {

    @RegisterExtension
    static final S3ProxyExtension S3_PROXY = S3ProxyExtension.builder()
            .withBlobStoreProvider("transient").withCredentials("access", "secret").build();

    private S3Client s3;
    private Path cache;

    @Override
    protected StoreBackend newBackend() {
        S3Location location = S3Location.parse("s3://models/fleet/prod?endpoint=" + S3_PROXY.getUri() + "&region=us-east-1");
        s3 = location.client(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")));
        s3.createBucket(b -> b.bucket("models"));
        cache = work.resolve("cache");
        return location.backend(s3, cache);
    }

    @Override
    protected void tamper(String model, int version, String path, byte[] bytes) throws Exception {
        s3.putObject(b -> b.bucket("models").key("fleet/prod/" + model + "/" + version + "/" + path), RequestBody.fromBytes(bytes));
        // and the cached copy, so a load must download and check again
        Path cached = cache.resolve("models/fleet/prod").resolve(model).resolve(Integer.toString(version)).resolve(path);
        Files.deleteIfExists(cached);
    }

    @Test
    void versionsAreStoredUnderTheLayoutKeysAndLoadedThroughALocalCache() {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        store.promote("echo", "stable", 1);

        assertThat(s3.listObjectsV2(b -> b.bucket("models").prefix("fleet/prod/")).contents())
                .extracting(o -> o.key())
                .containsExactlyInAnyOrder("fleet/prod/echo/1/model.onnx", "fleet/prod/echo/1/model.json", "fleet/prod/echo/aliases.json");
        assertThat(store.location()).isEqualTo("s3://models/fleet/prod/");
        Path local = store.open(io.autoglm.fleet.modelstore.ModelRef.parse("echo"), ProgressListener.NONE).modelFile();
        assertThat(local).startsWith(cache).isRegularFile();
    }

    @Test
    void aClaimLeftByACrashedPublisherIsCollected() {
        s3.putObject(b -> b.bucket("models").key("fleet/prod/echo/1/.claim"), RequestBody.fromString("crashed"));
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        assertThat(store.versions("echo")).as("the crashed number is skipped").containsExactly(2);

        assertThat(store.backend().removeAbandonedUploads("echo", java.time.Duration.ofMinutes(-1))).isEqualTo(1);
        assertThat(s3.listObjectsV2(b -> b.bucket("models").prefix("fleet/prod/echo/1/")).contents()).isEmpty();
    }

    @Test
    void theEngineCacheRoundTripsThroughTheBucket() throws Exception {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        Path dir = store.engineCache("echo", 1, "sm90");
        Files.writeString(dir.resolve("engine.trt"), "built at " + Instant.now());
        store.saveEngineCache("echo", 1, "sm90");

        Files.delete(dir.resolve("engine.trt"));
        assertThat(store.engineCache("echo", 1, "sm90").resolve("engine.trt")).isRegularFile();
        assertThat(s3.listObjectsV2(b -> b.bucket("models").prefix("fleet/prod/echo/1/trt/sm90/")).contents()).hasSize(1);
        assertThat(store.verify("echo", 1, ProgressListener.NONE).ok()).isTrue();
    }
}
