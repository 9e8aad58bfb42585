package io.rvoip.rtp.jitter;

/**
 * An adaptive playout buffer for one audio stream, keyed by RTP timestamp.
 *
 * <p>Packets go in with {@link #put} as they arrive (I/O thread); the media clock takes one
 * frame per tick with {@link #pull} (same thread or externally serialised — the buffer is not
 * thread-safe). The buffer:
 * <ul>
 *   <li>reorders by sequence number, drops duplicates and packets whose playout time passed;</li>
 *   <li>handles sequence and timestamp wrap-around (both are extended internally);</li>
 *   <li>tells a lost packet ({@link Frame.Kind#LOST}, run concealment) from a silence gap of
 *       DTX / comfort noise ({@link Frame.Kind#SILENCE}): a gap before a marker-bit packet, or
 *       after silence, is silence;</li>
 *   <li>adapts its delay: the playout offset is the {@code 1 − lateLossTarget} quantile of the
 *       packets' transit time (arrival on our clock minus RTP timestamp), the larger of a
 *       long-memory and a short-memory estimate (histograms with exponential forgetting); the
 *       long memory is dropped when the short one has stayed well below it for a few seconds,
 *       so the delay comes down soon after the jitter does. When the target rises it grows at once
 *       ({@link Frame.Kind#INSERTED} frames — concealment played so the buffer fills); when it
 *       falls it shrinks slowly: silence gaps are shortened freely, speech is compressed by at
 *       most one frame per {@code shrinkIntervalMs};</li>
 *   <li>is bounded: {@code capacity} packets; a packet too far ahead resynchronises the
 *       buffer;</li>
 *   <li>reports what it did in {@link JitterStatistics}.</li>
 * </ul>
 * Nothing is allocated per packet: payloads are copied into slots allocated at construction
 * (a slot grows only when a larger packet arrives).
 *
 * <pre>{@code
 * JitterBuffer jb = new JitterBuffer(JitterBuffer.Config.builder(8000, 160).build());
 * jb.put(seq, ts, marker, buf, off, len, System.nanoTime());     // on receive
 * Frame f = jb.pull(System.nanoTime());                         // every 20 ms
 * switch (f.kind()) { case PACKET -> decode(f); case LOST, INSERTED -> conceal(); default -> silence(); }
 * }</pre>
 */
public final class JitterBuffer {
    /** What {@link #put} did with a packet. */
    public enum PutResult {
        /** Buffered. */
        ACCEPTED,
        /** Same sequence number as a buffered or played packet; dropped. */
        DUPLICATE,
        /** Its playout time has passed; dropped (counted as late loss). */
        TOO_LATE,
        /** Too far ahead of the playout point: the buffer was flushed and restarted with it. */
        RESYNC
    }

    private final Config cfg;
    private final int mask;
    private final long[] slotSeq;
    private final long[] slotDone;
    private final long[] slotTs;
    private final boolean[] slotMarker;
    private final boolean[] slotSid;
    private final int[] slotLen;
    private final long[] slotArrival;
    private final byte[][] slotData;
    private final JitterStatistics stats = new JitterStatistics();
    private final Frame frame = new Frame();
    private final DelayHistogram histogram;
    private final DelayHistogram fastHistogram;
    private int lowEstimates;

    private boolean started;
    private boolean haveFirst;
    private long t0Nanos;
    private long lastExtSeq;
    private long lastExtTs;
    private long highestSeq;
    private long nextSeq;      // next sequence number to play
    private long playTs;       // extended timestamp of the next sample to play
    private int lastDuration;
    private boolean inSilence = true;
    private int buffered;
    private long baseTransit;  // windowed minimum of (arrival - ts), in timestamp units
    private long windowMin = Long.MAX_VALUE;
    private long prevWindowMin = Long.MAX_VALUE;
    private long windowStartUnits;
    private long targetUnits;  // playout delay above the minimum transit, for reporting
    private long offsetUnits;  // playout offset: a timestamp plays at ts + offset on our clock
    private long anchorUnits;  // transit of histogram bucket 0
    private int targetIndex;   // current quantile, in histogram buckets (ms above the anchor)
    private long lastShrinkUnits;

