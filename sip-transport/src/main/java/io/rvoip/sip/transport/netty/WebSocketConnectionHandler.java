package io.rvoip.sip.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
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
 * <p>Threading: the channel's event loop.
 */
public final class WebSocketConnectionHandler extends ConnectionHandler {

    /** A handler for one connection; {@code inbound} if the peer connected to us. */
    public WebSocketConnectionHandler(Settings settings, boolean inbound) {
        super(settings, inbound);
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
                byte[] data = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), data);
                s.counters().bytesReceived.add(data.length);
                s.inbound().message(data, s.transport(), local, remote, id);
            } else if (frame instanceof CloseWebSocketFrame) {
                closeReason = "WebSocket close";
                ctx.close();
            }
        } finally {
            frame.release();
        }
    }
}
