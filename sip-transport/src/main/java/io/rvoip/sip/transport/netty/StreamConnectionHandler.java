package io.rvoip.sip.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.Scheduler;
import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipStreamFramer;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.TransportEvent;
import io.rvoip.sip.transport.TransportType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP or TLS connection: frames the byte stream into SIP messages (RFC 3261 §18.3) with
 * {@link SipStreamFramer}, answers CRLF keep-alive pings and notes pongs (RFC 5626 §4.4.1),
 * closes the connection on a framing error, on idleness, and when a message stays incomplete
 * too long (slow-loris), and registers the connection for reuse and responses.
 *
 * <p>Threading: Netty calls it on the channel's event loop; timer tasks hop back onto it.
 */
public final class StreamConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(StreamConnectionHandler.class);
    private static final byte[] PING = {'\r', '\n', '\r', '\n'};
    private static final byte[] PONG = {'\r', '\n'};

    /** Settings shared by all connections of one transport. */
    public record Settings(TransportType transport, InboundProcessor inbound, ConnectionRegistry registry,
            EventBus bus, Scheduler scheduler, TransportCounters counters, Duration idleTimeout,
            Duration partialTimeout, Duration keepAliveInterval) {
    }

    private final Settings s;
    private final boolean inbound;
    private final ConnectionId id;
    private final SipStreamFramer framer;
    private final int maxBuffer;
    private byte[] buf = new byte[2048];
    private int len;
    private Channel channel;
    private InetSocketAddress local;
    private InetSocketAddress remote;
    private boolean admitted;
    private boolean registered;
    private String closeReason;
    private volatile long lastActivity;
    private long partialSince = -1;
    private boolean awaitingPong;
    private Timeout idleTimer;
    private Timeout partialTimer;
    private Timeout pingTimer;

    /** A handler for one connection; {@code inbound} if the peer connected to us. */
    public StreamConnectionHandler(Settings settings, boolean inbound) {
        this.s = settings;
        this.inbound = inbound;
        this.id = settings.registry().nextId();
        this.framer = new SipStreamFramer(settings.inbound().parser().limits());
        this.maxBuffer = settings.inbound().parser().limits().maxMessageSize() + 8192;
    }

    /** This connection's id. */
    public ConnectionId id() {
        return id;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        local = (InetSocketAddress) channel.localAddress();
        remote = (InetSocketAddress) channel.remoteAddress();
        if (!s.registry().admit(remote.getAddress())) {
            s.counters().connectionsRefused.increment();
            closeReason = "connection limit reached";
            log.warn("refusing {} connection from {}: connection limit reached", s.transport(), remote);
            ctx.close();
            return;
        }
        admitted = true;
        touch();
        scheduleIdle(s.idleTimeout().toNanos());
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            opened();
        } else {
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    opened();
                } else {
                    closeReason = "TLS handshake failed: " + f.cause().getMessage();
                    ctx.close();
                }
            });
        }
        super.channelActive(ctx);
    }

    private void opened() {
        if (!channel.isActive()) {
            return;
        }
        s.registry().register(id, s.transport(), remote, channel);
        registered = true;
        if (!inbound && !s.keepAliveInterval().isZero()) {
            schedulePing(); // before the event: whoever reacts to it sees the timer armed
        }
        s.bus().publish(new TransportEvent.ConnectionOpened(id, s.transport(), local, remote, inbound));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            touch();
            int n = in.readableBytes();
            if (len + n > maxBuffer) {
                s.counters().oversize.increment();
                fail(ctx, "message larger than the limit");
                return;
            }
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(maxBuffer, Math.max(buf.length * 2, len + n)));
            }
            in.readBytes(buf, len, n);
            len += n;
            drain(ctx);
            s.counters().bytesReceived.add(n); // after drain: the partial-message clock is armed
        } finally {
            in.release();
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        int start = 0;
        try {
            while (start < len) {
                int nl = SipStreamFramer.leadingNewlines(buf, start, len - start);
                if (nl > 0) {
                    int consumed = keepAlive(ctx, start, nl);
                    if (consumed == 0) {
                        break; // a lone CRLF: wait to see whether it is half a ping
                    }
                    start += consumed;
                    continue;
                }
                int frame = framer.frameLength(buf, start, len - start);
                if (frame == 0) {
                    break;
                }
                s.inbound().frame(buf, start, frame, s.transport(), local, remote, id);
                start += frame;
            }
        } catch (SipParseException e) {
            s.inbound().reject(s.transport(), local, remote, id, e.getMessage(),
                    Arrays.copyOfRange(buf, start, Math.min(len, start + 65_536)));
            fail(ctx, "framing error: " + e.getMessage());
            return;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, len - start);
            len -= start;
            partialSince = -1; // progress: a new partial message starts its own clock
            cancel(partialTimer);
        }
        if (len > 0 && partialSince < 0) {
            partialSince = s.scheduler().clock().nanoTime();
            partialTimer = schedule(s.partialTimeout().toNanos(), this::checkPartial);
        }
    }

    /** Consumes keep-alive CRLFs at {@code start}; returns how many bytes, 0 to wait for more. */
    private int keepAlive(ChannelHandlerContext ctx, int start, int newlines) {
        boolean more = start + newlines < len;
        if (newlines >= 4 && buf[start] == '\r' && buf[start + 1] == '\n' && buf[start + 2] == '\r'
                && buf[start + 3] == '\n') {
            s.counters().keepAlives.increment();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
            return 4;
        }
        if (awaitingPong && newlines >= 2 && buf[start] == '\r' && buf[start + 1] == '\n') {
            awaitingPong = false;
            s.counters().keepAlives.increment();
            return 2;
        }
        if (!more) {
            return 0;
        }
        return newlines; // stray line ends before a message (RFC 3261 §7.5)
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel(idleTimer);
        cancel(partialTimer);
        cancel(pingTimer);
        // Release before publishing: whoever reacts to the event sees the final counts.
        if (admitted) {
            s.registry().release(remote.getAddress());
            admitted = false;
        }
        if (registered) {
            s.registry().unregister(id, s.transport(), remote, channel);
            s.bus().publish(new TransportEvent.ConnectionClosed(id, s.transport(), remote,
                    closeReason != null ? closeReason : "closed"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) {
            closeReason = "error: " + cause.getMessage();
        }
        log.debug("{} connection {} to {} failed", s.transport(), id, remote, cause);
        ctx.close();
    }

    /** Closes with a reason (used for errors and timeouts). */
    void fail(ChannelHandlerContext ctx, String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        len = 0;
        ctx.close();
    }

    private void touch() {
        lastActivity = s.scheduler().clock().nanoTime();
    }

    /** Marks outbound traffic, which also keeps the connection from being idle. */
    public void touchFromWrite() {
        touch();
    }

    private void scheduleIdle(long delayNanos) {
        idleTimer = schedule(delayNanos, this::checkIdle);
    }

    private void checkIdle() {
        long idleFor = s.scheduler().clock().nanoTime() - lastActivity;
        long limit = s.idleTimeout().toNanos();
        if (idleFor >= limit) {
            closeReason = "idle timeout";
            channel.close();
        } else {
            scheduleIdle(limit - idleFor);
        }
    }

    private void checkPartial() {
        if (partialSince >= 0 && s.scheduler().clock().nanoTime() - partialSince >= s.partialTimeout().toNanos()) {
            closeReason = "incomplete message timeout";
            len = 0;
            channel.close();
        }
    }

    private void schedulePing() {
        pingTimer = schedule(s.keepAliveInterval().toNanos(), () -> {
            if (awaitingPong) {
                closeReason = "keep-alive pong not received";
                channel.close();
                return;
            }
            awaitingPong = true;
            channel.writeAndFlush(Unpooled.wrappedBuffer(PING));
            schedulePing();
        });
    }

    /** Schedules {@code task} on the connection's event loop after {@code delayNanos} of scheduler time. */
    private Timeout schedule(long delayNanos, Runnable task) {
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

    private static void cancel(Timeout t) {
        if (t != null) {
            t.cancel();
        }
    }
}
