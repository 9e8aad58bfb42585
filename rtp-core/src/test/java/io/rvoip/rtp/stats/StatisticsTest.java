package io.rvoip.rtp.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rvoip.rtp.rtcp.RtcpPacket;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatisticsTest {
    private static final long MS = 1_000_000L;

    @Test
    void probationThenLossAndFractionLostByHand() {
        ReceiverStatistics s = new ReceiverStatistics(7, 8000, 100);
        long t = 0;
        assertThat(s.onPacket(100, 0, t)).as("first packet: on probation").isFalse();
        assertThat(s.isValid()).isFalse();
        assertThat(s.onPacket(101, 160, t += 20 * MS)).isTrue();
        // 101 is the base; receive 102..110 except 104 and 105
        for (int seq = 102; seq <= 110; seq++) {
            t += 20 * MS;
            if (seq != 104 && seq != 105) {
                s.onPacket(seq, (seq - 100) * 160L, t);
            }
        }
        // expected = 110 - 101 + 1 = 10, received = 8, lost 2, fraction = (2 << 8) / 10 = 51
        RtcpPacket.ReportBlock rb = s.reportBlock(t);
        assertThat(rb.cumulativeLost()).isEqualTo(2);
        assertThat(rb.fractionLost()).isEqualTo(51);
        assertThat(rb.extendedHighestSeq()).isEqualTo(110);
        assertThat(rb.jitter()).as("perfectly paced").isZero();
        // next interval: 111..120 all received -> fraction 0, cumulative stays 2
        for (int seq = 111; seq <= 120; seq++) {
            s.onPacket(seq, (seq - 100) * 160L, t += 20 * MS);
        }
        rb = s.reportBlock(t);
        assertThat(rb.fractionLost()).isZero();
        assertThat(rb.cumulativeLost()).isEqualTo(2);
        // a late duplicate makes lost smaller, never a negative fraction
        s.onPacket(118, 18 * 160L, t += MS);
        assertThat(s.duplicatesOrLate()).isEqualTo(1);
        assertThat(s.reportBlock(t).fractionLost()).isZero();
        assertThat(s.cumulativeLost()).isEqualTo(1);
    }

    @Test
    void sequenceWrapCountsCycles() {
        ReceiverStatistics s = new ReceiverStatistics(1, 8000, 65530);
        for (int i = 0; i < 12; i++) {
            s.onPacket((65530 + i) & 0xFFFF, i * 160L, i * 20 * MS);
        }
        assertThat(s.extendedHighestSequence()).isEqualTo(65536 + 5);
        assertThat(s.reportBlock(0).extendedHighestSeq()).isEqualTo(0x10005L);
        assertThat(s.cumulativeLost()).isZero();
        assertThat(s.expected()).isEqualTo(11);
    }

    @Test
    void bigJumpIsARestartOnlyWhenTheNextPacketFollows() {
        ReceiverStatistics s = new ReceiverStatistics(1, 8000, 10);
        for (int seq = 10; seq < 20; seq++) {
            s.onPacket(seq, seq * 160L, seq * 20 * MS);
        }
        assertThat(s.onPacket(40000, 0, 0)).isFalse();
        assertThat(s.onPacket(20, 20 * 160L, 400 * MS)).isTrue();
        assertThat(s.onPacket(50000, 0, 0)).isFalse();
        assertThat(s.onPacket(50001, 160, 20 * MS)).as("sequential after the jump: restart").isTrue();
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.expected()).isEqualTo(1);
    }

    @Test
    void jitterFollowsTheRfcEstimator() {
        ReceiverStatistics s = new ReceiverStatistics(1, 8000, 0);
        s.onPacket(0, 0, 0);
        s.onPacket(1, 160, 20 * MS);
        // packet 2 arrives 10 ms late: D = 80 units, J = 0 + (80 - 0)/16 = 5
        s.onPacket(2, 320, 50 * MS);
        assertThat(s.jitter()).isEqualTo(5);
        // alternating 10 ms late / on time: every D is 80, J -> 80 (1 - (15/16)^n)
        long t = 50 * MS;
        for (int seq = 3; seq < 200; seq++) {
            long due = seq * 20L * MS;
            s.onPacket(seq, seq * 160L, seq % 2 == 0 ? due + 10 * MS : due);
        }
        assertThat(s.jitter()).isBetween(78L, 80L);
        assertThat(s.jitterMillis()).isCloseTo(10.0, within(0.3));
    }

    @Test
    void roundTripTimeUsesTheRfc3550Example() {
        // RFC 3550 §6.4.1: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 -> 6.125 s
        RtcpPacket.ReportBlock rb = new RtcpPacket.ReportBlock(1, 0, 0, 0, 0, 0xb7052000L, 0x00054000L);
        assertThat(ReceiverStatistics.roundTripNanos(rb, 0xb7108000L)).isEqualTo(6_125_000_000L);
        assertThat(ReceiverStatistics.roundTripNanos(new RtcpPacket.ReportBlock(1, 0, 0, 0, 0, 0, 0), 5)).isEqualTo(-1);
    }

    @Test
    void lsrAndDlsrComeFromTheLastSenderReport() {
        ReceiverStatistics s = new ReceiverStatistics(9, 8000, 0);
        long ntp = NtpTime.fromUnixMillis(1_700_000_000_000L);
        s.onSenderReport(new RtcpPacket.SenderReport(9, ntp, 0, 0, 0, List.of()), 1000 * MS);
        RtcpPacket.ReportBlock rb = s.reportBlock(1500 * MS);
        assertThat(rb.lastSr()).isEqualTo(NtpTime.compact(ntp));
        assertThat(rb.delaySinceLastSr()).isEqualTo(32768);
        assertThat(NtpTime.fromUnixMillis(0) >>> 32).isEqualTo(NtpTime.EPOCH_OFFSET);
        assertThat(NtpTime.fromUnixMillis(500) & 0xFFFFFFFFL).isEqualTo(0x80000000L);
    }

    @Test
    void rtcpIntervalMatchesTheRfcFormulaAndDistribution() {
        RtcpInterval iv = new RtcpInterval(64_000, false, 100, new java.util.Random(1));
        // 2 members, 2 senders, 64 kbit/s: RTCP 400 B/s; t = 100 * 2 / 400 = 0.5 s -> minimum 5 s, halved at first
        assertThat(iv.deterministic(2, 2, true)).isEqualTo(2.5);
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        int n = 20000;
        for (int i = 0; i < n; i++) {
            double v = iv.interval(2, 2, true);
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double c = Math.E - 1.5;
        assertThat(min).isGreaterThanOrEqualTo(2.5 * 0.5 / c);
        assertThat(max).isLessThanOrEqualTo(2.5 * 1.5 / c);
        assertThat(sum / n).isCloseTo(2.5 / c, within(0.02 * 2.5 / c));
        // a large session: 1000 receivers, 1 sender (us), 200-byte reports
        RtcpInterval big = new RtcpInterval(64_000, false, 200, new java.util.Random(2));
        big.sent(0, 200, 1001, 1, true);
        // senders' share 25% of 400 B/s = 100 B/s; n = 1 sender -> 2 s -> 5 s minimum
        assertThat(big.deterministic(1001, 1, true)).isEqualTo(5.0);
        // receivers' share 300 B/s for 1000 receivers -> 200 * 1000 / 300 = 666.7 s
        assertThat(big.deterministic(1001, 1, false)).isCloseTo(200.0 * 1000 / 300, within(1e-9));
        // reduced minimum: 360 / 1000 kbit/s = 0.36 s
        RtcpInterval reduced = new RtcpInterval(1_000_000, true, 100, new java.util.Random(3));
        reduced.sent(0, 100, 2, 2, true);
        assertThat(reduced.deterministic(2, 2, true)).isCloseTo(0.36, within(1e-9));
    }

    @Test
    void reconsiderationDefersWhenTheGroupGrew() {
        RtcpInterval iv = new RtcpInterval(64_000, false, 200, new java.util.Random(4));
        long due = iv.start(0, 2, 1, true);
        assertThat(due).isBetween((long) (2.5e9 * 0.5 / (Math.E - 1.5)), (long) (2.5e9 * 1.5 / (Math.E - 1.5)));
        // at expiry the group is huge and we are not sending: the recomputed interval is far later
        long later = iv.onExpire(due, 5000, 1, false);
        assertThat(later).isGreaterThan(due);
        // with the original group a second expiry well after the interval says "send now"
        assertThat(iv.onExpire(20_000_000_000L, 2, 1, true)).isZero();
        long next = iv.sent(20_000_000_000L, 120, 2, 1, true);
        assertThat(next).isGreaterThan(20_000_000_000L);
        assertThat(iv.isInitial()).isFalse();
        assertThat(iv.averagePacketSize()).isCloseTo(120 / 16.0 + 200 * 15 / 16.0, within(1e-9));
    }

    @Test
    void senderKeepsSequenceContinuousAndTimestampOnTheMediaClock() {
        SenderState s = new SenderState(8000, new java.util.Random(5));
        int seq0 = s.next(0, 160);
        long ts0 = s.timestamp();
        int seq1 = s.next(160, 160);
        assertThat(seq1).isEqualTo((seq0 + 1) & 0xFFFF);
        assertThat(s.timestamp()).isEqualTo((ts0 + 160) & 0xFFFFFFFFL);
        // on hold for 2 s, then a new audio source: timestamps jump by the time passed, sequence does not
        int seq2 = s.next(160 + 16000, 160);
        assertThat(seq2).isEqualTo((seq1 + 1) & 0xFFFF);
        assertThat(s.timestamp()).isEqualTo((ts0 + 16160) & 0xFFFFFFFFL);
        assertThat(s.packets()).isEqualTo(3);
        assertThat(s.octets()).isEqualTo(480);
        RtcpPacket.SenderReport sr = s.senderReport(NtpTime.fromUnixMillis(0), 16320, List.of());
        assertThat(sr.rtpTimestamp()).isEqualTo((ts0 + 16320) & 0xFFFFFFFFL);
        assertThat(sr.packetCount()).isEqualTo(3);
        int old = s.ssrc();
        s.changeSsrc(new java.util.Random(6));
        assertThat(s.ssrc()).isNotEqualTo(old);
        // initial values differ between streams
        assertThat(new SenderState(8000).ssrc()).isNotEqualTo(new SenderState(8000).ssrc());
    }

    @Test
    void relayedPacketsKeepTheSourcesGapsAndOrder() {
        SenderState s = new SenderState(8000, new java.util.Random(9));
        int first = s.next(0, 160);
        long ts0 = s.timestamp();
        // relaying starts after one own packet: positions 0, 1, 3 (2 lost upstream), then 2 late (reordered)
        assertThat(s.relayed(0, 160, 160)).isEqualTo((first + 1) & 0xFFFF);
        assertThat(s.timestamp()).isEqualTo((ts0 + 160) & 0xFFFFFFFFL);
        assertThat(s.relayed(1, 320, 160)).isEqualTo((first + 2) & 0xFFFF);
        assertThat(s.relayed(3, 640, 160)).isEqualTo((first + 4) & 0xFFFF);
        assertThat(s.relayed(2, 480, 160)).as("a late packet keeps its place").isEqualTo((first + 3) & 0xFFFF);
        assertThat(s.timestamp()).isEqualTo((ts0 + 480) & 0xFFFFFFFFL);
        // own packets continue after the highest relayed one
        assertThat(s.next(800, 160)).isEqualTo((first + 5) & 0xFFFF);
        assertThat(s.packets()).isEqualTo(6);
        // a second relay (a new bridge, positions from 0) starts after our own packets, and a sender
        // whose own media clock lagged behind the relayed stream continues after it
        assertThat(s.relayed(0, 100_000, 160)).isEqualTo((first + 6) & 0xFFFF);
        assertThat(s.next(960, 160)).isEqualTo((first + 7) & 0xFFFF);
        assertThat(s.timestamp()).isEqualTo((ts0 + 100_001) & 0xFFFFFFFFL);
        s.next(1120, 160);
        assertThat(s.timestamp()).as("and keeps its pace").isEqualTo((ts0 + 100_161) & 0xFFFFFFFFL);
    }

    @Test
    void sourceTableDetectsConflictsLoopsAndCollisions() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 4000);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 5000);
        InetSocketAddress us = new InetSocketAddress("127.0.0.1", 6000);
        SourceTable t = new SourceTable(3, 10_000 * MS);
        assertThat(t.observe(1, a, 0, 99, us::equals)).isEqualTo(SourceTable.Verdict.NEW);
        assertThat(t.observe(1, a, 1, 99, us::equals)).isEqualTo(SourceTable.Verdict.KNOWN);
        assertThat(t.observe(1, b, 2, 99, us::equals)).isEqualTo(SourceTable.Verdict.CONFLICT);
        assertThat(t.observe(99, us, 3, 99, us::equals)).isEqualTo(SourceTable.Verdict.OWN_LOOP);
        assertThat(t.observe(99, b, 4, 99, us::equals)).isEqualTo(SourceTable.Verdict.OWN_COLLISION);
        // we moved to SSRC 100; the old one is now a source heard from b (RFC 3550 §8.2)
        assertThat(t.contains(99)).isTrue();
        assertThat(t.observe(2, b, 5, 100, us::equals)).isEqualTo(SourceTable.Verdict.NEW);
        assertThat(t.observe(3, b, 6, 100, us::equals)).isEqualTo(SourceTable.Verdict.FULL);
        assertThat(t.observe(1, b, 20_000 * MS, 100, us::equals)).as("silent long enough: moved").isEqualTo(SourceTable.Verdict.KNOWN);
        assertThat(t.observe(1, b, 20_001 * MS, 100, us::equals)).isEqualTo(SourceTable.Verdict.KNOWN);
        t.remove(1);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.conflicts()).isEqualTo(1);
        assertThat(t.loops()).isEqualTo(1);
        assertThat(t.collisions()).isEqualTo(1);
    }

    @Test
    void aPeerReflectingOurPacketsIsOneCollisionThenALoopUntilItFallsSilent() {
        InetSocketAddress reflector = new InetSocketAddress("127.0.0.1", 5000);
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 5002);
        InetSocketAddress us = new InetSocketAddress("127.0.0.1", 6000);
        SourceTable t = new SourceTable(16, 10_000 * MS, 50_000 * MS);
        int ours = 99;
        long now = 0;
        assertThat(t.observe(ours, reflector, now, ours, us::equals)).isEqualTo(SourceTable.Verdict.OWN_COLLISION);
        int old = ours;
        ours = 100;
        // copies of the old SSRC still in flight are a source like any other
        assertThat(t.observe(old, reflector, now += 20 * MS, ours, us::equals)).isEqualTo(SourceTable.Verdict.KNOWN);
        // a minute of our new SSRC coming back, every 20 ms: loops, never a second collision
        for (int i = 0; i < 3000; i++) {
            assertThat(t.observe(ours, reflector, now += 20 * MS, ours, us::equals)).isEqualTo(SourceTable.Verdict.OWN_LOOP);
        }
        assertThat(t.collisions()).isEqualTo(1);
        assertThat(t.loops()).isEqualTo(3000);
        // our SSRC from another address is a collision of its own
        assertThat(t.observe(ours, other, now += 20 * MS, ours, us::equals)).isEqualTo(SourceTable.Verdict.OWN_COLLISION);
        ours = 101;
        // after 50 s without a conflicting packet the reflector is forgotten: a new collision
        now += 50_000 * MS;
        assertThat(t.observe(ours, reflector, now, ours, us::equals)).isEqualTo(SourceTable.Verdict.OWN_COLLISION);
        assertThat(t.collisions()).isEqualTo(3);
    }

    @Test
    void theConflictingAddressListIsBounded() {
        InetSocketAddress us = new InetSocketAddress("127.0.0.1", 6000);
        SourceTable t = new SourceTable(64, 10_000 * MS, 50_000 * MS);
        // more reflecting addresses than the list holds: the longest silent gives way
        for (int i = 0; i <= SourceTable.MAX_CONFLICTS; i++) {
            assertThat(t.observe(1000 + i, new InetSocketAddress("127.0.0.1", 7000 + i), i * MS, 1000 + i, us::equals))
                    .isEqualTo(SourceTable.Verdict.OWN_COLLISION);
        }
        int ours = 2000;
        for (int i = 1; i <= SourceTable.MAX_CONFLICTS; i++) {
            assertThat(t.observe(ours, new InetSocketAddress("127.0.0.1", 7000 + i), 100 * MS, ours, us::equals))
                    .as("address %d is still on the list", i).isEqualTo(SourceTable.Verdict.OWN_LOOP);
        }
        assertThat(t.observe(ours, new InetSocketAddress("127.0.0.1", 7000), 100 * MS, ours, us::equals))
                .as("the first was pushed out").isEqualTo(SourceTable.Verdict.OWN_COLLISION);
    }

    @Test
    void aNewSsrcAfterACollisionIsNoneOfTheSourcesHeard() {
        SenderState s = new SenderState(8000, new java.util.Random(1));
        int first = s.ssrc();
        // a generator whose next values are taken: the first, then one a source uses, then a free one
        java.util.Iterator<Integer> values = java.util.List.of(first, 42, 43).iterator();
        s.changeSsrc(new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                return values.next();
            }

            @Override
            public int nextInt() {
                return values.next();
            }
        }, ssrc -> ssrc == 42);
        assertThat(s.ssrc()).isEqualTo(43);
    }
}
