package io.rvoip.rtp.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.rtcp.RtcpPacket;
import io.rvoip.rtp.srtp.MasterKey;
import io.rvoip.rtp.srtp.SrtpError;
import io.rvoip.rtp.srtp.SrtpPolicy;
import io.rvoip.rtp.srtp.SrtpProfile;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real UDP on 127.0.0.1; timers on a manual clock. */
class RtpSessionIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ManualClock clock = new ManualClock();
    private final ManualShardedExecutor shards = new ManualShardedExecutor(1);
    private final TimerService timers = TimerService.builder(shards).clock(clock).build();
    private final EventBus bus = EventBus.builder().shards(shards).build();
    private final List<RtpEvent> events = Collections.synchronizedList(new ArrayList<>());
    private PortAllocator ports;
    private RtpTransportGroup group;

    @BeforeEach
    void setUp() {
        int base = 20000 + 2 * new Random().nextInt(10000);
        ports = new PortAllocator(base, base + 99);
        group = RtpTransportGroup.start(2, ports);
        bus.subscribe(RtpEvent.class).inline().handle(events::add);
    }

    @AfterEach
    void tearDown() {
        group.close();
        timers.stop();
        bus.close();
    }

    static final class Sink implements RtpListener {
        final AtomicInteger rtp = new AtomicInteger();
        final ConcurrentLinkedQueue<Integer> seqs = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<List<RtcpPacket>> rtcp = new ConcurrentLinkedQueue<>();
        volatile byte[] lastPayload;

        @Override
        public void onRtp(RtpSession session, RtpPacket packet, long arrivalNanos) {
            seqs.add(packet.sequenceNumber());
            lastPayload = java.util.Arrays.copyOfRange(packet.buffer(), packet.payloadOffset(),
                    packet.payloadOffset() + packet.payloadLength());
            rtp.incrementAndGet();
        }

        @Override
        public void onRtcp(RtpSession session, List<RtcpPacket> packets, long arrivalNanos) {
            rtcp.add(packets);
        }
    }

    static void await(BooleanSupplier condition, String what) {
        await(condition, () -> what);
    }

    static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private void tick(long millis) {
        clock.advanceMillis(millis);
        shards.runPending();
    }

    private RtpSession.Builder session(String id) {
        return RtpSession.builder(group, timers).id(id).localAddress(LOOPBACK).events(bus);
    }

    private java.util.concurrent.CountDownLatch stallIoThreads() throws InterruptedException {
        return stallIoThreads(group);
    }

    /** Stalls every I/O thread of {@code group} (two) until the returned latch is counted down. */
    static java.util.concurrent.CountDownLatch stallIoThreads(RtpTransportGroup group) throws InterruptedException {
        java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        for (io.netty.util.concurrent.EventExecutor loop : group.group()) {
            loop.execute(() -> {
                stalled.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void openingAndClosingAsynchronouslyNeverWaitForTheIoThreads() throws Exception {
        // a shard that opens or closes a call's RTP must not wait for a busy I/O thread: with
        // both I/O threads stalled, the calls return at once with futures still pending
        RtpSession open = session("open").open();
        java.util.concurrent.CountDownLatch release = stallIoThreads();
        java.util.concurrent.CompletableFuture<RtpSession> opening = session("async").openAsync();
        java.util.concurrent.CompletableFuture<Void> closing = open.closeAsync();
        assertThat(opening).isNotDone();
        assertThat(closing).isNotDone();
        assertThat(open.closeAsync()).isSameAs(closing);
        release.countDown();
        RtpSession s = opening.get(10, TimeUnit.SECONDS);
        assertThat(s.localRtpPort()).isPositive();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(ports.inUse()).isEqualTo(2); // the new session's pair only
        s.closeAsync().get(10, TimeUnit.SECONDS);
        assertThat(ports.inUse()).isZero();
    }

    @Test
    void openOnAnIoThreadIsRefusedRatherThanWaitingForItself() throws Exception {
        io.netty.util.concurrent.Future<Throwable> f = group.group().next().submit(() -> {
            try {
                session("on-loop").open();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(f.get(10, TimeUnit.SECONDS)).hasMessageContaining("openAsync");
        assertThat(ports.inUse()).isZero();
    }

    @Test
    void anOverloadedIoThreadDropsRtpInsteadOfQueueingItWithoutBound() throws Exception {
        Sink sinkB = new Sink();
        RtpSession b = session("b").listener(sinkB).open();
        RtpSession a = session("a").remote(new InetSocketAddress(LOOPBACK, b.localRtpPort()), null).open();
        // every I/O thread of the group stalls, as on a machine past its capacity
        java.util.concurrent.CountDownLatch release = stallIoThreads();
        byte[] payload = new byte[160];
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            if (a.sendRtp(0, i == 0, i * 160L, payload, 0, 160)) {
                accepted++;
            }
        }
        // 64 KB of backlog is about 300 packets of 172 bytes; the rest is dropped and counted
        assertThat(accepted).isBetween(200, 450);
        assertThat(a.counters().sendBacklogDropped()).isEqualTo(1000 - accepted);
        assertThat(a.counters().rtpSent()).isEqualTo(accepted);
        release.countDown();
        // what was queued goes out (the first packet of a new source is on probation)
        int queued = accepted;
        await(() -> sinkB.rtp.get() == queued - 1, () -> "queued packets delivered: " + sinkB.rtp.get());
        // once the backlog has drained, sending works again, in sequence
        await(() -> a.sendRtp(0, false, 1000 * 160L, payload, 0, 160), "writable again");
        await(() -> sinkB.rtp.get() == queued, "the next packet");
        assertThat(b.receiverStatistics(a.ssrc()).cumulativeLost()).isZero();
        a.close();
        b.close();
    }

    @Test
    void twoSessionsExchangeRtpAndRtcpAndReleaseTheirPorts() {
        Sink sinkA = new Sink();
        Sink sinkB = new Sink();
        RtpSession a = session("a").listener(sinkA).open();
        RtpSession b = session("b").listener(sinkB).remote(new InetSocketAddress(LOOPBACK, a.localRtpPort()), null).open();
        a.remote(new InetSocketAddress(LOOPBACK, b.localRtpPort()), null);
        assertThat(ports.inUse()).isEqualTo(4);
        assertThat(b.localRtcpPort()).isEqualTo(b.localRtpPort() + 1);
        assertThat(a.localRtpPort() % 2).isZero();

        byte[] payload = new byte[160];
        for (int i = 0; i < 50; i++) {
            payload[0] = (byte) i;
            assertThat(a.sendRtp(0, i == 0, i * 160L, payload, 0, 160)).isTrue();
            b.sendRtp(8, i == 0, i * 160L, payload, 0, 160);
            tick(20);
        }
        // the first packet of a new source is on probation (RFC 3550 A.1): 49 delivered
        await(() -> sinkB.rtp.get() == 49 && sinkA.rtp.get() == 49, "RTP both ways");
        assertThat(sinkB.lastPayload[0]).isEqualTo((byte) 49);
        assertThat(b.receiverStatistics(a.ssrc()).cumulativeLost()).isZero();

        // RTCP: the first report is due within 1.5 * 2.5 s / 1.22; SR from both (both sent)
        tick(4000);
        await(() -> !sinkB.rtcp.isEmpty() && !sinkA.rtcp.isEmpty(), "RTCP both ways");
        List<RtcpPacket> first = sinkB.rtcp.peek();
        assertThat(first.get(0)).isInstanceOf(RtcpPacket.SenderReport.class);
        RtcpPacket.SenderReport sr = (RtcpPacket.SenderReport) first.get(0);
        assertThat(sr.ssrc()).isEqualTo(a.ssrc());
        assertThat(sr.packetCount()).isEqualTo(50);
        assertThat(((RtcpPacket.SourceDescription) first.get(1)).cname(a.ssrc())).startsWith("rvoip-");
        // a second round carries LSR/DLSR back: RTT is measured
        tick(8000);
        tick(8000);
        await(() -> a.roundTripNanos() >= 0 && b.roundTripNanos() >= 0, "RTT from LSR/DLSR");

        a.close();
        await(() -> events.stream().anyMatch(e -> e instanceof RtpEvent.ByeReceived bye && bye.ssrc() == a.ssrc()),
                "BYE received by b");
        b.close();
        assertThat(ports.inUse()).isZero();
        assertThat(a.sendRtp(0, false, 0, payload, 0, 160)).isFalse();
        a.close();
    }

    /**
     * A codec at another RTP clock rate needs a new stream (RFC 3550 §5.2: one SSRC, one timing
     * space): new SSRC, its own sequence and timestamp from media time zero; the old SSRC says
     * BYE in RTCP; the media session it replaced may still be finishing a tick on another thread,
     * and its packet is dropped, counted.
     */
    @Test
    void aNewSendStreamHasItsOwnSsrcAndTimingAndTheReplacedSendersPacketsAreDropped() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            peer.setSoTimeout(5000);
            RtpSession a = session("a").rtcpMux(true).remote(new InetSocketAddress(LOOPBACK, peer.getLocalPort()), null)
                    .open();
            Object early = new Object();
            Object answered = new Object();
            byte[] payload = new byte[160];
            for (int i = 0; i < 3; i++) {
                assertThat(a.sendRtp(early, 0, i == 0, 100_000 + i * 160L, payload, 0, 160)).isTrue();
            }
            List<byte[]> before = rtpFrom(peer, 3);
            int oldSsrc = a.ssrc();
            assertThat(before).allMatch(p -> ssrcOf(p) == oldSsrc);

            a.newSendStream(48000, answered);
            assertThat(a.ssrc()).isNotEqualTo(oldSsrc);
            assertThat(byeFrom(peer, oldSsrc)).as("the old SSRC's BYE").isTrue();
            assertThat(a.sendRtp(early, 0, false, 100_000 + 3 * 160L, payload, 0, 160)).as("the replaced sender").isFalse();
            assertThat(a.counters().staleSenderDropped()).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                assertThat(a.sendRtp(answered, 111, i == 0, i * 960L, payload, 0, 80)).as("media time from zero").isTrue();
            }
            List<byte[]> after = rtpFrom(peer, 3);
            for (int i = 0; i < 3; i++) {
                byte[] p = after.get(i);
                assertThat(ssrcOf(p)).isEqualTo(a.ssrc());
                assertThat(p[1] & 0x7f).isEqualTo(111);
                if (i > 0) {
                    byte[] q = after.get(i - 1);
                    assertThat((seqOf(p) - seqOf(q)) & 0xffff).isEqualTo(1);
                    assertThat((timestampOf(p) - timestampOf(q)) & 0xffffffffL).isEqualTo(960);
                }
            }
            // packets of no particular sender (a relay, a test) still go
            assertThat(a.sendRtp(111, false, 3 * 960L, payload, 0, 80)).isTrue();
            tick(0);
            assertThat(events).anyMatch(e -> e instanceof RtpEvent.SsrcChanged c && c.oldSsrc() == oldSsrc
                    && c.newSsrc() == a.ssrc());
            a.close();
        }
    }

    /**
     * A peer that changes its codec to another clock rate but keeps its SSRC (as some B2BUAs do)
     * is measured at the new rate once our stream changes: its jitter, 20 ms packets arriving
     * every 20 ms, stays zero. Counted at the old rate, 960 timestamp units a packet against 160
     * of arrival time read as 100 ms of jitter a packet.
     */
    @Test
    void aSourceThatKeepsItsSsrcAcrossAClockRateChangeIsMeasuredAtTheNewRate() {
        Sink sink = new Sink();
        RtpSession a = session("a").listener(sink).open();
        RtpSession b = session("b").remote(new InetSocketAddress(LOOPBACK, a.localRtpPort()), null).open();
        byte[] payload = new byte[160];
        long mediaTime = 0;
        for (int i = 0; i < 40; i++) {
            if (i == 20) {
                a.newSendStream(48000, new Object()); // our codec changed: the peer's did too
            }
            b.sendRtp(i < 20 ? 0 : 111, false, mediaTime, payload, 0, 160);
            mediaTime += i < 20 ? 160 : 960;
            int delivered = i; // the first packet of a source is on probation
            await(() -> delivered == 0 ? a.receiverStatistics(b.ssrc()) != null : sink.rtp.get() == delivered,
                    "packet " + i);
            if (i == 19) {
                assertThat(a.receiverStatistics(b.ssrc()).jitter()).as("steady at 8 kHz").isZero();
            }
            tick(20);
        }
        assertThat(a.receiverStatistics(b.ssrc()).jitterMillis()).as("steady at 48 kHz").isLessThan(1.0);
        a.close();
        b.close();
    }

    /** True once an RTCP BYE for {@code ssrc} arrives at {@code peer}; false when none comes for 5 s. */
    private static boolean byeFrom(DatagramSocket peer, int ssrc) throws Exception {
        byte[] buf = new byte[2048];
        for (;;) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            try {
                peer.receive(d);
            } catch (java.net.SocketTimeoutException e) {
                return false;
            }
            int pt = buf[1] & 0xff;
            if (pt >= 200 && pt <= 204 && io.rvoip.rtp.rtcp.RtcpParser.parse(buf, 0, d.getLength()).stream()
                    .anyMatch(p -> p instanceof RtcpPacket.Bye bye && bye.ssrcs().contains(ssrc))) {
                return true;
            }
        }
    }

    /** The next {@code n} RTP packets (not RTCP) that arrive at {@code peer}. */
    private static List<byte[]> rtpFrom(DatagramSocket peer, int n) throws Exception {
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[2048];
        while (out.size() < n) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            peer.receive(d);
            int pt = buf[1] & 0xff;
            if (pt < 200 || pt > 204) {
                out.add(java.util.Arrays.copyOf(buf, d.getLength()));
            }
        }
        return out;
    }

    private static int ssrcOf(byte[] p) {
        return java.nio.ByteBuffer.wrap(p, 8, 4).getInt();
    }

    private static int seqOf(byte[] p) {
        return (p[2] & 0xff) << 8 | (p[3] & 0xff);
    }

    private static long timestampOf(byte[] p) {
        return java.nio.ByteBuffer.wrap(p, 4, 4).getInt() & 0xffffffffL;
    }

    @Test
    void rtcpMuxUsesOnePort() {
        Sink sinkB = new Sink();
        RtpSession a = session("a").rtcpMux(true).open();
        RtpSession b = session("b").rtcpMux(true).listener(sinkB).remote(new InetSocketAddress(LOOPBACK, a.localRtpPort()), null).open();
        a.remote(new InetSocketAddress(LOOPBACK, b.localRtpPort()), null);
        assertThat(ports.inUse()).isEqualTo(2);
        assertThat(a.localRtcpPort()).isEqualTo(a.localRtpPort());
        byte[] p = new byte[20];
        for (int i = 0; i < 5; i++) {
            a.sendRtp(96, false, i * 160L, p, 0, 20);
        }
        tick(4000);
        await(() -> sinkB.rtp.get() == 4 && !sinkB.rtcp.isEmpty(), "muxed RTP and RTCP");
        a.close();
        b.close();
        assertThat(ports.inUse()).isZero();
    }

    @Test
    void aPeerThatReflectsOurPacketsCostsOneSsrcChangeNotOnePerPacket() throws Exception {
        try (DatagramSocket reflector = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            AtomicInteger rtpBack = new AtomicInteger();
            AtomicInteger rtcpBack = new AtomicInteger();
            Thread echo = new Thread(() -> { // as `sipp -rtp_echo`: every datagram back to its sender, unchanged
                byte[] buf = new byte[2048];
                while (!reflector.isClosed()) {
                    DatagramPacket d = new DatagramPacket(buf, buf.length);
                    try {
                        reflector.receive(d);
                        int pt = buf[1] & 0xFF;
                        (pt >= 200 && pt <= 204 ? rtcpBack : rtpBack).incrementAndGet();
                        reflector.send(new DatagramPacket(buf, d.getLength(), d.getSocketAddress()));
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            }, "reflector");
            echo.setDaemon(true);
            echo.start();
            RtpSession a = session("a").rtcpMux(true)
                    .remote((InetSocketAddress) reflector.getLocalSocketAddress(), null).open();
            int first = a.ssrc();
            byte[] p = new byte[20];
            a.sendRtp(0, false, 0, p, 0, 20);
            await(() -> events.stream().anyMatch(e -> e instanceof RtpEvent.SsrcChanged), "the collision");
            assertThat(a.ssrc()).isNotEqualTo(first);
            for (int i = 1; i < 100; i++) {
                a.sendRtp(0, false, i * 160L, p, 0, 20);
            }
            // all 99 come back under our new SSRC from the address already found conflicting: loops, dropped
            await(() -> a.counters().sourceDropped() == 99, () -> "the reflected packets dropped: " + a.counters());
            assertThat(events.stream().filter(e -> e instanceof RtpEvent.SsrcChanged)).hasSize(1);
            assertThat(rtcpBack.get()).as("one RTCP BYE, for the first SSRC").isEqualTo(1);
            assertThat(rtpBack.get()).isEqualTo(100);
            assertThat(a.counters().rtpReceived()).isZero();
            a.close();
            reflector.close();
            echo.join(5000);
        }
    }

    /**
     * a sends to b (muxed, b latching) {@code packets} packets of silence at timestamps 0, 160, …;
     * returns {a, b} once b's listener has them (the first is on probation).
     */
    private RtpSession[] latchedPair(Sink sinkB, int packets) {
        RtpSession a = session("a").rtcpMux(true).open();
        RtpSession b = session("b").rtcpMux(true).latching(true).listener(sinkB)
                .remote(new InetSocketAddress(LOOPBACK, a.localRtpPort()), null).open();
        a.remote(new InetSocketAddress(LOOPBACK, b.localRtpPort()), null);
        byte[] p = new byte[160];
        for (int i = 0; i < packets; i++) {
            a.sendRtp(0, false, i * 160L, p, 0, 160);
        }
        await(() -> sinkB.rtp.get() == packets - 1, "a's first packets at b");
        return new RtpSession[] {a, b};
    }

    @Test
    void aStormOfMutatedRtpAndRtcpNeitherBreaksNorStopsASession() throws Exception {
        ch.qos.logback.classic.Logger rtpLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RtpSession.class);
        ch.qos.logback.classic.Level was = rtpLog.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        rtpLog.addAppender(log);
        rtpLog.setLevel(ch.qos.logback.classic.Level.DEBUG); // a handler exception is logged at DEBUG
        try {
            Sink sinkB = new Sink();
            RtpSession[] pair = latchedPair(sinkB, 10);
            RtpSession a = pair[0];
            RtpSession b = pair[1];
            byte[] p = new byte[160];
            // RTP and RTCP seeds that b would take (a's SSRC, the SSRC b reports on), mutated
            Random r = new Random(4585);
            List<byte[]> seeds = new ArrayList<>();
            byte[] rtp = new byte[172];
            new io.rvoip.rtp.RtpHeader().payloadType(0).ssrc(a.ssrc()).sequenceNumber(100).timestamp(16000)
                    .encodeTo(rtp, 0, new byte[160], 0, 160);
            seeds.add(rtp);
            RtcpPacket.ReportBlock block = new RtcpPacket.ReportBlock(b.ssrc(), 10, 20, 100, 5, 0x12345678L, 0x10000L);
            List<RtcpPacket> compound = List.of(
                    new RtcpPacket.SenderReport(a.ssrc(), 0xE0000000_00000000L, 1600, 10, 1600, List.of(block)),
                    RtcpPacket.SourceDescription.cname(a.ssrc(), "a@x"),
                    new RtcpPacket.Bye(List.of(0x1234), "x"));
            byte[] rtcp = new byte[io.rvoip.rtp.rtcp.RtcpParser.encodedSize(compound)];
            io.rvoip.rtp.rtcp.RtcpParser.encode(compound, rtcp, 0);
            seeds.add(rtcp);
            int sent = 0;
            try (DatagramSocket storm = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                InetSocketAddress to = new InetSocketAddress(LOOPBACK, b.localRtpPort());
                for (int i = 0; i < 20_000; i++) {
                    byte[] m = seeds.get(r.nextInt(seeds.size())).clone();
                    for (int e = 1 + r.nextInt(3); e > 0; e--) {
                        switch (r.nextInt(3)) {
                            case 0 -> m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
                            case 1 -> {
                                if (m.length > 4) {
                                    m[4 + r.nextInt(m.length - 4)] = (byte) r.nextInt(256);
                                }
                            }
                            default -> m = java.util.Arrays.copyOf(m, 2 + r.nextInt(m.length + 20));
                        }
                    }
                    storm.send(new DatagramPacket(m, m.length, to));
                    sent++;
                    if (i % 50 == 49) {
                        tick(20);
                        Thread.sleep(1);
                    }
                }
            }
            // the kernel may drop some of a burst (the socket's buffer is 256 KB); wait until b has
            // taken what arrived, and check that a good part did
            java.util.function.LongSupplier taken = () -> {
                RtpSession.Counters c = b.counters();
                return c.rtpReceived() + c.rtcpReceived() + c.malformed() + c.sourceDropped() + c.unlatchedDropped()
                        + c.otherDropped() + c.srtpDropped();
            };
            long last = -1;
            for (int quiet = 0; quiet < 5; ) {
                Thread.sleep(50);
                long now = taken.getAsLong();
                quiet = now == last ? quiet + 1 : 0;
                last = now;
            }
            assertThat(taken.getAsLong()).as("the storm reached b: %s", b.counters()).isGreaterThan(sent / 10);
            // b still works: a's real packets keep arriving
            int before = sinkB.rtp.get();
            for (int i = 0; i < 10; i++) {
                a.sendRtp(0, false, (200 + i) * 160L, p, 0, 160);
            }
            await(() -> sinkB.rtp.get() >= before + 5, () -> "a's packets after the storm: " + b.counters());
            assertThat(log.list.stream().filter(e -> e.getThrowableProxy() != null || e.getFormattedMessage().contains("error"))
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)).as("no handler exception").isEmpty();
            a.close();
            b.close();
        } finally {
            rtpLog.setLevel(was);
            rtpLog.detachAppender(log);
        }
    }

    @Test
    void aForgedByeFromAnotherHostDoesNotEndAStreamAndStrangersGetNoStatisticsSlot() throws Exception {
        Sink sinkB = new Sink();
        RtpSession[] pair = latchedPair(sinkB, 5);
        RtpSession a = pair[0];
        RtpSession b = pair[1];
        byte[] p = new byte[160];
        InetSocketAddress toB = new InetSocketAddress(LOOPBACK, b.localRtpPort());
        // another host (127.0.0.2 is loopback too on Linux) sends BYE for a's SSRC, and RTP under
        // SSRCs of its own
        try (DatagramSocket other = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            List<RtcpPacket> bye = List.of(new RtcpPacket.ReceiverReport(77, List.of()), new RtcpPacket.Bye(List.of(a.ssrc()), "forged"));
            byte[] rtcp = new byte[io.rvoip.rtp.rtcp.RtcpParser.encodedSize(bye)];
            io.rvoip.rtp.rtcp.RtcpParser.encode(bye, rtcp, 0);
            other.send(new DatagramPacket(rtcp, rtcp.length, toB));
            for (int ssrc = 1000; ssrc < 1100; ssrc++) {
                for (int seq = 0; seq < 2; seq++) {
                    byte[] rtp = new byte[172];
                    new io.rvoip.rtp.RtpHeader().payloadType(0).ssrc(ssrc).sequenceNumber(seq).timestamp(seq * 160L)
                            .encodeTo(rtp, 0, new byte[160], 0, 160);
                    other.send(new DatagramPacket(rtp, rtp.length, toB));
                }
            }
            await(() -> b.counters().rtcpReceived() >= 1 && b.counters().unlatchedDropped() >= 200,
                    () -> "the forged BYE and the strangers' RTP taken: " + b.counters());
        }
        assertThat(events).noneMatch(e -> e instanceof RtpEvent.ByeReceived);
        assertThat(b.receiverStatistics(a.ssrc())).as("a's stream keeps its state").isNotNull();
        assertThat(b.receiverStatistics(1000)).as("no slot for a stranger").isNull();
        for (int i = 5; i < 10; i++) {
            a.sendRtp(0, false, i * 160L, p, 0, 160);
        }
        await(() -> sinkB.rtp.get() == 9, "a's stream goes on");
        // a's own BYE does end it
        a.close();
        await(() -> events.stream().anyMatch(e -> e instanceof RtpEvent.ByeReceived bye && bye.ssrc() == a.ssrc()), "a's BYE");
        b.close();
    }

    /** A UDP relay between two sessions that drops, duplicates and reorders, with a seed. */
    static final class LossyShim implements AutoCloseable {
        final DatagramSocket socket;
        final Thread thread;
        final InetSocketAddress to;
        volatile int dropped;
        volatile int duplicated;
        volatile int reordered;
        volatile int relayed;
        volatile int processed;
        volatile boolean holding;

        LossyShim(InetSocketAddress to, long seed, double loss, double dup, double reorder) throws Exception {
            this.to = to;
            this.socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            Random r = new Random(seed);
            thread = new Thread(() -> {
                byte[] buf = new byte[2048];
                DatagramPacket held = null;
                int count = 0;
                try {
                    while (!socket.isClosed()) {
                        DatagramPacket in = new DatagramPacket(buf, buf.length);
                        socket.receive(in);
                        DatagramPacket out = new DatagramPacket(java.util.Arrays.copyOf(in.getData(), in.getLength()),
                                in.getLength(), to);
                        count++;
                        processed = count;
                        if (count > 5 && r.nextDouble() < loss) {
                            dropped++;
                            continue;
                        }
                        if (count > 5 && held == null && r.nextDouble() < reorder) {
                            held = out;
                            holding = true;
                            reordered++;
                            continue;
                        }
                        socket.send(out);
                        relayed++;
                        if (count > 5 && r.nextDouble() < dup) {
                            socket.send(out);
                            duplicated++;
                        }
                        if (held != null) {
                            socket.send(held);
                            relayed++;
                            held = null;
                            holding = false;
                        }
                    }
                } catch (Exception e) {
                    // closed
                }
            }, "lossy-shim");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void tenThousandSrtpPacketsThroughALossyShimMatchWhatTheShimDid() throws Exception {
        Random keys = new Random(11);
        byte[] ka = new byte[16];
        byte[] sa = new byte[14];
        byte[] kb = new byte[16];
        byte[] sb = new byte[14];
        keys.nextBytes(ka);
        keys.nextBytes(sa);
        keys.nextBytes(kb);
        keys.nextBytes(sb);
        SrtpPolicy aKey = SrtpPolicy.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MasterKey.of(ka, sa));
        SrtpPolicy bKey = SrtpPolicy.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MasterKey.of(kb, sb));
        Sink sinkB = new Sink();
        RtpSession b = session("b").srtp(bKey, aKey).listener(sinkB).rtcp(false).open();
        try (LossyShim shim = new LossyShim(new InetSocketAddress(LOOPBACK, b.localRtpPort()), 99, 0.02, 0.01, 0.03)) {
            RtpSession a = session("a").srtp(aKey, bKey).rtcp(false).remote(shim.address(), null).open();
            byte[] payload = new byte[160];
            int total = 10_000;
            for (int i = 0; i < total; i++) {
                payload[0] = (byte) i;
                a.sendRtp(0, false, i * 160L, payload, 0, 160);
                if (i % 50 == 49) {
                    int sent = i + 1;
                    await(() -> shim.processed >= sent && b.counters().rtpReceived() + b.counters().srtpDropped()
                            >= shim.relayed + shim.duplicated, "the shim and b to catch up");
                }
            }
            int held = shim.holding ? 1 : 0; // a packet held for reordering when the stream ended
            await(() -> b.counters().rtpReceived() + b.counters().srtpDropped() >= shim.relayed + shim.duplicated,
                    "all received");
            int expected = total - shim.dropped - held;
            assertThat(b.srtpReceiveCounters().refused(SrtpError.AUTH_FAILED)).isZero();
            assertThat(b.srtpReceiveCounters().refused(SrtpError.REPLAYED)).as("duplicates are replays").isEqualTo(shim.duplicated);
            assertThat(b.counters().rtpReceived()).isEqualTo(expected);
            assertThat(sinkB.rtp.get()).isEqualTo(expected);
            // statistics start after the first (probation) packet: expected = highest - second + 1
            assertThat(b.receiverStatistics(a.ssrc()).cumulativeLost()).isEqualTo(shim.dropped);
            assertThat(b.receiverStatistics(a.ssrc()).received()).isEqualTo(expected - 1);
            assertThat(shim.reordered).isPositive();
            a.close();
        }
        b.close();
        assertThat(ports.inUse()).isZero();
    }

    private static SrtpPolicy policy(long seed) {
        Random r = new Random(seed);
        byte[] key = new byte[16];
        byte[] salt = new byte[14];
        r.nextBytes(key);
        r.nextBytes(salt);
        return SrtpPolicy.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MasterKey.of(key, salt));
    }

    /** An SRTP packet (PCMU, SSRC 0x1234) as a peer with {@code ctx} sends it. */
    private static byte[] srtp(io.rvoip.rtp.srtp.SrtpContext ctx, int seq) {
        byte[] b = new byte[12 + 20 + 64];
        b[0] = (byte) 0x80;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        b[7] = (byte) (seq * 160);
        b[6] = (byte) (seq * 160 >> 8);
        b[10] = 0x12;
        b[11] = 0x34;
        int n = ctx == null ? 32 : ctx.protectRtp(b, 0, 32);
        assertThat(n).isPositive();
        return java.util.Arrays.copyOf(b, n);
    }

    @Test
    void aPeersNewSrtpKeyTakesOverAndItsOldKeyIsHeardUntilTheNewOneWorks() throws Exception {
        // RFC 4568 §7.1.4: a re-offer with a new key makes a new context (rollover counter zero);
        // the peer goes on with its old key until it has our answer (RFC 3264 §8)
        SrtpPolicy ours = policy(1);
        Sink sink = new Sink();
        RtpSession b = session("b").srtp(ours, policy(2)).listener(sink).rtcp(false).open();
        io.rvoip.rtp.srtp.SrtpContext oldKey = io.rvoip.rtp.srtp.SrtpContext.create(policy(2));
        io.rvoip.rtp.srtp.SrtpContext newKey = io.rvoip.rtp.srtp.SrtpContext.create(policy(3));
        InetSocketAddress to = new InetSocketAddress(LOOPBACK, b.localRtpPort());
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            java.util.function.Consumer<byte[]> send = bytes -> {
                try {
                    peer.send(new DatagramPacket(bytes, bytes.length, to));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            byte[] last = null;
            for (int seq = 1; seq <= 5; seq++) {
                last = srtp(oldKey, seq);
                send.accept(last);
            }
            await(() -> b.counters().rtpReceived() == 5, "5 packets under the first key");

            // the same keys again (equal copies, as a renegotiation makes them): the contexts stay,
            // so a packet already received is still a replay
            io.rvoip.rtp.srtp.SrtpCounters counters = b.srtpReceiveCounters();
            b.srtp(policy(1), policy(2));
            assertThat(b.srtpReceiveCounters()).isSameAs(counters);
            send.accept(last);
            await(() -> b.counters().srtpDropped() == 1, "the replay refused");
            assertThat(counters.refused(SrtpError.REPLAYED)).isEqualTo(1);

            b.srtp(ours, policy(3));
            send.accept(srtp(oldKey, 6)); // sent before the peer had our answer
            send.accept(srtp(oldKey, 7));
            await(() -> b.counters().rtpReceived() == 7, "the old key heard until the new one works");
            send.accept(srtp(newKey, 8));
            send.accept(srtp(newKey, 9));
            await(() -> b.counters().rtpReceived() == 9, "the new key heard");
            send.accept(srtp(oldKey, 10)); // the new key works: the old one is over
            await(() -> b.counters().srtpDropped() == 2, "the old key refused");
            send.accept(srtp(newKey, 11));
            await(() -> b.counters().rtpReceived() == 10, "the new key still heard");

            // our own key changes (a new suite): what we send reads with a fresh context for the new key only
            b.remote(new InetSocketAddress(LOOPBACK, peer.getLocalPort()), null);
            b.srtp(policy(4), policy(3));
            byte[] payload = new byte[20];
            b.sendRtp(0, false, 0, payload, 0, 20);
            DatagramPacket d = new DatagramPacket(new byte[256], 256);
            peer.setSoTimeout(10_000);
            peer.receive(d);
            byte[] copy = java.util.Arrays.copyOf(d.getData(), d.getLength());
            assertThat(io.rvoip.rtp.srtp.SrtpContext.create(policy(1)).unprotectRtp(copy.clone(), 0, copy.length))
                    .as("not under the replaced key").isNegative();
            assertThat(io.rvoip.rtp.srtp.SrtpContext.create(policy(4)).unprotectRtp(copy, 0, copy.length)).isEqualTo(32);

            b.srtp(null, null); // a renegotiation to plain RTP/AVP
            send.accept(srtp(null, 12));
            await(() -> b.counters().rtpReceived() == 11, "plain RTP heard");
            assertThat(b.srtpReceiveCounters()).isNull();
            assertThat(b.counters().srtpDropped()).isEqualTo(2);
            assertThat(sink.rtp.get()).isEqualTo(11);
        }
        b.close();
        assertThat(ports.inUse()).isZero();
    }

    @Test
    void wrongKeysAreDroppedAndCounted() {
        Random r = new Random(3);
        byte[] k1 = new byte[30];
        byte[] k2 = new byte[30];
        r.nextBytes(k1);
        r.nextBytes(k2);
        SrtpPolicy p1 = SrtpPolicy.of(SrtpProfile.AEAD_AES_128_GCM, MasterKey.fromKeySalt(SrtpProfile.AEAD_AES_128_GCM,
                java.util.Arrays.copyOf(k1, 28), new byte[0], MasterKey.MAX_SRTP_LIFETIME));
        SrtpPolicy p2 = SrtpPolicy.of(SrtpProfile.AEAD_AES_128_GCM, MasterKey.fromKeySalt(SrtpProfile.AEAD_AES_128_GCM,
                java.util.Arrays.copyOf(k2, 28), new byte[0], MasterKey.MAX_SRTP_LIFETIME));
        Sink sinkB = new Sink();
        RtpSession b = session("b").srtp(p1, p2).listener(sinkB).rtcp(false).open();
        RtpSession a = session("a").srtp(p1, p1).rtcp(false).remote(new InetSocketAddress(LOOPBACK, b.localRtpPort()), null).open();
        byte[] payload = new byte[100];
        for (int i = 0; i < 20; i++) {
            a.sendRtp(0, false, i * 160L, payload, 0, 100);
        }
        await(() -> b.counters().srtpDropped() == 20, "20 refused");
        assertThat(b.srtpReceiveCounters().refused(SrtpError.AUTH_FAILED)).isEqualTo(20);
        assertThat(sinkB.rtp.get()).isZero();
        a.close();
        b.close();
    }

    @Test
    void latchingFollowsTheRealSourceButAStrayPacketCannotHijack() throws Exception {
        Sink sinkB = new Sink();
        Sink sinkA = new Sink();
        RtpSession a = session("a").listener(sinkA).open();
        // b was told a wrong address for a (as behind a NAT)
        RtpSession b = session("b").latching(true).listener(sinkB)
                .remote(new InetSocketAddress(LOOPBACK, 9), null).open();
        a.remote(new InetSocketAddress(LOOPBACK, b.localRtpPort()), null);
        byte[] p = new byte[10];
        for (int i = 0; i < 5; i++) {
            a.sendRtp(0, false, i * 160L, p, 0, 10);
        }
        await(() -> sinkB.rtp.get() == 4, "packets reach b");
        assertThat(b.remoteRtp()).isEqualTo(new InetSocketAddress(LOOPBACK, a.localRtpPort()));
        await(() -> events.stream().anyMatch(e -> e instanceof RtpEvent.Latched), "latched event");
        // b's packets now reach a at its real address
        for (int i = 0; i < 5; i++) {
            b.sendRtp(0, false, i * 160L, p, 0, 10);
        }
        await(() -> sinkA.rtp.get() == 4, "b reaches a");
        // a stray packet from elsewhere (other SSRC) is dropped and does not move the latch
        try (DatagramSocket stray = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] rtp = new byte[20];
            rtp[0] = (byte) 0x80;
            for (int i = 0; i < 5; i++) {
                rtp[3] = (byte) i;
                rtp[11] = 7;
                stray.send(new DatagramPacket(rtp, rtp.length, new InetSocketAddress(LOOPBACK, b.localRtpPort())));
            }
            await(() -> b.counters().unlatchedDropped() >= 5, () -> "stray packets dropped: " + b.counters());
        }
        assertThat(b.remoteRtp()).isEqualTo(new InetSocketAddress(LOOPBACK, a.localRtpPort()));
        assertThat(sinkB.rtp.get()).isEqualTo(4);

        // the NAT re-binds a to a new port: the same SSRC continuing its sequence re-latches after 3 packets
        int lastSeq = (int) b.receiverStatistics(a.ssrc()).extendedHighestSequence() & 0xFFFF;
        try (DatagramSocket moved = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            for (int i = 1; i <= 3; i++) {
                byte[] rtp = new byte[22];
                rtp[0] = (byte) 0x80;
                int seq = (lastSeq + i) & 0xFFFF;
                rtp[2] = (byte) (seq >>> 8);
                rtp[3] = (byte) seq;
                int ssrc = a.ssrc();
                rtp[8] = (byte) (ssrc >>> 24);
                rtp[9] = (byte) (ssrc >>> 16);
                rtp[10] = (byte) (ssrc >>> 8);
                rtp[11] = (byte) ssrc;
                moved.send(new DatagramPacket(rtp, rtp.length, new InetSocketAddress(LOOPBACK, b.localRtpPort())));
            }
            InetSocketAddress movedAddress = (InetSocketAddress) moved.getLocalSocketAddress();
            await(() -> movedAddress.equals(b.remoteRtp()), "re-latched to the moved source");
            assertThat(b.counters().latches()).isEqualTo(2);
        }
        a.close();
        b.close();
    }

    @Test
    void silenceRaisesAMediaTimeoutOnTheManualClock() {
        RtpSession a = session("quiet").rtcp(false).mediaTimeout(Duration.ofSeconds(30)).open();
        tick(29_000);
        assertThat(events).noneMatch(e -> e instanceof RtpEvent.MediaTimeout);
        tick(1_000);
        tick(1);
        assertThat(events).anyMatch(e -> e instanceof RtpEvent.MediaTimeout t && t.sessionId().equals("quiet"));
        a.close();
    }

    @Test
    void aLastingSilenceIsReportedAgainEachPeriodUntilSomethingArrives() {
        // a held call's owner ignores the first report and decides on a longer silence: it must
        // hear the silence grow, and a packet must start the count again
        RtpSession a = session("held").mediaTimeout(Duration.ofSeconds(30)).open();
        seconds(30);
        assertThat(silences("held")).hasSize(1);
        seconds(29);
        assertThat(silences("held")).as("not before a second whole period").hasSize(1);
        seconds(1);
        seconds(30);
        List<Long> reported = silences("held");
        assertThat(reported).hasSize(3);
        assertThat(reported.get(0)).isBetween(30_000L, 31_000L);
        assertThat(reported.get(1)).isBetween(60_000L, 61_000L);
        assertThat(reported.get(2)).isBetween(90_000L, 91_000L);
        int ssrc = a.ssrc() + 1;
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, (byte) (ssrc >>> 24), (byte) (ssrc >>> 16), (byte) (ssrc >>> 8), (byte) ssrc};
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            peer.send(new DatagramPacket(rr, rr.length, new InetSocketAddress(LOOPBACK, a.localRtcpPort())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        await(() -> a.counters().rtcpReceived() == 1, () -> "the peer's report: " + a.counters());
        seconds(29);
        assertThat(silences("held")).as("a report restarts the silence").hasSize(3);
        seconds(2);
        assertThat(silences("held")).hasSize(4);
        assertThat(silences("held").get(3)).isBetween(29_000L, 31_000L);
        a.close();
    }

    @Test
    void aZeroMediaTimeoutIsNoneAndANegativeOneIsRefused() {
        RtpSession a = session("untimed").mediaTimeout(Duration.ZERO).open();
        seconds(120);
        assertThat(silences("untimed")).isEmpty();
        a.close();
        assertThatThrownBy(() -> session("negative").mediaTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Moves the manual clock a second at a time, running what falls due. */
    private void seconds(int n) {
        for (int i = 0; i < n; i++) {
            tick(1_000);
        }
    }

    /** The silences reported for one session, in order. */
    private List<Long> silences(String id) {
        synchronized (events) {
            return events.stream().filter(e -> e instanceof RtpEvent.MediaTimeout t && t.sessionId().equals(id))
                    .map(e -> ((RtpEvent.MediaTimeout) e).silentMillis()).toList();
        }
    }

    @Test
    void itsOwnPacketsLoopedBackDoNotKeepADeadCallAlive() {
        // a hostile (or broken) answer can point our media at our own ports: what we send comes
        // back to us, and neither our RTP nor our RTCP reports are the peer's. Without the
        // loop check on RTCP, our own reports reset the silence clock forever: a call that
        // never ends and never gives back its ports
        for (boolean mux : new boolean[] {false, true}) {
            events.clear();
            String id = mux ? "self-mux" : "self";
            RtpSession a = session(id).rtcpMux(mux).mediaTimeout(Duration.ofSeconds(30)).open();
            InetSocketAddress rtp = new InetSocketAddress(LOOPBACK, a.localRtpPort());
            a.remote(rtp, mux ? rtp : new InetSocketAddress(LOOPBACK, a.localRtcpPort()));
            for (int second = 0; second < 40; second++) {
                a.sendRtp(0, second == 0, second * 8000L, new byte[160], 0, 160);
                tick(1_000);
                // everything sent has come back before the clock moves on: each packet ends in one counter
                await(() -> a.counters().sourceDropped() + a.counters().rtpReceived() + a.counters().rtcpReceived()
                        == a.counters().rtpSent() + a.counters().rtcpSent(), () -> "own packets back: " + a.counters());
            }
            assertThat(a.counters().rtcpSent()).as("reports went out").isGreaterThanOrEqualTo(3);
            assertThat(a.counters().rtpReceived()).isZero();
            assertThat(a.counters().rtcpReceived()).as("our own reports are not the peer's").isZero();
            assertThat(events).as(id).anyMatch(e -> e instanceof RtpEvent.MediaTimeout t && t.sessionId().equals(id));
            a.close();
        }
        // a report with our SSRC from a peer's own address (a reflector echoing ours) is that
        // peer's activity: it counts
        RtpSession b = session("mirrored").mediaTimeout(Duration.ofSeconds(30)).open();
        int ssrc = b.ssrc();
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, (byte) (ssrc >>> 24), (byte) (ssrc >>> 16), (byte) (ssrc >>> 8), (byte) ssrc};
        tick(20_000);
        try (DatagramSocket mirror = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            mirror.send(new DatagramPacket(rr, rr.length, new InetSocketAddress(LOOPBACK, b.localRtcpPort())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        await(() -> b.counters().rtcpReceived() + b.counters().sourceDropped() == 1, () -> "reflected report: " + b.counters());
        assertThat(b.counters().rtcpReceived()).as("the reflected report counts: %s", b.counters()).isEqualTo(1);
        tick(20_000); // 40 s since the session opened, 20 s since the report
        assertThat(events).noneMatch(e -> e instanceof RtpEvent.MediaTimeout t && t.sessionId().equals("mirrored"));
        b.close();
    }

    @Test
    void garbageIsCountedAndTheRangeRunsOutWithAClearError() throws Exception {
        RtpSession a = session("a").rtcp(false).open();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, a.localRtpPort());
            s.send(new DatagramPacket(new byte[] {0, 1, 0, 0}, 4, to));             // STUN-like
            s.send(new DatagramPacket(new byte[] {(byte) 0x80, 0, 0}, 3, to));      // truncated RTP
            s.send(new DatagramPacket(new byte[] {(byte) 0xFF}, 1, to));            // unknown
        }
        await(() -> a.counters().otherDropped() == 2 && a.counters().malformed() == 1, "garbage counted");
        a.close();

        PortAllocator tiny = new PortAllocator(ports.min(), ports.min() + 3);
        assertThat(tiny.reserve(true)).isEqualTo(ports.min());
        assertThat(tiny.reserve(true)).isEqualTo(ports.min() + 2);
        assertThatThrownBy(() -> tiny.reserve(true)).isInstanceOf(PortAllocator.PortsExhaustedException.class)
                .hasMessageContaining("exhausted");
        tiny.release(ports.min(), true);
        assertThat(tiny.reserve(false)).isEqualTo(ports.min());
    }

    @Test
    void dscpEfMarksTheSockets() {
        RtpSession ef = session("ef").rtcp(false).dscp(46).open();
        RtpSession plain = session("plain").rtcp(false).open();
        assertThat(ef.ipTos()).isEqualTo(46 << 2);
        assertThat(plain.ipTos()).isNotEqualTo(46 << 2);
        ef.close();
        plain.close();
    }
}
