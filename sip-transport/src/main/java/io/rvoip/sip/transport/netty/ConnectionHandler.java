package io.rvoip.sip.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.Scheduler;
import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.TransportEvent;
import io.rvoip.sip.transport.TransportType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every connection (TCP, TLS, WS, WSS) shares: admission against the connection limits,
 * registration for reuse and responses, the opened/closed events, the idle timeout on the
 * {@link Scheduler}, and a future that completes when the connection is ready for SIP (after
 * the TLS and WebSocket handshakes).
 *
 * <p>Threading: Netty calls it on the channel's event loop; timer tasks hop back onto it.
 */
public abstract class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    /** Settings shared by all connections of one transport. */
    public record Settings(TransportType transport, InboundProcessor inbound, ConnectionRegistry registry,
            EventBus bus, Scheduler scheduler, TransportCounters counters, Duration idleTimeout,
            Duration partialTimeout, Duration keepAliveInterval, int maxQueuedBytes) {
    }

    protected final Settings s;
    protected final boolean inbound;
    protected final ConnectionId id;
    private final CompletableFuture<Channel> ready = new CompletableFuture<>();
    protected Channel channel;
    protected InetSocketAddress local;
    protected InetSocketAddress remote;
    private boolean admitted;
    private boolean registered;
    protected volatile String closeReason;
    private volatile long lastActivity;
    private volatile Timeout idleTimer;
    private boolean stalled;
    private boolean awaitingPong;
    private Timeout pingTimer;
    private boolean readPaused;

    protected ConnectionHandler(Settings settings, boolean inbound) {
        this.s = settings;
        this.inbound = inbound;
        this.id = settings.registry().nextId();
    }

    /** The transport this connection carries (TCP, TLS, WS or WSS). */
    public final TransportType transport() {
        return s.transport();
    }

    /** This connection's id. */
    public final ConnectionId id() {
        return id;
    }

    /** Completes with the channel once it carries SIP; fails if it closes first. */
    public final CompletableFuture<Channel> ready() {
        return ready;
    }

    /** The object to write for {@code message} (bytes, or a WebSocket frame). */
    public abstract Object encode(SipMessage message);

    /** True if the connection is ready as soon as TCP (and TLS) is up; false if another handshake follows. */
    protected boolean readyAfterTransportHandshake() {
        return true;
    }

    /** Called once the connection is registered (before the opened event is published). */
    protected void onOpened() {
    }

    /**
     * The keep-alive ping this connection sends every {@code keepAliveInterval} when this side
     * opened it (CRLFCRLF on TCP and TLS, a ping frame on WebSocket).
     */
    protected abstract Object keepAlivePing();

    /** True while a ping of ours waits for its pong. */
    protected final boolean awaitingPong() {
        return awaitingPong;
    }

    /** The pong to our ping came: counted; the next ping may go. */
    protected final void pongReceived() {
        if (awaitingPong) {
            awaitingPong = false;
            s.counters().keepAlives.increment();
        }
    }

    /** Pings every interval; a ping whose pong has not come back by the next one closes the connection. */
    private void schedulePing() {
        pingTimer = schedule(s.keepAliveInterval().toNanos(), () -> {
            if (awaitingPong) {
                closeReason = "keep-alive pong not received";
                channel.close();
                return;
            }
            awaitingPong = true;
            schedulePing(); // before the write: whoever sees the ping sees the next deadline armed
            channel.writeAndFlush(keepAlivePing());
        });
    }

    /** Called when the channel goes inactive (before the closed event is published). */
    protected void onClosed() {
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        local = (InetSocketAddress) channel.localAddress();
        remote = (InetSocketAddress) channel.remoteAddress();
        if (!s.registry().admit(remote.getAddress())) {
            s.counters().connectionsRefused.increment();
            closeReason = "connection limit reached";
            log.warn("refusing {} connection with {}: connection limit reached", s.transport(), remote);
            ctx.close();
            return;
        }
        admitted = true;
        touch();
        scheduleIdle(s.idleTimeout().toNanos());
        if (readyAfterTransportHandshake()) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl == null) {
                opened();
            } else {
                ssl.handshakeFuture().addListener(f -> {
                    if (f.isSuccess()) {
                        opened();
                    } else {
                        fail(ctx, "TLS handshake failed: " + f.cause().getMessage());
                    }
                });
            }
        }
        super.channelActive(ctx);
    }

    /** Registers the connection and publishes the opened event; call once, on the event loop. */
    protected final void opened() {
        if (!channel.isActive() || registered) {
            return;
        }
        s.registry().register(id, s.transport(), remote, channel);
        registered = true;
        if (!inbound && !s.keepAliveInterval().isZero()) {
            schedulePing(); // before the opened event: whoever reacts to it sees the timer armed
        }
        onOpened();
        s.bus().publish(new TransportEvent.ConnectionOpened(id, s.transport(), local, remote, inbound));
        ready.complete(channel);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel(idleTimer);
        cancel(pingTimer);
        onClosed();
        // Release before publishing: whoever reacts to the event sees the final counts.
        if (admitted) {
            s.registry().release(remote.getAddress());
            admitted = false;
        }
        String reason = closeReason != null ? closeReason : "closed";
        if (registered) {
            s.registry().unregister(id, s.transport(), remote, channel);
            s.bus().publish(new TransportEvent.ConnectionClosed(id, s.transport(), remote, reason));
        }
        ready.completeExceptionally(new io.rvoip.sip.transport.TransportException("connection closed: " + reason));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) {
            closeReason = "error: " + cause.getMessage();
        }
        if (peerFault(cause)) {
            log.debug("{} connection {} with {} failed", s.transport(), id, remote, cause);
        } else {
            log.warn("{} connection {} with {} failed unexpectedly", s.transport(), id, remote, cause);
        }
        ctx.close();
    }

    /**
     * True for what a peer or the network can cause: bytes that do not decode (frames,
     * records), a reset connection, a refused handshake. Anything else is a fault of ours and is
     * logged as a warning.
     */
    static boolean peerFault(Throwable cause) {
        return cause instanceof io.netty.handler.codec.DecoderException
                || cause instanceof io.netty.handler.codec.MessageAggregationException
                || cause instanceof io.netty.handler.codec.PrematureChannelClosureException
                || cause instanceof java.io.IOException
                || cause instanceof javax.net.ssl.SSLException
                || cause instanceof io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
    }

    /**
     * On a connection the peer opened, while more waits to be written than the high water mark
     * the connection is not read: a peer that sends but does not read cannot make us queue
     * answers (pongs, responses) without bound. Reading resumes at the low water mark.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        readOnlyIfWritable();
        super.channelWritabilityChanged(ctx);
    }

    /**
     * On a connection the peer opened: stops reading while the connection is not writable, and
     * starts again once it is. Called on every change of writability, and after each read is
     * handled: the change is announced later when the bytes were queued by a handler in front
     * of this one (TLS), so that, without this check, a read loop could go on for 16 reads after
     * the queue was full.
     *
     * <p>Connections this side opened are always read, and bounded by {@link #admitWrite}
     * alone: if both ends of a connection stopped reading while their queues were full, neither
     * queue could drain. One end of each connection that keeps reading rules that out.
     */
    protected final void readOnlyIfWritable() {
        if (!inbound) {
            return;
        }
        boolean writable = channel.isWritable();
        if (writable == readPaused) {
            readPaused = !writable;
            if (readPaused) {
                s.counters().readPauses.increment();
            }
            channel.config().setAutoRead(writable);
        }
    }

    /**
     * True if {@code bytes} more may be queued; else closes the connection ("peer is not
     * reading"), counts it and returns false. Every write goes through it: messages, pongs.
     * Any thread.
     */
    public final boolean admitWrite(int bytes) {
        Channel ch = channel;
        if (ch == null || ch.isWritable()) {
            return true;
        }
        // unwritable: the queue holds bytesBeforeWritable() above the low water mark
        long queued = ch.bytesBeforeWritable() + ch.config().getWriteBufferLowWaterMark();
        if (queued + bytes <= s.maxQueuedBytes()) {
            return true;
        }
        synchronized (this) {
            if (!stalled) { // count and close once, whichever thread sees it first
                stalled = true;
                if (closeReason == null) {
                    closeReason = "peer is not reading: " + queued + " bytes wait to be written";
                }
                s.counters().stalledConnections.increment();
                ch.close();
            }
        }
        return false;
    }

    /** Closes with a reason (errors and timeouts). */
    protected void fail(ChannelHandlerContext ctx, String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ctx.close();
    }

    /** Marks traffic (reads and writes keep the connection from being idle). */
    public final void touch() {
        lastActivity = s.scheduler().clock().nanoTime();
    }

    /**
     * The idle check runs on the timer's own thread, not the event loop: it reads only the
     * clock and {@link #lastActivity}, so it sees the clock the timer fired at (a hop would read
     * a later clock and re-arm relative to it) and {@code channel.close()} is thread-safe.
     */
    private void scheduleIdle(long delayNanos) {
        Channel ch = channel;
        idleTimer = s.scheduler().schedule(id, delayNanos, TimeUnit.NANOSECONDS, () -> {
            if (ch.isActive()) {
                checkIdle();
            }
        });
    }

    private void checkIdle() {
        long idleFor = s.scheduler().clock().nanoTime() - lastActivity;
        long limit = s.idleTimeout().toNanos();
        if (idleFor >= limit) {
            if (closeReason == null) {
                closeReason = "idle timeout";
            }
            channel.close();
        } else {
            scheduleIdle(limit - idleFor);
        }
    }

    /** Schedules {@code task} on this connection's event loop after {@code delayNanos} of scheduler time. */
    protected final Timeout schedule(long delayNanos, Runnable task) {
        Channel ch = channel;
        return s.scheduler().schedule(id, delayNanos, TimeUnit.NANOSECONDS, () -> {
            if (ch.isActive()) {
                ch.eventLoop().execute(() -> {
                    if (ch.isActive()) {
                        task.run();
                    }
                });
            }
        });
    }

    protected static void cancel(Timeout t) {
        if (t != null) {
            t.cancel();
        }
    }
}
