package io.autoglm.fleet.modelstore.s3;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An S3 store address, {@code s3://bucket/prefix?endpoint=http://host:9000&region=us-east-1}: the bucket,
 * the key prefix, and for non-AWS servers (MinIO, Ceph, S3Proxy) the endpoint, which also switches
 * to path-style addressing. Credentials never go in the address: they come from the SDK's default
 * chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profiles, instance roles).
 */
public record S3Location(String bucket, String prefix, URI endpoint, String region) {

    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        prefix = prefix == null ? "" : prefix;
        region = region == null ? "us-east-1" : region;
    }

    public static S3Location parse(String uri) {
        URI parsed = URI.create(uri);
        if (!"s3".equals(parsed.getScheme()) || parsed.getHost() == null) {
            throw new IllegalArgumentException("an S3 store is s3://bucket[/prefix][?endpoint=...&region=...], got '" + uri + "'");
        }
        Map<String, String> query = new HashMap<>();
        if (parsed.getRawQuery() != null) {
            for (String pair : parsed.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String endpoint = query.getOrDefault("endpoint", System.getenv("AWS_ENDPOINT_URL_S3"));
        return new S3Location(parsed.getHost(), parsed.getPath() == null ? "" : parsed.getPath(),
                endpoint == null ? null : URI.create(endpoint), query.getOrDefault("region", System.getenv("AWS_REGION")));
    }

    /** A client for this location with the default credentials chain. */
    public S3Client client() {
        return client(DefaultCredentialsProvider.builder().build());
    }

    /**
     * A client for this location. Checksums are computed only where the S3 API requires them, so the
     * client works with S3-compatible servers that do not know the newer checksum headers.
     */
    public S3Client client(AwsCredentialsProvider credentials) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        return builder.build();
    }

    /** A presigner for this location with the default credentials chain. */
    public S3Presigner presigner() {
        return presigner(DefaultCredentialsProvider.builder().build());
    }

    /**
     * A presigner that signs URLs for the same server, region and addressing style as {@link #client}.
     * A URL it signs is valid for at most 7 days (SigV4), and with temporary credentials (an instance
     * role, STS) no longer than the session that signed it.
     */
    public S3Presigner presigner(AwsCredentialsProvider credentials) {
        var builder = S3Presigner.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint != null).build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    public S3Backend backend(S3Client client, Path cacheRoot) {
        return new S3Backend(client, bucket, prefix, cacheRoot);
    }
}
