package io.rvoip.sip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.lifecycle.Lifecycle;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipParser;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.transport.netty.ConnectionHandler;
import io.rvoip.sip.transport.netty.ConnectionRegistry;
import io.rvoip.sip.transport.netty.InboundProcessor;
import io.rvoip.sip.transport.netty.NettyTransports;
import io.rvoip.sip.transport.netty.SipDatagramHandler;
import io.rvoip.sip.transport.netty.StreamConnectionHandler;
import io.rvoip.sip.transport.netty.WebSocketConnectionHandler;
import io.rvoip.sip.transport.netty.WebSocketUpgradeGuard;
import io.rvoip.sip.transport.netty.TransportCounters;
import io.rvoip.sip.transport.netty.UdpOutbound;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves SIP messages between this process and the network over UDP, TCP and TLS
 * (RFC 3261 §18, §26; RFC 3581; RFC 5626 keep-alives), on Netty (epoll when available).
 *
 * <p>Received messages are parsed on the I/O thread and published as
 * {@link TransportEvent.MessageReceived} on the event bus, routed by Call-ID. Requests are
 * sent with {@link #sendRequest}, which fills in the top Via and switches large requests from
 * UDP to TCP (§18.1.1); responses with {@link #sendResponse}, which uses the request's
 * connection while it is open, else {@code received}/{@code rport}, else sent-by (§18.2.2,
 * RFC 3581 §4).
 *
 * <pre>{@code
 * SipTransport transport = SipTransport.create(SipTransportConfig.builder(timers)
 *         .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 5060))
 *         .listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", 5060))
 *         .build(), bus);
 * transport.start();
 * transport.sendRequest(invite, Destination.of(TransportType.UDP, new InetSocketAddress("192.0.2.4", 5060)));
 * }</pre>
 *
 * <p>Thread safety: all methods may be called from any thread; none blocks except
 * {@link #start()} and {@link #stop()}.
 */
public final class SipTransport implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(SipTransport.class);
    private static final int MAX_DATAGRAM = 65_507;

    private final SipTransportConfig config;
    private final EventBus bus;
    private final NettyTransports io;
    private final TransportCounters counters = new TransportCounters();
    private final ConnectionRegistry registry;
    private final InboundProcessor inbound;
    private final List<ListeningPoint> points = new ArrayList<>();
    private final List<Channel> udpChannels = new ArrayList<>();
    /** The UDP sockets' outbound queues, read without a lock on every send. */
    private volatile UdpOutbound[] udpOut = new UdpOutbound[0];
    private final List<Channel> servers = new ArrayList<>();
    private final ConcurrentHashMap<ConnectionRegistry.Peer, CompletableFuture<Channel>> connecting =
            new ConcurrentHashMap<>();
    private final ExecutorService resolver;
    private EventLoopGroup group;
    private SslContext serverSsl;
    private volatile SslContext clientSsl;
    private volatile boolean running;

    private SipTransport(SipTransportConfig config, EventBus bus) {
        this.config = config;
        this.bus = bus;
        this.io = config.eventLoops != null ? config.eventLoops.io() : NettyTransports.choose(config.nativeTransport);
        this.registry = new ConnectionRegistry(config.maxConnections, config.maxConnectionsPerIp);
        this.inbound = new InboundProcessor(bus, new SipParser(config.limits, config.parseDepth), counters);
        this.resolver = Executors.newFixedThreadPool(2, new DefaultThreadFactory("rvoip-sip-resolver", true));
    }

    /** A transport with {@code config}, publishing on {@code bus}; call {@link #start()}. */
    public static SipTransport create(SipTransportConfig config, EventBus bus) {
        return new SipTransport(Objects.requireNonNull(config, "config"), Objects.requireNonNull(bus, "bus"));
    }

    /**
     * Binds every listening point; returns when all are bound.
     *
     * @throws TransportException if one cannot be bound (the others are closed again)
     */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        group = config.eventLoops != null ? config.eventLoops.group()
                : new MultiThreadIoEventLoopGroup(config.ioThreads, new DefaultThreadFactory("rvoip-sip-io", true),
                        io.ioHandler());
        try {
            if (config.tls != null && config.tls.hasCertificate()) {
                serverSsl = config.tls.serverContext();
            }
            for (SipTransportConfig.Listen l : config.listens) {
                bind(l);
            }
        } catch (RuntimeException e) {
            stopQuietly();
            throw e instanceof TransportException t ? t : new TransportException("cannot start: " + e.getMessage(), e);
        }
        running = true;
        log.info("SIP transport started ({}) on {}", io.name(), points);
    }

    private void bind(SipTransportConfig.Listen l) {
        ChannelFuture f;
        if (l.transport() == TransportType.UDP) {
            Bootstrap udp = new Bootstrap().group(group).channel(io.datagram())
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .option(ChannelOption.SO_SNDBUF, 1 << 20)
                    .handler(new SipDatagramHandler(inbound, counters));
            // a receive slot one byte longer than the size limit: a longer datagram arrives cut to
            // limit + 1 and is dropped as oversize, instead of cut to the limit and parsed as a
            // shorter message (over UDP a body without Content-Length runs to the datagram's end)
            int slot = Math.min(config.limits.maxMessageSize(), MAX_DATAGRAM) + 1;
            if (io.name().equals("epoll")) {
                // recvmmsg: up to 16 datagrams per system call
                udp.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * 16));
            } else {
                udp.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot)); // Netty's default: 2,048
            }
            f = udp.bind(l.bind());
        } else {
            TransportType t = l.transport();
            f = new ServerBootstrap().group(group).channel(io.server())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (t.isSecure()) {
                                ch.pipeline().addLast(serverSsl.newHandler(ch.alloc()));
                            }
                            if (t.isWebSocket()) {
                                webSocketServer(ch, t);
                            } else {
                                ch.pipeline().addLast(new StreamConnectionHandler(settings(t), true));
                            }
                        }
                    })
                    .bind(l.bind());
        }
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new TransportException("cannot bind " + l.transport() + " " + l.bind(), f.cause());
        }
        Channel ch = f.channel();
        InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
        (l.transport() == TransportType.UDP ? udpChannels : servers).add(ch);
        if (l.transport() == TransportType.UDP) {
            UdpOutbound[] more = java.util.Arrays.copyOf(udpOut, udpOut.length + 1);
            more[more.length - 1] = new UdpOutbound(ch);
            udpOut = more;
        }
        points.add(new ListeningPoint(l.transport(), bound, advertised(l.advertisedHost(), bound)));
    }

    private static String advertised(String configured, InetSocketAddress bound) {
        if (configured != null) {
            return configured;
        }
        InetAddress a = bound.getAddress();
        if (a.isAnyLocalAddress()) {
            try {
                return InetAddress.getLocalHost().getHostAddress();
            } catch (UnknownHostException e) {
                return a instanceof Inet6Address ? "::1" : "127.0.0.1";
            }
        }
        return a.getHostAddress();
    }

    private ConnectionHandler.Settings settings(TransportType t) {
        return new ConnectionHandler.Settings(t, inbound, registry, bus, config.scheduler, counters,
                config.idleTimeout, config.partialMessageTimeout, config.keepAliveInterval,
                config.maxQueuedBytesPerConnection);
    }

    /**
     * A stream connection stops being read once a quarter of its queue limit waits to be
     * written, and is read again once an eighth does ({@link ConnectionHandler}).
     */
    private WriteBufferWaterMark waterMark() {
        int max = config.maxQueuedBytesPerConnection;
        return new WriteBufferWaterMark(max / 8, max / 4);
    }

    /** RFC 7118 server side: HTTP upgrade checked by the guard, subprotocol "sip", whole messages. */
    private void webSocketServer(SocketChannel ch, TransportType t) {
        int max = config.limits.maxMessageSize();
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                new WebSocketUpgradeGuard(config.webSocketPath, config.webSocketOriginCheck));
        WebSocketConnectionHandler h = new WebSocketConnectionHandler(settings(t), true);
        ch.pipeline().addLast(h.activity(),
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(config.webSocketPath).subprotocols("sip").maxFramePayloadLength(max)
                        .handshakeTimeoutMillis(config.connectTimeout.toMillis()).build()),
                new WebSocketFrameAggregator(max), h);
    }

    /** RFC 7118 client side. */
    private void webSocketClient(SocketChannel ch, Destination d) {
        int max = config.limits.maxMessageSize();
        String scheme = d.transport() == TransportType.WSS ? "wss" : "ws";
        java.net.URI uri = java.net.URI.create(scheme + "://" + viaHost(d.hostName()) + ":" + d.address().getPort()
                + config.webSocketPath);
        WebSocketConnectionHandler h = new WebSocketConnectionHandler(settings(d.transport()), false);
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), h.activity(),
                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(uri,
                        WebSocketVersion.V13, "sip", false, new DefaultHttpHeaders(), max),
                        WebSocketClientProtocolConfig.newBuilder()
                                .dropPongFrames(false) // our pings' pongs reach the connection handler
                                .handshakeTimeoutMillis(config.connectTimeout.toMillis()).build()),
                new WebSocketFrameAggregator(max), h);
    }

    /** The bound listening points, in configuration order. */
    public synchronized List<ListeningPoint> listeningPoints() {
        return List.copyOf(points);
    }

    /** The first listening point of {@code transport}, or null. */
    public synchronized ListeningPoint listeningPoint(TransportType transport) {
        for (ListeningPoint p : points) {
            if (p.transport() == transport) {
                return p;
            }
        }
        return null;
    }

    /** {@code epoll} or {@code nio}. */
    public String ioFlavour() {
        return io.name();
    }

    // ---- sending ----------------------------------------------------------------------------

    /**
     * Sends a request: fills in the top Via's transport and sent-by from the listening point
     * used (keeping its branch and parameters), and sends over TCP instead of UDP when the
     * request is larger than {@code udpMaxRequestSize} and a TCP listening point exists
     * (RFC 3261 §18.1.1).
     *
     * @return the destination actually used
     */
    public CompletableFuture<Destination> sendRequest(SipRequest request, Destination destination) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(destination, "destination");
        try {
            Destination d = destination;
            if (d.transport() == TransportType.UDP && request.encodedSize() > config.udpMaxRequestSize
                    && listeningPoint(TransportType.TCP) != null) {
                d = d.withTransport(TransportType.TCP);
            }
            Via top = request.via();
            if (top == null) {
                throw new TransportException("a request needs a Via with a branch");
            }
            Via filled;
            if (d.transport().isWebSocket() && listeningPoint(d.transport()) == null) {
                // RFC 7118 §5: a WebSocket client cannot be reached but over this connection
                filled = new Via("SIP/2.0", d.transport().viaToken(), SipIds.newTag() + ".invalid", -1, top.params());
            } else if (d.transport().isReliable() && listeningPoint(d.transport()) == null) {
                // A client-only stream transport: no port to offer; responses come back on the
                // connection the request goes out on (RFC 3261 §18.2.2).
                List<ListeningPoint> any = listeningPoints();
                String host = any.isEmpty() ? SipIds.newTag() + ".invalid" : viaHost(any.get(0).advertisedHost());
                filled = new Via("SIP/2.0", d.transport().viaToken(), host, -1, top.params());
            } else {
                ListeningPoint lp = pointFor(d);
                filled = new Via("SIP/2.0", d.transport().viaToken(), viaHost(lp.advertisedHost()), lp.port(),
                        top.params());
            }
            SipMessage out = filled.equals(top) ? request : request.withTopVia(filled);
            Destination used = d;
            return send(out, d).thenApply(v -> used);
        } catch (TransportException | SipParseException e) {
            counters.sendFailures.increment();
            return CompletableFuture.failedFuture(e instanceof TransportException ? e
                    : new TransportException("cannot send: " + e.getMessage(), e));
        }
    }

    /**
     * Sends a request to the first of {@code destinations} that takes it, in order (the
     * RFC 3263 failover list of {@link SipServerLocator#locate}): a destination whose connection
     * is refused or fails is skipped. (Over UDP nothing can be detected here; the transaction
     * layer moves on after its timeout.)
     *
     * @return the destination that took the request
     */
    public CompletableFuture<Destination> sendRequest(SipRequest request, List<Destination> destinations) {
        if (destinations.isEmpty()) {
            return failed(new TransportException("no destination"));
        }
        CompletableFuture<Destination> attempt = sendRequest(request, destinations.get(0));
        for (int i = 1; i < destinations.size(); i++) {
            Destination next = destinations.get(i);
            attempt = attempt.handle((d, e) -> e == null ? CompletableFuture.completedFuture(d)
                    : sendRequest(request, next)).thenCompose(f -> f);
        }
        return attempt;
    }

    /** A locator using this transport's I/O threads and the given DNS servers (RFC 3263). */
    public SipServerLocator locator(io.netty.resolver.dns.DnsServerAddressStreamProvider nameServers,
            java.util.Random random) {
        java.util.Set<TransportType> have = java.util.EnumSet.noneOf(TransportType.class);
        for (ListeningPoint p : listeningPoints()) {
            have.add(p.transport());
        }
        have.add(TransportType.TCP);
        if (config.tls != null) {
            have.add(TransportType.TLS);
        }
        return new SipServerLocator(group.next(), io.datagram(), nameServers, config.scheduler.clock(), have, random);
    }

    /**
     * {@code message} with its top Via stamped as though it had arrived from {@code source}
     * (RFC 3261 §18.2.1 {@code received}, RFC 3581 §4 {@code rport}) — what this transport does
     * to every request it receives. For answers built from bytes the parser refused
     * ({@link SipParser#badRequestFor}): stamped, they go back the way any response would.
     */
    public static SipMessage stampReceived(SipMessage message, InetSocketAddress source) {
        return InboundProcessor.stampReceived(message, source);
    }

    /**
     * Sends a response where RFC 3261 §18.2.2 and RFC 3581 §4 say: on {@code connection} if it
     * is still open; else, over UDP, to {@code received}:{@code rport} (or the sent-by port);
     * over TCP/TLS, to {@code received} (or the sent-by host) at the sent-by port.
     *
     * @param connection the connection the request came on, or null
     */
    public CompletableFuture<Void> sendResponse(SipResponse response, ConnectionId connection) {
        Objects.requireNonNull(response, "response");
        if (connection != null) {
            Channel ch = registry.get(connection);
            if (ch != null) {
                return write(ch, response);
            }
        }
        try {
            Via top = response.via();
            if (top == null) {
                throw new TransportException("a response needs a Via");
            }
            TransportType t = TransportType.fromToken(top.transport());
            if (t == null) {
                throw new TransportException("unsupported transport in Via: " + top.transport());
            }
            String host = top.received() != null ? top.received() : top.host();
            int port = top.port() > 0 ? top.port() : t.defaultPort();
            if (t == TransportType.UDP) {
                if (top.maddr() != null) {
                    host = top.maddr();
                } else if (top.received() != null && top.rport() > 0) {
                    port = top.rport();
                }
            }
            int p = port;
            String nameForTls = top.host();
            return resolve(host).thenCompose(a -> send(response, new Destination(t, new InetSocketAddress(a, p),
                    unbracket(nameForTls))));
        } catch (TransportException | SipParseException e) {
            counters.sendFailures.increment();
            return CompletableFuture.failedFuture(e instanceof TransportException ? e
                    : new TransportException("cannot send: " + e.getMessage(), e));
        }
    }

    /** Sends {@code message} as it is to {@code destination} (no Via changes). */
    public CompletableFuture<Void> send(SipMessage message, Destination destination) {
        Objects.requireNonNull(message, "message");
        if (!running) {
            return failed(new TransportException("transport is not running"));
        }
        if (destination.transport() == TransportType.UDP) {
            if (message.encodedSize() > MAX_DATAGRAM) {
                return failed(new TransportException("message too large for UDP: " + message.encodedSize()));
            }
            UdpOutbound udp = udpOutboundFor(destination.address());
            if (udp == null) {
                return failed(new TransportException("no UDP listening point"));
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            SipTrace.sent(message, TransportType.UDP, destination.address());
            udp.send(new DatagramPacket(Unpooled.wrappedBuffer(message.wireBuffer()), destination.address()),
                    (ok, cause) -> complete(done, ok, cause, destination));
            return done;
        }
        return connection(destination).handle((ch, e) -> {
            if (e != null) {
                counters.sendFailures.increment();
                return CompletableFuture.<Void>failedFuture(e instanceof java.util.concurrent.CompletionException
                        && e.getCause() != null ? e.getCause() : e);
            }
            return write(ch, message);
        }).thenCompose(f -> f);
    }

    /** True while the connection is open. */
    public boolean isOpen(ConnectionId connection) {
        return registry.get(connection) != null;
    }

    /** Closes a connection (no-op if already closed). */
    public void close(ConnectionId connection) {
        Channel ch = registry.get(connection);
        if (ch != null) {
            ch.close();
        }
    }

    /** A snapshot of the counters. */
    public TransportMetrics metrics() {
        return new TransportMetrics(counters.received.sum(), counters.bytesReceived.sum(), counters.rejected.sum(), counters.oversize.sum(),
                counters.keepAlives.sum(), counters.sent.sum(), counters.sendFailures.sum(),
                counters.connectionsRefused.sum(), registry.size(), registry.queuedBytes(), counters.readPauses.sum(),
                counters.stalledConnections.sum());
    }

    private CompletableFuture<Void> write(Channel ch, SipMessage message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ConnectionHandler h = ch.pipeline().get(ConnectionHandler.class);
        if (h == null) {
            return failed(new TransportException("connection is closing"));
        }
        if (!h.admitWrite(message.encodedSize())) {
            return failed(new TransportException("connection closed: its peer is not reading ("
                    + config.maxQueuedBytesPerConnection + " bytes would wait)"));
        }
        h.touch();
        if (SipTrace.enabled()) {
            SipTrace.sent(message, h.transport(), (InetSocketAddress) ch.remoteAddress());
        }
        ch.writeAndFlush(h.encode(message)).addListener(f -> complete(done, f.isSuccess(), f.cause(), ch.remoteAddress()));
        return done;
    }

    private void complete(CompletableFuture<Void> done, boolean ok, Throwable cause, Object to) {
        if (ok) {
            counters.sent.increment();
            done.complete(null);
        } else {
            counters.sendFailures.increment();
            done.completeExceptionally(new TransportException("send to " + to + " failed", cause));
        }
    }

    private <T> CompletableFuture<T> failed(TransportException e) {
        counters.sendFailures.increment();
        return CompletableFuture.failedFuture(e);
    }

    private CompletableFuture<Channel> connection(Destination d) {
        Channel open = registry.find(d.transport(), d.address());
        if (open != null) {
            return CompletableFuture.completedFuture(open);
        }
        if (d.transport().isSecure() && clientSsl == null) {
            synchronized (this) {
                if (clientSsl == null) {
                    clientSsl = (config.tls != null ? config.tls : TlsConfig.builder().build()).clientContext();
                }
            }
        }
        ConnectionRegistry.Peer peer = new ConnectionRegistry.Peer(d.transport(), d.address());
        CompletableFuture<Channel> pending = connecting.computeIfAbsent(peer, k -> connect(d));
        pending.whenComplete((c, e) -> connecting.remove(peer, pending));
        return pending;
    }

    private CompletableFuture<Channel> connect(Destination d) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        TransportType t = d.transport();
        new Bootstrap().group(group).channel(io.socket())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (t.isSecure()) {
                            ch.pipeline().addLast(clientSsl.newHandler(ch.alloc(), d.hostName(), d.address().getPort()));
                        }
                        if (t.isWebSocket()) {
                            webSocketClient(ch, d);
                        } else {
                            ch.pipeline().addLast(new StreamConnectionHandler(settings(t), false));
                        }
                    }
                })
                .connect(d.address())
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        connectFailed(d, f.cause(), result);
                        return;
                    }
                    ConnectionHandler h = f.channel().pipeline().get(ConnectionHandler.class);
                    h.ready().whenComplete((ch, e) -> {
                        if (e == null) {
                            result.complete(ch);
                        } else {
                            SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
                            Throwable cause = ssl != null && ssl.handshakeFuture().cause() != null
                                    ? ssl.handshakeFuture().cause() : e;
                            f.channel().close();
                            connectFailed(d, cause, result);
                        }
                    });
                });
        return result;
    }

    private void connectFailed(Destination d, Throwable cause, CompletableFuture<Channel> result) {
        String reason = cause == null ? "connect failed" : cause.getMessage();
        bus.publish(new TransportEvent.ConnectionFailed(d.transport(), d.address(), reason));
        result.completeExceptionally(new TransportException("cannot connect " + d.transport() + " to "
                + d.address() + ": " + reason, cause));
    }

    private synchronized ListeningPoint pointFor(Destination d) {
        ListeningPoint any = null;
        for (ListeningPoint p : points) {
            if (p.transport() == d.transport()) {
                if (sameFamily(p.address(), d.address())) {
                    return p;
                }
                if (any == null) {
                    any = p;
                }
            }
        }
        if (any == null) {
            throw new TransportException("no " + d.transport() + " listening point");
        }
        return any;
    }

    private UdpOutbound udpOutboundFor(InetSocketAddress to) {
        UdpOutbound[] all = udpOut;
        for (UdpOutbound u : all) {
            InetSocketAddress local = (InetSocketAddress) u.channel().localAddress();
            if (local != null && sameFamily(local, to)) {
                return u;
            }
        }
        return all.length == 0 ? null : all[0];
    }

    private static boolean sameFamily(InetSocketAddress a, InetSocketAddress b) {
        return (a.getAddress() instanceof Inet6Address) == (b.getAddress() instanceof Inet6Address);
    }

    private CompletableFuture<InetAddress> resolve(String host) {
        String h = unbracket(host);
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(h);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(InetAddress.getByAddress(literal));
            } catch (UnknownHostException e) {
                return failed(new TransportException("bad address " + h, e));
            }
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(h);
            } catch (UnknownHostException e) {
                throw new TransportException("cannot resolve " + h, e);
            }
        }, resolver);
    }

    static String viaHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Closes every socket and connection and stops the I/O threads; waits up to a few seconds. */
    @Override
    public synchronized void stop() {
        if (!running && group == null) {
            return;
        }
        running = false;
        stopQuietly();
        log.info("SIP transport stopped");
    }

    private void stopQuietly() {
        for (Channel ch : servers) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (Channel ch : udpChannels) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (Channel ch : registry.channels()) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        servers.clear();
        udpChannels.clear();
        udpOut = new UdpOutbound[0];
        points.clear();
        if (group != null) {
            if (config.eventLoops == null) { // shared loops are stopped by their owner
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
            group = null;
        }
        resolver.shutdownNow();
    }

    /** True once {@link #stop()} has run and the I/O threads have ended. */
    public synchronized boolean isTerminated() {
        return group == null && !running;
    }
}
