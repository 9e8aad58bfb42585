package io.rvoip.rtp.stats;

import io.rvoip.rtp.rtcp.RtcpPacket;

/**
 * What a receiver knows about one remote source (RFC 3550 §A.1, §A.3, §A.8): probation,
 * extended highest sequence number with cycles, expected/lost counts, fraction lost since the
 * last report, interarrival jitter, and the last SR for LSR/DLSR.
 *
 * <p>Owned by the thread that receives the stream; no allocation per packet.
 */
public final class ReceiverStatistics {
    /** Sequential packets needed before a new source is valid (RFC 3550 §A.1). */
    public static final int MIN_SEQUENTIAL = 2;
    /** Largest forward jump taken as loss rather than a restart. */
    public static final int MAX_DROPOUT = 3000;
    /** Largest backward step taken as reordering. */
    public static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private final int ssrc;
    private int clockRate;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long transit;
    private boolean haveTransit;
    private long jitter; // ×16, as in §A.8
    private long lastSrCompact;
    private long lastSrArrivalNanos;
    private boolean haveSr;
    private long duplicatesOrLate;
    private long restarts;
    private long lastPacketNanos;

    /**
     * State for a source first heard with {@code firstSeq}.
     *
     * @param clockRate RTP clock rate of the stream, for jitter
     */
    public ReceiverStatistics(int ssrc, int clockRate, int firstSeq) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        this.ssrc = ssrc;
        this.clockRate = clockRate;
        initSeq(firstSeq);
        this.maxSeq = (firstSeq - 1) & 0xFFFF;
        this.probation = MIN_SEQUENTIAL;
    }

    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /**
     * Accounts one packet (RFC 3550 {@code update_seq} plus the jitter of §A.8).
     *
     * @param seq          its sequence number
     * @param rtpTimestamp its RTP timestamp
     * @param arrivalNanos arrival time on the receiver's clock
     * @return true when the packet is valid for the stream (false while on probation or after
     *         a jump that is not yet confirmed as a restart)
     */
    public boolean onPacket(int seq, long rtpTimestamp, long arrivalNanos) {
        seq &= 0xFFFF;
        lastPacketNanos = arrivalNanos;
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSeq(seq);
                    received++;
                    jitter(rtpTimestamp, arrivalNanos);
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            if (udelta != 0 && seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            if (udelta == 0) {
                duplicatesOrLate++;
            }
            maxSeq = seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                initSeq(seq);
                restarts++;
                haveTransit = false;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        } else {
            duplicatesOrLate++;
        }
        received++;
        jitter(rtpTimestamp, arrivalNanos);
        return true;
    }

    private void jitter(long rtpTimestamp, long arrivalNanos) {
        long arrival = Math.floorDiv(arrivalNanos, 1000L) * clockRate / 1_000_000L;
        long t = (arrival - rtpTimestamp) & 0xFFFFFFFFL;
        if (haveTransit) {
            long d = (int) (t - transit);
            if (d < 0) {
                d = -d;
            }
            jitter += d - ((jitter + 8) >> 4);
        }
        transit = t;
        haveTransit = true;
    }

    /**
     * The source now runs another RTP clock rate (a codec at another rate, the SSRC kept): its
     * timestamps from now on count at {@code clockRate}. The jitter estimate starts again, as the
     * old one was counted in the old units and the timestamps may jump at the switch; the
     * sequence state and counts go on.
     */
    public void clockRate(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        if (clockRate != this.clockRate) {
            this.clockRate = clockRate;
            jitter = 0;
            haveTransit = false;
        }
    }

    /** Remembers the last SR of this source (for LSR/DLSR in our reports). */
    public void onSenderReport(RtcpPacket.SenderReport sr, long arrivalNanos) {
        lastSrCompact = sr.compactNtp();
        lastSrArrivalNanos = arrivalNanos;
        haveSr = true;
    }

    /**
     * The report block for this source now, and starts a new reporting interval (fraction lost
     * is computed since the previous call; RFC 3550 §A.3).
     */
    public RtcpPacket.ReportBlock reportBlock(long nowNanos) {
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        long lost = expected - received;
        int cumulative = (int) Math.max(-0x800000L, Math.min(0x7FFFFFL, lost));
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long dlsr = 0;
        if (haveSr) {
            dlsr = Math.max(0, (nowNanos - lastSrArrivalNanos)) * 65536L / 1_000_000_000L;
        }
        return new RtcpPacket.ReportBlock(ssrc, Math.min(fraction, 255), cumulative, extendedMax & 0xFFFFFFFFL,
                (jitter >> 4) & 0xFFFFFFFFL, haveSr ? lastSrCompact : 0, dlsr & 0xFFFFFFFFL);
    }

    /** The source. */
    public int ssrc() {
        return ssrc;
    }

    /** True once out of probation. */
    public boolean isValid() {
        return probation == 0;
    }

    /** Valid packets received (duplicates included, as RFC 3550 counts them). */
    public long received() {
        return received;
    }

    /** Packets expected from the first to the highest sequence number. */
    public long expected() {
        return probation > 0 ? 0 : cycles + maxSeq - baseSeq + 1;
    }

    /** Expected minus received (negative with duplicates). */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Extended highest sequence number (cycles << 16 | max). */
    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    /** Interarrival jitter in timestamp units. */
    public long jitter() {
        return jitter >> 4;
    }

    /** Interarrival jitter in milliseconds. */
    public double jitterMillis() {
        return (jitter / 16.0) * 1000.0 / clockRate;
    }

    /** Duplicates and packets older than the highest sequence. */
    public long duplicatesOrLate() {
        return duplicatesOrLate;
    }

    /** Times the source restarted its sequence (two packets after a big jump). */
    public long restarts() {
        return restarts;
    }

    /** Arrival time of the last packet. */
    public long lastPacketNanos() {
        return lastPacketNanos;
    }

    /**
     * Round-trip time from a report block a peer sent about our stream (RFC 3550 §6.4.1):
     * A − LSR − DLSR, where A is our arrival time in compact NTP.
     *
     * @return the RTT in nanoseconds, or -1 when the block has no LSR
     */
    public static long roundTripNanos(RtcpPacket.ReportBlock block, long arrivalCompactNtp) {
        if (block.lastSr() == 0) {
            return -1;
        }
        long rtt = (arrivalCompactNtp - block.lastSr() - block.delaySinceLastSr()) & 0xFFFFFFFFL;
        if (rtt > 0x7FFFFFFFL) {
            return -1;
        }
        return rtt * 1_000_000_000L / 65536L;
    }
}
