package io.autoglm.fleet.triggers.dispatch;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SubscriberClient} on Netty's HTTP/1.1 response decoder, on the event loops of the application's
 * Vert.x: each event is one binary-mode POST written straight from its headers into the socket's
 * buffer, on keep-alive connections, at most {@code concurrency} requests in flight (the rest wait
 * for a connection), and an attempt fails when no complete answer came {@code timeout} after it was
 * written.
 *
 * <h2>Pipelining, while the subscriber is quick</h2>
 * A subscriber serves one connection's requests one after the other. To a slow one (inference: tens of
 * milliseconds an answer, dynamic batching that wants requests side by side) each request in flight has
 * its own connection, so it sees the whole concurrency. A quick one (answers within {@link #QUICK}
 * lately) gets up to {@code pipelining} requests on a connection (HTTP/1.1 pipelining) before another
 * connection is used: the requests written while answers are read go out in one write, and the
 * subscriber reads several in one go and answers them in one write, which roughly halves the system
 * calls per event on both sides. Each event is still its own request, and the concurrency bound is the
 * same; when the answers slow down (over twice {@link #QUICK}, averaged over the last few), requests
 * go to idle connections again.
 *
 * <p>Why not Vert.x's own HTTP client: per event it leases a connection from a shared pool, builds a
 * stream, a header map and a chain of futures, and arms a timer; that was most of the dispatcher's
 * CPU per event. Here each event loop owns its connections (no locks), a request is one buffer, and
 * one sweep per event loop checks the deadlines of the requests in flight.
 */
public final class HttpSubscriberClient implements SubscriberClient {

    /** Largest answer read; a reply event is one event, the sink takes at most 1 MiB. */
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;
    /** Most requests on one connection to a quick subscriber, unless told otherwise. */
    public static final int PIPELINING = 8;
    /** A subscriber whose answers took less than this lately (on average) is quick: it gets pipelined requests. */
    static final Duration QUICK = Duration.ofMillis(5);
    private static final long QUICK_NANOS = QUICK.toNanos();
    private static final long SWEEP_MILLIS = 10;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final AtomicInteger FIRST_LOOP = new AtomicInteger();

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<URI, Target> targets = new ConcurrentHashMap<>();
    private final Bootstrap bootstrap;
    private final int pipelining;
    private volatile SslContext ssl;
    private volatile boolean closed;

    /** With pipelining to quick subscribers ({@link #PIPELINING} requests per connection at most). */
    public HttpSubscriberClient(Vertx vertx, int concurrency, Duration connectTimeout) {
        this(vertx, concurrency, PIPELINING, connectTimeout);
    }

    /**
     * @param concurrency most requests in flight at once
     * @param pipelining  most requests in flight on one connection to a quick subscriber; 1: no pipelining
     */
    public HttpSubscriberClient(Vertx vertx, int concurrency, int pipelining, Duration connectTimeout) {
        if (concurrency < 1 || pipelining < 1) {
            throw new IllegalArgumentException("concurrency and pipelining must be >= 1");
        }
        VertxInternal internal = (VertxInternal) vertx;
        EventLoopGroup group = internal.getEventLoopGroup();
        ChannelFactory<? extends Channel> channels = internal.transport().channelFactory(false);
        AddressResolverGroup<?> resolver = internal.nettyAddressResolverGroup();
        this.pipelining = pipelining;
        this.bootstrap = new Bootstrap().group(group).channelFactory(channels).resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
        List<EventLoop> eventLoops = new ArrayList<>();
        group.forEach(executor -> eventLoops.add((EventLoop) executor));
        int count = Math.min(Math.min(concurrency, Runtime.getRuntime().availableProcessors()), eventLoops.size());
        // each client (one per Trigger) starts on the loop after the previous client's, so Triggers spread over the loops
        int first = FIRST_LOOP.getAndAdd(count);
        this.loops = new Loop[count];
        for (int i = 0; i < count; i++) {
            // the concurrency spreads over the loops: concurrency / count each, the first few one more
            loops[i] = new Loop(eventLoops.get(Math.floorMod(first + i, eventLoops.size())),
                    concurrency / count + (i < concurrency % count ? 1 : 0));
        }
    }

    @Override
    public CompletableFuture<SubscriberResponse> post(URI target, OutboundEvent event, Duration timeout) {
        CompletableFuture<SubscriberResponse> answer = new CompletableFuture<>();
        Exchange exchange;
        try {
            exchange = new Exchange(target(target), event, timeout.toMillis(), answer);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return answer;
        }
        // a request made on one of our event loops stays there (with its device's next ones): no hand-over
        for (Loop loop : loops) {
            if (loop.executor.inEventLoop()) {
                loop.send(exchange);
                return answer;
            }
        }
        Loop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        try {
            loop.executor.execute(() -> loop.send(exchange));
        } catch (RejectedExecutionException e) {
            exchange.fail(new IOException("the subscriber client is closed (its event loops stopped)", e));
        }
        return answer;
    }

    /** A Trigger has one subscriber: its request head is built once. */
    private Target target(URI uri) {
        Target target = targets.get(uri);
        if (target == null) {
            target = Target.of(uri);
            if (targets.size() < 64) {
                targets.put(uri, target);
            }
        }
        return target;
    }

    @Override
    public void close() {
        closed = true;
        for (Loop loop : loops) {
            try {
                loop.executor.execute(loop::close);
            } catch (RejectedExecutionException e) {
                // the event loops stopped first: their connections went with them
            }
        }
    }

    /** Where requests go: the address to connect to and what every request to it starts with (up to the body's length). */
    private record Target(String key, String host, int port, boolean secure, byte[] requestHead) {

        static Target of(URI uri) {
            boolean secure = "https".equalsIgnoreCase(uri.getScheme());
            if (!secure && !"http".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("a subscriber is reached over http or https, not " + uri);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the subscriber URI " + uri + " names no host");
            }
            int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            String host = uri.getHost();
            // the request line, Host, and the start of Content-Length, whose value is the event's
            String head = "POST " + path + query + " HTTP/1.1\r\nHost: " + host + (uri.getPort() > 0 ? ":" + port : "")
                    + "\r\nContent-Length: ";
            String address = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return new Target((secure ? "https://" : "http://") + host + ":" + port, address, port, secure,
                    head.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** One request and its answer. */
    private static final class Exchange {
        final Target target;
        final OutboundEvent event;
        final long timeoutMillis;
        final CompletableFuture<SubscriberResponse> answer;
        /** When it was written ({@link System#nanoTime()}): its deadline runs from there. */
        long written;

        Exchange(Target target, OutboundEvent event, long timeoutMillis, CompletableFuture<SubscriberResponse> answer) {
            this.target = target;
            this.event = event;
            this.timeoutMillis = timeoutMillis;
            this.answer = answer;
            checkHeaders(event);
        }

        /** The request as HTTP/1.1 bytes. */
        ByteBuf encode(Channel channel) {
            byte[] body = event.body();
            ByteBuf buffer = channel.alloc().buffer(target.requestHead().length + 64 + 48 * event.headers().size() + body.length);
            buffer.writeBytes(target.requestHead());
            ByteBufUtil.writeAscii(buffer, Integer.toString(body.length));
            buffer.writeBytes(CRLF);
            for (Map.Entry<String, String> header : event.headers()) {
                buffer.writeCharSequence(header.getKey(), StandardCharsets.US_ASCII);
                buffer.writeByte(':').writeByte(' ');
                buffer.writeCharSequence(header.getValue(), StandardCharsets.US_ASCII);
                buffer.writeBytes(CRLF);
            }
            buffer.writeBytes(CRLF);
            buffer.writeBytes(body);
            return buffer;
        }

        /** A header that would break the request (a line break, a non-token name) fails this event's attempt, not the connection. */
        private static void checkHeaders(OutboundEvent event) {
            for (Map.Entry<String, String> header : event.headers()) {
                String name = header.getKey();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("an empty header name");
                }
                for (int i = 0; i < name.length(); i++) {
                    char c = name.charAt(i);
                    if (c <= ' ' || c >= 0x7F || c == ':' || c == '"' || c == '(' || c == ')' || c == ',' || c == '/' || c == ';'
                            || c == '<' || c == '=' || c == '>' || c == '?' || c == '@' || c == '[' || c == '\\' || c == ']' || c == '{'
                            || c == '}') {
                        throw new IllegalArgumentException("header name " + name + " is not an HTTP token");
                    }
                }
                String value = header.getValue();
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if ((c < ' ' && c != '\t') || c >= 0x7F) {
                        throw new IllegalArgumentException("header " + name + " holds a character HTTP/1.1 cannot carry (code " + (int) c + ")");
                    }
                }
            }
        }

        /** Whether its answer is overdue at {@code now}. */
        boolean overdue(long now) {
            return now - written > TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        }

        void fail(Throwable failure) {
            answer.completeExceptionally(failure);
        }
    }

    /** One event loop's share: its connections to each target, the requests waiting for one, the deadline sweep. */
    private final class Loop {
        final EventLoop executor;
        /** Most requests in flight from this loop to one target, and so most connections to it. */
        final int share;
        final Map<String, Pool> pools = new HashMap<>();
        ScheduledFuture<?> sweep;

        Loop(EventLoop executor, int share) {
            this.executor = executor;
            this.share = share;
        }

        void send(Exchange exchange) {
            if (closed) {
                exchange.fail(new IOException("the subscriber client is closed"));
                return;
            }
            pools.computeIfAbsent(exchange.target.key(), key -> new Pool(this, exchange.target)).send(exchange);
        }

        void armSweep() {
            if (sweep == null) {
                sweep = executor.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        private void sweep() {
            long now = System.nanoTime();
            boolean busy = false;
            for (Pool pool : pools.values()) {
                busy |= pool.expire(now);
            }
            if (!busy) {
                sweep.cancel(false);
                sweep = null;
            }
        }

        void close() {
            for (Pool pool : pools.values()) {
                pool.close();
            }
            pools.clear();
            if (sweep != null) {
                sweep.cancel(false);
                sweep = null;
            }
        }
    }

    /**
     * The connections of one event loop to one target; touched only on that event loop. {@code available}
     * holds the connections that may take another request: idle ones, and while the subscriber is quick
     * those with fewer than {@code pipelining} in flight, most recently used first (so requests gather on
     * few connections and share their writes).
     */
    private final class Pool {
        final Loop loop;
        final Target target;
        final List<Connection> open = new ArrayList<>();
        final ArrayDeque<Connection> available = new ArrayDeque<>();
        final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
        int connecting;
        int inFlight;
        /** Recent answers' service time (from the request's write, or the answer before it on its connection), averaged. */
        long serviceNanos = QUICK_NANOS;
        boolean quick;

        Pool(Loop loop, Target target) {
            this.loop = loop;
            this.target = target;
        }

        /** Requests one connection may hold now. */
        int depth() {
            return quick ? pipelining : 1;
        }

        void send(Exchange exchange) {
            Connection connection = inFlight < loop.share ? available.peekFirst() : null;
            if (connection != null) {
                write(connection, exchange);
                return;
            }
            waiting.addLast(exchange);
            connectForWaiting();
        }

        /** Writes on the first available connection, which leaves the available ones when full. */
        private void write(Connection connection, Exchange exchange) {
            if (connection.write(exchange)) {
                inFlight++;
                if (connection.inFlight.size() >= depth()) {
                    available.pollFirst();
                    connection.listed = false;
                }
            }
        }

        private void connect() {
            connecting++;
            bootstrap.clone(loop.executor).handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) throws SSLException {
                    if (target.secure()) {
                        channel.pipeline().addLast(new SslHandler(sslEngine(channel, target)));
                    }
                    if (pipelining > 1) {
                        // requests written while answers are read go out in one write per connection, after the read
                        channel.pipeline().addLast(new FlushConsolidationHandler(256, true));
                    }
                    HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(16384)
                            .setMaxChunkSize(65536).setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false));
                    channel.pipeline().addLast(new HttpResponseDecoder(config), new HttpObjectAggregator(MAX_ANSWER_BYTES),
                            new Connection(Pool.this, channel));
                }
            }).connect(target.host(), target.port()).addListener(done -> {
                connecting--;
                if (!done.isSuccess()) {
                    Throwable cause = done.cause() instanceof ConnectException ? done.cause()
                            : new ConnectException("cannot connect to " + target.key() + ": " + done.cause());
                    // one request fails for each attempt; with no connection up at all, every waiting one (a subscriber that is down)
                    for (Exchange failed = waiting.pollFirst(); failed != null; failed = open.isEmpty() ? waiting.pollFirst() : null) {
                        failed.fail(cause);
                    }
                    more();
                }
            });
        }

        /** A connection is up: it takes what waits (or, when the client closed meanwhile, it goes). */
        void opened(Connection connection) {
            if (closed) {
                connection.abort(new IOException("the subscriber client is closed"));
                return;
            }
            open.add(connection);
            connection.listed = true;
            available.addLast(connection);
            more();
        }

        /** An answer came: the pool learns how quick the subscriber is, and the connection takes the next request. */
        void answered(Connection connection, Exchange exchange, boolean keepAlive) {
            inFlight--;
            long now = System.nanoTime();
            long service = now - Math.max(exchange.written, connection.lastAnswer);
            connection.lastAnswer = now;
            serviceNanos += (service - serviceNanos) >> 3;
            // in at QUICK, out at twice that: a subscriber near the line does not switch at every answer
            boolean nowQuick = pipelining > 1 && serviceNanos < (quick ? 2 * QUICK_NANOS : QUICK_NANOS);
            if (nowQuick != quick) {
                quick = nowQuick;
                relist();
            }
            if (!keepAlive) {
                connection.abort(new IOException("the subscriber closed the connection"));
                return;
            }
            if (!connection.listed && connection.inFlight.size() < depth()) {
                connection.listed = true;
                available.addFirst(connection);
            }
            more();
        }

        /** The depth changed: which connections may take another request. */
        private void relist() {
            available.clear();
            for (Connection connection : open) {
                connection.listed = connection.inFlight.size() < depth();
                if (connection.listed) {
                    available.addLast(connection);
                }
            }
        }

        /** A connection went; the requests still on it are no longer in flight (they fail). */
        void closed(Connection connection) {
            open.remove(connection);
            if (connection.listed) {
                available.remove(connection);
                connection.listed = false;
            }
            inFlight -= connection.inFlight.size();
            more();
        }

        /** Hands waiting requests to available connections, and opens connections for the rest while allowed. */
        private void more() {
            while (!waiting.isEmpty() && inFlight < loop.share && !available.isEmpty()) {
                write(available.peekFirst(), waiting.pollFirst());
            }
            connectForWaiting();
        }

        /** Opens the connections the waiting requests need, within the loop's share. */
        private void connectForWaiting() {
            int room = Math.min(waiting.size(), loop.share - inFlight);
            if (room <= 0 || !available.isEmpty()) {
                return;
            }
            int depth = depth();
            int wanted = Math.min((room + depth - 1) / depth - connecting, loop.share - open.size() - connecting);
            for (int i = 0; i < wanted; i++) {
                connect();
            }
        }

        /** Fails what is past its deadline; whether anything is still in flight. */
        boolean expire(long now) {
            boolean busy = false;
            for (Connection connection : List.copyOf(open)) {
                Exchange oldest = connection.inFlight.peekFirst();
                if (oldest != null && oldest.overdue(now)) {
                    connection.timedOut(now);
                } else {
                    busy |= oldest != null;
                }
            }
            return busy;
        }

        void close() {
            for (Exchange exchange : waiting) {
                exchange.fail(new IOException("the subscriber client is closed"));
            }
            waiting.clear();
            for (Connection connection : List.copyOf(open)) {
                connection.abort(new IOException("the subscriber client is closed"));
            }
        }

        private SSLEngine sslEngine(Channel channel, Target target) throws SSLException {
            SslContext context = ssl;
            if (context == null) {
                context = SslContextBuilder.forClient().build();
                ssl = context;
            }
            SSLEngine engine = context.newEngine(channel.alloc(), target.host(), target.port());
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            return engine;
        }
    }

    /** One keep-alive connection and the requests written on it, answered in order. */
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        final Pool pool;
        final Channel channel;
        final ArrayDeque<Exchange> inFlight = new ArrayDeque<>();
        /** In its pool's {@code available}. */
        boolean listed;
        long lastAnswer;
        boolean gone;

        Connection(Pool pool, Channel channel) {
            this.pool = pool;
            this.channel = channel;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) throws Exception {
            super.channelActive(context);
            pool.opened(this);
        }

        /** Writes the request; false when it could not be encoded (the exchange failed, nothing was written). */
        boolean write(Exchange exchange) {
            ByteBuf request;
            try {
                request = exchange.encode(channel);
            } catch (RuntimeException e) {
                exchange.fail(e);
                return false;
            }
            exchange.written = System.nanoTime();
            inFlight.addLast(exchange);
            pool.loop.armSweep();
            channel.writeAndFlush(request, channel.voidPromise());
            return true;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpResponse response) {
            if (response.decoderResult().isFailure()) {
                abort(new IOException("the subscriber's answer is not valid HTTP/1.1: " + response.decoderResult().cause()));
                return;
            }
            int status = response.status().code();
            if (status >= 100 && status < 200) {
                return; // informational: the answer follows
            }
            Exchange exchange = inFlight.pollFirst();
            if (exchange == null) {
                abort(new IOException("the subscriber answered a request it was not sent"));
                return;
            }
            List<Map.Entry<String, String>> headers = response.headers().entries();
            byte[] body = ByteBufUtil.getBytes(response.content());
            pool.answered(this, exchange, HttpUtil.isKeepAlive(response));
            // the connection is back in the pool before the dispatcher goes on with this device's next event
            exchange.answer.complete(new SubscriberResponse(status, headers, body));
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) throws Exception {
            abort(new IOException("the subscriber closed the connection before it answered"));
            super.channelInactive(context);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            abort(cause instanceof IOException ? cause : new IOException("the request failed: " + cause, cause));
        }

        /** Closes the connection; the requests in flight on it fail with {@code failure}. */
        void abort(Throwable failure) {
            close();
            for (Exchange exchange = inFlight.pollFirst(); exchange != null; exchange = inFlight.pollFirst()) {
                exchange.fail(failure);
            }
        }

        /**
         * The oldest request got no answer in time: the connection goes. The requests pipelined behind it fail as timed out
         * when they are past their own deadline, otherwise as not answered because of the one ahead.
         */
        void timedOut(long now) {
            close();
            Exchange oldest = inFlight.peekFirst();
            String ahead = "not answered: the request ahead of it on its connection got no answer within "
                    + Duration.ofMillis(oldest.timeoutMillis) + ", and the connection was closed";
            for (Exchange exchange = inFlight.pollFirst(); exchange != null; exchange = inFlight.pollFirst()) {
                exchange.fail(exchange.overdue(now) ? new TimeoutException("no answer within " + Duration.ofMillis(exchange.timeoutMillis))
                        : new IOException(ahead));
            }
        }

        private void close() {
            if (!gone) {
                gone = true;
                channel.close();
                pool.closed(this);
            }
        }
    }
}
