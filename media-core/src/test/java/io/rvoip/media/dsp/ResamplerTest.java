package io.rvoip.media.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Passband flatness, stopband and image rejection (≥ 60 dB), and frame-size independence. */
class ResamplerTest {
    private static final int[][] PAIRS = {{8000, 16000}, {16000, 8000}, {8000, 48000}, {48000, 8000},
        {16000, 48000}, {48000, 16000}, {32000, 48000}, {48000, 32000}, {8000, 32000}, {44100, 48000}};

    private static short[] sine(int rate, double freq, double amplitude, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return s;
    }

    private static short[] run(Resampler r, short[] in, int chunk) {
        short[] out = new short[r.maxOutput(in.length) + in.length / chunk + 8];
        int n = 0;
        for (int i = 0; i < in.length; i += chunk) {
            n += r.process(in, i, Math.min(chunk, in.length - i), out, n);
        }
        return Arrays.copyOf(out, n);
    }

    /** The amplitude of the {@code freq} component over out[from..], by Goertzel. */
    private static double amplitude(short[] s, int rate, double freq, int from) {
        int n = s.length - from;
        double coef = 2 * Math.cos(2 * Math.PI * freq / rate);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < s.length; i++) {
            double s0 = s[i] + coef * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coef * s1 * s2;
        return 2 * Math.sqrt(Math.max(power, 0)) / n;
    }

    private static double rms(short[] s, int from) {
        double e = 0;
        for (int i = from; i < s.length; i++) {
            e += (double) s[i] * s[i];
        }
        return Math.sqrt(e / (s.length - from));
    }

    @Test
    void thePassbandIsFlatWithinHalfADecibel() {
        for (int[] p : PAIRS) {
            double nyquist = Math.min(p[0], p[1]) / 2.0;
            for (double f : new double[] {0.05, 0.3, 0.6, 0.8}) {
                double freq = Math.round(f * nyquist);
                short[] out = run(new Resampler(p[0], p[1]), sine(p[0], freq, 10000, p[0] / 2), 160);
                double gainDb = 20 * Math.log10(amplitude(out, p[1], freq, p[1] / 10) / 10000);
                assertThat(gainDb).as("%d → %d at %.0f Hz", p[0], p[1], freq).isBetween(-0.5, 0.5);
            }
        }
    }

    @Test
    void whatCannotBeRepresentedIsAttenuatedBy60Db() {
        for (int[] p : PAIRS) {
            int in = p[0];
            int out = p[1];
            double nyquist = Math.min(in, out) / 2.0;
            if (in > out) {
                // downsampling: tones between the output's Nyquist and the input's must vanish
                for (double f : new double[] {nyquist * 1.05, nyquist * 1.5, in / 2.0 * 0.95}) {
                    short[] o = run(new Resampler(in, out), sine(in, f, 16000, in / 2), 160);
                    double db = 20 * Math.log10(Math.max(rms(o, out / 10), 1e-3) / (16000 / Math.sqrt(2)));
                    assertThat(db).as("%d → %d, %.0f Hz", in, out, f).isLessThan(-60);
                }
            } else {
                // upsampling: the images of a 1 kHz tone around multiples of the input rate
                short[] o = run(new Resampler(in, out), sine(in, 1000, 16000, in / 2), 160);
                for (int k = 1; k * in - 1000 < out / 2.0; k++) {
                    for (double image : new double[] {k * in - 1000, k * in + 1000}) {
                        if (image < out / 2.0) {
                            double db = 20 * Math.log10(Math.max(amplitude(o, out, image, out / 10), 1e-3) / 16000);
                            assertThat(db).as("%d → %d, image at %.0f Hz", in, out, image).isLessThan(-60);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theOutputDoesNotDependOnFrameSizes() {
        short[] in = sine(8000, 440, 12000, 8000);
        short[] whole = run(new Resampler(8000, 48000), in, in.length);
        assertThat(run(new Resampler(8000, 48000), in, 160)).isEqualTo(whole);
        assertThat(run(new Resampler(8000, 48000), in, 37)).isEqualTo(whole);
        assertThat(run(new Resampler(8000, 48000), in, 1)).isEqualTo(whole);
        assertThat(whole.length).isBetween(48000 - 6, 48000);
        short[] down = run(new Resampler(48000, 8000), whole, 960);
        assertThat(down.length).isBetween(8000 - 2, 8000);
    }
}
