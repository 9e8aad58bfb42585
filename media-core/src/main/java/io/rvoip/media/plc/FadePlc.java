package io.rvoip.media.plc;

/**
 * A generic concealment for codecs without their own: the last decoded frame is repeated,
 * 20 % quieter for every 10 ms lost, silent after 50 ms. Works at any sample rate and frame
 * length. Not thread-safe: one per stream.
 */
public final class FadePlc {
    private final short[] last;
    private final int samplesPer10ms;
    private int lastLen;
    private long lostSamples;

    /**
     * @param sampleRate samples per second (times channels when interleaved)
     * @param maxFrame the longest frame remembered, samples
     */
    public FadePlc(int sampleRate, int maxFrame) {
        this.last = new short[maxFrame];
        this.samplesPer10ms = sampleRate / 100;
    }

    /** A decoded frame: remembered for the next loss. */
    public void received(short[] pcm, int off, int len) {
        lastLen = Math.min(len, last.length);
        System.arraycopy(pcm, off + len - lastLen, last, 0, lastLen);
        lostSamples = 0;
    }

    /** Fills {@code len} samples for a lost frame. */
    public void conceal(short[] out, int off, int len) {
        for (int i = 0; i < len; i++) {
            int sample = lastLen == 0 ? 0 : last[i % lastLen];
            float gain = Math.max(0f, 1f - 0.2f * (lostSamples + i) / samplesPer10ms);
            out[off + i] = (short) (sample * gain);
        }
        lostSamples += len;
    }

    /** Forgets the last frame. */
    public void reset() {
        lastLen = 0;
        lostSamples = 0;
    }
}
