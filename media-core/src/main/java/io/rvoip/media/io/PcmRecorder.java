package io.rvoip.media.io;

import java.util.Arrays;

/** Records what it is given into memory, up to a limit (then counts what it dropped). */
public final class PcmRecorder implements AudioSink {
    private final int rate;
    private final int limit;
    private short[] pcm = new short[8000];
    private int length;
    private long dropped;

    /** Records at {@code rate}, at most {@code maxSamples}. */
    public PcmRecorder(int rate, int maxSamples) {
        this.rate = rate;
        this.limit = maxSamples;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public synchronized void write(short[] in, int off, int samples) {
        int take = Math.min(samples, limit - length);
        if (take < samples) {
            dropped += samples - take;
        }
        if (take <= 0) {
            return;
        }
        if (length + take > pcm.length) {
            pcm = Arrays.copyOf(pcm, Math.min(limit, Math.max(pcm.length * 2, length + take)));
        }
        System.arraycopy(in, off, pcm, length, take);
        length += take;
    }

    /** What was recorded. */
    public synchronized short[] samples() {
        return Arrays.copyOf(pcm, length);
    }

    /** Samples refused over the limit. */
    public synchronized long dropped() {
        return dropped;
    }

    /** The recording as a WAV file. */
    public WavFile toWav() {
        return new WavFile(rate, 1, samples());
    }
}
