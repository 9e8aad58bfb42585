package io.rvoip.media.plc;

/**
 * Packet-loss concealment of ITU-T G.711 Appendix I for 8 kHz audio in 10 ms blocks: during an
 * erasure the last pitch period (found by normalised cross-correlation over 20 ms of history,
 * 66–200 Hz) is repeated with a quarter-period overlap-add; after 10 ms two, then three periods
 * are cycled, and the output fades by 20 % per 10 ms, reaching silence after 60 ms. The first
 * good block after an erasure is cross-faded with the synthetic signal over 4 ms more per
 * erased block. Output lags input by {@value #DELAY} samples (3.75 ms), the room the
 * overlap-add needs. Not thread-safe: one per stream.
 */
public final class G711Plc {
    /** Block length, samples (10 ms at 8 kHz). */
    public static final int FRAME = 80;
    private static final int PITCH_MIN = 40;
    private static final int PITCH_MAX = 120;
    private static final int PITCH_DIFF = PITCH_MAX - PITCH_MIN;
    private static final int OVERLAP_MAX = PITCH_MAX >> 2;
    /** The delay the concealment adds, samples. */
    public static final int DELAY = OVERLAP_MAX;
    private static final int HISTORY = PITCH_MAX * 3 + OVERLAP_MAX;
    private static final int DECIMATION = 2;
    private static final int CORR_LEN = 160;
    private static final int CORR_BUF = CORR_LEN + PITCH_MAX;
    private static final float CORR_MIN_POWER = 250f;
    private static final int END_OVERLAP_INCREMENT = 32;
    private static final float ATTENUATION = 0.2f;
    private static final float ATTENUATION_PER_SAMPLE = ATTENUATION / FRAME;

    private final short[] history = new short[HISTORY];
    private final float[] pitchBuf = new float[HISTORY];
    private final float[] lastQ = new float[OVERLAP_MAX];
    private final short[] tmp = new short[FRAME];
    private int erased;
    private int overlap;
    private int offset;
    private int pitch;
    private int pitchLen;
    private int pitchStart; // index in pitchBuf; the buffer's end is HISTORY

    /** Back to silence and no erasure. */
    public void reset() {
        java.util.Arrays.fill(history, (short) 0);
        erased = 0;
    }

    /** Blocks concealed since the last good one. */
    public int erasedBlocks() {
        return erased;
    }

    /**
     * A good block: {@code pcm[off..off+80)} is replaced by the output, which lags by
     * {@value #DELAY} samples (and is cross-faded with the concealment after an erasure).
     */
    public void received(short[] pcm, int off) {
        if (erased > 0) {
            int len = Math.min(overlap + (erased - 1) * END_OVERLAP_INCREMENT, FRAME);
            synthesize(tmp, 0, len);
            overlapAddAtEnd(pcm, off, tmp, len);
            erased = 0;
        }
        save(pcm, off);
    }

    /** A lost block: writes 80 samples of concealment to {@code out[off..]}. */
    public void conceal(short[] out, int off) {
        if (erased == 0) {
            for (int i = 0; i < HISTORY; i++) {
                pitchBuf[i] = history[i];
            }
            pitch = findPitch();
            overlap = pitch >> 2;
            System.arraycopy(pitchBuf, HISTORY - overlap, lastQ, 0, overlap);
            offset = 0;
            pitchLen = pitch;
            pitchStart = HISTORY - pitchLen;
            overlapAdd(lastQ, pitchBuf, pitchStart - overlap, pitchBuf, HISTORY - overlap, overlap);
            for (int i = 0; i < overlap; i++) {
                history[HISTORY - overlap + i] = (short) pitchBuf[HISTORY - overlap + i];
            }
            synthesize(out, off, FRAME);
        } else if (erased == 1 || erased == 2) {
            int saved = offset;
            synthesize(tmp, 0, overlap); // the tail of the old pitch buffer
            offset = saved;
            while (offset > pitch) {
                offset -= pitch;
            }
            pitchLen += pitch; // one more period
            pitchStart = HISTORY - pitchLen;
            overlapAdd(lastQ, pitchBuf, pitchStart - overlap, pitchBuf, HISTORY - overlap, overlap);
            synthesize(out, off, FRAME);
            overlapAddShorts(tmp, out, off, overlap);
            scale(out, off);
        } else if (erased > 5) {
            java.util.Arrays.fill(out, off, off + FRAME, (short) 0);
        } else {
            synthesize(out, off, FRAME);
            scale(out, off);
        }
        erased++;
        save(out, off);
    }

    private void scale(short[] out, int off) {
        float g = 1f - (erased - 1) * ATTENUATION;
        for (int i = 0; i < FRAME; i++) {
            out[off + i] = (short) (out[off + i] * g);
            g -= ATTENUATION_PER_SAMPLE;
        }
    }

    /** Copies {@code n} samples of the cycled pitch buffer out. */
    private void synthesize(short[] out, int off, int n) {
        while (n > 0) {
            int cnt = Math.min(pitchLen - offset, n);
            for (int i = 0; i < cnt; i++) {
                out[off + i] = (short) pitchBuf[pitchStart + offset + i];
            }
            offset += cnt;
            if (offset == pitchLen) {
                offset = 0;
            }
            off += cnt;
            n -= cnt;
        }
    }

