package io.rvoip.sip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batched UDP outbound queue over real loopback sockets, native transport when available. */
class UdpOutboundIT {
    private EventLoopGroup group;
    private Channel channel;
    private DatagramSocket receiver;

    @BeforeEach
    void setUp() throws Exception {
        NettyTransports t = NettyTransports.choose(true);
        group = new MultiThreadIoEventLoopGroup(1, t.ioHandler());
        channel = new Bootstrap().group(group).channel(t.datagram()).handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        receiver = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        receiver.setReceiveBufferSize(4 << 20);
        receiver.setSoTimeout(5_000);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Test
    void datagramsFromManyThreadsAllArriveInEachSendersOrderAndEveryOutcomeIsReported() throws Exception {
        UdpOutbound out = new UdpOutbound(channel);
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalSocketAddress();
        int threads = 4;
        int each = 250;
        AtomicInteger ok = new AtomicInteger();
        CountDownLatch outcomes = new CountDownLatch(threads * each);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    ByteBuf b = Unpooled.copiedBuffer(id + ":" + i, StandardCharsets.US_ASCII);
                    out.send(new DatagramPacket(b, to), (success, cause) -> {
                        if (success) {
                            ok.incrementAndGet();
                        }
                        outcomes.countDown();
                    });
                }
            }));
        }
        senders.forEach(Thread::start);
        for (Thread s : senders) {
            s.join();
        }
        assertThat(outcomes.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.get()).isEqualTo(threads * each);
        int[] next = new int[threads];
        Set<String> seen = new HashSet<>();
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[64], 64);
        for (int n = 0; n < threads * each; n++) {
            receiver.receive(p);
            String s = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            String[] parts = s.split(":");
            int sender = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).as("order of sender " + sender).isEqualTo(next[sender]++);
            seen.add(s);
        }
        assertThat(seen).hasSize(threads * each);
    }

    @Test
    void aSendAfterTheEventLoopStoppedFailsAndReleasesItsBuffer() throws Exception {
        UdpOutbound out = new UdpOutbound(channel);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        ByteBuf b = Unpooled.copiedBuffer("late", StandardCharsets.US_ASCII);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        out.send(new DatagramPacket(b, (InetSocketAddress) receiver.getLocalSocketAddress()), (success, cause) -> {
            if (!success) {
                failure.set(cause);
            }
        });
        assertThat(failure.get()).as("reported at once, on the sending thread").isNotNull();
        assertThat(b.refCnt()).isZero();
    }

    @Test
    void aClosedSocketFailsEverySendAndReleasesItsBuffer() throws Exception {
        UdpOutbound out = new UdpOutbound(channel);
        channel.close().sync();
        ByteBuf b = Unpooled.copiedBuffer("late", StandardCharsets.US_ASCII);
        CountDownLatch failed = new CountDownLatch(1);
        out.send(new DatagramPacket(b, (InetSocketAddress) receiver.getLocalSocketAddress()), (success, cause) -> {
            if (!success && cause != null) {
                failed.countDown();
            }
        });
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(b.refCnt()).isZero();
    }
}
