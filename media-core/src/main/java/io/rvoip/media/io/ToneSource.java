package io.rvoip.media.io;

import io.rvoip.media.dsp.ToneGenerator;

/**
 * An {@link AudioSource} playing a {@link ToneGenerator.Tone} (ringback, busy, a test tone) until
 * {@link #stop()}. {@link #play} and {@link #stop} may be called from any thread; the change is
 * taken at the next frame.
 */
public final class ToneSource implements AudioSource {
    private final ToneGenerator generator;
    private final int rate;
    private volatile ToneGenerator.Tone pending;
    private volatile boolean changed;

    /** A silent source at {@code rate} Hz. */
    public ToneSource(int rate) {
        this.rate = rate;
        this.generator = new ToneGenerator(rate);
    }

    /** A source playing {@code tone} at {@code rate} Hz. */
    public static ToneSource of(ToneGenerator.Tone tone, int rate) {
        ToneSource s = new ToneSource(rate);
        s.play(tone);
        return s;
    }

    /** Plays {@code tone} from the start of its cadence. */
    public void play(ToneGenerator.Tone tone) {
        pending = java.util.Objects.requireNonNull(tone, "tone");
        changed = true;
    }

    /** Silence from the next frame. */
    public void stop() {
        pending = null;
        changed = true;
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public void read(short[] pcm, int off, int samples) {
        if (changed) {
            changed = false;
            ToneGenerator.Tone t = pending;
            if (t == null) {
                generator.stop();
            } else {
                generator.play(t);
            }
        }
        generator.fill(pcm, off, samples);
    }
}
