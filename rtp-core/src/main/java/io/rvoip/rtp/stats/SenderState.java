package io.rvoip.rtp.stats;

import io.rvoip.rtp.rtcp.RtcpPacket;
import java.security.SecureRandom;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Our side of a stream (RFC 3550 §5.1, §6.4.1): random initial SSRC, sequence number and
 * timestamp; sequence and timestamp continuity across source switches and hold/resume; packet
 * and octet counts for sender reports.
 *
 * <p>The timestamp follows the media clock: {@link #next(long, int)} takes the sampling instant
 * in RTP units since the stream started, so a pause (hold, silence suppression, a new audio
 * source) leaves a timestamp gap equal to the time that passed, while sequence numbers stay
 * consecutive — what receivers' jitter buffers and RFC 3550 §5.1 expect.
 */
public final class SenderState {
    private static final RandomGenerator DEFAULT_RANDOM = new SecureRandom();

    private int ssrc;
    private int clockRate;
    private int sequence;
    private long timestampBase;
    private long lastTimestamp;
    private long lastMediaTime = -1;
    private long packets;
    private long octets;

    /** Random SSRC, sequence number and timestamp from a {@link SecureRandom}. */
    public SenderState(int clockRate) {
        this(clockRate, DEFAULT_RANDOM);
    }

    /** Random initial values from {@code random}. */
    public SenderState(int clockRate, RandomGenerator random) {
        this.clockRate = clockRate;
        this.ssrc = random.nextInt();
        this.sequence = random.nextInt(1 << 16);
        this.timestampBase = random.nextInt() & 0xFFFFFFFFL;
        this.lastTimestamp = timestampBase;
    }

    /**
     * Accounts the next packet: returns its sequence number and sets {@link #timestamp()}.
     *
     * @param mediaTime    sampling instant of the first sample, in RTP units since the stream
     *                     started (never decreasing)
     * @param payloadBytes payload size, for the octet count
     */
    public int next(long mediaTime, int payloadBytes) {
        if (relayedSinceOwn) {
            // own packets again after relayed ones: continue after the relayed timeline, and let
            // a later relay (a new bridge, positions from 0 again) start after our packets
            relayedSinceOwn = false;
            relayBase = -1;
            if (mediaTime + ownOffset <= lastMediaTime) {
                ownOffset = lastMediaTime + 1 - mediaTime;
            }
        }
        long t = mediaTime + ownOffset;
        if (t < lastMediaTime) {
            throw new IllegalArgumentException("media time went backwards");
        }
        lastMediaTime = t;
        lastTimestamp = (timestampBase + t) & 0xFFFFFFFFL;
        int seq = sequence;
        sequence = (sequence + 1) & 0xFFFF;
        packets++;
        octets += payloadBytes;
        return seq;
    }

    /**
     * Accounts a packet relayed from another stream (a bridge forwarding without decoding): its
     * position is given, not taken in turn, so the source's order, gaps and reordering carry
     * through. The sequence number is {@code base + sequenceIndex}, where {@code base} is the
     * next sequence number when the first relayed packet (since our own last one) was accounted;
     * the timestamp is
     * {@code timestampBase + mediaTime}. Sets {@link #timestamp()}.
     *
     * @param sequenceIndex the packet's position in the relayed stream (0 for the first)
     * @param mediaTime     its sampling instant in RTP units since this stream started
     * @return its sequence number
     */
    public int relayed(long sequenceIndex, long mediaTime, int payloadBytes) {
        if (relayBase < 0) {
            relayBase = sequence;
        }
        int seq = (int) ((relayBase + sequenceIndex) & 0xFFFF);
        if (((seq - sequence) & 0xFFFF) < 0x8000) {
            sequence = (seq + 1) & 0xFFFF; // the highest sent so far, so own packets would continue after it
        }
        lastMediaTime = Math.max(lastMediaTime, mediaTime);
        lastTimestamp = (timestampBase + mediaTime) & 0xFFFFFFFFL;
        relayedSinceOwn = true;
        packets++;
        octets += payloadBytes;
        return seq;
    }

    private long relayBase = -1;
    private boolean relayedSinceOwn;
    private long ownOffset;   // added to the caller's media time once relaying ran ahead of it

    /** The timestamp of the last packet. */
    public long timestamp() {
        return lastTimestamp;
    }

    /** The sequence number the next packet gets. */
    public int nextSequence() {
        return sequence;
    }

    /** Our SSRC. */
    public int ssrc() {
        return ssrc;
    }

    /** Picks a new SSRC after a collision (RFC 3550 §8.2); counts restart. */
    public void changeSsrc(RandomGenerator random) {
        changeSsrc(random, s -> false);
    }

    /**
     * Picks a new SSRC after a collision (RFC 3550 §8.2), neither the old one nor one {@code
     * taken} (a source already heard); counts restart.
     */
    public void changeSsrc(RandomGenerator random, java.util.function.IntPredicate taken) {
        int old = ssrc;
        do {
            ssrc = random.nextInt();
        } while (ssrc == old || taken.test(ssrc));
        packets = 0;
        octets = 0;
    }

    /**
     * Starts a new stream at {@code clockRate}, for a codec at another RTP clock rate: an SSRC is
     * one timing and sequence number space (RFC 3550 §5.2), so the new stream gets a new SSRC
     * (neither the old one nor one {@code taken}), and random sequence number and timestamp;
     * media time counts from zero again and the packet and octet counts restart.
     */
    public void newStream(int clockRate, RandomGenerator random, java.util.function.IntPredicate taken) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate);
        }
        changeSsrc(random, taken);
        this.clockRate = clockRate;
        this.sequence = random.nextInt(1 << 16);
        this.timestampBase = random.nextInt() & 0xFFFFFFFFL;
        this.lastTimestamp = timestampBase;
        this.lastMediaTime = -1;
        this.relayBase = -1;
        this.relayedSinceOwn = false;
        this.ownOffset = 0;
    }

    /** Packets sent. */
    public long packets() {
        return packets;
    }

    /** Payload octets sent. */
    public long octets() {
        return octets;
    }

    /** RTP clock rate. */
    public int clockRate() {
        return clockRate;
    }

    /**
     * A sender report for now: {@code mediaNow} is the current media time in RTP units since
     * the stream started (the RTP timestamp that corresponds to the NTP time).
     */
    public RtcpPacket.SenderReport senderReport(long ntp, long mediaNow, List<RtcpPacket.ReportBlock> blocks) {
        return new RtcpPacket.SenderReport(ssrc, ntp, (timestampBase + mediaNow) & 0xFFFFFFFFL,
                packets & 0xFFFFFFFFL, octets & 0xFFFFFFFFL, blocks);
    }
}
