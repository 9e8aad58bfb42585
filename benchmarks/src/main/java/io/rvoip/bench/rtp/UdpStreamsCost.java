package io.rvoip.bench.rtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the kernel charges for many RTP-like streams on loopback, outside rvoip: N streams of
 * 172-byte datagrams at 50 per second each, sent by one thread and received by one epoll event
 * loop, either with a socket pair per stream ({@code per-stream}: one {@code sendto} and one
 * {@code recvmsg} per packet) or over K shared sockets ({@code shared}: each 20 ms round is
 * written and flushed once per socket, so Netty sends it with {@code sendmmsg}, and the receiver
 * reads up to 16 per {@code recvmmsg}). Prints the process's CPU in cores. This is the check that
 * led to rtp-core's {@code SharedRtpPorts}; Linux only (epoll).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rvoip.bench.rtp.UdpStreamsCost per-stream 1000 10
 * java -cp benchmarks/target/benchmarks.jar io.rvoip.bench.rtp.UdpStreamsCost shared 1000 10 32
 * </pre>
 */
public final class UdpStreamsCost {
    private static final AtomicLong RECEIVED = new AtomicLong();

    private UdpStreamsCost() {
    }

    @ChannelHandler.Sharable
    private static final class Count extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            RECEIVED.incrementAndGet();
        }
    }

    /** Arguments: {@code per-stream|shared}, streams, seconds, and for {@code shared} the sockets. */
    public static void main(String[] args) throws Exception {
        boolean shared = args[0].equals("shared");
        int streams = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int sockets = shared ? Integer.parseInt(args[3]) : streams;
        EventLoopGroup receiving = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup sending = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            InetAddress lo = InetAddress.getLoopbackAddress();
            Count count = new Count();
            Channel[] out = new Channel[sockets];
            InetSocketAddress[] to = new InetSocketAddress[sockets];
            for (int i = 0; i < sockets; i++) {
                Bootstrap b = new Bootstrap().group(receiving).channel(EpollDatagramChannel.class).handler(count)
                        .option(ChannelOption.SO_RCVBUF, 4 << 20);
                if (shared) {
                    b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2049)
                            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2049 * 16));
                }
                to[i] = (InetSocketAddress) b.bind(new InetSocketAddress(lo, 0)).sync().channel().localAddress();
                out[i] = new Bootstrap().group(sending).channel(EpollDatagramChannel.class).handler(count)
                        .bind(new InetSocketAddress(lo, 0)).sync().channel();
            }
            byte[] payload = new byte[172];
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long next = t0;
            long sent = 0;
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(seconds)) {
                next += 20_000_000L;
                for (int s = 0; s < streams; s++) {
                    Channel ch = out[s % sockets];
                    ByteBuf buf = ch.alloc().directBuffer(payload.length).writeBytes(payload);
                    if (shared) {
                        ch.write(new DatagramPacket(buf, to[s % sockets]), ch.voidPromise());
                    } else {
                        ch.writeAndFlush(new DatagramPacket(buf, to[s % sockets]), ch.voidPromise());
                    }
                    sent++;
                }
                if (shared) {
                    for (Channel ch : out) {
                        ch.flush();
                    }
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            TimeUnit.MILLISECONDS.sleep(200);
            System.out.printf(Locale.ROOT, "%s streams=%d sockets=%d sent=%d received=%d cpu_cores=%.3f cpu_per_packet_ns=%.0f%n",
                    args[0], streams, sockets, sent, RECEIVED.get(), cpu / (double) wall, cpu / (double) sent);
        } finally {
            receiving.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            sending.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
