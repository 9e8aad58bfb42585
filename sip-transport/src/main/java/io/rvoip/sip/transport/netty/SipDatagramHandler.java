package io.rvoip.sip.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.rvoip.sip.transport.TransportType;
import java.net.InetSocketAddress;

/**
 * Receives UDP datagrams: one SIP message per datagram (RFC 3261 §18.3). Oversize datagrams
 * are dropped and counted; CRLF keep-alives are counted and ignored; everything else goes to
 * the {@link InboundProcessor}.
 *
 * <p>Threading: runs on the channel's event loop; one copy of the datagram, no blocking.
 */
public final class SipDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final InboundProcessor inbound;
    private final TransportCounters counters;
    private final int maxSize;

    /** A handler feeding {@code inbound}. */
    public SipDatagramHandler(InboundProcessor inbound, TransportCounters counters) {
        this.inbound = inbound;
        this.counters = counters;
        this.maxSize = inbound.parser().limits().maxMessageSize();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int n = content.readableBytes();
        if (n > maxSize) {
            counters.oversize.increment();
            return;
        }
        byte[] data = new byte[n];
        content.getBytes(content.readerIndex(), data);
        inbound.datagram(data, TransportType.UDP, packet.recipient(), packet.sender());
        counters.bytesReceived.add(n);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP unreachable reported on a later read) must not close it.
        org.slf4j.LoggerFactory.getLogger(SipDatagramHandler.class).debug("UDP socket error on {}",
                ctx.channel().localAddress(), cause);
    }

}
