package io.rvoip.rtp.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.rtp.jitter.JitterBuffer.PutResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JitterBufferTest {
    private static final long MS = 1_000_000L;
    private static final byte[] P = new byte[160];

    private static JitterBuffer jb() {
        return new JitterBuffer(JitterBuffer.Config.builder(8000, 160).initialDelayMs(40).build());
    }

    private static List<String> pullUntil(JitterBuffer jb, long from, long to) {
        List<String> out = new ArrayList<>();
        for (long t = from; t < to; t += 20 * MS) {
            Frame f = jb.pull(t);
            out.add(f.kind() == Frame.Kind.PACKET ? "P" + f.sequenceNumber() : f.kind().name());
        }
        return out;
    }

    @Test
    void reordersDropsDuplicatesAndPlaysInOrder() {
        JitterBuffer jb = jb();
        long ts = 1000;
        assertThat(jb.pull(0).kind()).isEqualTo(Frame.Kind.NOT_STARTED);
        assertThat(jb.put(10, ts, true, P, 0, 160, 0)).isEqualTo(PutResult.ACCEPTED);
        assertThat(jb.put(12, ts + 320, false, P, 0, 160, 5 * MS)).isEqualTo(PutResult.ACCEPTED);
        assertThat(jb.put(11, ts + 160, false, P, 0, 160, 6 * MS)).isEqualTo(PutResult.ACCEPTED);
        assertThat(jb.put(11, ts + 160, false, P, 0, 160, 7 * MS)).isEqualTo(PutResult.DUPLICATE);
        assertThat(jb.size()).isEqualTo(3);
        List<String> kinds = pullUntil(jb, 0, 120 * MS);
        assertThat(kinds).containsSubsequence("P10", "P11", "P12");
        assertThat(kinds.get(0)).isEqualTo("NOT_STARTED");
        assertThat(jb.put(11, ts + 160, false, P, 0, 160, 130 * MS)).as("already played").isEqualTo(PutResult.DUPLICATE);
        assertThat(jb.statistics().duplicates()).isEqualTo(2);
    }

    @Test
    void aMissingPacketIsLostButASilenceGapIsSilence() {
        JitterBuffer jb = jb();
        long t = 0;
        // talkspurt 1: seq 0..4, seq 2 lost
        for (int s = 0; s < 5; s++) {
            if (s != 2) {
                jb.put(s, s * 160L, s == 0, P, 0, 160, t + s * 20 * MS);
            }
        }
        // DTX: 1 s of silence, then talkspurt 2 starts with the marker at seq 5
        long ts2 = 4 * 160L + 8000;
        jb.put(5, ts2, true, P, 0, 160, 1080 * MS);
        jb.put(6, ts2 + 160, false, P, 0, 160, 1100 * MS);
        List<String> kinds = pullUntil(jb, 0, 1300 * MS);
        int p1 = kinds.indexOf("P1");
        assertThat(kinds.subList(p1, p1 + 4)).containsExactly("P1", "LOST", "P3", "P4");
        int p5 = kinds.indexOf("P5");
        assertThat(kinds.subList(p1 + 4, p5)).as("between talkspurts").containsOnly("SILENCE");
        assertThat(kinds.get(p5 + 1)).isEqualTo("P6");
        // after the last packet: concealment for three frames (it may be loss), then silence
        assertThat(kinds.subList(p5 + 2, p5 + 6)).containsExactly("LOST", "LOST", "LOST", "SILENCE");
        assertThat(jb.statistics().lost()).isEqualTo(1);
        assertThat(jb.statistics().concealed()).isEqualTo(4);
    }

    @Test
    void aComfortNoisePacketStartsSilenceNotLoss() {
        JitterBuffer jb = jb();
        for (int s = 0; s < 3; s++) {
            jb.put(s, s * 160L, s == 0, P, 0, 160, s * 20 * MS);
        }
        // seq 3 is a SID (RFC 3389) right after the speech; the next voice packet, seq 4, comes 1 s later
        jb.put(3, 3 * 160L, false, P, 0, 11, 60 * MS, true);
        long ts2 = 3 * 160L + 8000;
        jb.put(4, ts2, true, P, 0, 160, 1060 * MS);
        List<String> kinds = new ArrayList<>();
        for (long t = 0; t < 1200 * MS && !kinds.contains("P4"); t += 20 * MS) {
            Frame f = jb.pull(t);
            kinds.add(f.kind() == Frame.Kind.PACKET ? (f.silenceDescriptor() ? "SID" : "P" + f.sequenceNumber())
                    : f.kind().name());
            if (f.kind() == Frame.Kind.PACKET && f.silenceDescriptor()) {
                assertThat(f.length()).isEqualTo(11);
                assertThat(f.samples()).as("a SID lasts one frame period").isEqualTo(160);
            }
        }
        int sid = kinds.indexOf("SID");
        int p4 = kinds.indexOf("P4");
        assertThat(kinds.get(sid - 1)).isEqualTo("P2");
        assertThat(kinds.subList(sid + 1, p4)).hasSizeGreaterThan(40).containsOnly("SILENCE");
        assertThat(jb.statistics().lost()).isZero();
        assertThat(jb.statistics().concealed()).isZero();
    }

    @Test
    void aLostFrameCarriesTheNextPacketWhenItIsBufferedForInBandFec() {
        JitterBuffer jb = jb();
        for (int s = 0; s < 6; s++) {
            if (s != 2 && s != 4) {
                byte[] p = new byte[20];
                p[0] = (byte) s;
                jb.put(s, s * 160L, s == 0, p, 0, 20, s * 20 * MS);
            }
        }
        List<Integer> fecFrom = new ArrayList<>();
        for (long t = 0; t < 200 * MS; t += 20 * MS) {
            Frame f = jb.pull(t);
            if (f.kind() == Frame.Kind.LOST) {
                fecFrom.add(f.payload() == null ? -1 : (int) f.payload()[0]);
            }
        }
        // seq 2 is lost with seq 3 buffered, seq 4 with seq 5; after seq 5 nothing follows
        assertThat(fecFrom.subList(0, 2)).containsExactly(3, 5);
        assertThat(fecFrom.subList(2, fecFrom.size())).containsOnly(-1);
    }

    @Test
    void latePacketsAreDroppedAndCounted() {
        JitterBuffer jb = jb();
        for (int s = 0; s < 10; s++) {
            if (s != 3) {
                jb.put(s, s * 160L, s == 0, P, 0, 160, s * 20 * MS);
            }
        }
        pullUntil(jb, 0, 200 * MS);
        assertThat(jb.put(3, 3 * 160L, false, P, 0, 160, 200 * MS)).isEqualTo(PutResult.TOO_LATE);
        assertThat(jb.statistics().late()).isEqualTo(1);
        assertThat(jb.targetDelayMs()).as("a late packet raises the target at once").isGreaterThan(100);
    }

    @Test
    void sequenceAndTimestampWrapAround() {
        JitterBuffer jb = jb();
        long ts = 0xFFFFFFFFL - 3 * 160 + 1;
        List<Integer> played = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 10; i++) {
            int seq = (65533 + i) & 0xFFFF;
            jb.put(seq, (ts + i * 160L) & 0xFFFFFFFFL, i == 0, P, 0, 160, t);
            Frame f = jb.pull(t);
            if (f.kind() == Frame.Kind.PACKET) {
                played.add(f.sequenceNumber());
                assertThat(f.samples()).isEqualTo(160);
            }
            t += 20 * MS;
        }
        for (int i = 0; i < 6; i++, t += 20 * MS) {
            Frame f = jb.pull(t);
            if (f.kind() == Frame.Kind.PACKET) {
                played.add(f.sequenceNumber());
            }
        }
        assertThat(played).containsExactly(65533, 65534, 65535, 0, 1, 2, 3, 4, 5, 6);
        assertThat(jb.statistics().late() + jb.statistics().lost()).isZero();
    }

    @Test
    void aHugeJumpResynchronisesAndTheBufferStaysBounded() {
        JitterBuffer jb = new JitterBuffer(JitterBuffer.Config.builder(48000, 960).capacity(16).initialDelayMs(20).build());
        for (int s = 0; s < 5; s++) {
            jb.put(s, s * 960L, false, P, 0, 160, s * 20 * MS);
        }
        assertThat(jb.put(30000, 123456, true, P, 0, 160, 100 * MS)).isEqualTo(PutResult.RESYNC);
        assertThat(jb.size()).isEqualTo(1);
        for (int s = 30001; s < 30100; s++) {
            jb.put(s, 123456 + (s - 30000) * 960L, false, P, 0, 160, 100 * MS);
        }
        assertThat(jb.size()).isLessThanOrEqualTo(16);
        assertThat(jb.statistics().resyncs()).isGreaterThanOrEqualTo(1);
        assertThat(jb.statistics().maxBuffered()).isLessThanOrEqualTo(16);
    }

    @Test
    void payloadIsCopiedAndLongPayloadsGrowTheSlot() {
        JitterBuffer jb = jb();
        byte[] big = new byte[700];
        big[699] = 42;
        jb.put(1, 0, true, big, 0, 700, 0);
        big[699] = 0;
        Frame f = null;
        for (long t = 0; t < 200 * MS; t += 20 * MS) {
            f = jb.pull(t);
            if (f.kind() == Frame.Kind.PACKET) {
                break;
            }
        }
        assertThat(f.kind()).isEqualTo(Frame.Kind.PACKET);
        assertThat(f.length()).isEqualTo(700);
        assertThat(f.payload()[699]).isEqualTo((byte) 42);
    }

    @Test
    void aHostileStreamNeverBreaksTheBufferOrOutgrowsIt() {
        // what a peer can send: sequence numbers and timestamps near, far, backwards and random,
        // markers at random, payloads of any datagram size, arrivals that jump; pulls every 20 ms
        java.util.Random r = new java.util.Random(3550);
        for (int clock : new int[] {8000, 48000}) {
            int frame = clock / 50;
            JitterBuffer jb = new JitterBuffer(JitterBuffer.Config.builder(clock, frame).capacity(64).build());
            int seq = r.nextInt(65536);
            long ts = r.nextInt() & 0xFFFFFFFFL;
            long now = 0;
            long nextPull = 0;
            for (int i = 0; i < 200_000; i++) {
                switch (r.nextInt(10)) {
                    case 0 -> seq = r.nextInt(65536);                            // anywhere
                    case 1 -> seq = (seq - 1 - r.nextInt(500)) & 0xFFFF;          // backwards
                    default -> seq = (seq + 1 + (r.nextInt(20) == 0 ? r.nextInt(100) : 0)) & 0xFFFF;
                }
                switch (r.nextInt(12)) {
                    case 0 -> ts = r.nextInt() & 0xFFFFFFFFL;                     // anywhere
                    case 1 -> ts = (ts - r.nextInt(10 * frame)) & 0xFFFFFFFFL;    // backwards
                    default -> ts = (ts + frame) & 0xFFFFFFFFL;
                }
                int len = r.nextInt(8) == 0 ? r.nextInt(2049) : frame;
                now += r.nextInt(50) == 0 ? r.nextInt(2_000) * MS : r.nextInt(41) * MS / 2;
                byte[] payload = new byte[len + 3];
                assertThat(jb.put(seq, ts, r.nextInt(20) == 0, payload, 3, len, now)).isNotNull();
                while (nextPull <= now) {
                    Frame f = jb.pull(nextPull);
                    assertThat(f.kind()).isNotNull();
                    if (f.kind() == Frame.Kind.PACKET) {
                        assertThat(f.length()).isBetween(0, 2048);
                    }
                    nextPull += 20 * MS;
                }
                assertThat(jb.size()).isLessThanOrEqualTo(64);
            }
            assertThat(jb.statistics().maxBuffered()).isLessThanOrEqualTo(64);
        }
    }

    /**
     * Packet {@code s} (sequence number and timestamp as given; the marker on the first) put and
     * a frame pulled every 20 ms, as a steady network delivers them; what each pull gave.
     */
    private static List<String> inStep(JitterBuffer jb, int packets, java.util.function.IntUnaryOperator seq,
                                       java.util.function.IntToLongFunction ts) {
        List<String> kinds = new ArrayList<>();
        for (int s = 0; s < packets; s++) {
            long t = s * 20 * MS;
            jb.put(seq.applyAsInt(s), ts.applyAsLong(s), s == 0, P, 0, 160, t);
            Frame f = jb.pull(t);
            kinds.add(f.kind() == Frame.Kind.PACKET ? "P" + f.sequenceNumber() : f.kind().name());
        }
        return kinds;
    }

    @Test
    void timestampsThatJumpBackInSequenceStartANewTimeline() {
        // seq 0..49 at ts 5,000,000 on; then seq 50.. with the timestamps 1,000 on: the next
        // packet in order, from a new timeline, not 625 s of late packets
        JitterBuffer jb = jb();
        List<String> kinds = inStep(jb, 100, s -> s, s -> s < 50 ? 5_000_000L + 160L * s : 1_000L + 160L * (s - 50));
        assertThat(kinds).as("the new timeline plays").contains("P50");
        List<String> after = kinds.subList(kinds.indexOf("P50"), kinds.size());
        assertThat(after).as("the new timeline plays on at once").allMatch(k -> k.startsWith("P")).hasSizeGreaterThan(45);
        assertThat(jb.statistics().late()).isZero();
        assertThat(jb.statistics().resyncs()).isEqualTo(1);
        // a packet merely late in the old timeline is not such a jump
        JitterBuffer other = jb();
        other.put(0, 1000, true, P, 0, 160, 0);
        other.put(2, 1320, false, P, 0, 160, 40 * MS);
        other.put(1, 1160, false, P, 0, 160, 41 * MS);
        assertThat(other.statistics().resyncs()).isZero();
    }

    @Test
    void sequenceNumbersThatRestartBehindAreFollowedOnceTwoAgree() {
        // seq 20000..20049, then (a gateway's restart, the SSRC and timeline going on) 5000..:
        // as RFC 3550 §A.1 does, two packets in sequence confirm the restart; one alone is a stray
        JitterBuffer jb = jb();
        List<String> kinds = inStep(jb, 100, s -> s < 50 ? 20000 + s : 5000 + s - 50, s -> 1000 + 160L * s);
        assertThat(kinds).as("the restarted numbers play").contains("P5001");
        List<String> after = kinds.subList(kinds.indexOf("P5001"), kinds.size());
        assertThat(after).allMatch(k -> k.startsWith("P")).hasSizeGreaterThan(45);
        assertThat(jb.statistics().resyncs()).isEqualTo(1);
        // one stray packet from far behind is late, and changes nothing
        JitterBuffer other = jb();
        for (int s = 0; s < 10; s++) {
            other.put(20000 + s, 1000 + 160L * s, s == 0, P, 0, 160, s * 20 * MS);
            other.pull(s * 20 * MS);
        }
        assertThat(other.put(5000, 5000, false, P, 0, 160, 200 * MS)).isEqualTo(PutResult.TOO_LATE);
        assertThat(other.put(20010, 1000 + 1600, false, P, 0, 160, 200 * MS)).isEqualTo(PutResult.ACCEPTED);
        assertThat(other.statistics().resyncs()).isZero();
    }
}
