package io.rvoip.rtp.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.Scheduler;
import io.rvoip.infra.time.Timeout;
import io.rvoip.rtp.PacketKind;
import io.rvoip.rtp.RtpHeader;
import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.RtpFormatException;
import io.rvoip.rtp.rtcp.RtcpPacket;
import io.rvoip.rtp.rtcp.RtcpParser;
import io.rvoip.rtp.srtp.SrtpContext;
import io.rvoip.rtp.srtp.SrtpError;
import io.rvoip.rtp.srtp.SrtpPolicy;
import io.rvoip.rtp.stats.NtpTime;
import io.rvoip.rtp.stats.ReceiverStatistics;
import io.rvoip.rtp.stats.RtcpInterval;
import io.rvoip.rtp.stats.SenderState;
import io.rvoip.rtp.stats.SourceTable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTP stream pair on real UDP sockets: our sender, the remote sources, RTCP, SRTP,
 * symmetric RTP latching and the media timeout.
 *
 * <p>Receive work (SRTP, header checks, statistics, RTCP) runs on the session's Netty event
 * loop; {@link RtpListener} is called there. {@link #sendRtp} may be called from any one media
 * thread; RTCP reports and BYE are sent from the event loop (the SRTP sender context is shared
 * under a lock that is never contended for long).
 *
 * <p>Latching (RFC 4961 symmetric RTP behind NAT), when enabled: the remote RTP address moves
 * to the source of the first packet that SRTP authenticated or, without SRTP, the first packet
 * after two in sequence from one address and SSRC. Once latched, another address takes over
 * only with the same SSRC and three packets continuing its sequence (or authenticated by
 * SRTP) — a stray or forged packet cannot hijack the stream. {@link #remote} (new SDP) resets
 * the latch. Packets from other addresses are dropped and counted.
 *
 * <pre>{@code
 * RtpSession s = RtpSession.builder(group, scheduler).id("call-1")
 *         .localAddress(InetAddress.getLoopbackAddress())
 *         .remote(new InetSocketAddress("192.0.2.7", 40000), null)
 *         .clockRate(8000).listener((session, p, t) -> jitterBuffer.put(...))
 *         .open();
 * s.sendRtp(0, false, mediaTime, pcmu, 0, 160);
 * s.close();
 * }</pre>
 */
public final class RtpSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtpSession.class);
    /** The longest datagram taken; longer ones are dropped and counted. */
    static final int MAX_DATAGRAM = 2048;
    private static final int UDP_IP_OVERHEAD = 28;
    /** Per sending thread: where an outgoing packet is built and protected before it is copied to the socket's buffer. */
    private static final ThreadLocal<byte[]> TX_WORK = ThreadLocal.withInitial(() -> new byte[MAX_DATAGRAM + 64]);

    private final Builder cfg;
    private final String id;
    private final Scheduler scheduler;
    private final RtpTransportGroup group;
    private volatile SrtpContext tx;
    /** The receive contexts; replaced whole, so the event loop sees one consistent pair. */
    private volatile RxKeys rx = RxKeys.PLAIN;
    private final SenderState sender;
    private volatile int clockRate;
    private final RtpHeader header = new RtpHeader();
    private final RtpPacket view = new RtpPacket();
    private final byte[] rxBuf = new byte[MAX_DATAGRAM];
    private final Object txLock = new Object();
    /** Serialises changes of {@link #rx} (the event loop reads it without the lock). */
    private final Object rxLock = new Object();
    private final SourceTable sources;
    private final ReceiverStatistics[] receivers = new ReceiverStatistics[8];
    private final RtcpInterval interval;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.CompletableFuture<Void> closing = new java.util.concurrent.CompletableFuture<>();
    private final SecureRandom random = new SecureRandom();
    private final Counters counters = new Counters();
    /** {@link #isOurAddress}, made once: a method reference in the receive path would be a new object per packet. */
    private final java.util.function.Predicate<InetSocketAddress> ourAddress = this::isOurAddress;

    private Channel rtpChannel;
    private Channel rtcpChannel;
    /** The shared port pair this session is on, or null with sockets of its own. */
    private SharedRtpPorts.Port shared;
    private final Object routeLock = new Object();
    private InetSocketAddress routedRtp;
    private InetSocketAddress routedRtcp;
    private boolean detached;
    private int rtpPort;
    private volatile InetSocketAddress remoteRtp;
    private volatile InetSocketAddress remoteRtcp;
    private boolean latched;
    private volatile boolean muxed;   // switched to rtcp-mux by signalling
    private int latchedSsrc;
    private int relatchCandidateSsrc;
    private InetSocketAddress relatchCandidate;
    private int relatchCount;
    private int relatchLastSeq;
    private volatile long lastReceivedNanos;
    private volatile long rttNanos = -1;
    private boolean sentSinceReport;
    /** Who may send own packets with {@link #sendRtp(Object, int, boolean, long, byte[], int, int)}: anyone while null (under txLock). */
    private Object streamOwner;
    private Timeout rtcpTimer;
    private Timeout timeoutTimer;
    /**
     * The last {@link RtpEvent.MediaTimeout}: the {@link #lastReceivedNanos} it was about and the
     * silence it reported. Only the timeout timer touches them: a packet shows as a new
     * {@code lastReceivedNanos}, so no reset has to race with the timer.
     */
    private long reportedSince = Long.MIN_VALUE;
    private long reportedSilenceNanos;
    private long lastSendMediaTime;
    private long lastSendNanos;
    private final long startNanos;

    private RtpSession(Builder b) {
        this.cfg = b;
        this.id = b.id;
        this.scheduler = b.scheduler;
        this.group = b.group;
        this.tx = b.txPolicy == null ? null : SrtpContext.create(withListener(b.txPolicy));
        this.rx = b.rxPolicy == null ? RxKeys.PLAIN : new RxKeys(SrtpContext.create(b.rxPolicy), null);
        this.sender = new SenderState(b.clockRate, random);
        this.clockRate = b.clockRate;
        this.sources = new SourceTable(16, TimeUnit.SECONDS.toNanos(10));
        this.interval = new RtcpInterval(b.sessionBandwidthBps, b.reducedRtcpMinimum, 100, random);
        this.remoteRtp = b.remoteRtp;
        this.remoteRtcp = b.remoteRtcp != null ? b.remoteRtcp
                : b.remoteRtp == null ? null
                : b.rtcpMux ? b.remoteRtp : new InetSocketAddress(b.remoteRtp.getAddress(), b.remoteRtp.getPort() + 1);
        this.startNanos = scheduler.clock().nanoTime();
        this.lastReceivedNanos = startNanos;
    }

    private SrtpPolicy withListener(SrtpPolicy p) {
        return p.withKeyLimitListener((key, exhausted) -> publish(new RtpEvent.KeyLimit(id, exhausted)));
    }

    /** Starts a session description on a started transport group, with timers from {@code scheduler}. */
    public static Builder builder(RtpTransportGroup group, Scheduler scheduler) {
        return new Builder(group, scheduler);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Reserves a port (pair) and binds the sockets without blocking the calling thread: Netty
     * binds on the group's event loop, and a port that turns out taken is given back and the next
     * one tried (16 attempts).
     */
    private void bindAsync(int attempt, java.util.concurrent.CompletableFuture<RtpSession> done) {
        if (cfg.shared != null) {
            SharedRtpPorts.Port p;
            try {
                p = cfg.shared.attach(this, remoteRtp != null ? remoteRtp : cfg.sharedPeer);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                return;
            }
            InetSocketAddress key = remoteRtp != null ? remoteRtp : cfg.sharedPeer;
            if (p == null) {
                done.completeExceptionally(new IllegalStateException("every shared RTP port already has a session for " + key));
                return;
            }
            shared = p;
            synchronized (routeLock) {
                routedRtp = key; // attach put it there
                if (remoteRtp != null && !mux()) {
                    p.route(this, routedRtp, null, routedRtp, remoteRtcp);
                    routedRtcp = remoteRtcp;
                }
            }
            opened(p.rtp, p.rtcp, p.port, done);
            return;
        }
        PortAllocator ports = group.ports();
        boolean pair = !cfg.rtcpMux;
        int port;
        try {
            port = ports.reserve(pair);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        bindOne(port, false, group.group()).addListener((ChannelFuture a) -> {
            if (!a.isSuccess()) {
                retry(port, pair, attempt, a.cause(), done);
            } else if (!pair) {
                opened(a.channel(), null, port, done);
            } else {
                bindOne(port + 1, true, a.channel().eventLoop()).addListener((ChannelFuture b) -> {
                    if (b.isSuccess()) {
                        opened(a.channel(), b.channel(), port, done);
                    } else {
                        a.channel().close();
                        retry(port, true, attempt, b.cause(), done);
                    }
                });
            }
        });
    }

    private void retry(int port, boolean pair, int attempt, Throwable cause,
                       java.util.concurrent.CompletableFuture<RtpSession> done) {
        group.ports().release(port, pair);
        if (attempt + 1 >= 16) {
            done.completeExceptionally(new IllegalStateException("cannot bind RTP sockets on " + cfg.localAddress + ": "
                    + cause.getMessage(), cause));
        } else {
            bindAsync(attempt + 1, done);
        }
    }

    private void opened(Channel rtp, Channel rtcp, int port, java.util.concurrent.CompletableFuture<RtpSession> done) {
        rtpChannel = rtp;
        rtcpChannel = rtcp;
        rtpPort = port;
        startTimers();
        done.complete(this); // publishes the fields above to whoever continues from the future
    }

    /** Binds one socket; the RTCP socket goes on the RTP socket's event loop, so a session's work stays serial. */
    private ChannelFuture bindOne(int port, boolean rtcpSocket, io.netty.channel.EventLoopGroup loops) {
        Bootstrap b = new Bootstrap().group(loops).channelFactory(group.channelFactory())
                .option(ChannelOption.SO_RCVBUF, 256 << 10)
                .option(ChannelOption.SO_SNDBUF, 256 << 10)
                // one byte more than we accept: a longer datagram arrives cut to 2,049 bytes and is
                // dropped as oversized, instead of cut to 2,048 and taken as a shorter packet
                .option(ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.FixedRecvByteBufAllocator(MAX_DATAGRAM + 1))
                .handler(new Handler(rtcpSocket));
        if (cfg.dscp >= 0) {
            b.option(ChannelOption.IP_TOS, cfg.dscp << 2);
        }
        return b.bind(new InetSocketAddress(cfg.localAddress, port));
    }

    private void startTimers() {
        if (cfg.rtcp) {
            long due = interval.start(scheduler.clock().nanoTime(), 2, 1, true) - scheduler.clock().nanoTime();
            rtcpTimer = scheduler.schedule(id, due, TimeUnit.NANOSECONDS, this::onRtcpTimer);
        }
        if (cfg.mediaTimeout != null) {
            timeoutTimer = scheduler.schedule(id, cfg.mediaTimeout.toNanos(), TimeUnit.NANOSECONDS, this::onTimeoutTimer);
        }
    }

    /**
     * Sends an RTCP BYE (when RTCP is on), closes the sockets and gives the ports back, and
     * returns when that is done (at once on the session's event loop, which cannot wait for
     * itself). Safe to call twice. A shard or an event loop should call {@link #closeAsync()}.
     */
    @Override
    public void close() {
        java.util.concurrent.CompletableFuture<Void> f = closeAsync();
        if (!rtpChannel.eventLoop().inEventLoop()) {
            try {
                f.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.debug("{}: close did not finish: {}", id, e.toString());
            }
        }
    }

    /**
     * Starts closing without waiting: the RTCP BYE, the sockets and the ports are dealt with on
     * the session's event loop. The future completes once the ports are given back. Safe to call
     * twice (the second call returns the first's future).
     */
    public java.util.concurrent.CompletableFuture<Void> closeAsync() {
        if (!closed.compareAndSet(false, true)) {
            return closing;
        }
        if (rtcpTimer != null) {
            rtcpTimer.cancel();
        }
        if (timeoutTimer != null) {
            timeoutTimer.cancel();
        }
        java.util.concurrent.CompletableFuture<Void> done = closing;
        io.netty.channel.EventLoop loop = rtpChannel.eventLoop();
        if (loop.inEventLoop()) {
            finishClose(done);
        } else {
            try {
                loop.execute(() -> finishClose(done));
            } catch (java.util.concurrent.RejectedExecutionException e) { // the group is shutting down
                finishClose(done);
            }
        }
        return done;
    }

    private void finishClose(java.util.concurrent.CompletableFuture<Void> done) {
        if (cfg.rtcp && remoteRtcp != null) {
            try {
                sendRtcp(true);
            } catch (RuntimeException e) {
                log.debug("{}: BYE not sent: {}", id, e.toString());
            }
        }
        if (shared != null) {
            synchronized (routeLock) {
                detached = true;
                shared.detach(this, routedRtp, routedRtcp);
            }
            done.complete(null);
            return;
        }
        ChannelFuture a = rtpChannel.close();
        ChannelFuture b = rtcpChannel == null ? null : rtcpChannel.close();
        a.addListener(f -> {
            if (b == null) {
                group.ports().release(rtpPort, !cfg.rtcpMux);
                done.complete(null);
            } else {
                b.addListener(g -> {
                    group.ports().release(rtpPort, true);
                    done.complete(null);
                });
            }
        });
    }

    /** True once closed. */
    public boolean isClosed() {
        return closed.get();
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends one RTP packet to the remote address (SRTP-protected when configured).
     *
     * @param mediaTime sampling instant of the payload in RTP units since the stream started
     * @return false when the session is closed, has no remote address, or SRTP refused
     */
    public boolean sendRtp(int payloadType, boolean marker, long mediaTime, byte[] payload, int off, int len) {
        return transmit(null, payloadType, marker, -1, mediaTime, payload, off, len);
    }

    /**
     * Sends one RTP packet for {@code sender}, as {@link #sendRtp(int, boolean, long, byte[], int,
     * int)} does, unless {@link #newSendStream} started a stream for another sender since: then
     * the packet is dropped and counted ({@link Counters#staleSenderDropped()}). A media session
     * sends this way, so the last packet of one it replaced (a tick under way on another thread)
     * cannot reach the new stream with the old one's timing.
     *
     * @return false when dropped, or as {@link #sendRtp(int, boolean, long, byte[], int, int)}
     */
    public boolean sendRtp(Object sender, int payloadType, boolean marker, long mediaTime, byte[] payload, int off,
                           int len) {
        return transmit(Objects.requireNonNull(sender, "sender"), payloadType, marker, -1, mediaTime, payload, off, len);
    }

    /**
     * Starts a new outgoing RTP stream at {@code clockRate}, for a codec at another clock rate
     * than the stream so far (an answer after early media, or a re-offer, that chose such a
     * codec): an SSRC is one timing and sequence number space (RFC 3550 §5.2), so the new stream
     * has a new SSRC ({@link RtpEvent.SsrcChanged}), random sequence number and timestamp, and
     * media time from zero. From now on only {@code owner}'s own packets are sent
     * ({@link #sendRtp(Object, int, boolean, long, byte[], int, int)}); relayed ones still are.
     * The sources being received are counted at the new rate from then on (the peer changed its
     * codec too; one that keeps its SSRC starts its jitter estimate again), and so are sources
     * that start after this. The old SSRC says BYE in RTCP (RFC 3550 §6.3.7), to the RTCP address
     * of the moment: call this before a new remote address. Any thread.
     */
    public void newSendStream(int clockRate, Object owner) {
        Objects.requireNonNull(owner, "owner");
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate);
        }
        int old;
        int now;
        synchronized (txLock) {
            old = sender.ssrc();
            // a clash with a source we hear is resolved as any SSRC collision (RFC 3550 §8.2)
            sender.newStream(clockRate, random, s -> false);
            now = sender.ssrc();
            streamOwner = owner;
            this.clockRate = clockRate;
            lastSendMediaTime = 0;
            lastSendNanos = scheduler.clock().nanoTime();
            sentSinceReport = false;
        }
        if (rtpChannel != null && !closed.get()) {
            InetSocketAddress to = remoteRtcp; // where the old stream's receivers are, before a new remote
            rtpChannel.eventLoop().execute(() -> {
                for (ReceiverStatistics r : receivers) { // the statistics live on the event loop
                    if (r != null) {
                        r.clockRate(clockRate); // a peer that keeps its SSRC across the change
                    }
                }
                if (cfg.rtcp) {
                    sendBye(old, to);
                }
            });
        }
        publish(new RtpEvent.SsrcChanged(id, old, now));
    }

    /**
     * Sends a packet relayed from another stream without decoding it (a bridge), under this
     * session's SSRC, with the sequence number and timestamp the relay mapped: {@code
     * sequenceIndex} and {@code mediaTime} count from the relayed stream's start, so its gaps and
     * reordering carry through to the receiver (see {@link SenderState#relayed}).
     *
     * @return false when the session is closed, has no remote address, or SRTP refused
     */
    public boolean relayRtp(int payloadType, boolean marker, long sequenceIndex, long mediaTime, byte[] payload, int off,
                            int len) {
        if (sequenceIndex < 0) {
            throw new IllegalArgumentException("sequenceIndex " + sequenceIndex);
        }
        return transmit(null, payloadType, marker, sequenceIndex, mediaTime, payload, off, len);
    }

    /** Sends one packet: in turn ({@code sequenceIndex} −1) or relayed at a given position. */
    private boolean transmit(Object owner, int payloadType, boolean marker, long sequenceIndex, long mediaTime,
                             byte[] payload, int off, int len) {
        InetSocketAddress to = remoteRtp;
        if (closed.get() || to == null) {
            return false;
        }
        if (shared == null && !rtpChannel.isWritable()) {
            // the I/O thread is far behind: a late packet is worthless, and queueing it would grow
            // the heap without bound under overload; drop it here, counted (it consumes no sequence)
            counters.sendBacklogDropped++;
            return false;
        }
        ByteBuf buf;
        synchronized (txLock) {
            if (owner != null && streamOwner != null && owner != streamOwner) {
                counters.staleSenderDropped++;
                return false;
            }
            SrtpContext tx = this.tx; // read under the lock: srtp() may change the keys
            int overhead = tx == null ? 0 : tx.rtpOverhead();
            int seq = sequenceIndex < 0 ? sender.next(mediaTime, len) : sender.relayed(sequenceIndex, mediaTime, len);
            if (mediaTime >= lastSendMediaTime) {
                lastSendMediaTime = mediaTime;
                lastSendNanos = scheduler.clock().nanoTime();
            }
            header.payloadType(payloadType).marker(marker).sequenceNumber(seq).timestamp(sender.timestamp())
                    .ssrc(sender.ssrc());
            int size = header.encodedSize(len);
            // built (and protected) in this thread's work array, then copied once into direct
            // memory: the socket writes direct buffers as they are, where a heap buffer would be
            // copied again on the I/O thread
            byte[] a = TX_WORK.get();
            if (a.length < size + overhead) {
                a = new byte[size + overhead];
                TX_WORK.set(a);
            }
            header.encodeTo(a, 0, payload, off, len);
            int n = size;
            if (tx != null) {
                n = tx.protectRtp(a, 0, size);
                if (n < 0) {
                    counters.srtpSendRefused++;
                    return false;
                }
            }
            buf = rtpChannel.alloc().directBuffer(n);
            buf.writeBytes(a, 0, n);
            sentSinceReport = true;
            counters.rtpSent++;
        }
        if (shared != null) {
            if (!shared.rtpOut.send(new DatagramPacket(buf, to))) {
                counters.sendBacklogDropped++;
                return false;
            }
            return true;
        }
        rtpChannel.writeAndFlush(new DatagramPacket(buf, to), rtpChannel.voidPromise());
        return true;
    }

    private void onRtcpTimer() {
        if (closed.get()) {
            return;
        }
        rtpChannel.eventLoop().execute(() -> {
            if (closed.get()) {
                return;
            }
            long now = scheduler.clock().nanoTime();
            int members = 1 + activeSources();
            long next = interval.onExpire(now, members, senders(), sentSinceReport);
            if (next == 0) {
                int size = sendRtcp(false);
                next = interval.sent(now, size + UDP_IP_OVERHEAD, members, senders(), sentSinceReport);
            }
            rtcpTimer = scheduler.schedule(id, Math.max(0, next - now), TimeUnit.NANOSECONDS, this::onRtcpTimer);
        });
    }

    private int senders() {
        return (sentSinceReport ? 1 : 0) + activeSources();
    }

    private int activeSources() {
        int n = 0;
        for (ReceiverStatistics r : receivers) {
            if (r != null) {
                n++;
            }
        }
        return n;
    }

    /** Builds and sends SR/RR + SDES (+ BYE); runs on the event loop. Returns the compound size. */
    private int sendRtcp(boolean bye) {
        InetSocketAddress to = remoteRtcp;
        if (to == null) {
            return 0;
        }
        long now = scheduler.clock().nanoTime();
        List<RtcpPacket.ReportBlock> blocks = new ArrayList<>();
        for (ReceiverStatistics r : receivers) {
            if (r != null && r.isValid() && blocks.size() < 31) {
                blocks.add(r.reportBlock(now));
            }
        }
        List<RtcpPacket> packets = new ArrayList<>(3);
        int ssrc;
        synchronized (txLock) {
            ssrc = sender.ssrc();
            if (sentSinceReport) {
                long mediaNow = lastSendMediaTime + (now - lastSendNanos) / 1000 * clockRate / 1_000_000L;
                packets.add(sender.senderReport(NtpTime.fromUnixMillis(scheduler.clock().currentTimeMillis()), mediaNow, blocks));
            } else {
                packets.add(new RtcpPacket.ReceiverReport(ssrc, blocks));
            }
            sentSinceReport = false;
        }
        packets.add(RtcpPacket.SourceDescription.cname(ssrc, cfg.cname));
        if (bye) {
            packets.add(new RtcpPacket.Bye(List.of(ssrc), "session closed"));
        }
        return transmitRtcp(packets, to);
    }

    /**
     * The BYE of an SSRC we no longer send with (a {@linkplain #newSendStream new send stream}):
     * RR + SDES + BYE to where RTCP went until then; runs on the event loop.
     */
    private void sendBye(int ssrc, InetSocketAddress to) {
        if (to == null || closed.get()) {
            return;
        }
        transmitRtcp(List.of(new RtcpPacket.ReceiverReport(ssrc, List.of()),
                RtcpPacket.SourceDescription.cname(ssrc, cfg.cname), new RtcpPacket.Bye(List.of(ssrc), "new stream")), to);
    }

    /** Encodes, protects (SRTCP) and sends one compound packet; returns its size, or 0 when not sent. */
    private int transmitRtcp(List<RtcpPacket> packets, InetSocketAddress to) {
        int size = RtcpParser.encodedSize(packets);
        SrtpContext tx = this.tx;
        int overhead = tx == null ? 0 : tx.rtcpOverhead();
        // with rtcp-mux RTCP leaves from the RTP port too (RFC 5761 §4: one port for both), so a
        // peer that tells sessions apart by address (a shared port) knows where it comes from
        Channel ch = rtcpChannel != null && !mux() ? rtcpChannel : rtpChannel;
        ByteBuf buf = ch.alloc().heapBuffer(size + overhead);
        byte[] a = buf.array();
        int base = buf.arrayOffset();
        RtcpParser.encode(packets, a, base);
        int n = size;
        if (tx != null) {
            synchronized (txLock) {
                n = tx.protectRtcp(a, base, size);
            }
            if (n < 0) {
                buf.release();
                return 0;
            }
        }
        buf.writerIndex(n);
        if (shared != null) {
            if (!(ch == rtcpChannel ? shared.rtcpOut : shared.rtpOut).send(new DatagramPacket(buf, to))) {
                return 0;
            }
        } else {
            ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
        }
        counters.rtcpSent++;
        return n;
    }

    /**
     * Reports the silence when it reaches the media timeout, and again each time it has lasted
     * another whole timeout, so a listener that did not act on the first report (a held call)
     * still hears how long the silence has become.
     */
    private void onTimeoutTimer() {
        if (closed.get()) {
            return;
        }
        long now = scheduler.clock().nanoTime();
        long last = lastReceivedNanos;
        long silent = now - last;
        long limit = cfg.mediaTimeout.toNanos();
        if (silent >= limit) {
            if (last != reportedSince || silent - reportedSilenceNanos >= limit) {
                reportedSince = last;
                reportedSilenceNanos = silent;
                publish(new RtpEvent.MediaTimeout(id, silent / 1_000_000L));
            }
            timeoutTimer = scheduler.schedule(id, limit, TimeUnit.NANOSECONDS, this::onTimeoutTimer);
        } else {
            timeoutTimer = scheduler.schedule(id, limit - silent, TimeUnit.NANOSECONDS, this::onTimeoutTimer);
        }
    }

    private void publish(RtpEvent e) {
        if (cfg.bus != null) {
            cfg.bus.publish(e);
        }
    }

    // ------------------------------------------------------------------ receiving

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean rtcpSocket;

        Handler(boolean rtcpSocket) {
            this.rtcpSocket = rtcpSocket;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
            receive(msg.content(), msg.sender(), rtcpSocket);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof java.io.IOException) {
                log.debug("{}: RTP socket error: {}", id, cause.toString()); // ICMP unreachable and the like
            } else {
                // a packet our own code could not handle: a defect, shown rather than swallowed
                counters.otherDropped++;
                log.warn("{}: a received packet failed", id, cause);
            }
        }
    }

    /** One datagram from the session's socket, or routed here by a shared port; on the event loop. */
    void receive(ByteBuf content, InetSocketAddress from, boolean rtcpSocket) {
        if (shared != null && closed.get()) {
            return; // closing: the shared port may still route a packet or two here
        }
        int len = content.readableBytes();
        if (len > rxBuf.length) {
            counters.oversized++;
            return;
        }
        content.getBytes(content.readerIndex(), rxBuf, 0, len);
        long now = scheduler.clock().nanoTime();
        PacketKind kind = PacketKind.classify(rxBuf, 0, len);
        if (kind == PacketKind.RTCP || (rtcpSocket && kind == PacketKind.RTP)) {
            onRtcp(len, from, now);
        } else if (kind == PacketKind.RTP && !rtcpSocket) {
            onRtp(len, from, now);
        } else {
            counters.otherDropped++;
        }
    }

    private void onRtp(int len, InetSocketAddress from, long now) {
        boolean authenticated = false;
        RxKeys rx = this.rx;
        if (rx.current != null) {
            int n = rx.current.unprotectRtp(rxBuf, 0, len);
            if (n < 0 && rx.previous != null) {
                n = rx.previous.unprotectRtp(rxBuf, 0, len); // sent before the peer's new key took effect
            } else if (n >= 0 && rx.previous != null) {
                retirePrevious(rx);
            }
            if (n < 0) {
                counters.srtpDropped++;
                return;
            }
            len = n;
            authenticated = true;
        }
        if (!view.wrap(rxBuf, 0, len)) {
            counters.malformed++;
            return;
        }
        int ssrc = view.ssrc();
        if (cfg.latching && latched && !from.equals(remoteRtp) && ssrc != latchedSsrc) {
            // neither the latched source nor it moving: no table entry or statistics slot for it
            // (a flood of made-up SSRCs would fill them and keep the real source's next SSRC out)
            counters.unlatchedDropped++;
            return;
        }
        SourceTable.Verdict v = sources.observe(ssrc, from, now, sender.ssrc(), ourAddress);
        if (v == SourceTable.Verdict.CONFLICT && cfg.latching && latched && ssrc == latchedSsrc) {
            v = SourceTable.Verdict.KNOWN; // maybe the NAT moved the source: the latch rules decide
        }
        switch (v) {
            case OWN_LOOP, CONFLICT, FULL -> {
                counters.sourceDropped++;
                return;
            }
            case OWN_COLLISION -> {
                changeSsrc();
                return;
            }
            default -> {
            }
        }
        ReceiverStatistics stats = receiver(ssrc, view.sequenceNumber());
        if (stats == null) {
            counters.sourceDropped++;
            return;
        }
        boolean valid = stats.onPacket(view.sequenceNumber(), view.timestamp(), now);
        if (!latchAllows(from, ssrc, view.sequenceNumber(), valid, authenticated)) {
            counters.unlatchedDropped++;
            return;
        }
        lastReceivedNanos = now;
        if ((valid || authenticated) && cfg.listener != null) {
            cfg.listener.onRtp(this, view, now);
        }
        counters.rtpReceived++; // after the listener: once counted, a packet has been handed over
    }

    private boolean isOurAddress(InetSocketAddress a) {
        return isLocal(rtpChannel, a);
    }

    /** True if {@code a} is where our RTP or RTCP socket sends from. */
    private boolean isOurSocket(InetSocketAddress a) {
        return isLocal(rtpChannel, a) || rtcpChannel != null && isLocal(rtcpChannel, a);
    }

    private static boolean isLocal(Channel ch, InetSocketAddress a) {
        InetSocketAddress local = (InetSocketAddress) ch.localAddress();
        return local != null && a.getPort() == local.getPort() && (a.getAddress().equals(local.getAddress()) || local.getAddress().isAnyLocalAddress());
    }

    private ReceiverStatistics receiver(int ssrc, int seq) {
        int free = -1;
        for (int i = 0; i < receivers.length; i++) {
            ReceiverStatistics r = receivers[i];
            if (r == null) {
                if (free < 0) {
                    free = i;
                }
            } else if (r.ssrc() == ssrc) {
                return r;
            }
        }
        if (free < 0) {
            // full: the source silent longest gives way if it has been silent for 5 s
            long now = scheduler.clock().nanoTime();
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < receivers.length; i++) {
                long t = receivers[i].lastPacketNanos();
                if (t < oldest && now - t >= TimeUnit.SECONDS.toNanos(5)) {
                    oldest = t;
                    free = i;
                }
            }
            if (free < 0) {
                return null;
            }
            sources.remove(receivers[free].ssrc());
        }
        return receivers[free] = new ReceiverStatistics(ssrc, clockRate, seq);
    }

    private boolean latchAllows(InetSocketAddress from, int ssrc, int seq, boolean valid, boolean authenticated) {
        if (!cfg.latching) {
            return true;
        }
        InetSocketAddress current = remoteRtp;
        if (from.equals(current) && latched) {
            relatchCount = 0;
            return true;
        }
        if (!latched) {
            if (authenticated || valid) {
                latch(from, ssrc);
                return true;
            }
            return from.equals(current);
        }
        // latched elsewhere: same SSRC, continuing sequence, three times (or SRTP-authenticated)
        if (ssrc == relatchCandidateSsrc && from.equals(relatchCandidate) && ((seq - relatchLastSeq) & 0xFFFF) == 1) {
            relatchCount++;
        } else {
            relatchCandidate = from;
            relatchCandidateSsrc = ssrc;
            relatchCount = 1;
        }
        relatchLastSeq = seq;
        if (ssrc == latchedSsrc && (authenticated || relatchCount >= 3)) {
            latch(from, ssrc);
            sources.remove(ssrc);
            sources.observe(ssrc, from, scheduler.clock().nanoTime(), sender.ssrc(), a -> false);
            return true;
        }
        return false;
    }

    private void latch(InetSocketAddress from, int ssrc) {
        latched = true;
        latchedSsrc = ssrc;
        relatchCount = 0;
        if (!from.equals(remoteRtp)) {
            remoteRtp = from;
            if (mux()) {
                remoteRtcp = from;
            } else if (remoteRtcp == null || !remoteRtcp.getAddress().equals(from.getAddress())) {
                remoteRtcp = new InetSocketAddress(from.getAddress(), from.getPort() + 1);
            }
            counters.latches++;
            publish(new RtpEvent.Latched(id, from));
        }
    }

    private void changeSsrc() {
        int old;
        synchronized (txLock) {
            old = sender.ssrc();
        }
        if (cfg.rtcp) {
            sendRtcp(true);
        }
        synchronized (txLock) {
            sender.changeSsrc(random, sources::contains); // on the event loop, as every use of sources
        }
        publish(new RtpEvent.SsrcChanged(id, old, sender.ssrc()));
    }

    private void onRtcp(int len, InetSocketAddress from, long now) {
        RxKeys rx = this.rx;
        if (rx.current != null) {
            int n = rx.current.unprotectRtcp(rxBuf, 0, len);
            if (n < 0 && rx.previous != null) {
                n = rx.previous.unprotectRtcp(rxBuf, 0, len);
            } else if (n >= 0 && rx.previous != null) {
                retirePrevious(rx);
            }
            if (n < 0) {
                counters.srtpDropped++;
                return;
            }
            len = n;
        }
        List<RtcpPacket> packets;
        try {
            packets = RtcpParser.parse(rxBuf, 0, len, true);
        } catch (RtpFormatException e) {
            counters.malformed++;
            return;
        }
        if (!packets.isEmpty() && senderSsrc(packets.get(0)) == (sender.ssrc() & 0xFFFFFFFFL) && isOurSocket(from)) {
            // our own reports from our own socket: looped back (an answer that points our media
            // at our own ports), a loop in RFC 3550 §8.2's terms. Not the peer's activity, or
            // such a call would never time out: dropped and counted. (Reports a peer reflects
            // from its own address still count: that peer is there.)
            counters.sourceDropped++;
            return;
        }
        lastReceivedNanos = now;
        counters.rtcpReceived++; // after the silence clock: whoever sees the count sees the clock reset
        interval.received(len + UDP_IP_OVERHEAD);
        int ours = sender.ssrc();
        long compactNow = NtpTime.compact(NtpTime.fromUnixMillis(scheduler.clock().currentTimeMillis()));
        for (RtcpPacket p : packets) {
            List<RtcpPacket.ReportBlock> blocks = List.of();
            if (p instanceof RtcpPacket.SenderReport sr) {
                for (ReceiverStatistics r : receivers) {
                    if (r != null && r.ssrc() == sr.ssrc()) {
                        r.onSenderReport(sr, now);
                    }
                }
                blocks = sr.reports();
            } else if (p instanceof RtcpPacket.ReceiverReport rr) {
                blocks = rr.reports();
            } else if (p instanceof RtcpPacket.Bye bye) {
                for (int s : bye.ssrcs()) {
                    // RFC 3550 §8.2: a BYE counts when its source address matches the source's; a
                    // forged one from elsewhere must not take a live stream's state away
                    if (byeFromSource(s, from)) {
                        removeSource(s);
                        publish(new RtpEvent.ByeReceived(id, s, bye.reason()));
                    } else {
                        counters.sourceDropped++;
                    }
                }
            }
            for (RtcpPacket.ReportBlock b : blocks) {
                if (b.ssrc() == ours) {
                    long rtt = ReceiverStatistics.roundTripNanos(b, compactNow);
                    if (rtt >= 0) {
                        rttNanos = rtt;
                    }
                }
            }
        }
        if (cfg.listener != null) {
            cfg.listener.onRtcp(this, packets, now);
        }
    }

    /** The SSRC of the sender of {@code p} (its first, for a BYE), as an unsigned value; -1 if it has none. */
    private static long senderSsrc(RtcpPacket p) {
        int ssrc;
        if (p instanceof RtcpPacket.SenderReport sr) {
            ssrc = sr.ssrc();
        } else if (p instanceof RtcpPacket.ReceiverReport rr) {
            ssrc = rr.ssrc();
        } else if (p instanceof RtcpPacket.SourceDescription sdes && !sdes.chunks().isEmpty()) {
            ssrc = sdes.chunks().get(0).ssrc();
        } else if (p instanceof RtcpPacket.Bye bye && !bye.ssrcs().isEmpty()) {
            ssrc = bye.ssrcs().get(0);
        } else if (p instanceof RtcpPacket.App app) {
            ssrc = app.ssrc();
        } else if (p instanceof RtcpPacket.ExtendedReport xr) {
            ssrc = xr.ssrc();
        } else if (p instanceof RtcpPacket.GenericNack nack) {
            ssrc = nack.senderSsrc();
        } else if (p instanceof RtcpPacket.PictureLossIndication pli) {
            ssrc = pli.senderSsrc();
        } else {
            return -1;
        }
        return ssrc & 0xFFFFFFFFL;
    }

    /**
     * True if a BYE for {@code ssrc} from {@code from} is believable: it comes from the host the
     * source's RTP comes from (RTCP may use another port), or from where we send RTCP. A BYE for
     * a source never heard changes nothing and is believed.
     */
    private boolean byeFromSource(int ssrc, InetSocketAddress from) {
        InetSocketAddress heard = sources.addressOf(ssrc);
        return heard == null || heard.getAddress().equals(from.getAddress()) || from.equals(remoteRtcp);
    }

    private void removeSource(int ssrc) {
        sources.remove(ssrc);
        for (int i = 0; i < receivers.length; i++) {
            if (receivers[i] != null && receivers[i].ssrc() == ssrc) {
                receivers[i] = null;
            }
        }
        RxKeys rx = this.rx;
        if (rx.current != null) {
            rx.current.removeStream(ssrc);
        }
        if (rx.previous != null) {
            rx.previous.removeStream(ssrc);
        }
    }

    // ------------------------------------------------------------------ accessors

    /** The session id (routing key of its events). */
    public String id() {
        return id;
    }

    /** Local RTP port. */
    public int localRtpPort() {
        return rtpPort;
    }

    /** Local RTCP port (the RTP port when opened with rtcp-mux). */
    public int localRtcpPort() {
        return cfg.rtcpMux ? rtpPort : rtpPort + 1;
    }

    /** Where RTP goes now (after latching, where it really comes from). */
    public InetSocketAddress remoteRtp() {
        return remoteRtp;
    }

    /** Where RTCP goes. */
    public InetSocketAddress remoteRtcp() {
        return remoteRtcp;
    }

    /**
     * New remote addresses from signalling (a re-INVITE); resets the latch. {@code rtcp} null
     * means RTP port + 1 (or the RTP address with rtcp-mux).
     */
    public void remote(InetSocketAddress rtp, InetSocketAddress rtcp) {
        Objects.requireNonNull(rtp, "rtp");
        remoteRtp = rtp;
        remoteRtcp = rtcp != null ? rtcp : mux() ? rtp : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
        reroute();
        rtpChannel.eventLoop().execute(() -> latched = false);
    }

    /**
     * Switches to RTCP multiplexed on the RTP port (RFC 5761) after signalling agreed to it: RTCP
     * is sent from our RTP port to the peer's RTP address from now on (RTCP arriving on the RTP
     * port is taken in either case). A session opened with a port pair keeps its RTCP socket
     * open until it closes, and still takes RTCP that arrives there.
     */
    public void useRtcpMux() {
        muxed = true;
        InetSocketAddress rtp = remoteRtp;
        if (rtp != null) {
            remoteRtcp = rtp;
        }
        reroute();
    }

    /** On a shared port: routes the current remote addresses here. */
    private void reroute() {
        SharedRtpPorts.Port p = shared;
        if (p == null) {
            return;
        }
        synchronized (routeLock) {
            if (detached) {
                return;
            }
            InetSocketAddress rtp = remoteRtp;
            InetSocketAddress rtcp = mux() ? null : remoteRtcp;
            p.route(this, routedRtp, routedRtcp, rtp, rtcp);
            routedRtp = rtp;
            routedRtcp = rtcp;
        }
    }

    SharedRtpPorts.Port sharedPortForTest() {
        return shared;
    }

    boolean socketsOnOneLoopForTest() {
        return rtcpChannel == null || rtcpChannel.eventLoop() == rtpChannel.eventLoop();
    }

    /** True when this session shares its port with others ({@link Builder#shared}). */
    public boolean sharesPort() {
        return shared != null;
    }

    /** True when RTCP shares the RTP port: opened so, or switched by {@link #useRtcpMux()}. */
    public boolean rtcpMux() {
        return mux();
    }

    private boolean mux() {
        return cfg.rtcpMux || muxed;
    }

    /** The IP TOS byte the RTP socket marks packets with (DSCP << 2), as the socket reports it. */
    int ipTos() {
        Integer tos = rtpChannel.config().getOption(ChannelOption.IP_TOS);
        return tos == null ? -1 : tos;
    }

    /**
     * Sets the RTP clock rate, when it is only known after the session opened (the port goes
     * into the SDP offer before the answer names the codec). Call it before media flows: sources
     * already being received keep the rate they started with.
     */
    public void clockRate(int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("clock rate " + rate);
        }
        this.clockRate = rate;
    }

    /**
     * Sets the SRTP keys negotiated after the session opened (SDES: our key goes in the offer,
     * the peer's comes with the answer), first or again after a renegotiation; null leaves a
     * direction in the clear.
     *
     * <p>A direction whose policy has the {@linkplain SrtpPolicy#sameKeys same keys} as before
     * keeps its context, with each stream's rollover counter and replay window. New keys get a
     * new context, whose rollover counters start at zero (RFC 4568 §7.1.4). When the receive keys
     * change, packets that still fail the new context are tried with the old one until the new
     * one has authenticated a packet: the peer sends with its old key until it has our answer
     * (RFC 3264 §8: both must be received for a while). Any thread.
     */
    public void srtp(SrtpPolicy send, SrtpPolicy receive) {
        synchronized (txLock) {
            SrtpContext t = this.tx;
            if (send == null) {
                this.tx = null;
            } else if (t == null || !t.policy().sameKeys(send)) {
                this.tx = SrtpContext.create(withListener(send));
            }
        }
        synchronized (rxLock) {
            RxKeys r = this.rx;
            if (receive == null) {
                this.rx = RxKeys.PLAIN;
            } else if (r.current == null || !r.current.policy().sameKeys(receive)) {
                this.rx = new RxKeys(SrtpContext.create(receive), r.current);
            }
        }
    }

    /** The new receive keys work: packets under the old ones are refused from now on. */
    private void retirePrevious(RxKeys seen) {
        synchronized (rxLock) { // once per key change; a change made meanwhile stays as it is
            if (this.rx == seen) {
                this.rx = new RxKeys(seen.current, null);
            }
        }
    }

    /**
     * The receive contexts: {@code current} for the peer's negotiated key (null for plain RTP),
     * {@code previous} for its key before the last change until {@code current} has
     * authenticated a packet.
     */
    private record RxKeys(SrtpContext current, SrtpContext previous) {
        static final RxKeys PLAIN = new RxKeys(null, null);
    }

    /** Our current SSRC. */
    public int ssrc() {
        synchronized (txLock) {
            return sender.ssrc();
        }
    }

    /** Last round-trip time from RTCP, nanoseconds, or -1 before the first measurement. */
    public long roundTripNanos() {
        return rttNanos;
    }

    /** Counters of what the session did. */
    public Counters counters() {
        return counters;
    }

    /** SRTP counters of the receiving context, or null without SRTP. */
    public io.rvoip.rtp.srtp.SrtpCounters srtpReceiveCounters() {
        SrtpContext current = rx.current;
        return current == null ? null : current.counters();
    }

    /** Statistics of a remote source, or null. Read on any thread; values may be slightly stale. */
    public ReceiverStatistics receiverStatistics(int ssrc) {
        for (ReceiverStatistics r : receivers) {
            if (r != null && r.ssrc() == ssrc) {
                return r;
            }
        }
        return null;
    }

    /** Statistics of the first remote source, or null before any packet. */
    public ReceiverStatistics receiverStatistics() {
        for (ReceiverStatistics r : receivers) {
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Packets sent, received and dropped by reason. */
    public static final class Counters {
        volatile long rtpSent;
        volatile long rtpReceived;
        volatile long rtcpSent;
        volatile long rtcpReceived;
        volatile long srtpDropped;
        volatile long srtpSendRefused;
        volatile long sendBacklogDropped;
        volatile long malformed;
        volatile long sourceDropped;
        volatile long unlatchedDropped;
        volatile long otherDropped;
        volatile long oversized;
        volatile long latches;
        volatile long staleSenderDropped;

        /** RTP packets sent. */
        public long rtpSent() {
            return rtpSent;
        }

        /**
         * RTP packets not sent because the socket's send backlog was full (more than 64 KB, Netty's
         * default high-water mark, waiting for the I/O thread: about 300 G.711 packets, 6 s of
         * audio): an overloaded machine drops media it can no longer send in time instead of
         * queueing it without bound.
         */
        public long sendBacklogDropped() {
            return sendBacklogDropped;
        }

        /** RTP packets accepted. */
        public long rtpReceived() {
            return rtpReceived;
        }

        /** RTCP compound packets sent. */
        public long rtcpSent() {
            return rtcpSent;
        }

        /** RTCP compound packets accepted. */
        public long rtcpReceived() {
            return rtcpReceived;
        }

        /** Packets SRTP refused (see the SRTP counters for reasons). */
        public long srtpDropped() {
            return srtpDropped;
        }

        /** Packets not valid RTP/RTCP. */
        public long malformed() {
            return malformed;
        }

        /** Packets dropped by SSRC conflict/loop checks or the source limit. */
        public long sourceDropped() {
            return sourceDropped;
        }

        /** Packets from addresses other than the latched one. */
        public long unlatchedDropped() {
            return unlatchedDropped;
        }

        /** STUN/DTLS/unknown packets (not handled by this session). */
        public long otherDropped() {
            return otherDropped;
        }

        /** Times the remote address was latched. */
        public long latches() {
            return latches;
        }

        /**
         * Own packets of a sender that a {@linkplain RtpSession#newSendStream new send stream}
         * replaced, dropped.
         */
        public long staleSenderDropped() {
            return staleSenderDropped;
        }

        @Override
        public String toString() {
            return "Counters{rtp=" + rtpSent + "/" + rtpReceived + ", rtcp=" + rtcpSent + "/" + rtcpReceived
                    + ", srtpDropped=" + srtpDropped + ", malformed=" + malformed + ", sourceDropped=" + sourceDropped
                    + ", unlatched=" + unlatchedDropped + ", other=" + otherDropped + '}';
        }
    }

    /** Describes a session; {@link #open()} binds its sockets. */
    public static final class Builder {
        private final RtpTransportGroup group;
        private final Scheduler scheduler;
        private String id = "rtp";
        private InetAddress localAddress = InetAddress.getLoopbackAddress();
        private InetSocketAddress remoteRtp;
        private InetSocketAddress remoteRtcp;
        private boolean rtcpMux;
        private boolean rtcp = true;
        private int clockRate = 8000;
        private SrtpPolicy txPolicy;
        private SrtpPolicy rxPolicy;
        private boolean latching;
        private Duration mediaTimeout;
        private String cname;
        private int dscp = -1;
        private long sessionBandwidthBps = 64_000 + 16_000;
        private boolean reducedRtcpMinimum;
        private RtpListener listener;
        private EventBus bus;
        private SharedRtpPorts shared;
        private InetSocketAddress sharedPeer;

        private Builder(RtpTransportGroup group, Scheduler scheduler) {
            this.group = Objects.requireNonNull(group, "group");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** Session id: routing key of events and timers. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id);
            return this;
        }

        /** Local address to bind (default loopback). */
        public Builder localAddress(InetAddress a) {
            this.localAddress = Objects.requireNonNull(a);
            return this;
        }

        /** Remote RTP address and RTCP address (null: RTP port + 1, or RTP with mux). */
        public Builder remote(InetSocketAddress rtp, InetSocketAddress rtcpAddress) {
            this.remoteRtp = rtp;
            this.remoteRtcp = rtcpAddress;
            return this;
        }

        /** RTP and RTCP on one port (RFC 5761). */
        public Builder rtcpMux(boolean mux) {
            this.rtcpMux = mux;
            return this;
        }

        /** Send RTCP reports and BYE (default on). */
        public Builder rtcp(boolean on) {
            this.rtcp = on;
            return this;
        }

        /** RTP clock rate of the stream (default 8000). */
        public Builder clockRate(int rate) {
            this.clockRate = rate;
            return this;
        }

        /** SRTP: our policy for sending, the peer's for receiving (both or neither). */
        public Builder srtp(SrtpPolicy send, SrtpPolicy receive) {
            this.txPolicy = send;
            this.rxPolicy = receive;
            return this;
        }

        /** Latch the remote address to the packets' real source (symmetric RTP). */
        public Builder latching(boolean on) {
            this.latching = on;
            return this;
        }

        /**
         * Publish {@link RtpEvent.MediaTimeout} when nothing (neither RTP nor RTCP) arrives for
         * this long, and again after each further period of the same length while the silence
         * lasts. Null or zero: no media timeout (the default).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder mediaTimeout(Duration d) {
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException("negative media timeout: " + d);
            }
            this.mediaTimeout = d == null || d.isZero() ? null : d;
            return this;
        }

        /** RTCP CNAME (default: a random one per session). */
        public Builder cname(String cname) {
            this.cname = cname;
            return this;
        }

        /** DSCP for outgoing packets (46 = EF, voice); default: not set. */
        public Builder dscp(int dscp) {
            if (dscp < -1 || dscp > 63) {
                throw new IllegalArgumentException("DSCP 0..63");
            }
            this.dscp = dscp;
            return this;
        }

        /** Session bandwidth for the RTCP interval, bit/s, and whether to use the reduced minimum. */
        public Builder sessionBandwidth(long bps, boolean reducedMinimum) {
            this.sessionBandwidthBps = bps;
            this.reducedRtcpMinimum = reducedMinimum;
            return this;
        }

        /**
         * Puts the session on one of these shared ports instead of binding a pair of its own (see
         * {@link SharedRtpPorts}: packets are told apart by the remote address, so no latching).
         * When the remote address is known ({@link #remote}), a port where it is free is chosen.
         */
        public Builder shared(SharedRtpPorts ports) {
            this.shared = ports;
            return this;
        }

        /**
         * As {@link #shared(SharedRtpPorts)}, for an answerer that knows where the peer's RTP will
         * come from ({@code peerRtp}, from the offer) but sends nothing before it answers: the
         * port is chosen where that address is free, and packets from it are routed here.
         */
        public Builder shared(SharedRtpPorts ports, InetSocketAddress peerRtp) {
            this.shared = ports;
            this.sharedPeer = peerRtp;
            return this;
        }

        /** Who receives packets (on the I/O thread). */
        public Builder listener(RtpListener l) {
            this.listener = l;
            return this;
        }

        /** Where {@link RtpEvent}s go. */
        public Builder events(EventBus bus) {
            this.bus = bus;
            return this;
        }

        /**
         * Binds the sockets (ports from the group's allocator) and starts RTCP and the timeout
         * timer. Blocks briefly for the bind: do not call it on an event loop or a shard.
         *
         * @throws PortAllocator.PortsExhaustedException when no port pair is free
         */
        public RtpSession open() {
            for (io.netty.util.concurrent.EventExecutor e : group.group()) {
                if (e.inEventLoop()) {
                    throw new IllegalStateException("open() would wait for this event loop: use openAsync()");
                }
            }
            try {
                return openAsync().join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        /**
         * Opens the session without blocking the calling thread (a shard or an event loop must
         * not wait for a bind): the future completes with the session once its sockets are bound,
         * or fails with an {@link IllegalStateException} when no port could be bound.
         */
        public java.util.concurrent.CompletableFuture<RtpSession> openAsync() {
            if ((txPolicy == null) != (rxPolicy == null)) {
                throw new IllegalStateException("SRTP needs both a send and a receive policy");
            }
            if (shared != null && latching) {
                throw new IllegalStateException("a shared port tells sessions apart by remote address: no latching");
            }
            if (cname == null) {
                cname = "rvoip-" + Long.toHexString(new SecureRandom().nextLong());
            }
            RtpSession s = new RtpSession(this);
            java.util.concurrent.CompletableFuture<RtpSession> done = new java.util.concurrent.CompletableFuture<>();
            s.bindAsync(0, done);
            return done;
        }
    }
}
