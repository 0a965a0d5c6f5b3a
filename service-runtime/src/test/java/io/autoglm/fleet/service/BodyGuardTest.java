package io.autoglm.fleet.service;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard in front of a Vert.x router as Quarkus builds it (the guard first, then a body handler with a
 * 16 MiB backstop, then the route), fed by a real HTTP client over loopback.
 */
class BodyGuardTest {

    private static final long LIMIT = 1 << 20;
    private static final int MIB = 1 << 20;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private BodyGuard guard;
    private URI uri;

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private void serve(long budget, BodyAdmission admission) {
        guard = new BodyGuard(LIMIT, budget, Optional.ofNullable(admission));
        Router router = Router.router(vertx);
        guard.install(router.route().order(Integer.MIN_VALUE));
        router.route().order(Integer.MIN_VALUE + 1).handler(BodyHandler.create().setBodyLimit(16L * MIB));
        router.post("/").handler(context -> context.response().end("read " + context.body().length()));
        router.get("/probe").handler(context -> context.response().end("probed"));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().join();
        uri = URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A body of {@code bytes} with no declared length: the client sends it chunked. */
    private static HttpRequest.BodyPublisher chunked(long bytes) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(bytes));
    }

    @Test
    void aBodyWithinTheLimitReachesTheRouteDeclaredOrChunked() throws Exception {
        serve(8 * LIMIT, null);
        assertThat(post(HttpRequest.BodyPublishers.ofString("x".repeat(1000))).body()).isEqualTo("read 1000");
        assertThat(post(chunked(LIMIT)).body()).isEqualTo("read " + LIMIT);
        assertThat(post(HttpRequest.BodyPublishers.ofString("")).body()).isEqualTo("read 0");
        assertThat(guard.mostHeld()).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsAnswered413WithAProblemBody() throws Exception {
        serve(8 * LIMIT, null);
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) LIMIT + 1]));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(ProblemDetails.MEDIA_TYPE);
        assertThat(response.body()).contains("problems/request-too-large", "limit of 1 MiB");
        assertThat(guard.mostHeld()).isZero();
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimitWithAProblemBody() throws Exception {
        serve(8 * LIMIT, null);
        HttpResponse<String> response = post(chunked(20L * MIB));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("https://autoglm.io/problems/request-too-large");
    }

    @Test
    void aFloodOfLargeChunkedBodiesHoldsNoMoreThanTheBudgetAndOthersAreStillServed() throws Exception {
        long budget = 8 * LIMIT;
        serve(budget, null);
        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            flood.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).POST(chunked(15L * MIB)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : flood) {
            assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isIn(413, 503);
        }
        assertThat(guard.mostHeld()).isLessThanOrEqualTo(budget);
        assertThat(post(HttpRequest.BodyPublishers.ofString("{}")).body()).isEqualTo("read 2");
    }

    @Test
    void aRefusedCallerIsAnsweredBeforeAnyOfItsBodyIsRead() throws Exception {
        serve(8 * LIMIT, context -> context.request().getHeader("Authorization") == null
                ? ProblemDetails.of("unauthenticated", "Missing bearer token", 401, "send a token") : null);
        HttpResponse<String> response = post(chunked(15L * MIB));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("problems/unauthenticated");
        assertThat(guard.mostHeld()).isZero();
    }

    @Test
    void pastTheBudgetARequestIsAnswered503WithRetryAfter() throws Exception {
        serve(LIMIT, null);
        try (java.net.Socket slow = new java.net.Socket(uri.getHost(), uri.getPort())) {
            java.io.OutputStream out = slow.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 100 && guard.mostHeld() < LIMIT; i++) {
                Thread.sleep(50); // until the server holds the whole budget for the body still coming in
            }
            assertThat(guard.mostHeld()).isEqualTo(LIMIT);

            HttpResponse<String> refused = post(chunked(10));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("problems/busy");

            out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            slow.setSoTimeout(10_000);
            StringBuilder answer = new StringBuilder();
            InputStream in = slow.getInputStream();
            while (!answer.toString().endsWith("read 5")) {
                answer.append((char) in.read());
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 200");
        }
        assertThat(post(chunked(10)).body()).isEqualTo("read 10");
    }

    @Test
    void aGetWithALargeChunkedBodyIsHeldToTheSameLimitAndABodilessGetIsLetThrough() throws Exception {
        serve(8 * LIMIT, null);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri.resolve("/probe")).timeout(Duration.ofSeconds(30))
                .method("GET", chunked(20L * MIB)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(413);
        assertThat(get.body()).as("cut off by the guard at the limit, not buffered to the body handler's backstop")
                .contains("problems/request-too-large");
        assertThat(guard.mostHeld()).isEqualTo(LIMIT);
        assertThat(client.send(HttpRequest.newBuilder(uri.resolve("/probe")).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("probed");
    }

    @Test
    void aCallerThatExpects100ContinueIsToldToGoOnOnlyOnceAdmitted() throws Exception {
        serve(8 * LIMIT, context -> context.request().getHeader("Authorization") == null
                ? ProblemDetails.of("unauthenticated", "Missing bearer token", 401, "send a token") : null);
        assertThat(expectContinue("Authorization: Bearer x\r\n")).startsWith("HTTP/1.1 100 Continue");
        assertThat(expectContinue("")).startsWith("HTTP/1.1 401");
    }

    /** The first line the server answers to headers that expect 100-continue, before any body is sent. */
    private String expectContinue(String headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n" + headers + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            InputStream in = socket.getInputStream();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    /** {@code length} zero bytes. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long length) {
            this.left = length;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
