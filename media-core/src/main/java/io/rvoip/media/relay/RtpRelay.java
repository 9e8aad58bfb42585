package io.rvoip.media.relay;

import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.net.RtpListener;
import io.rvoip.rtp.net.RtpSession;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bridges two call legs that negotiated the same codec: RTP from one leg goes out of the other
 * without decoding, under the outgoing leg's own SSRC. Sequence numbers and timestamps are
 * rewritten consistently: they keep the source's gaps (a packet lost upstream stays a gap the
 * far receiver conceals) and order (a reordered packet keeps its place). When the source
 * changes (a new SSRC: the far end was transferred, or re-INVITEd from another device) the
 * outgoing stream continues without a jump: the next sequence number, a timestamp advanced by
 * the time that passed, and the marker bit set so the receiver starts a new talkspurt.
 * Payload types may differ between legs (for example telephone-event 101 on one, 96 on the
 * other) and are mapped; unmapped ones pass unchanged.
 *
 * <p>Each leg terminates its own RTCP (its {@link RtpSession} reports as usual). SRTP on either
 * leg is handled by the sessions, so the relay also bridges RTP to SRTP.
 *
 * <p>Threading: each direction runs on its source session's I/O thread; nothing blocks or
 * allocates per packet.
 *
 * <pre>{@code
 * RtpRelay relay = RtpRelay.builder(8000).payloadType(101, 96).build();   // leg A's 101 is leg B's 96
 * RtpSession a = RtpSession.builder(group, timers).listener(relay)...open();
 * RtpSession b = RtpSession.builder(group, timers).listener(relay)...open();
 * relay.attach(a, b);
 * }</pre>
 */
public final class RtpRelay implements RtpListener {
    private final int clockRate;
    private final Direction ab;
    private final Direction ba;
    private volatile RtpSession a;
    private volatile RtpSession b;
    private final AtomicLong dropped = new AtomicLong();

    private RtpRelay(Builder builder) {
        this.clockRate = builder.clockRate;
        this.ab = new Direction(builder.mapAb);
        this.ba = new Direction(builder.mapBa);
    }

    /** A builder for legs whose RTP clock runs at {@code clockRate} Hz. */
    public static Builder builder(int clockRate) {
        return new Builder(clockRate);
    }

    /** Starts relaying between the two legs (their listener must be this relay). */
    public void attach(RtpSession legA, RtpSession legB) {
        if (legA == legB) {
            throw new IllegalArgumentException("a leg cannot be relayed to itself");
        }
        this.a = legA;
        this.b = legB;
    }

    /** Stops relaying; packets arriving afterwards are dropped and counted. */
    public void detach() {
        this.a = null;
        this.b = null;
    }

    @Override
    public void onRtp(RtpSession session, RtpPacket p, long arrivalNanos) {
        RtpSession legA = a;
        RtpSession legB = b;
        if (legA == null || legB == null) {
            dropped.incrementAndGet();
            return;
        }
        if (session == legA) {
            ab.relay(p, arrivalNanos, legB);
        } else if (session == legB) {
            ba.relay(p, arrivalNanos, legA);
        } else {
            dropped.incrementAndGet();
        }
    }

    /** Packets forwarded from leg A to leg B. */
    public long forwardedAtoB() {
        return ab.forwarded;
    }

    /** Packets forwarded from leg B to leg A. */
    public long forwardedBtoA() {
        return ba.forwarded;
    }

    /** Packets dropped: not attached, from an unknown session, too old to place, or refused by the outgoing leg. */
    public long dropped() {
        return dropped.get() + ab.refused + ba.refused;
    }

    /** Source switches seen (new SSRCs after the first), both directions. */
    public long sourceSwitches() {
        return ab.switches + ba.switches;
    }

    /** One direction's mapping from the source's sequence/timestamp space to the outgoing one. */
    private final class Direction {
        private final int[] ptMap;
        private boolean started;
        private int ssrc;
        private long highestSeq;    // extended
        private long highestTs;     // extended
        private long seqOffset;     // index = extended seq + seqOffset
        private long tsOffset;      // media time = extended ts + tsOffset
        private long maxIndex = -1;
        private long maxMediaTime;
        private long lastArrival;
        private boolean switched;
        volatile long forwarded;
        volatile long refused;
        volatile long switches;

        Direction(int[] ptMap) {
            this.ptMap = ptMap;
        }

        void relay(RtpPacket p, long arrivalNanos, RtpSession out) {
            int seq = p.sequenceNumber();
            long ts = p.timestamp() & 0xFFFFFFFFL;
            long extSeq;
            long extTs;
            if (!started || p.ssrc() != ssrc) {
                extSeq = seq;
                extTs = ts;
                if (started) {
                    long elapsed = Math.max(1, (arrivalNanos - lastArrival) / 1000 * clockRate / 1_000_000L);
                    seqOffset = maxIndex + 1 - extSeq;
                    tsOffset = maxMediaTime + elapsed - extTs;
                    switched = true;
                    switches++;
                } else {
                    seqOffset = -extSeq;
                    tsOffset = -extTs;
                }
                started = true;
                ssrc = p.ssrc();
                highestSeq = extSeq;
                highestTs = extTs;
            } else {
                extSeq = extend(highestSeq, seq, 16);
                extTs = extend(highestTs, ts, 32);
            }
            long index = extSeq + seqOffset;
            long mediaTime = extTs + tsOffset;
            if (index < 0 || mediaTime < 0) {
                dropped.incrementAndGet(); // from before the relay started (or before the switch)
                return;
            }
            if (extSeq > highestSeq) {
                highestSeq = extSeq;
            }
            if (extTs > highestTs) {
                highestTs = extTs;
            }
            maxIndex = Math.max(maxIndex, index);
            maxMediaTime = Math.max(maxMediaTime, mediaTime);
            lastArrival = arrivalNanos;
            int pt = ptMap[p.payloadType()];
            boolean marker = p.marker() || switched;
            switched = false;
            if (out.relayRtp(pt, marker, index, mediaTime, p.buffer(), p.payloadOffset(), p.payloadLength())) {
                forwarded++;
            } else {
                refused++;
            }
        }
    }

    /** Extends a {@code bits}-wide counter to the value nearest {@code highest}. */
    static long extend(long highest, long value, int bits) {
        long range = 1L << bits;
        long half = range >>> 1;
        long base = highest & ~(range - 1);
        long v = base | value;
        if (v - highest > half) {
            v -= range;
        } else if (highest - v > half) {
            v += range;
        }
        return v;
    }

    /** Builder of {@link RtpRelay}. */
    public static final class Builder {
        private final int clockRate;
        private final int[] mapAb = identity();
        private final int[] mapBa = identity();

        private Builder(int clockRate) {
            if (clockRate <= 0) {
                throw new IllegalArgumentException("clock rate " + clockRate);
            }
            this.clockRate = clockRate;
        }

        private static int[] identity() {
            int[] m = new int[128];
            Arrays.setAll(m, i -> i);
            return m;
        }

        /** Payload type {@code onA} on leg A is {@code onB} on leg B (both directions). */
        public Builder payloadType(int onA, int onB) {
            if (onA < 0 || onA > 127 || onB < 0 || onB > 127) {
                throw new IllegalArgumentException("payload type " + onA + " / " + onB);
            }
            mapAb[onA] = onB;
            mapBa[onB] = onA;
            return this;
        }

        /** Builds. */
        public RtpRelay build() {
            return new RtpRelay(this);
        }
    }
}