    /** Shifts the block into the history and replaces it with the delayed block. */
    private void save(short[] s, int off) {
        System.arraycopy(history, FRAME, history, 0, HISTORY - FRAME);
        System.arraycopy(s, off, history, HISTORY - FRAME, FRAME);
        System.arraycopy(history, HISTORY - FRAME - OVERLAP_MAX, s, off, FRAME);
    }

    private static void overlapAdd(float[] l, float[] r, int rOff, float[] o, int oOff, int cnt) {
        float incr = 1f / cnt;
        float lw = 1f - incr;
        float rw = incr;
        for (int i = 0; i < cnt; i++) {
            float t = lw * l[i] + rw * r[rOff + i];
            o[oOff + i] = Math.max(-32768f, Math.min(32767f, t));
            lw -= incr;
            rw += incr;
        }
    }

    private static void overlapAddShorts(short[] l, short[] r, int rOff, int cnt) {
        float incr = 1f / cnt;
        float lw = 1f - incr;
        float rw = incr;
        for (int i = 0; i < cnt; i++) {
            float t = lw * l[i] + rw * r[rOff + i];
            r[rOff + i] = (short) Math.max(-32768f, Math.min(32767f, t));
            lw -= incr;
            rw += incr;
        }
    }

    /** The first good block fades in over the synthetic signal, which is attenuated as it was. */
    private void overlapAddAtEnd(short[] s, int off, short[] f, int cnt) {
        float incr = 1f / cnt;
        float gain = Math.max(0f, 1f - (erased - 1) * ATTENUATION);
        float incrGain = incr * gain;
        float lw = (1f - incr) * gain;
        float rw = incr;
        for (int i = 0; i < cnt; i++) {
            float t = lw * f[i] + rw * s[off + i];
            s[off + i] = (short) Math.max(-32768f, Math.min(32767f, t));
            lw -= incrGain;
            rw += incr;
        }
    }

    /**
     * The correlation of {@code CORR_LEN} samples at {@code a} and {@code b}, every {@code step}th:
     * four partial sums, so the additions do not wait on each other (the search runs once per
     * erasure, and under overload on many calls at once).
     */
    private static float dot(float[] x, int a, int b, int step) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        for (int end = CORR_LEN - 4 * step; i <= end; i += 4 * step) {
            s0 += x[a + i] * x[b + i];
            s1 += x[a + i + step] * x[b + i + step];
            s2 += x[a + i + 2 * step] * x[b + i + 2 * step];
            s3 += x[a + i + 3 * step] * x[b + i + 3 * step];
        }
        for (; i < CORR_LEN; i += step) {
            s0 += x[a + i] * x[b + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Pitch period: coarse search on every other sample, then a fine search around the best. */
    private int findPitch() {
        int l = HISTORY - CORR_LEN;
        int r = HISTORY - CORR_BUF;
        float energy = 0f;
        float corr = 0f;
        for (int i = 0; i < CORR_LEN; i += DECIMATION) {
            energy += pitchBuf[r + i] * pitchBuf[r + i];
            corr += pitchBuf[r + i] * pitchBuf[l + i];
        }
        float best = corr / (float) Math.sqrt(Math.max(energy, CORR_MIN_POWER));
        int bestMatch = 0;
        int rp = r;
        for (int j = DECIMATION; j <= PITCH_DIFF; j += DECIMATION) {
            energy -= pitchBuf[rp] * pitchBuf[rp];
            energy += pitchBuf[rp + CORR_LEN] * pitchBuf[rp + CORR_LEN];
            rp += DECIMATION;
            corr = dot(pitchBuf, rp, l, DECIMATION);
            corr /= (float) Math.sqrt(Math.max(energy, CORR_MIN_POWER));
            if (corr >= best) {
                best = corr;
                bestMatch = j;
            }
        }
        int j = Math.max(0, bestMatch - (DECIMATION - 1));
        int k = Math.min(PITCH_DIFF, bestMatch + (DECIMATION - 1));
        rp = r + j;
        energy = 0f;
        corr = 0f;
        for (int i = 0; i < CORR_LEN; i++) {
            energy += pitchBuf[rp + i] * pitchBuf[rp + i];
            corr += pitchBuf[rp + i] * pitchBuf[l + i];
        }
        best = corr / (float) Math.sqrt(Math.max(energy, CORR_MIN_POWER));
        bestMatch = j;
        for (j++; j <= k; j++) {
            energy -= pitchBuf[rp] * pitchBuf[rp];
            energy += pitchBuf[rp + CORR_LEN] * pitchBuf[rp + CORR_LEN];
            rp++;
            corr = dot(pitchBuf, rp, l, 1);
            corr /= (float) Math.sqrt(Math.max(energy, CORR_MIN_POWER));
            if (corr > best) {
                best = corr;
                bestMatch = j;
            }
        }
        return PITCH_MAX - bestMatch;
    }
}