    /** A buffer with this configuration. */
    public JitterBuffer(Config config) {
        this.cfg = config;
        int cap = Integer.highestOneBit(Math.max(4, config.capacity - 1)) << 1;
        this.mask = cap - 1;
        this.slotSeq = new long[cap];
        this.slotDone = new long[cap];
        java.util.Arrays.fill(slotDone, -1);
        this.slotTs = new long[cap];
        this.slotMarker = new boolean[cap];
        this.slotSid = new boolean[cap];
        this.slotLen = new int[cap];
        this.slotArrival = new long[cap];
        this.slotData = new byte[cap][config.initialSlotBytes];
        java.util.Arrays.fill(slotSeq, -1);
        this.histogram = new DelayHistogram(config.maxDelayMs + 2 * HISTORY_MARGIN_MS, config.forgetting);
        this.fastHistogram = new DelayHistogram(config.maxDelayMs + 2 * HISTORY_MARGIN_MS, config.fastForgetting);
        this.targetUnits = ms(config.initialDelayMs);
        this.lastDuration = config.frameSamples;
    }

    private long ms(int millis) {
        return (long) millis * cfg.clockRate / 1000;
    }

    private long units(long nanos) {
        long rel = nanos - t0Nanos;
        return rel / 1_000_000L * cfg.clockRate / 1000 + (rel % 1_000_000L) * cfg.clockRate / 1_000_000_000L;
    }

    /**
     * Offers a received packet. The payload is copied.
     *
     * @param seq          RTP sequence number
     * @param timestamp    RTP timestamp (32-bit)
     * @param marker       marker bit (start of a talkspurt for audio)
     * @param arrivalNanos arrival time on the clock {@link #pull} uses
     */
    public PutResult put(int seq, long timestamp, boolean marker, byte[] payload, int off, int len, long arrivalNanos) {
        return put(seq, timestamp, marker, payload, off, len, arrivalNanos, false);
    }

    /**
     * Offers a received packet that may be a silence descriptor: a comfort-noise packet (RFC
     * 3389) that starts a silence period. It is played in its turn like any packet ({@link
     * Frame#silenceDescriptor()} is set), and what follows it until the next packet is a silence
     * gap, never loss.
     *
     * @param silenceDescriptor true for a comfort-noise (SID) packet
     */
    public PutResult put(int seq, long timestamp, boolean marker, byte[] payload, int off, int len, long arrivalNanos,
                         boolean silenceDescriptor) {
        stats.received++;
        if (!haveFirst) {
            haveFirst = true;
            t0Nanos = arrivalNanos;
            lastExtSeq = seq & 0xFFFF;
            lastExtTs = timestamp & 0xFFFFFFFFL;
            highestSeq = lastExtSeq;
            nextSeq = lastExtSeq;
            windowStartUnits = 0;
        }
        long eseq = extendSeq(seq);
        long ets = extendTs(timestamp);
        long now = units(arrivalNanos);
        long transit = now - ets;
        if (stats.received == 1) {
            anchorUnits = transit - ms(HISTORY_MARGIN_MS);
            targetIndex = HISTORY_MARGIN_MS + cfg.initialDelayMs;
            offsetUnits = anchorUnits + ms(targetIndex);
        }
        trackTransit(transit, now);

        boolean restarted = false;
        if (started && eseq < nextSeq) {
            if (nextSeq - eseq > MAX_MISORDER) {
                // far behind: a stray, or the sender restarted its numbers (RFC 3550 §A.1: the
                // next packet in sequence after this one confirms the restart)
                restarted = eseq == restartCandidate;
                restartCandidate = eseq + 1;
                if (restarted) {
                    lastExtSeq = eseq;
                }
            }
            if (!restarted) {
                int j = (int) (eseq & mask);
                if (slotSeq[j] == eseq || slotDone[j] == eseq) {
                    stats.duplicates++;
                    return PutResult.DUPLICATE;
                }
                stats.late++;
                record(transit);
                return PutResult.TOO_LATE;
            }
        }
        boolean timestampsJumpedBack = eseq == highestSeq + 1 && ets < lastExtTs - ms(HISTORY_MARGIN_MS);
        if (timestampsJumpedBack) {
            // the next packet in order, its time far behind the stream's: the sender started a
            // new timeline (a phone on resume, a gateway hiding a source switch). Without a
            // resync every packet of it would count as late until it caught up with the old one.
            lastExtTs = ets;
        }
        if (eseq - nextSeq > mask || timestampsJumpedBack || restarted) {
            stats.resyncs++;
            flush();
            trackTransit(transit, now);
            started = false;
            nextSeq = eseq;
            highestSeq = eseq;
            store(eseq, ets, marker, payload, off, len, arrivalNanos, silenceDescriptor);
            return PutResult.RESYNC;
        }
        int i = (int) (eseq & mask);
        if (slotSeq[i] == eseq) {
            stats.duplicates++;
            return PutResult.DUPLICATE;
        }
        if (!started && eseq < nextSeq) {
            nextSeq = eseq;
        }
        store(eseq, ets, marker, payload, off, len, arrivalNanos, silenceDescriptor);
        if (eseq > highestSeq) {
            highestSeq = eseq;
        }
        record(transit);
        return PutResult.ACCEPTED;
    }

