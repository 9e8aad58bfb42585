package io.rvoip.sip.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.rvoip.sip.message.SipMessage;

/**
 * One WebSocket connection carrying SIP (RFC 7118): ready once the WebSocket handshake has
 * agreed on the {@code sip} subprotocol; each text or binary WebSocket message is one SIP
 * message; outgoing messages go as text frames when they are UTF-8 (nearly always), else
 * binary.
 *
 * <p>Keep-alives (RFC 7118 §6): a WebSocket message that is a double CRLF is a ping of RFC 5626
 * §4.4.1, answered with a CRLF text message (what browser clients, which cannot send WebSocket
 * pings, use); WebSocket ping frames get a pong. Either answer goes once per read, for however
 * many pings the read held. On connections this side opened,
 * {@code keepAliveInterval} sends WebSocket ping frames, and a connection whose pong has not come
 * back by the next one is closed. Every frame, pings included, counts as traffic for the idle
 * timeout ({@link #activity()}).
 *
 * <p>Threading: the channel's event loop.
 */
public final class WebSocketConnectionHandler extends ConnectionHandler {

    private static final byte[] CRLF = {'\r', '\n'};
    private boolean crlfPongOwed;

    /** A handler for one connection; {@code inbound} if the peer connected to us. */
    public WebSocketConnectionHandler(Settings settings, boolean inbound) {
        super(settings, inbound);
    }

    /**
     * A handler to put before Netty's WebSocket protocol handler. It marks every frame as
     * traffic on this connection, so a peer that keeps its connection up with pings alone is
     * not closed as idle. And it answers ping frames itself, once per read: only the most
     * recent ping of a read gets its pong (RFC 6455 §5.5.3 allows that), written when the read
     * is done. Netty's protocol handler would write and flush a pong for each ping, so that
     * 64 KB of 6-byte pings cost 10,922 writes and about 1 MB of queued writes.
     */
    public io.netty.channel.ChannelHandler activity() {
        return new io.netty.channel.ChannelInboundHandlerAdapter() {
            private ByteBuf lastPing;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof WebSocketFrame) {
                    touch();
                }
                if (msg instanceof PingWebSocketFrame ping) {
                    if (lastPing != null) {
                        lastPing.release();
                    }
                    lastPing = ping.content(); // handed over: released when answered or dropped
                    return;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                if (lastPing != null) {
                    ByteBuf payload = lastPing;
                    lastPing = null;
                    if (admitWrite(payload.readableBytes() + 2)) {
                        ctx.writeAndFlush(new PongWebSocketFrame(payload));
                    } else {
                        payload.release();
                    }
                }
                ctx.fireChannelReadComplete();
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                if (lastPing != null) {
                    lastPing.release();
                    lastPing = null;
                }
            }
        };
    }

    @Override
    protected Object keepAlivePing() {
        return new PingWebSocketFrame();
    }

    @Override
    protected boolean readyAfterTransportHandshake() {
        return false;
    }

    @Override
    public Object encode(SipMessage message) {
        ByteBuf bytes = Unpooled.wrappedBuffer(message.wireBuffer());
        return ByteBufUtil.isText(bytes, java.nio.charset.StandardCharsets.UTF_8) ? new TextWebSocketFrame(bytes)
                : new BinaryWebSocketFrame(bytes);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
            if (!"sip".equalsIgnoreCase(done.selectedSubprotocol())) {
                fail(ctx, "WebSocket handshake without the sip subprotocol");
                return;
            }
            opened();
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            opened();
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT
                || evt == WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail(ctx, "WebSocket handshake timed out");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            touch();
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ByteBuf content = frame.content();
                if (crlfKeepAlive(content)) {
                    return;
                }
                byte[] data = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), data);
                s.counters().bytesReceived.add(data.length);
                s.inbound().message(data, s.transport(), local, remote, id);
            } else if (frame instanceof PongWebSocketFrame) {
                pongReceived();
            } else if (frame instanceof CloseWebSocketFrame) {
                closeReason = "WebSocket close";
                ctx.close();
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (crlfPongOwed) {
            crlfPongOwed = false;
            if (admitWrite(CRLF.length + 2)) {
                ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(CRLF)));
            }
        }
        readOnlyIfWritable();
        super.channelReadComplete(ctx);
    }

    /** A double-CRLF ping (answered with a CRLF message) or a CRLF pong: true if it was one. */
    private boolean crlfKeepAlive(ByteBuf content) {
        int n = content.readableBytes();
        int at = content.readerIndex();
        if (n == 4 && content.getInt(at) == 0x0d0a0d0a) {
            s.counters().bytesReceived.add(n);
            s.counters().keepAlives.increment();
            crlfPongOwed = true; // one CRLF message when the read is done, however many pings it held
            return true;
        }
        if (n == 2 && content.getShort(at) == 0x0d0a) {
            s.counters().bytesReceived.add(n);
            s.counters().keepAlives.increment();
            return true;
        }
        return false;
    }
}
