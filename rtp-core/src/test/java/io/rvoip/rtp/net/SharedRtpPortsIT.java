package io.rvoip.rtp.net;

import static io.rvoip.rtp.net.RtpSessionIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.rtp.RtpHeader;
import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.rtcp.RtcpPacket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sessions on shared RTP ports: real UDP on 127.0.0.1, timers on a manual clock. */
class SharedRtpPortsIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ManualClock clock = new ManualClock();
    private final ManualShardedExecutor shards = new ManualShardedExecutor(1);
    private final TimerService timers = TimerService.builder(shards).clock(clock).build();
    private final EventBus bus = EventBus.builder().shards(shards).build();
    private PortAllocator ports;
    private RtpTransportGroup group;
    private final List<SharedRtpPorts> shared = new ArrayList<>();

    @BeforeEach
    void setUp() {
        int base = 20000 + 2 * new Random().nextInt(5000);
        ports = new PortAllocator(base, base + 199);
        group = RtpTransportGroup.start(2, ports);
    }

    @AfterEach
    void tearDown() {
        shared.forEach(SharedRtpPorts::close);
        group.close();
        timers.stop();
        bus.close();
    }

    @Test
    void portsAnotherProcessHoldsAreSkippedAndGivenBack() throws Exception {
        // the allocator hands out pairs in order: another socket holds the first pair's RTP port
        // and the second pair's RTCP port, so the first bind fails at once and the second after
        // its RTP socket is up. Both must be given back (the RTP socket closed) and the third
        // pair used. A failed bind's cause is a checked IOException that Netty rethrows as it
        // is: it used to escape the retry, leaking the reserved port and failing the open
        int base = 0;
        List<DatagramSocket> taken = new ArrayList<>();
        for (int attempt = 0; taken.isEmpty(); attempt++) {
            assertThat(attempt).as("a free range below the ephemeral ports").isLessThan(20);
            base = 10000 + 2 * new Random().nextInt(4000);
            try {
                for (int port = base; port < base + 6; port++) { // all six free now
                    new DatagramSocket(new InetSocketAddress(LOOPBACK, port)).close();
                }
                taken.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, base)));
                taken.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, base + 3)));
            } catch (java.net.BindException e) {
                taken.forEach(DatagramSocket::close);
                taken.clear();
            }
        }
        PortAllocator own = new PortAllocator(base, base + 9);
        RtpTransportGroup g = RtpTransportGroup.start(1, own);
        try {
            SharedRtpPorts p = SharedRtpPorts.open(g, LOOPBACK, 1);
            assertThat(own.inUse()).as("only the pair in use stays reserved").isEqualTo(2);
            try (DatagramSocket probe = new DatagramSocket(null)) {
                int third = base + 4;
                assertThatThrownBy(() -> probe.bind(new InetSocketAddress(LOOPBACK, third)))
                        .as("the third pair is bound").isInstanceOf(java.net.BindException.class);
            }
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, base + 2))) {
                assertThat(probe.getLocalPort()).as("the second pair's RTP socket was closed").isEqualTo(base + 2);
            }
            p.close();
            assertThat(own.inUse()).isZero();
        } finally {
            taken.forEach(DatagramSocket::close);
            g.close();
        }
    }

    /** Records, per session, the payload tags and RTCP it received. */
    static final class Tagged implements RtpListener {
        final ConcurrentLinkedQueue<Integer> tags = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<List<RtcpPacket>> rtcp = new ConcurrentLinkedQueue<>();
        final AtomicInteger rtp = new AtomicInteger();

        @Override
        public void onRtp(RtpSession session, RtpPacket packet, long arrivalNanos) {
            tags.add(packet.buffer()[packet.payloadOffset()] & 0xFF);
            rtp.incrementAndGet();
        }

        @Override
        public void onRtcp(RtpSession session, List<RtcpPacket> packets, long arrivalNanos) {
            rtcp.add(packets);
        }
    }

    private SharedRtpPorts shared(int count) {
        SharedRtpPorts s = SharedRtpPorts.open(group, LOOPBACK, count);
        shared.add(s);
        return s;
    }

    private RtpSession.Builder session(String id) {
        return RtpSession.builder(group, timers).id(id).localAddress(LOOPBACK).events(bus);
    }

    private void tick(long millis) {
        clock.advanceMillis(millis);
        shards.runPending();
    }

    private static InetSocketAddress rtpOf(RtpSession s) {
        return new InetSocketAddress(LOOPBACK, s.localRtpPort());
    }

    @Test
    void manySessionsOnTwoPortsGetExactlyTheirOwnPacketsAndRtcp() {
        SharedRtpPorts mux = shared(2);
        assertThat(ports.inUse()).isEqualTo(4);
        int calls = 20;
        RtpSession[] own = new RtpSession[calls];
        RtpSession[] onShared = new RtpSession[calls];
        Tagged[] ownSinks = new Tagged[calls];
        Tagged[] sharedSinks = new Tagged[calls];
        for (int i = 0; i < calls; i++) {
            ownSinks[i] = new Tagged();
            sharedSinks[i] = new Tagged();
            own[i] = session("own-" + i).listener(ownSinks[i]).open();
            // the answerer knows the peer's address when it opens
            onShared[i] = session("shared-" + i).shared(mux).listener(sharedSinks[i]).remote(rtpOf(own[i]), null).open();
            own[i].remote(rtpOf(onShared[i]), null);
            assertThat(onShared[i].sharesPort()).isTrue();
        }
        assertThat(ports.inUse()).as("no ports of their own for the shared sessions").isEqualTo(4 + 2 * calls);
        assertThat(mux.sessions()).isEqualTo(calls);
        assertThat(java.util.Arrays.stream(onShared).mapToInt(RtpSession::localRtpPort).distinct().count()).isEqualTo(2);

        byte[] payload = new byte[160];
        for (int k = 0; k < 30; k++) {
            for (int i = 0; i < calls; i++) {
                payload[0] = (byte) i;
                assertThat(onShared[i].sendRtp(0, k == 0, k * 160L, payload, 0, 160)).isTrue();
                own[i].sendRtp(0, k == 0, k * 160L, payload, 0, 160);
            }
            tick(20);
        }
        // 29 of 30 each way (the first packet of a source is on probation), each to its own session
        await(() -> java.util.Arrays.stream(sharedSinks).allMatch(s -> s.rtp.get() == 29)
                && java.util.Arrays.stream(ownSinks).allMatch(s -> s.rtp.get() == 29), "RTP both ways on every call");
        for (int i = 0; i < calls; i++) {
            int tag = i;
            assertThat(sharedSinks[i].tags).allMatch(t -> t == tag);
            assertThat(ownSinks[i].tags).allMatch(t -> t == tag);
            assertThat(own[i].receiverStatistics(onShared[i].ssrc()).cumulativeLost()).isZero();
        }

        // RTCP goes out on the shared RTCP ports and comes back to the right session
        tick(4000);
        await(() -> java.util.Arrays.stream(sharedSinks).allMatch(s -> !s.rtcp.isEmpty())
                && java.util.Arrays.stream(ownSinks).allMatch(s -> !s.rtcp.isEmpty()), "RTCP both ways on every call");
        for (int i = 0; i < calls; i++) {
            RtcpPacket.SenderReport sr = (RtcpPacket.SenderReport) ownSinks[i].rtcp.peek().get(0);
            assertThat(sr.ssrc()).isEqualTo(onShared[i].ssrc());
            assertThat(sr.packetCount()).isEqualTo(30);
        }
        tick(8000);
        tick(8000);
        int last = calls - 1;
        await(() -> onShared[last].roundTripNanos() >= 0, "RTT measured on a shared port");
        assertThat(mux.unknownSourceDropped()).isZero();
        assertThat(mux.conflicts()).isZero();

        for (int i = 0; i < calls; i++) {
            onShared[i].close();
            own[i].close();
        }
        assertThat(mux.sessions()).isZero();
        assertThat(ports.inUse()).as("the shared ports stay until they are closed").isEqualTo(4);
        mux.close();
        assertThat(ports.inUse()).isZero();
    }

    @Test
    void twoEndpointsThatBothSharePortsNeverConflictBecauseTheAnswererChooses() {
        SharedRtpPorts offerer = shared(3);
        SharedRtpPorts answerer = shared(3);
        List<RtpSession> all = new ArrayList<>();
        List<Tagged> sinks = new ArrayList<>();
        // 3 × 3 port pairs: nine calls fit, each on a pair of its own
        for (int i = 0; i < 9; i++) {
            Tagged so = new Tagged();
            Tagged sa = new Tagged();
            RtpSession o = session("o" + i).shared(offerer).listener(so).open(); // address not known yet
            RtpSession a = session("a" + i).shared(answerer).listener(sa).remote(rtpOf(o), null).open();
            o.remote(rtpOf(a), null); // from the answer
            all.add(o);
            all.add(a);
            sinks.add(so);
            sinks.add(sa);
        }
        assertThat(offerer.conflicts()).isZero();
        assertThat(answerer.conflicts()).isZero();
        byte[] payload = new byte[160];
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < all.size(); i++) {
                payload[0] = (byte) (i ^ 1); // tagged with the peer's index
                all.get(i).sendRtp(0, false, k * 160L, payload, 0, 160);
            }
            tick(20);
        }
        await(() -> sinks.stream().allMatch(s -> s.rtp.get() == 9), "RTP on all nine calls");
        for (int i = 0; i < sinks.size(); i++) {
            int tag = i;
            assertThat(sinks.get(i).tags).allMatch(t -> t == tag);
        }
        assertThat(offerer.unknownSourceDropped() + answerer.unknownSourceDropped()).isZero();

        // a tenth: every answerer port already has a call with each offerer port
        RtpSession tenth = session("o9").shared(offerer).open();
        assertThatThrownBy(() -> session("a9").shared(answerer).remote(rtpOf(tenth), null).open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has a session");
        tenth.close();
        all.forEach(RtpSession::close);
        assertThat(offerer.sessions() + answerer.sessions()).isZero();
    }

    @Test
    void anOffererWhoseAnswerNamesATakenAddressIsCountedAsAConflict() {
        SharedRtpPorts mux = shared(1);
        Tagged s1 = new Tagged();
        Tagged s2 = new Tagged();
        RtpSession peer = session("peer").open();
        RtpSession first = session("first").shared(mux).listener(s1).open();
        RtpSession second = session("second").shared(mux).listener(s2).open();
        first.remote(rtpOf(peer), null);
        second.remote(rtpOf(peer), null);
        assertThat(mux.conflicts()).isEqualTo(1);
        // the address still belongs to the first: the peer's packets go there, not to the second
        peer.remote(rtpOf(first), null);
        byte[] payload = new byte[160];
        for (int k = 0; k < 10; k++) {
            peer.sendRtp(0, false, k * 160L, payload, 0, 160);
        }
        await(() -> s1.rtp.get() == 9, "the first session's packets");
        assertThat(s2.rtp.get()).isZero();
        peer.close();
        first.close();
        second.close();
        assertThat(mux.sessions()).isZero();
        assertThat(first.sharedPortForTest().byRtp).isEmpty();
    }

    @Test
    void packetsFromStrangersAreDroppedAndCounted() throws Exception {
        SharedRtpPorts mux = shared(1);
        Tagged sink = new Tagged();
        RtpSession peer = session("peer").open();
        RtpSession s = session("s").shared(mux).listener(sink).remote(rtpOf(peer), null).open();
        byte[] rtp = new byte[172];
        new RtpHeader().payloadType(0).sequenceNumber(1).timestamp(0).ssrc(0x1234).encodeTo(rtp, 0, new byte[160], 0, 160);
        try (DatagramSocket stranger = new DatagramSocket(0, LOOPBACK)) {
            for (int i = 0; i < 50; i++) {
                rtp[3] = (byte) i;
                stranger.send(new DatagramPacket(rtp, rtp.length, LOOPBACK, s.localRtpPort()));
                stranger.send(new DatagramPacket(rtp, rtp.length, LOOPBACK, s.localRtcpPort()));
            }
        }
        await(() -> mux.unknownSourceDropped() == 100, () -> "stranger packets counted: " + mux.unknownSourceDropped());
        assertThat(sink.rtp.get()).isZero();
        assertThat(s.counters().rtpReceived()).isZero();
        s.close();
        peer.close();
    }

    @Test
    void aNewRemoteAddressMovesTheRouteAndRtcpMuxDropsTheRtcpRoute() {
        SharedRtpPorts mux = shared(1);
        Tagged sink = new Tagged();
        RtpSession oldPeer = session("old").open();
        RtpSession newPeer = session("new").rtcpMux(true).open();
        RtpSession s = session("s").shared(mux).listener(sink).remote(rtpOf(oldPeer), null).open();
        s.remote(rtpOf(newPeer), null); // a re-INVITE moved the peer
        s.useRtcpMux();
        newPeer.remote(rtpOf(s), null);
        oldPeer.remote(rtpOf(s), null);
        byte[] payload = new byte[160];
        for (int k = 0; k < 10; k++) {
            payload[0] = 1;
            newPeer.sendRtp(0, false, k * 160L, payload, 0, 160);
            payload[0] = 2;
            oldPeer.sendRtp(0, false, k * 160L, payload, 0, 160);
        }
        await(() -> sink.rtp.get() == 9 && mux.unknownSourceDropped() == 10, () -> "new peer in, old peer out: "
                + sink.rtp.get() + " / " + mux.unknownSourceDropped());
        assertThat(sink.tags).allMatch(t -> t == 1);
        SharedRtpPorts.Port p = s.sharedPortForTest();
        assertThat(p.byRtp).containsOnlyKeys(rtpOf(newPeer));
        assertThat(p.byRtcp).isEmpty();
        s.close();
        assertThat(p.byRtp).isEmpty();
        oldPeer.close();
        newPeer.close();
    }

    @Test
    void anOverloadedPortDropsSendsInsteadOfQueueingWithoutBound() throws Exception {
        SharedRtpPorts mux = shared(1);
        RtpSession peer = session("peer").open();
        RtpSession s = session("s").shared(mux).remote(rtpOf(peer), null).open();
        CountDownLatch release = RtpSessionIT.stallIoThreads(group);
        byte[] payload = new byte[160];
        int accepted = 0;
        int limit = s.sharedPortForTest().backlogLimit();
        assertThat(limit).isEqualTo(SharedRtpPorts.MIN_QUEUED); // one session: the floor
        for (int k = 0; k < limit + 100; k++) {
            if (s.sendRtp(0, false, k * 160L, payload, 0, 160)) {
                accepted++;
            }
        }
        release.countDown();
        assertThat(accepted).isEqualTo(limit);
        assertThat(s.counters().sendBacklogDropped()).isEqualTo(100);
        s.close();
        peer.close();
    }

    @Test
    void aPeerThatSwitchesToRtcpMuxSendsItsRtcpFromItsRtpPortSoASharedPortKnowsIt() {
        SharedRtpPorts mux = shared(1);
        Tagged sink = new Tagged();
        RtpSession peer = session("peer").open(); // a port pair, as an offerer opens before the answer
        RtpSession s = session("s").shared(mux).rtcpMux(true).listener(sink).remote(rtpOf(peer), null).open();
        peer.useRtcpMux(); // the answer accepted a=rtcp-mux
        peer.remote(rtpOf(s), null);
        byte[] payload = new byte[160];
        for (int k = 0; k < 5; k++) {
            peer.sendRtp(0, false, k * 160L, payload, 0, 160);
        }
        tick(4000);
        await(() -> !sink.rtcp.isEmpty(), () -> "the peer's RTCP; strangers dropped: " + mux.unknownSourceDropped());
        assertThat(mux.unknownSourceDropped()).isZero();
        s.close();
        peer.close();
    }

    @Test
    void datagramsOverTheLimitAreDroppedAndCountedNotCutShort() throws Exception {
        SharedRtpPorts mux = shared(1);
        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
            InetSocketAddress from = (InetSocketAddress) peer.getLocalSocketAddress();
            Tagged onShared = new Tagged();
            Tagged onOwn = new Tagged();
            RtpSession shared = session("shared").shared(mux).listener(onShared).remote(from, null).open();
            RtpSession own = session("own").listener(onOwn).remote(from, null).open();
            for (int size : new int[] {RtpSession.MAX_DATAGRAM + 1, 3000, 9000}) {
                byte[] big = new byte[size];
                for (int i = 0; i < 4; i++) { // a valid RTP header: cut short, it would pass as a packet
                    new RtpHeader().payloadType(0).sequenceNumber(i).timestamp(i * 160L).ssrc(0x0B16)
                            .encodeTo(big, 0, new byte[160], 0, 160);
                    peer.send(new DatagramPacket(big, size, LOOPBACK, shared.localRtpPort()));
                    peer.send(new DatagramPacket(big, size, LOOPBACK, own.localRtpPort()));
                }
            }
            await(() -> shared.counters().oversized == 12 && own.counters().oversized == 12,
                    () -> "oversized counted: " + shared.counters().oversized + " / " + own.counters().oversized);
            // at the limit a packet is taken
            byte[] max = new byte[RtpSession.MAX_DATAGRAM];
            for (int i = 10; i < 13; i++) {
                new RtpHeader().payloadType(0).sequenceNumber(i).timestamp(i * 160L).ssrc(0x0B17).encodeTo(max, 0, new byte[160], 0, 160);
                peer.send(new DatagramPacket(max, max.length, LOOPBACK, shared.localRtpPort()));
                peer.send(new DatagramPacket(max, max.length, LOOPBACK, own.localRtpPort()));
            }
            await(() -> onShared.rtp.get() == 2 && onOwn.rtp.get() == 2, "packets at the limit (after probation)");
            shared.close();
            own.close();
        }
    }

    @Test
    void onTheNioTransportTooPacketsAreRoutedAndOversizedOnesCounted() throws Exception {
        RtpTransportGroup nio = new RtpTransportGroup(1, ports, false); // no epoll: no recvmmsg, NIO's reads
        nio.start();
        try {
            SharedRtpPorts mux = SharedRtpPorts.open(nio, LOOPBACK, 1);
            try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK)) {
                Tagged sink = new Tagged();
                RtpSession s = RtpSession.builder(nio, timers).id("nio").localAddress(LOOPBACK).shared(mux).listener(sink)
                        .remote((InetSocketAddress) peer.getLocalSocketAddress(), null).open();
                byte[] packet = new byte[3000];
                for (int i = 0; i < 6; i++) {
                    packet[12] = 7;
                    int len = i < 4 ? 172 : 3000; // four valid packets, then two too long
                    new RtpHeader().payloadType(0).sequenceNumber(i).timestamp(i * 160L).ssrc(0x4E10)
                            .encodeTo(packet, 0, new byte[] {7}, 0, 1);
                    peer.send(new DatagramPacket(packet, len, LOOPBACK, s.localRtpPort()));
                }
                await(() -> sink.rtp.get() == 3 && s.counters().oversized == 2,
                        () -> "routed " + sink.rtp.get() + ", oversized " + s.counters().oversized);
                assertThat(sink.tags).allMatch(t -> t == 7);
                s.close();
            }
            mux.close();
        } finally {
            nio.close();
        }
    }

    @Test
    void latchingCannotBeAskedOfASharedPort() {
        SharedRtpPorts mux = shared(1);
        assertThatThrownBy(() -> session("x").shared(mux).latching(true).open())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("latching");
        assertThat(mux.sessions()).isZero();
    }

    @Test
    void aSessionWithAPortPairOfItsOwnKeepsBothSocketsOnOneEventLoop() {
        // the group has two event loops; RTCP work must not run beside the session's RTP work
        for (int i = 0; i < 4; i++) {
            RtpSession s = session("pair-" + i).open();
            assertThat(s.socketsOnOneLoopForTest()).isTrue();
            s.close();
        }
    }
}