    private void store(long eseq, long ets, boolean marker, byte[] payload, int off, int len, long arrival,
                       boolean sid) {
        int i = (int) (eseq & mask);
        if (slotData[i].length < len) {
            slotData[i] = new byte[Math.min(Math.max(len, slotData[i].length * 2), cfg.maxPayloadBytes)];
        }
        int n = Math.min(len, slotData[i].length);
        if (slotSeq[i] < 0) {
            buffered++;
        }
        slotSeq[i] = eseq;
        slotTs[i] = ets;
        slotMarker[i] = marker;
        slotSid[i] = sid;
        slotLen[i] = n;
        slotArrival[i] = arrival;
        System.arraycopy(payload, off, slotData[i], 0, n);
        stats.maxBuffered = Math.max(stats.maxBuffered, buffered);
    }

    private long extendSeq(int seq) {
        long last = lastExtSeq;
        long e = last + (short) ((seq & 0xFFFF) - (last & 0xFFFF));
        if (e > lastExtSeq) {
            lastExtSeq = e;
        }
        return e;
    }

    private long extendTs(long ts) {
        long last = lastExtTs;
        long e = last + (int) ((ts & 0xFFFFFFFFL) - (last & 0xFFFFFFFFL));
        if (e > lastExtTs) {
            lastExtTs = e;
        }
        return e;
    }

    private void trackTransit(long transit, long now) {
        long window = ms(cfg.baseWindowMs);
        if (now - windowStartUnits >= window) {
            prevWindowMin = windowMin;
            windowMin = Long.MAX_VALUE;
            windowStartUnits = now;
        }
        windowMin = Math.min(windowMin, transit);
        long base = Math.min(windowMin, prevWindowMin);
        baseTransit = base;
    }

    private static final int HISTORY_MARGIN_MS = 500;
    /** How far behind what is due a packet must be to be taken for a restart of the numbers (RFC 3550 §A.1). */
    private static final int MAX_MISORDER = 100;
    /** The sequence number that, arriving next, confirms a restart of the numbers; none at first. */
    private long restartCandidate = Long.MIN_VALUE;

    private void record(long transit) {
        int index = (int) Math.floorDiv((transit - anchorUnits) * 1000, cfg.clockRate);
        int size = histogram.size();
        if (index < HISTORY_MARGIN_MS / 5 || index >= size - HISTORY_MARGIN_MS / 5) {
            // the transit drifted (clock skew) or jumped: re-centre the histograms on it
            int shift = index - HISTORY_MARGIN_MS;
            histogram.shift(shift);
            fastHistogram.shift(shift);
            anchorUnits += ms(shift);
            targetIndex -= shift;
            index -= shift;
        }
        index = Math.max(0, Math.min(size - 1, index));
        histogram.add(index);
        fastHistogram.add(index);
        updateTarget(index);
    }

    private void updateTarget(int sampleIndex) {
        // grow at once when a delay above the target shows up; re-estimate (maybe shrink) every 16 packets
        if (sampleIndex <= targetIndex && (++sinceEstimate & 15) != 0) {
            return;
        }
        double q = 1.0 - cfg.lateLossTarget;
        int slow = histogram.quantile(q);
        int fast = fastHistogram.quantile(q);
        // the long-memory estimate is steady; when the short-memory one has stayed well below it
        // for a while the jitter dropped, and the long memory is replaced by the short one
        int span = slow - histogram.quantile(0.02);
        if (fast < slow - Math.max(10, span / 3)) {
            if (++lowEstimates >= cfg.dropConfirmPackets / 16) {
                histogram.copyFrom(fastHistogram);
                slow = fast;
                lowEstimates = 0;
            }
        } else {
            lowEstimates = 0;
        }
        targetIndex = Math.max(slow, fast) + cfg.marginMs;
        long offset = anchorUnits + ms(targetIndex);
        offsetUnits = Math.max(baseTransit + ms(cfg.minDelayMs), Math.min(baseTransit + ms(cfg.maxDelayMs), offset));
        targetUnits = offsetUnits - baseTransit;
    }

