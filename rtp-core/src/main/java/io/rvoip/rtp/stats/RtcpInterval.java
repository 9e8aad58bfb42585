package io.rvoip.rtp.stats;

import java.util.random.RandomGenerator;

/**
 * The RTCP transmission interval of RFC 3550 §6.3 / §A.7, with timer reconsideration: the
 * deterministic interval from members, senders, RTCP bandwidth and average packet size, the 5 s
 * minimum (halved for the first report) or the reduced minimum of 360 / session kbit/s, then
 * randomised uniformly over [0.5, 1.5] and divided by e − 3/2.
 *
 * <p>One instance per RTP session, used on the session's thread; times are nanoseconds on the
 * session's {@code Clock}.
 */
public final class RtcpInterval {
    private static final double SENDER_FRACTION = 0.25;
    private static final double COMPENSATION = Math.E - 1.5;

    private final double rtcpBandwidth; // octets per second
    private final double minimumSeconds;
    private final RandomGenerator random;
    private double avgRtcpSize;
    private boolean initial = true;
    private long lastSentNanos;
    private long nextNanos;

    /**
     * @param sessionBandwidthBps session bandwidth in bit/s; RTCP gets 5% of it
     * @param reducedMinimum      use 360 / kbit/s instead of 5 s as the minimum (§6.2)
     * @param firstPacketSize     expected size of our first compound packet, octets with UDP/IP
     * @param random              randomisation source (seeded in tests)
     */
    public RtcpInterval(long sessionBandwidthBps, boolean reducedMinimum, int firstPacketSize, RandomGenerator random) {
        if (sessionBandwidthBps <= 0) {
            throw new IllegalArgumentException("session bandwidth must be positive");
        }
        this.rtcpBandwidth = sessionBandwidthBps * 0.05 / 8.0;
        this.minimumSeconds = reducedMinimum ? Math.min(5.0, 360.0 / (sessionBandwidthBps / 1000.0)) : 5.0;
        this.random = random;
        this.avgRtcpSize = firstPacketSize;
    }

    /**
     * The randomised interval in seconds (RFC 3550 {@code rtcp_interval}).
     *
     * @param members all participants including us
     * @param senders participants that sent RTP since our last-but-one report
     * @param weSent  whether we sent RTP in that time
     */
    public double interval(int members, int senders, boolean weSent) {
        return deterministic(members, senders, weSent) * (random.nextDouble() + 0.5) / COMPENSATION;
    }

    /** The interval before randomisation, seconds. */
    public double deterministic(int members, int senders, boolean weSent) {
        double min = initial ? minimumSeconds / 2 : minimumSeconds;
        double bw = rtcpBandwidth;
        int n = Math.max(1, members);
        if (senders <= members * SENDER_FRACTION) {
            if (weSent) {
                bw *= SENDER_FRACTION;
                n = Math.max(1, senders);
            } else {
                bw *= 1 - SENDER_FRACTION;
                n = Math.max(1, members - senders);
            }
        }
        double t = avgRtcpSize * n / bw;
        return Math.max(t, min);
    }

    /** Schedules the first report from {@code nowNanos}; returns when it is due. */
    public long start(long nowNanos, int members, int senders, boolean weSent) {
        lastSentNanos = nowNanos;
        nextNanos = nowNanos + seconds(interval(members, senders, weSent));
        return nextNanos;
    }

    /**
     * Timer reconsideration (§A.7 {@code OnExpire}) when the report timer fires at {@code nowNanos}.
     *
     * @return 0 when a report should be sent now (the caller then calls {@link #sent}), otherwise
     *         the later time to fire again
     */
    public long onExpire(long nowNanos, int members, int senders, boolean weSent) {
        long t = seconds(interval(members, senders, weSent));
        long candidate = lastSentNanos + t;
        if (candidate <= nowNanos) {
            return 0;
        }
        nextNanos = candidate;
        return candidate;
    }

    /**
     * Records a compound packet we sent (size in octets with UDP/IP headers) and returns when
     * the next one is due.
     */
    public long sent(long nowNanos, int packetSize, int members, int senders, boolean weSent) {
        avgRtcpSize = packetSize / 16.0 + avgRtcpSize * 15.0 / 16.0;
        initial = false;
        lastSentNanos = nowNanos;
        nextNanos = nowNanos + seconds(interval(members, senders, weSent));
        return nextNanos;
    }

    /** Folds a received compound packet into the average size (§6.3.3). */
    public void received(int packetSize) {
        avgRtcpSize = packetSize / 16.0 + avgRtcpSize * 15.0 / 16.0;
    }

    /** Current average compound packet size in octets. */
    public double averagePacketSize() {
        return avgRtcpSize;
    }

    /** When the next report is due. */
    public long nextNanos() {
        return nextNanos;
    }

    /** True until the first report is sent. */
    public boolean isInitial() {
        return initial;
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }
}
