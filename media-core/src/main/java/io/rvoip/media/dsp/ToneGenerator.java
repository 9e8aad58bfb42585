package io.rvoip.media.dsp;

import java.util.Objects;

/**
 * Generates call-progress and test tones: one or two frequencies with an on/off cadence, at any
 * sample rate, phase-continuous across calls. Each sine comes from a recursive oscillator
 * ({@code y[n] = 2·cos(ω)·y[n−1] − y[n−2]}), two multiplies per sample and no table. Not
 * thread-safe.
 */
public final class ToneGenerator {
    /**
     * A tone: frequencies (the second 0 for a single tone), the level of each component in dBFS
     * of a full-scale sine, and the cadence ({@code offMs} 0: continuous).
     */
    public record Tone(double f1, double f2, double levelDbfs, int onMs, int offMs) {
        /** Validates. */
        public Tone {
            if (!(f1 > 0) || f2 < 0 || onMs <= 0 || offMs < 0 || levelDbfs > 0) {
                throw new IllegalArgumentException("tone " + f1 + "+" + f2 + " " + levelDbfs + " dBFS " + onMs + "/" + offMs);
            }
        }

        /** North American dial tone: 350 + 440 Hz, continuous. */
        public static final Tone DIAL_NA = new Tone(350, 440, -13, 1000, 0);
        /** North American ringback: 440 + 480 Hz, 2 s on, 4 s off. */
        public static final Tone RINGBACK_NA = new Tone(440, 480, -19, 2000, 4000);
        /** North American busy: 480 + 620 Hz, 0.5 s on, 0.5 s off. */
        public static final Tone BUSY_NA = new Tone(480, 620, -24, 500, 500);
        /** European (CEPT) dial tone: 425 Hz, continuous. */
        public static final Tone DIAL_EU = new Tone(425, 0, -13, 1000, 0);
        /** European (CEPT) ringback: 425 Hz, 1 s on, 4 s off. */
        public static final Tone RINGBACK_EU = new Tone(425, 0, -13, 1000, 4000);
        /** European (CEPT) busy: 425 Hz, 0.5 s on, 0.5 s off. */
        public static final Tone BUSY_EU = new Tone(425, 0, -13, 500, 500);
    }

    private final int rate;
    private Tone tone;
    private long onSamples;
    private long period;
    private long position;
    private double c1;
    private double c2;
    private double a1;
    private double a2;
    private double y1a;
    private double y2a;
    private double y1b;
    private double y2b;

    /** A generator at {@code rate} Hz, silent until {@link #play}. */
    public ToneGenerator(int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate " + rate);
        }
        this.rate = rate;
    }

    /** Starts a tone from the beginning of its cadence. */
    public void play(Tone t) {
        this.tone = Objects.requireNonNull(t, "tone");
        if (t.f1() >= rate / 2.0 || t.f2() >= rate / 2.0) {
            throw new IllegalArgumentException("tone above Nyquist at " + rate + " Hz");
        }
        this.onSamples = (long) rate * t.onMs() / 1000;
        this.period = t.offMs() == 0 ? 0 : onSamples + (long) rate * t.offMs() / 1000;
        this.position = 0;
        double amp = 32767 * Math.pow(10, t.levelDbfs() / 20);
        double w1 = 2 * Math.PI * t.f1() / rate;
        c1 = 2 * Math.cos(w1);
        a1 = amp;
        y1a = 0;
        y2a = -amp * Math.sin(w1); // so the first sample is sin(0)
        if (t.f2() > 0) {
            double w2 = 2 * Math.PI * t.f2() / rate;
            c2 = 2 * Math.cos(w2);
            a2 = amp;
            y1b = 0;
            y2b = -amp * Math.sin(w2);
        } else {
            a2 = 0;
        }
    }

    /** Stops: silence from now on. */
    public void stop() {
        tone = null;
    }

    /** The tone playing, or null. */
    public Tone tone() {
        return tone;
    }

    /** Writes {@code n} samples. */
    public void fill(short[] out, int off, int n) {
        if (tone == null) {
            java.util.Arrays.fill(out, off, off + n, (short) 0);
            return;
        }
        for (int i = off; i < off + n; i++) {
            boolean on = period == 0 || position % period < onSamples;
            position++;
            // the oscillators run through the off part too, so every on part is phase-continuous
            double a = c1 * y1a - y2a;
            y2a = y1a;
            y1a = a;
            double b = 0;
            if (a2 != 0) {
                b = c2 * y1b - y2b;
                y2b = y1b;
                y1b = b;
            }
            if (on) {
                long v = Math.round(y2a + y2b);
                out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            } else {
                out[i] = 0;
            }
        }
        if ((position & 0xFFFF) < n) {
            renormalise();
        }
    }

    /** Rounding makes a recursive oscillator's amplitude drift over hours: pull it back now and then. */
    private void renormalise() {
        a1 = renorm(a1, c1, true);
        if (a2 != 0) {
            a2 = renorm(a2, c2, false);
        }
    }

    private double renorm(double amp, double c, boolean first) {
        double y1 = first ? y1a : y1b;
        double y2 = first ? y2a : y2b;
        // for y[n] = A sin(nω + φ): A² sin²ω = y1² + y2² − c·y1·y2
        double s2 = 1 - c * c / 4;
        double e = (y1 * y1 + y2 * y2 - c * y1 * y2) / s2;
        if (e > 0) {
            double k = amp / Math.sqrt(e);
            if (first) {
                y1a *= k;
                y2a *= k;
            } else {
                y1b *= k;
                y2b *= k;
            }
        }
        return amp;
    }
}