    /**
     * The frame to play now. Call once per frame period from the media clock. The returned
     * frame (and its payload array) is valid until the next call to {@link #put} or
     * {@link #pull}.
     */
    public Frame pull(long nowNanos) {
        Frame f = frame;
        f.reset();
        if (!haveFirst) {
            return f;
        }
        long now = units(nowNanos);
        long ideal = now - offsetUnits; // the timestamp that should be playing now
        if (!started) {
            int i = (int) (nextSeq & mask);
            if (slotSeq[i] != nextSeq || slotTs[i] > ideal) {
                return f; // still buffering
            }
            started = true;
            playTs = slotTs[i];
        }
        int frameLen = lastDuration;
        stats.pulls++;

        int i = (int) (nextSeq & mask);
        if (inSilence && slotSeq[i] == nextSeq && slotTs[i] < playTs) {
            // a talkspurt starts later than the silence ran: move the playout point back (free in silence)
            playTs = slotTs[i];
        }
        if (!inSilence && slotSeq[i] != nextSeq && missingRun > 0) {
            // the packet due was missing and its frame was concealed; if a later packet's time has
            // come, the ones before it are lost (each concealed in its turn) and it plays now
            int later = firstBufferedAfter(nextSeq);
            if (later >= 0 && slotTs[later] <= playTs) {
                stats.lost += slotSeq[later] - nextSeq;
                nextSeq = slotSeq[later];
                i = later;
            }
        }
        // packets whose time has passed (after a shrink, or a resync) are dropped as late
        while (slotSeq[i] == nextSeq && slotTs[i] + slotDuration(i) <= playTs) {
            stats.late++;
            release(i);
            nextSeq++;
            i = (int) (nextSeq & mask);
        }
        boolean present = slotSeq[i] == nextSeq;
        long err = ideal - playTs; // > 0: more delay than the target, < 0: less
        stats.delaySamples++;
        stats.delaySumMs += Math.max(0, (now - baseTransit - playTs) * 1000 / cfg.clockRate);

        if (err < -frameLen / 4) {
            // below target: hold the playout point so the buffer fills (grow fast)
            f.kind = inSilence ? Frame.Kind.SILENCE : Frame.Kind.INSERTED;
            f.timestamp = playTs;
            f.samples = frameLen;
            if (!inSilence) {
                stats.inserted++;
            }
            return f;
        }
        if (present && slotTs[i] <= playTs) {
            if (err > frameLen && !inSilence && now - lastShrinkUnits >= ms(cfg.shrinkIntervalMs) && hasNext(i)) {
                // above target in speech: drop one frame (shrink slowly)
                stats.dropped++;
                lastShrinkUnits = now;
                release(i);
                nextSeq++;
                i = (int) (nextSeq & mask);
            }
            return play(f, i, nowNanos);
        }
        if (present) {
            // the next packet starts later: the sender was silent (DTX / comfort noise / new talkspurt)
            inSilence = true;
            long gap = slotTs[i] - playTs;
            if (err > frameLen / 2) {
                long skip = Math.min(gap, err);
                playTs += skip;
                stats.silenceSkippedMs += skip * 1000 / cfg.clockRate;
                if (playTs >= slotTs[i]) {
                    return play(f, i, nowNanos);
                }
            }
            f.kind = Frame.Kind.SILENCE;
            f.timestamp = playTs;
            f.samples = (int) Math.min(frameLen, slotTs[i] - playTs);
            playTs += f.samples;
            return f;
        }
        // the packet due now has not arrived
        int later = firstBufferedAfter(nextSeq);
        if (inSilence) {
            // still silent; once a later packet is due, the ones before it are lost (or late)
            if (later >= 0 && slotTs[later] <= ideal) {
                stats.lost += slotSeq[later] - nextSeq;
                nextSeq = slotSeq[later];
            }
            f.kind = Frame.Kind.SILENCE;
        } else {
            f.kind = Frame.Kind.LOST;
            stats.concealed++;
            if (later >= 0 && slotSeq[later] == nextSeq + 1) {
                // the next packet is here: a codec with in-band FEC (Opus) can rebuild this one from it
                f.payload = slotData[later];
                f.length = slotLen[later];
            }
            if (later >= 0) {
                stats.lost++;
                nextSeq++; // a later packet is here, so this one is lost (or will be too late)
            } else if (++missingRun >= cfg.silenceAfterMissing) {
                inSilence = true; // the talkspurt ended (or the stream stalled): stop concealing
            }
        }
        f.timestamp = playTs;
        f.samples = frameLen;
        playTs += frameLen;
        return f;
    }

