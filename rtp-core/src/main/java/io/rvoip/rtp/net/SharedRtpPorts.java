package io.rvoip.rtp.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.internal.PlatformDependent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few RTP port pairs that many sessions share, told apart by the peer's address: port
 * multiplexing for servers with many calls.
 *
 * <p>With a port pair per call, every packet costs the kernel a system call of its own on a
 * socket of its own. Sessions on a shared port have their packets sent together: a session's
 * {@code sendRtp} queues the packet, and the port's event loop writes all that are queued and
 * flushes once, which Netty's epoll transport turns into one {@code sendmmsg}. Receiving reads
 * up to 16 datagrams per {@code recvmmsg}. On loopback, 1,000 G.711 streams cost about a third
 * of the CPU this way (see the module README).
 *
 * <p>A received packet goes to the session whose remote address (from the SDP) is the packet's
 * source; packets from other sources are dropped and counted ({@link #unknownSourceDropped()}).
 * So, on a shared port:
 * <ul>
 *   <li>the peer must send from the address it advertises (symmetric RTP, RFC 4961), and there
 *       is no latching to a NAT's address — behind NAT, give calls ports of their own;</li>
 *   <li>two sessions on one port cannot have the same remote address. A session whose remote
 *       address is known when it opens (an answerer) is put on a port where that address is
 *       free; a session that learns it later (an offerer, from the answer) keeps its port, and
 *       if the address is taken there its packets cannot be told apart: that is counted
 *       ({@link #conflicts()}) and logged. Two rvoip endpoints that both share ports never
 *       conflict, because the answerer chooses.</li>
 * </ul>
 *
 * <p>Each port pair (RTP on an even port, RTCP on the next) stays on one event loop of the
 * group, and so do the sessions on it. Close the ports after their sessions.
 *
 * <pre>{@code
 * SharedRtpPorts shared = SharedRtpPorts.open(group, InetAddress.getLoopbackAddress(), 4);
 * RtpSession s = RtpSession.builder(group, scheduler).shared(shared)
 *         .remote(new InetSocketAddress("192.0.2.7", 40000), null).open();
 * ...
 * s.close();
 * shared.close();
 * }</pre>
 */
public final class SharedRtpPorts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedRtpPorts.class);
    /**
     * Packets a port's event loop may have waiting per session on it before sends are refused:
     * about what a socket of its own holds (Netty's 64 KB high-water mark, ≈ 300 G.711 packets),
     * so the heap a stalled I/O thread can fill is the same either way.
     */
    static final int QUEUED_PER_SESSION = 320;
    /** The backlog a port always allows, however few sessions it has. */
    static final int MIN_QUEUED = 1024;
    private static final int DATAGRAMS_PER_READ = 16;
    /** A receive slot: one byte more than a session takes, so a longer datagram is seen as too long, not cut. */
    private static final int SLOT = RtpSession.MAX_DATAGRAM + 1;

    private final RtpTransportGroup group;
    private final Port[] ports;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong unknownSource = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();

    private SharedRtpPorts(RtpTransportGroup group, Port[] ports) {
        this.group = group;
        this.ports = ports;
    }

    /**
     * Binds {@code count} RTP/RTCP port pairs from the group's allocator on {@code local}.
     * Blocks for the binds: call it at start-up, not on an event loop.
     *
     * @throws IllegalStateException when the ports cannot be bound
     */
    public static SharedRtpPorts open(RtpTransportGroup group, InetAddress local, int count) {
        return open(group, local, count, -1);
    }

    /** As {@link #open(RtpTransportGroup, InetAddress, int)}, marking packets with {@code dscp} (−1: not set). */
    public static SharedRtpPorts open(RtpTransportGroup group, InetAddress local, int count, int dscp) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(local, "local");
        if (count < 1 || count > 1024) {
            throw new IllegalArgumentException("count 1..1024: " + count);
        }
        if (dscp < -1 || dscp > 63) {
            throw new IllegalArgumentException("DSCP 0..63");
        }
        List<Port> bound = new ArrayList<>();
        SharedRtpPorts shared = new SharedRtpPorts(group, new Port[count]);
        try {
            for (int i = 0; i < count; i++) {
                bound.add(shared.bind(local, dscp));
            }
        } catch (RuntimeException e) {
            for (Port p : bound) {
                p.close(group.ports());
            }
            throw e;
        }
        for (int i = 0; i < count; i++) {
            shared.ports[i] = bound.get(i);
        }
        return shared;
    }

    private Port bind(InetAddress local, int dscp) {
        PortAllocator alloc = group.ports();
        RuntimeException last = null;
        for (int attempt = 0; attempt < 16; attempt++) {
            int port = alloc.reserve(true);
            Port p = new Port(this, port);
            try {
                Channel rtp = bound(bootstrap(group.group(), p, false, dscp).bind(new InetSocketAddress(local, port)));
                try {
                    // the RTCP socket on the RTP socket's event loop: a session's work stays serial
                    p.rtcp = bound(bootstrap(rtp.eventLoop(), p, true, dscp).bind(new InetSocketAddress(local, port + 1)));
                } catch (RuntimeException e) {
                    rtp.close().syncUninterruptibly();
                    throw e;
                }
                p.rtp = rtp;
                p.rtpOut = new Outbox(rtp, p);
                p.rtcpOut = new Outbox(p.rtcp, p);
                return p;
            } catch (RuntimeException e) { // taken by another process: try the next pair
                alloc.release(port, true);
                last = e;
            }
        }
        throw new IllegalStateException("cannot bind a shared RTP port pair on " + local + ": " + last.getMessage(), last);
    }

    /**
     * The bound channel, or an unchecked exception with the bind's cause. Not
     * {@code syncUninterruptibly()}: it rethrows the cause as it is, and a failed bind's cause is
     * a checked {@code IOException} ("address already in use") that a {@code catch
     * (RuntimeException)} does not see, so the port was neither given back nor another one tried.
     */
    private static Channel bound(io.netty.channel.ChannelFuture f) {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException(String.valueOf(f.cause()), f.cause());
        }
        return f.channel();
    }

    private Bootstrap bootstrap(io.netty.channel.EventLoopGroup loops, Port p, boolean rtcp, int dscp) {
        Bootstrap b = new Bootstrap().group(loops).channelFactory(group.channelFactory())
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .handler(new Receiver(p, rtcp));
        if (group.epoll()) {
            // recvmmsg: one system call reads up to 16 datagrams
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, SLOT)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(SLOT * DATAGRAMS_PER_READ));
        } else {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(SLOT));
        }
        if (dscp >= 0) {
            b.option(ChannelOption.IP_TOS, dscp << 2);
        }
        return b;
    }

    /**
     * Puts a session on a port: one where {@code remote} (null when not known yet) is free, the
     * least used. Returns null when every port already has a session for {@code remote}.
     */
    Port attach(RtpSession s, InetSocketAddress remote) {
        if (closed.get()) {
            throw new IllegalStateException("shared RTP ports are closed");
        }
        int n = ports.length;
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int tries = 0; tries < n; tries++) {
            Port best = null;
            for (int i = 0; i < n; i++) {
                Port p = ports[(start + i) % n];
                if ((remote == null || !p.byRtp.containsKey(remote)) && (best == null || p.sessions.get() < best.sessions.get())) {
                    best = p;
                }
            }
            if (best == null) {
                return null;
            }
            if (remote == null || best.byRtp.putIfAbsent(remote, s) == null) {
                best.sessions.incrementAndGet();
                best.republish();
                return best;
            }
            // another session took that address there meanwhile: choose again
        }
        return null;
    }

    /**
     * Packets dropped because no session on the port has their source as its remote address:
     * strangers', and the last few of a call that has just ended (still on their way when its
     * session closed).
     */
    public long unknownSourceDropped() {
        return unknownSource.get();
    }

    /** Times a session's remote address was already another session's on the same port. */
    public long conflicts() {
        return conflicts.get();
    }

    /** Sessions currently on the shared ports. */
    public int sessions() {
        int n = 0;
        for (Port p : ports) {
            n += p.sessions.get();
        }
        return n;
    }

    /** Closes the sockets and gives the ports back. Sessions still on them stop receiving. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Port p : ports) {
            p.close(group.ports());
        }
    }

    /** One shared RTP/RTCP port pair and the sessions on it. */
    static final class Port {
        final SharedRtpPorts owner;
        final int port;
        Channel rtp;
        Channel rtcp;
        Outbox rtpOut;
        Outbox rtcpOut;
        final ConcurrentHashMap<InetSocketAddress, RtpSession> byRtp = new ConcurrentHashMap<>();
        final ConcurrentHashMap<InetSocketAddress, RtpSession> byRtcp = new ConcurrentHashMap<>();
        /** The IPv4 part of the two maps, for the receive path; rebuilt after every change. */
        volatile Ipv4Routes<RtpSession> rtpRoutes = Ipv4Routes.empty();
        volatile Ipv4Routes<RtpSession> rtcpRoutes = Ipv4Routes.empty();
        final AtomicInteger sessions = new AtomicInteger();

        /**
         * Rebuilds the snapshots from the maps. Every change is followed by a rebuild that starts
         * after it, and rebuilds are serialised, so the last one published has every change.
         */
        synchronized void republish() {
            rtpRoutes = Ipv4Routes.of(byRtp);
            rtcpRoutes = Ipv4Routes.of(byRtcp);
        }

        /** The session whose remote RTP (or RTCP) address is {@code from}, or null. */
        RtpSession lookup(InetSocketAddress from, boolean rtcp) {
            long k = Ipv4Routes.key(from);
            if (k != 0) {
                return (rtcp ? rtcpRoutes : rtpRoutes).get(k);
            }
            return (rtcp ? byRtcp : byRtp).get(from);
        }

        Port(SharedRtpPorts owner, int port) {
            this.owner = owner;
            this.port = port;
        }

        /**
         * Routes {@code rtp} (and, when not null, {@code rtcp}) to {@code s}, replacing what it
         * had ({@code oldRtp}/{@code oldRtcp}). Returns false, counted and logged, when another
         * session on this port has the address.
         */
        boolean route(RtpSession s, InetSocketAddress oldRtp, InetSocketAddress oldRtcp, InetSocketAddress rtp,
                      InetSocketAddress rtcp) {
            if (oldRtp != null && !oldRtp.equals(rtp)) {
                byRtp.remove(oldRtp, s);
            }
            if (oldRtcp != null && !oldRtcp.equals(rtcp)) {
                byRtcp.remove(oldRtcp, s);
            }
            boolean ok = true;
            if (rtp != null) {
                RtpSession had = byRtp.putIfAbsent(rtp, s);
                ok = had == null || had == s;
            }
            if (rtcp != null) {
                RtpSession had = byRtcp.putIfAbsent(rtcp, s);
                ok &= had == null || had == s;
            }
            republish();
            if (!ok) {
                owner.conflicts.incrementAndGet();
                log.warn("{}: remote address {} already belongs to another session on shared RTP port {}; its packets go there",
                        s.id(), rtp, port);
            }
            return ok;
        }

        /** Packets that may wait for this port's event loop, per socket. */
        int backlogLimit() {
            return Math.max(MIN_QUEUED, QUEUED_PER_SESSION * sessions.get());
        }

        /** Takes {@code s} off this port. */
        void detach(RtpSession s, InetSocketAddress rtp, InetSocketAddress rtcp) {
            if (rtp != null) {
                byRtp.remove(rtp, s);
            }
            if (rtcp != null) {
                byRtcp.remove(rtcp, s);
            }
            republish();
            sessions.decrementAndGet();
        }

        void close(PortAllocator alloc) {
            Channel a = rtp;
            Channel b = rtcp;
            if (a != null) {
                a.close().syncUninterruptibly();
            }
            if (b != null) {
                b.close().syncUninterruptibly();
            }
            alloc.release(port, true);
        }
    }

    /**
     * Packets waiting to be written on one channel: queued from any thread, written and flushed
     * together on the channel's event loop (one {@code sendmmsg} with epoll).
     */
    static final class Outbox implements Runnable {
        private final Channel channel;
        private final Port port;
        /**
         * Many producers (the media threads), one consumer (the port's event loop); an array queue
         * in chunks, so a packet queued costs no node object, and its size is read from the two
         * indexes instead of a counter both sides write.
         */
        private final Queue<DatagramPacket> queue = PlatformDependent.newMpscQueue(1024, 1 << 20);
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Outbox(Channel channel, Port port) {
            this.channel = channel;
            this.port = port;
        }

        /** Queues a packet; false (the packet released) when the backlog is full or the port closed. */
        boolean send(DatagramPacket p) {
            if (queue.size() >= port.backlogLimit() || !channel.isActive() || !queue.offer(p)) {
                p.release();
                return false;
            }
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                try {
                    channel.eventLoop().execute(this);
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    // the event loop is gone, so nothing will consume the queue: release what is
                    // in it here (a live loop always runs a scheduled run, which writes to the
                    // channel, open or closed, and a closed channel releases what it is given)
                    scheduled.set(false);
                    for (DatagramPacket q; (q = queue.poll()) != null; ) {
                        q.release();
                    }
                    return false;
                }
            }
            return true;
        }

        @Override
        public void run() {
            scheduled.set(false); // packets queued from now on schedule another run
            int n = 0;
            DatagramPacket p;
            while ((p = queue.poll()) != null) {
                channel.write(p, channel.voidPromise());
                n++;
            }
            if (n > 0) {
                channel.flush();
            }
        }
    }

    /** Hands each datagram to the session its source belongs to. */
    @ChannelHandler.Sharable
    private static final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Port port;
        private final boolean rtcp;

        Receiver(Port port, boolean rtcp) {
            this.port = port;
            this.rtcp = rtcp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            InetSocketAddress from = msg.sender();
            RtpSession s = port.lookup(from, rtcp);
            if (s == null && rtcp) {
                s = port.lookup(from, false); // RTCP sent from the peer's RTP port
            }
            if (s == null) {
                port.owner.unknownSource.incrementAndGet();
                return;
            }
            s.receive(msg.content(), from, rtcp);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof java.io.IOException) {
                log.debug("shared RTP port {}: socket error: {}", port.port, cause.toString());
            } else {
                log.warn("shared RTP port {}: a received packet failed", port.port, cause);
            }
        }
    }
}
