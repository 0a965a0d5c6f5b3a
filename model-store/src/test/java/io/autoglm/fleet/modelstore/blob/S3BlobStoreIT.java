package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.modelstore.Checksums;
import io.autoglm.fleet.modelstore.s3.S3Location;
import io.autoglm.fleet.modelstore.testing.Screenshots;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The blob store's contract against a real S3 API server (S3Proxy, in-memory, started in this JVM for
 * each test, as for the model store), and what only S3 does: presigned URLs a plain HTTP client fetches.
 */
class S3BlobStoreIT extends BlobStoreContract {

    @RegisterExtension
    static final S3ProxyExtension S3_PROXY = S3ProxyExtension.builder()
            .withBlobStoreProvider("transient").withCredentials("access", "secret").build();

    private static final AwsCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret"));

    private final HttpClient http = HttpClient.newHttpClient();
    private S3Client s3;

    private S3Location location() {
        return S3Location.parse("s3://blobs/fleet/screens?endpoint=" + S3_PROXY.getUri() + "&region=us-east-1");
    }

    @Override
    protected BlobStore newStore(ManualClock clock) {
        S3Location location = location();
        s3 = location.client(CREDENTIALS);
        s3.createBucket(b -> b.bucket("blobs"));
        return new S3BlobStore(location.client(CREDENTIALS), location.presigner(CREDENTIALS), "blobs", location.prefix(), clock);
    }

    @Override
    protected List<String> storedKeys() {
        return s3.listObjectsV2Paginator(b -> b.bucket("blobs").prefix("fleet/screens/")).contents().stream()
                .map(S3Object::key).map(k -> k.substring("fleet/screens/".length())).sorted().toList();
    }

    @Override
    protected void tamper(BlobKey key, byte[] bytes) {
        s3.putObject(b -> b.bucket("blobs").key("fleet/screens/" + key.path()), RequestBody.fromBytes(bytes));
    }

    private HttpResponse<byte[]> fetch(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aPresignedUrlIsFetchedWithAPlainHttpClientAndHoldsTheBytesItsSha256Names() throws Exception {
        byte[] png = Screenshots.png(7, 400, 300);
        assertThat(png.length).as("a screenshot-sized blob").isGreaterThan(300_000);

        StoredBlob blob = store.put("acme", png, PNG, Duration.ofMinutes(30));

        assertThat(blob.uri().getScheme()).isEqualTo("http");
        assertThat(blob.uri().getPath()).isEqualTo("/blobs/fleet/screens/" + blob.key().path());
        assertThat(blob.uri().getQuery()).contains("X-Amz-Signature=", "X-Amz-Expires=");
        HttpResponse<byte[]> response = fetch(blob.uri());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Checksums.sha256(response.body())).isEqualTo(blob.sha256());
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PNG);
        assertThat(blob.screenshot(400, 300).uri()).isEqualTo(blob.uri());
    }

    @Test
    void aPresignedUrlIsSignedForTheTimeUntilTheBlobExpires() {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofMinutes(30));

        // 10:20 -> 11:00
        assertThat(blob.uri().getQuery()).contains("X-Amz-Expires=2400");
        assertThat(s3.headObject(b -> b.bucket("blobs").key("fleet/screens/" + blob.key().path())).metadata())
                .containsEntry(S3BlobStore.EXPIRES_AT, "2026-12-03T11:00:00Z");
    }

    @Test
    void aSweptBlobsUrlNoLongerServesIt() throws Exception {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofMinutes(30));
        assertThat(fetch(blob.uri()).statusCode()).isEqualTo(200);

        assertThat(store.sweepExpired(blob.expiresAt())).isEqualTo(1);

        assertThat(fetch(blob.uri()).statusCode()).isIn(403, 404);
    }

    @Test
    void aUrlOfAnotherBucketIsNotOneOfThisStores() {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofHours(1));
        URI s3Uri = URI.create("s3://blobs/fleet/screens/" + blob.key().path());
        URI virtualHosted = URI.create("https://blobs.s3.eu-west-1.amazonaws.com/fleet/screens/" + blob.key().path() + "?X-Amz-Signature=x");

        assertThat(store.keyOf(s3Uri)).isEqualTo(blob.key());
        assertThat(store.keyOf(virtualHosted)).isEqualTo(blob.key());
        assertThatThrownBy(() -> store.keyOf(URI.create("s3://other/fleet/screens/" + blob.key().path())))
                .isInstanceOf(InvalidBlobException.class);
        assertThatThrownBy(() -> store.keyOf(URI.create("s3://blobs/other-prefix/" + blob.key().path())))
                .isInstanceOf(InvalidBlobException.class);
    }

    @Test
    void theFactoryOpensAnS3LocationWithTheDefaultCredentialsChain() throws Exception {
        System.setProperty("aws.accessKeyId", "access");
        System.setProperty("aws.secretAccessKey", "secret");
        try (BlobStore fromUri = BlobStores.fromUri("s3://blobs/fleet/screens?endpoint=" + S3_PROXY.getUri(), Clock.systemUTC())) {
            assertThat(fromUri).isInstanceOf(S3BlobStore.class);
            assertThat(fromUri.location()).isEqualTo("s3://blobs/fleet/screens/");
            StoredBlob blob = fromUri.put("acme", Screenshots.png(1), PNG, Duration.ofHours(1));
            assertThat(fetch(blob.uri()).statusCode()).isEqualTo(200);
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