    private int missingRun;
    private int sinceEstimate;

    private int firstBufferedAfter(long seq) {
        if (buffered == 0) {
            return -1;
        }
        for (long s = seq + 1; s <= highestSeq && s - seq <= mask; s++) {
            int j = (int) (s & mask);
            if (slotSeq[j] == s) {
                return j;
            }
        }
        return -1;
    }

    private boolean hasNext(int i) {
        int j = (i + 1) & mask;
        return slotSeq[j] == slotSeq[i] + 1;
    }

    private int slotDuration(int i) {
        int j = (i + 1) & mask;
        if (slotSeq[j] == slotSeq[i] + 1 && slotTs[j] > slotTs[i] && slotTs[j] - slotTs[i] <= 4L * cfg.frameSamples) {
            return (int) (slotTs[j] - slotTs[i]);
        }
        return lastDuration;
    }

    private Frame play(Frame f, int i, long nowNanos) {
        boolean sid = slotSid[i];
        int dur = sid ? lastDuration : slotDuration(i); // a SID covers the silence after it, not a frame length
        lastDuration = dur;
        f.kind = Frame.Kind.PACKET;
        f.silenceDescriptor = sid;
        f.sequenceNumber = (int) (slotSeq[i] & 0xFFFF);
        f.timestamp = slotTs[i];
        f.marker = slotMarker[i];
        f.samples = dur;
        f.payload = slotData[i];
        f.length = slotLen[i];
        stats.played++;
        stats.addedDelayNanosSum += Math.max(0, nowNanos - slotArrival[i]);
        inSilence = sid;
        missingRun = 0;
        playTs = slotTs[i] + dur;
        release(i); // the bytes stay in the slot until a packet 'capacity' ahead arrives
        nextSeq++;
        return f;
    }

    private void release(int i) {
        if (slotSeq[i] >= 0) {
            slotDone[i] = slotSeq[i];
            slotSeq[i] = -1;
            buffered--;
        }
    }

    private void flush() {
        java.util.Arrays.fill(slotSeq, -1);
        buffered = 0;
        inSilence = true;
        missingRun = 0;
        histogram.clear();
        fastHistogram.clear();
        windowMin = Long.MAX_VALUE;
        prevWindowMin = Long.MAX_VALUE;
    }

    /** Current target delay in milliseconds (above the minimum transit). */
    public int targetDelayMs() {
        return (int) (targetUnits * 1000 / cfg.clockRate);
    }

    /** Packets currently buffered. */
    public int size() {
        return buffered;
    }

    /** What the buffer did so far. */
    public JitterStatistics statistics() {
        return stats;
    }

    /** The configuration. */
    public Config config() {
        return cfg;
    }

    /** Jitter buffer settings; {@link #builder(int, int)} has sensible defaults for voice. */
    public static final class Config {
        final int clockRate;
        final int frameSamples;
        final int capacity;
        final int initialDelayMs;
        final int minDelayMs;
        final int maxDelayMs;
        final double lateLossTarget;
        final double forgetting;
        final double fastForgetting;
        final int dropConfirmPackets;
        final int marginMs;
        final int shrinkIntervalMs;
        final int baseWindowMs;
        final int silenceAfterMissing;
        final int initialSlotBytes;
        final int maxPayloadBytes;

        private Config(Builder b) {
            this.clockRate = b.clockRate;
            this.frameSamples = b.frameSamples;
            this.capacity = b.capacity;
            this.initialDelayMs = b.initialDelayMs;
            this.minDelayMs = b.minDelayMs;
            this.maxDelayMs = b.maxDelayMs;
            this.lateLossTarget = b.lateLossTarget;
            this.forgetting = b.forgetting;
            this.fastForgetting = b.fastForgetting;
            this.dropConfirmPackets = b.dropConfirmPackets;
            this.marginMs = b.marginMs;
            this.shrinkIntervalMs = b.shrinkIntervalMs;
            this.baseWindowMs = b.baseWindowMs;
            this.silenceAfterMissing = b.silenceAfterMissing;
            this.initialSlotBytes = b.initialSlotBytes;
            this.maxPayloadBytes = b.maxPayloadBytes;
        }

