package io.rvoip.sip.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipStreamFramer;
import java.util.Arrays;

/**
 * One TCP or TLS connection: frames the byte stream into SIP messages (RFC 3261 §18.3) with
 * {@link SipStreamFramer}, answers CRLF keep-alive pings and notes pongs (RFC 5626 §4.4.1),
 * pings on connections this side opened, and closes the connection on a framing error or when
 * a message stays incomplete too long (slow-loris).
 *
 * <p>Threading: Netty calls it on the channel's event loop; timer tasks hop back onto it.
 */
public final class StreamConnectionHandler extends ConnectionHandler {
    private static final byte[] PING = {'\r', '\n', '\r', '\n'};
    private static final byte[] PONG = {'\r', '\n'};

    private final SipStreamFramer framer;
    private final int maxBuffer;
    private byte[] buf = new byte[2048];
    private int len;
    private long partialSince = -1;
    /** Pings answered by the current read, written in one buffer when it is done. */
    private int pongsOwed;
    private Timeout partialTimer;

    /** A handler for one connection; {@code inbound} if the peer connected to us. */
    public StreamConnectionHandler(Settings settings, boolean inbound) {
        super(settings, inbound);
        this.framer = new SipStreamFramer(settings.inbound().parser().limits());
        this.maxBuffer = settings.inbound().parser().limits().maxMessageSize() + 8192;
    }

    @Override
    public Object encode(SipMessage message) {
        return Unpooled.wrappedBuffer(message.wireBuffer());
    }

    @Override
    protected Object keepAlivePing() {
        return Unpooled.wrappedBuffer(PING);
    }

    @Override
    protected void onClosed() {
        cancel(partialTimer);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            touch();
            int n = in.readableBytes();
            // as much as the buffer takes, then the complete messages out, and again: one read
            // may bring more than the buffer holds, and the messages in it are all good
            while (in.isReadable()) {
                int take = Math.min(maxBuffer - len, in.readableBytes());
                if (take == 0) { // full, and still no end to the message in it
                    s.counters().oversize.increment();
                    len = 0;
                    fail(ctx, "message larger than the limit");
                    return;
                }
                if (len + take > buf.length) {
                    buf = Arrays.copyOf(buf, Math.min(maxBuffer, Math.max(buf.length * 2, len + take)));
                }
                in.readBytes(buf, len, take);
                len += take;
                if (!drain(ctx)) {
                    s.counters().bytesReceived.add(n); // read, even though the framing broke
                    return;
                }
            }
            s.counters().bytesReceived.add(n); // after drain: the partial-message clock is armed
            readOnlyIfWritable();
        } finally {
            in.release();
        }
    }

    /** Hands out the complete messages and answers the pings at the buffer's start; false if the framing broke. */
    private boolean drain(ChannelHandlerContext ctx) {
        int start = 0;
        try {
            while (start < len) {
                // at most 4: a ping is 4 bytes, and stray line ends go 4 at a time; counting the
                // whole run at every step made a 64 KB run of pings cost 500 M byte reads
                int nl = SipStreamFramer.leadingNewlines(buf, start, Math.min(len - start, 4));
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
            len = 0;
            fail(ctx, "framing error: " + e.getMessage());
            return false;
        }
        if (pongsOwed > 0) {
            writePongs(ctx);
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
        return true;
    }

    /** One CRLF for each ping of this read, in one write: a flood of pings costs one write per read. */
    private void writePongs(ChannelHandlerContext ctx) {
        byte[] pongs = new byte[pongsOwed * PONG.length];
        for (int i = 0; i < pongs.length; i += 2) {
            pongs[i] = '\r';
            pongs[i + 1] = '\n';
        }
        pongsOwed = 0;
        if (admitWrite(pongs.length)) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(pongs));
        }
    }

    /** Consumes keep-alive CRLFs at {@code start}; returns how many bytes, 0 to wait for more. */
    private int keepAlive(ChannelHandlerContext ctx, int start, int newlines) {
        boolean more = start + newlines < len;
        if (newlines >= 4 && buf[start] == '\r' && buf[start + 1] == '\n' && buf[start + 2] == '\r'
                && buf[start + 3] == '\n') {
            s.counters().keepAlives.increment();
            pongsOwed++;
            return 4;
        }
        if (awaitingPong() && newlines >= 2 && buf[start] == '\r' && buf[start + 1] == '\n') {
            pongReceived();
            return 2;
        }
        return more ? newlines : 0; // stray line ends before a message (RFC 3261 §7.5)
    }

    private void checkPartial() {
        if (partialSince >= 0 && s.scheduler().clock().nanoTime() - partialSince >= s.partialTimeout().toNanos()) {
            closeReason = "incomplete message timeout";
            len = 0;
            channel.close();
        }
    }
}
