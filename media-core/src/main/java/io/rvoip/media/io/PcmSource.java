package io.rvoip.media.io;

/**
 * Plays PCM from memory (for example a {@link WavFile}'s samples) once or in a loop, then
 * silence.
 */
public final class PcmSource implements AudioSource {
    private final short[] pcm;
    private final int rate;
    private final boolean loop;
    private int pos;

    /** Plays {@code pcm} (mono) at {@code rate}. */
    public PcmSource(short[] pcm, int rate, boolean loop) {
        this.pcm = pcm.clone();
        this.rate = rate;
        this.loop = loop;
    }

    /** Plays a mono WAV file's samples. */
    public static PcmSource of(WavFile wav, boolean loop) {
        if (wav.channels() != 1) {
            throw new IllegalArgumentException("a mono file is needed, not " + wav.channels() + " channels");
        }
        return new PcmSource(wav.samples(), wav.sampleRate(), loop);
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    /** True once everything was played (never when looping). */
    public boolean finished() {
        return !loop && pos >= pcm.length;
    }

    @Override
    public void read(short[] out, int off, int samples) {
        for (int i = 0; i < samples; i++) {
            if (pos >= pcm.length) {
                if (!loop || pcm.length == 0) {
                    java.util.Arrays.fill(out, off + i, off + samples, (short) 0);
                    return;
                }
                pos = 0;
            }
            out[off + i] = pcm[pos++];
        }
    }
}