        /**
         * Defaults for a stream with this RTP clock rate (8000, 16000, 48000…) and packet
         * duration in timestamp units (160 for 20 ms at 8 kHz).
         */
        public static Builder builder(int clockRate, int frameSamples) {
            return new Builder(clockRate, frameSamples);
        }

        /** RTP clock rate. */
        public int clockRate() {
            return clockRate;
        }

        /** Nominal packet duration in timestamp units. */
        public int frameSamples() {
            return frameSamples;
        }

        /** Builder of {@link Config}. */
        public static final class Builder {
            private final int clockRate;
            private final int frameSamples;
            private int capacity = 64;
            private int initialDelayMs = 60;
            private int minDelayMs = 0;
            private int maxDelayMs = 1000;
            private double lateLossTarget = 0.01;
            private double forgetting = 0.998;
            private double fastForgetting = 0.9;
            private int dropConfirmPackets = 50;
            private int marginMs = 0;
            private int shrinkIntervalMs = 500;
            private int baseWindowMs = 5000;
            private int silenceAfterMissing = 3;
            private int initialSlotBytes = 320;
            private int maxPayloadBytes = 1500;

            private Builder(int clockRate, int frameSamples) {
                if (clockRate < 1000 || clockRate > 192000 || frameSamples < 1) {
                    throw new IllegalArgumentException("clock rate 1000..192000 and a positive frame size");
                }
                this.clockRate = clockRate;
                this.frameSamples = frameSamples;
            }

            /** Most packets held (rounded up to a power of two; default 64). */
            public Builder capacity(int packets) {
                if (packets < 4 || packets > 4096) {
                    throw new IllegalArgumentException("capacity 4..4096");
                }
                this.capacity = packets;
                return this;
            }

            /** Delay before the first measurements (default 60 ms). */
            public Builder initialDelayMs(int ms) {
                this.initialDelayMs = ms;
                return this;
            }

            /** Bounds of the target delay (default 0..1000 ms). */
            public Builder delayRangeMs(int min, int max) {
                if (min < 0 || max < min || max > 10_000) {
                    throw new IllegalArgumentException("0 <= min <= max <= 10000");
                }
                this.minDelayMs = min;
                this.maxDelayMs = max;
                return this;
            }

            /** Share of packets allowed to arrive too late (default 0.01). */
            public Builder lateLossTarget(double share) {
                if (share <= 0 || share >= 0.5) {
                    throw new IllegalArgumentException("late-loss target in (0, 0.5)");
                }
                this.lateLossTarget = share;
                return this;
            }

            /**
             * Per-packet forgetting factors of the long- and short-memory delay histograms
             * (defaults 0.998 and 0.9: about 10 s and 0.2 s at 50 packets/s). The target is the
             * larger of their quantiles, so it rises with the short memory and falls with the
             * long one.
             */
            public Builder forgetting(double slow, double fast) {
                if (slow <= 0.5 || slow >= 1 || fast <= 0.5 || fast >= 1) {
                    throw new IllegalArgumentException("forgetting in (0.5, 1)");
                }
                this.forgetting = slow;
                this.fastForgetting = fast;
                return this;
            }

            /**
             * Packets for which the short-memory quantile must stay well below the long one before
             * the long memory is dropped (default 150: 3 s at 50 packets/s).
             */
            public Builder dropConfirmPackets(int packets) {
                this.dropConfirmPackets = Math.max(16, packets);
                return this;
            }

            /** Extra delay added to the quantile (default 0). */
            public Builder marginMs(int ms) {
                this.marginMs = ms;
                return this;
            }

            /** Least time between two speech frames dropped to shrink (default 500 ms). */
            public Builder shrinkIntervalMs(int ms) {
                this.shrinkIntervalMs = ms;
                return this;
            }

            /** Window of the minimum-transit tracker (default 5 s; the minimum spans 5–10 s). */
            public Builder baseWindowMs(int ms) {
                this.baseWindowMs = ms;
                return this;
            }

            /** Largest payload kept (default 1500 bytes; longer ones are cut). */
            public Builder maxPayloadBytes(int bytes) {
                this.maxPayloadBytes = bytes;
                this.initialSlotBytes = Math.min(initialSlotBytes, bytes);
                return this;
            }

            /** Builds the configuration. */
            public Config build() {
                return new Config(this);
            }
        }
    }
}
