package io.rvoip.rtp.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void aSendWhoseEventLoopIsGoneIsRefusedAndReleasesWhatWaited() throws Exception {
        DefaultEventLoop dead = new DefaultEventLoop();
        dead.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        // a channel still open whose loop no longer takes tasks: the moment between a loop's end
        // and its channels being closed
        java.util.concurrent.atomic.AtomicBoolean loopGone = new java.util.concurrent.atomic.AtomicBoolean();
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            public EventLoop eventLoop() {
                return loopGone.get() ? dead : super.eventLoop();
            }
        };
        loopGone.set(true);
        SharedRtpPorts.Outbox out = new SharedRtpPorts.Outbox(channel, new SharedRtpPorts.Port(null, 20000));
        ByteBuf buf = Unpooled.directBuffer(172).writeZero(172);
        boolean sent = out.send(new DatagramPacket(buf, new InetSocketAddress("127.0.0.1", 40000)));
        assertThat(sent).isFalse();
        assertThat(buf.refCnt()).as("released, not left in a queue nobody reads").isZero();
        loopGone.set(false);
        channel.close();
    }
}
