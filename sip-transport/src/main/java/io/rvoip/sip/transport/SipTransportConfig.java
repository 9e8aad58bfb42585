package io.rvoip.sip.transport;

import io.rvoip.infra.time.Scheduler;
import io.rvoip.sip.parser.ParserLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link SipTransport}: listening points, TLS, limits and timeouts. Immutable;
 * build with {@link #builder(Scheduler)}. Timeouts run on the given {@link Scheduler}, so tests
 * drive them with a {@link io.rvoip.infra.time.ManualClock}.
 */
public final class SipTransportConfig {
    /** One socket to open. */
    record Listen(TransportType transport, InetSocketAddress bind, String advertisedHost) {
    }

    final List<Listen> listens;
    final TlsConfig tls;
    final Scheduler scheduler;
    final ParserLimits limits;
    final io.rvoip.sip.parser.SipParser.Depth parseDepth;
    final int udpMaxRequestSize;
    final int maxConnections;
    final int maxConnectionsPerIp;
    final Duration idleTimeout;
    final Duration partialMessageTimeout;
    final Duration connectTimeout;
    final Duration keepAliveInterval;
    final int maxQueuedBytesPerConnection;
    final int ioThreads;
    final boolean nativeTransport;
    final EventLoopShards eventLoops;
    final String webSocketPath;
    final java.util.function.Predicate<String> webSocketOriginCheck;

    private SipTransportConfig(Builder b) {
        this.listens = List.copyOf(b.listens);
        this.tls = b.tls;
        this.scheduler = b.scheduler;
        this.limits = b.limits;
        this.parseDepth = b.parseDepth;
        this.udpMaxRequestSize = b.udpMaxRequestSize;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerIp = b.maxConnectionsPerIp;
        this.idleTimeout = b.idleTimeout;
        this.partialMessageTimeout = b.partialMessageTimeout;
        this.connectTimeout = b.connectTimeout;
        this.keepAliveInterval = b.keepAliveInterval;
        this.maxQueuedBytesPerConnection = b.maxQueuedBytesPerConnection;
        this.ioThreads = b.ioThreads;
        this.nativeTransport = b.nativeTransport;
        this.eventLoops = b.eventLoops;
        this.webSocketPath = b.webSocketPath;
        this.webSocketOriginCheck = b.webSocketOriginCheck;
        for (Listen l : listens) {
            if (l.transport().isSecure() && (tls == null || !tls.hasCertificate())) {
                throw new IllegalArgumentException("a TLS listening point needs tls(...) with a certificate");
            }
        }
    }

    /** A builder; {@code scheduler} runs the idle, partial-message and keep-alive timers. */
    public static Builder builder(Scheduler scheduler) {
        return new Builder(scheduler);
    }

    /** Builds a {@link SipTransportConfig}. */
    public static final class Builder {
        private final List<Listen> listens = new ArrayList<>();
        private final Scheduler scheduler;
        private TlsConfig tls;
        private ParserLimits limits = ParserLimits.DEFAULT;
        private io.rvoip.sip.parser.SipParser.Depth parseDepth = io.rvoip.sip.parser.SipParser.Depth.TRANSACTION;
        private int udpMaxRequestSize = 1300;
        private int maxConnections = 10_000;
        private int maxConnectionsPerIp = 256;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration partialMessageTimeout = Duration.ofSeconds(32);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration keepAliveInterval = Duration.ZERO;
        private int maxQueuedBytesPerConnection = 1 << 20;
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private boolean nativeTransport = true;
        private EventLoopShards eventLoops;
        private String webSocketPath = "/";
        private java.util.function.Predicate<String> webSocketOriginCheck = origin -> true;

        private Builder(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /**
         * Listens on {@code bind} (port 0: any free port) for {@code transport}. Via sent-by uses
         * the bound address, or {@link #listen(TransportType, InetSocketAddress, String)}'s host.
         */
        public Builder listen(TransportType transport, InetSocketAddress bind) {
            return listen(transport, bind, null);
        }

        /** Listens, advertising {@code advertisedHost} in Via and Contact (e.g. behind NAT or on 0.0.0.0). */
        public Builder listen(TransportType transport, InetSocketAddress bind, String advertisedHost) {
            listens.add(new Listen(Objects.requireNonNull(transport, "transport"), Objects.requireNonNull(bind, "bind"),
                    advertisedHost));
            return this;
        }

        /** TLS settings (needed for TLS listening points and for connecting with TLS). */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Parser limits for everything received. */
        public Builder limits(ParserLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * How much of each received message is typed before it is published (default
         * {@link io.rvoip.sip.parser.SipParser.Depth#TRANSACTION}). At
         * {@link io.rvoip.sip.parser.SipParser.Depth#FULL} a message with any malformed typed
         * header is refused like any unparsable one ({@link TransportEvent.MessageRejected}, which
         * the transaction layer answers with a 400 when it is a request).
         */
        public Builder parseDepth(io.rvoip.sip.parser.SipParser.Depth depth) {
            this.parseDepth = Objects.requireNonNull(depth, "depth");
            return this;
        }

        /**
         * Requests larger than this go over TCP instead of UDP when a TCP listening point exists
         * (RFC 3261 §18.1.1: 200 bytes below a 1500-byte path MTU). Default 1300.
         */
        public Builder udpMaxRequestSize(int bytes) {
            this.udpMaxRequestSize = positive(bytes, "udpMaxRequestSize");
            return this;
        }

        /** The most open stream connections (default 10,000); more are refused. */
        public Builder maxConnections(int n) {
            this.maxConnections = positive(n, "maxConnections");
            return this;
        }

        /** The most open stream connections from one IP address (default 256). */
        public Builder maxConnectionsPerIp(int n) {
            this.maxConnectionsPerIp = positive(n, "maxConnectionsPerIp");
            return this;
        }

        /** A connection with no traffic for this long is closed (default 5 min). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /**
         * A message that has started arriving must be complete within this (default 32 s);
         * else the connection is closed (slow-loris protection).
         */
        public Builder partialMessageTimeout(Duration d) {
            this.partialMessageTimeout = positive(d, "partialMessageTimeout");
            return this;
        }

        /** How long a connect attempt may take (default 10 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /**
         * Interval of keep-alive pings on connections this side opened: CRLFCRLF on TCP and TLS
         * (RFC 5626 §4.4.1), WebSocket ping frames on WS and WSS (RFC 7118 §6). A connection
         * whose pong has not come back by the next ping is closed. Zero (the default) sends
         * none. Pings from peers are always answered.
         */
        public Builder keepAliveInterval(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("keepAliveInterval: " + d);
            }
            this.keepAliveInterval = d;
            return this;
        }

        /**
         * The most bytes that may wait to be written on one stream connection (default 1 MiB,
         * at least 64 KiB), for a peer that sends but does not read what we send back. On a
         * connection the peer opened, once a quarter of this waits the connection is no longer
         * read (so its pings and requests stop making answers) until the queue is down to an
         * eighth; connections this side opened are always read (were both ends of a connection
         * to stop reading, neither queue could drain). A write that would queue more than the
         * limit closes the connection, and a send fails.
         */
        public Builder maxQueuedBytesPerConnection(int bytes) {
            if (bytes < 64 * 1024) {
                throw new IllegalArgumentException("maxQueuedBytesPerConnection must be at least 65536: " + bytes);
            }
            this.maxQueuedBytesPerConnection = bytes;
            return this;
        }

        /** Netty I/O threads (default: one per processor). */
        public Builder ioThreads(int n) {
            this.ioThreads = positive(n, "ioThreads");
            return this;
        }

        /** Use epoll when available (default true); false forces NIO. */
        public Builder nativeTransport(boolean enabled) {
            this.nativeTransport = enabled;
            return this;
        }

        /**
         * Runs the transport's sockets on these event loops instead of its own I/O threads
         * ({@link #ioThreads} and {@link #nativeTransport} are then ignored: the loops decide). Use
         * the same instance as the shards of the event bus and timer service, so messages are
         * handled where they arrive. The transport does not stop the loops; their owner does,
         * after {@link SipTransport#stop()}.
         */
        public Builder eventLoops(EventLoopShards loops) {
            this.eventLoops = Objects.requireNonNull(loops, "loops");
            return this;
        }

        /** The HTTP path of WebSocket listening points and of outgoing WebSocket connections (default "/"). */
        public Builder webSocketPath(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/': " + path);
            }
            this.webSocketPath = path;
            return this;
        }

        /**
         * Decides whether a WebSocket upgrade from this Origin (null if none) is accepted;
         * refused ones get 403. Default: all (RFC 7118 §8 leaves the policy to the server).
         */
        public Builder webSocketOriginCheck(java.util.function.Predicate<String> check) {
            this.webSocketOriginCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /** The configuration. */
        public SipTransportConfig build() {
            return new SipTransportConfig(this);
        }

        private static int positive(int n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + ": " + n);
            }
            return n;
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + ": " + d);
            }
            return d;
        }
    }
}
