package io.rvoip.media.processing;

import io.rvoip.media.AudioData;
import java.util.Random;

/**
 * The voice-processing test scenarios: speech from shared/testdata/audio, generated noise and
 * babble, seeded synthetic room impulse responses, and the measures the module README reports.
 * Everything is deterministic.
 */
public final class Scenarios {
    private Scenarios() {
    }

    /** The 5 s speech clip at 8000, 16000 or 48000 Hz. */
    public static short[] speech(int rate) {
        return AudioData.wav(rate == 8000 ? "speech8k.wav" : rate == 48000 ? "speech48k.wav" : "speech16k.wav").samples();
    }

    /** {@code x} repeated to {@code n} samples, starting {@code offset} samples in; reversed when asked (another talker). */
    public static float[] loop(short[] x, int n, int offset, boolean reversed) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int j = Math.floorMod(i + offset, x.length);
            out[i] = x[reversed ? x.length - 1 - j : j];
        }
        return out;
    }

    /** Gaussian white noise of RMS {@code dbfs} (relative to a full-scale sine). */
    public static float[] whiteNoise(int n, double dbfs, long seed) {
        Random r = new Random(seed);
        double rms = 32768 / Math.sqrt(2) * Math.pow(10, dbfs / 20);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * rms);
        }
        return out;
    }

    /** Babble: eight talkers made of the clip at random offsets, forwards and backwards, at RMS {@code dbfs}. */
    public static float[] babble(int rate, int n, double dbfs, long seed) {
        short[] clip = speech(rate);
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int t = 0; t < 8; t++) {
            float[] talker = loop(clip, n, r.nextInt(clip.length), t % 2 == 1);
            for (int i = 0; i < n; i++) {
                out[i] += talker[i];
            }
        }
        return scaleTo(out, dbfs);
    }

    /** {@code x} scaled to RMS {@code dbfs}. */
    public static float[] scaleTo(float[] x, double dbfs) {
        double g = Math.pow(10, (dbfs - rmsDb(x, 0, x.length)) / 20);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (x[i] * g);
        }
        return out;
    }

    /** RMS level of {@code x[from, to)}, dBFS (a full-scale sine is 0). */
    public static double rmsDb(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return 10 * Math.log10(Math.max(s / Math.max(1, to - from), 1e-12) / (32768.0 * 32768.0 / 2));
    }

    /** The RMS level of the frames labelled speech (the active speech level), dBFS. */
    public static double activeLevelDb(float[] x, int rate) {
        boolean[] speech = labels(x, rate);
        int frame = rate / 100;
        double s = 0;
        int n = 0;
        for (int f = 0; f < speech.length; f++) {
            if (speech[f]) {
                for (int i = f * frame; i < (f + 1) * frame; i++) {
                    s += (double) x[i] * x[i];
                }
                n += frame;
            }
        }
        return 10 * Math.log10(Math.max(s / Math.max(1, n), 1e-12) / (32768.0 * 32768.0 / 2));
    }

    /** Ground truth per 10 ms frame: speech when the clean frame's energy is above −45 dBFS. */
    public static boolean[] labels(float[] clean, int rate) {
        int frame = rate / 100;
        boolean[] out = new boolean[clean.length / frame];
        for (int f = 0; f < out.length; f++) {
            out[f] = rmsDb(clean, f * frame, (f + 1) * frame) > -45;
        }
        return out;
    }

    /**
     * A synthetic room impulse response: a direct path at tap 0, then exponentially decaying
     * Gaussian noise with the given RT60, {@code tailMs} long, scaled to unit energy.
     */
    public static float[] roomImpulse(int rate, int tailMs, int rt60Ms, long seed) {
        Random r = new Random(seed);
        int n = rate * tailMs / 1000;
        float[] h = new float[n];
        double decayPerSample = Math.log(1000) / (rate * rt60Ms / 1000.0); // 60 dB of energy over RT60
        double energy = 0;
        for (int i = 0; i < n; i++) {
            double env = Math.exp(-decayPerSample * i);
            h[i] = (float) (r.nextGaussian() * env * (i < rate / 1000 ? 3 : 1));
            energy += h[i] * h[i];
        }
        float g = (float) (1 / Math.sqrt(energy));
        for (int i = 0; i < n; i++) {
            h[i] *= g;
        }
        return h;
    }

    /** {@code x} through {@code h}, delayed by {@code delay} samples and scaled by {@code gainDb}; the same length as x. */
    public static float[] echo(float[] x, float[] h, int delay, double gainDb) {
        int block = 4096;
        int size = 2 * Integer.highestOneBit(Math.max(block, h.length) * 2 - 1);
        RealFft fft = new RealFft(size);
        float[] hs = new float[size + 2];
        float[] t = new float[size];
        System.arraycopy(h, 0, t, 0, h.length);
        fft.forward(t, hs);
        float[] y = new float[x.length + size];
        float[] xs = new float[size + 2];
        float g = (float) Math.pow(10, gainDb / 20);
        for (int start = 0; start < x.length; start += block) {
            java.util.Arrays.fill(t, 0);
            System.arraycopy(x, start, t, 0, Math.min(block, x.length - start));
            fft.forward(t, xs);
            for (int k = 0; k < size / 2 + 1; k++) {
                float re = xs[2 * k] * hs[2 * k] - xs[2 * k + 1] * hs[2 * k + 1];
                float im = xs[2 * k] * hs[2 * k + 1] + xs[2 * k + 1] * hs[2 * k];
                xs[2 * k] = re;
                xs[2 * k + 1] = im;
            }
            fft.inverse(xs, t);
            for (int i = 0; i < size && start + i < y.length; i++) {
                y[start + i] += t[i];
            }
        }
        float[] out = new float[x.length];
        for (int i = delay; i < x.length; i++) {
            out[i] = y[i - delay] * g;
        }
        return out;
    }

    /** The sum of signals, rounded and clipped to 16 bits. */
    public static short[] mix(float[]... parts) {
        short[] out = new short[parts[0].length];
        for (int i = 0; i < out.length; i++) {
            float v = 0;
            for (float[] p : parts) {
                v += p[i];
            }
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return out;
    }

    /** 16-bit samples as floats. */
    public static float[] floats(short[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /**
     * Segmental SNR of {@code test} against {@code ref} (test lagging by {@code lag}) over the
     * 10 ms frames where {@code ref} is speech, each frame's SNR clamped to [−10, 35] dB.
     */
    public static double segmentalSnr(float[] ref, float[] test, int lag, int rate, int from, int to) {
        int frame = rate / 100;
        double sum = 0;
        int n = 0;
        for (int start = from; start + frame <= to && start + frame + lag <= test.length; start += frame) {
            double s = 0;
            double e = 0;
            for (int i = start; i < start + frame; i++) {
                double r = ref[i];
                double d = r - test[i + lag];
                s += r * r;
                e += d * d;
            }
            if (10 * Math.log10(Math.max(s / frame, 1e-12) / (32768.0 * 32768.0 / 2)) <= -45) {
                continue;
            }
            double snr = 10 * Math.log10(s / Math.max(e, 1e-9));
            sum += Math.max(-10, Math.min(35, snr));
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
