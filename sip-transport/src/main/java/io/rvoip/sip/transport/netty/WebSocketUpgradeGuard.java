package io.rvoip.sip.transport.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Predicate;

/**
 * Checks a WebSocket upgrade request before the handshake (RFC 7118 §4.1): the path, the
 * {@code sip} subprotocol (a handshake without it is refused with 400), and the Origin through an
 * application hook (403 when it says no). Anything that is not an upgrade gets 400 too.
 *
 * <p>Threading: the channel's event loop.
 */
public final class WebSocketUpgradeGuard extends ChannelInboundHandlerAdapter {
    private final String path;
    private final Predicate<String> originCheck;

    /** A guard for {@code path}, asking {@code originCheck} about the Origin header (null if absent). */
    public WebSocketUpgradeGuard(String path, Predicate<String> originCheck) {
        this.path = path;
        this.originCheck = originCheck;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String uriPath = req.uri().split("\\?", 2)[0];
        boolean upgrade = "websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE));
        if (!upgrade || !uriPath.equals(path)) {
            refuse(ctx, req, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        if (!offersSip(req.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL))) {
            refuse(ctx, req, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        if (!originCheck.test(req.headers().get(HttpHeaderNames.ORIGIN))) {
            refuse(ctx, req, HttpResponseStatus.FORBIDDEN);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static boolean offersSip(java.util.List<String> values) {
        for (String v : values) {
            for (String p : v.split(",")) {
                if (p.trim().equalsIgnoreCase("sip")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void refuse(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status) {
        ReferenceCountUtil.release(req);
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
