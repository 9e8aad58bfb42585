package io.rvoip.media.cn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rvoip.media.AudioData;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ComfortNoiseTest {

    /** An AR process x[n] = Σ c_i x[n-i] + e[n], scaled to {@code rms}. */
    private static short[] ar(double[] c, double rms, int n, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double v = rnd.nextGaussian();
            for (int j = 0; j < c.length && i - j - 1 >= 0; j++) {
                v += c[j] * x[i - j - 1];
            }
            x[i] = v;
        }
        double p = 0;
        for (double v : x) {
            p += v * v;
        }
        double scale = rms / Math.sqrt(p / n);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.round(x[i] * scale);
        }
        return out;
    }

    private static double rms(short[] s, int from, int to) {
        double p = 0;
        for (int i = from; i < to; i++) {
            p += (double) s[i] * s[i];
        }
        return Math.sqrt(p / (to - from));
    }

    /** Normalised autocorrelation at lags 1..lags. */
    private static double[] shape(short[] s, int from, int to, int lags) {
        double[] r = new double[lags + 1];
        for (int lag = 0; lag <= lags; lag++) {
            for (int i = from + lag; i < to; i++) {
                r[lag] += (double) s[i] * s[i - lag];
            }
        }
        double[] out = new double[lags];
        for (int lag = 1; lag <= lags; lag++) {
            out[lag - 1] = r[lag] / r[0];
        }
        return out;
    }

    private static byte[] describe(short[] noise, int order) {
        ComfortNoiseEncoder enc = new ComfortNoiseEncoder(order);
        for (int i = 0; i + 160 <= noise.length; i += 160) {
            enc.analyse(noise, i, 160);
        }
        byte[] sid = new byte[1 + order];
        assertThat(enc.encode(sid, 0)).isEqualTo(1 + order);
        return sid;
    }

    private static short[] play(byte[] sid, int frames) {
        ComfortNoiseGenerator gen = new ComfortNoiseGenerator(42);
        gen.update(sid, 0, sid.length);
        short[] out = new short[frames * 160];
        for (int f = 0; f < frames; f++) {
            gen.generate(out, f * 160, 160);
        }
        return out;
    }

    @Test
    void quantisationFollowsRfc3389() {
        assertThat(ComfortNoise.dequantize(127)).isZero();
        assertThat(ComfortNoise.dequantize(0)).isCloseTo(-127 * 258 / 32768.0, within(1e-12));
        assertThat(ComfortNoise.dequantize(254)).isCloseTo(127 * 258 / 32768.0, within(1e-12));
        assertThat(ComfortNoise.dequantize(255)).as("reserved").isZero();
        for (double k = -0.99; k <= 0.99; k += 0.01) {
            assertThat(ComfortNoise.dequantize(ComfortNoise.quantize(k))).isCloseTo(k, within(129 / 32768.0 + 1e-12));
        }
        assertThat(ComfortNoise.quantize(2)).isEqualTo(254);
        assertThat(ComfortNoise.quantize(-2)).isEqualTo(0);
        assertThat(ComfortNoise.level(32768)).isZero();
        assertThat(ComfortNoise.level(32768 * Math.pow(10, -40 / 20.0))).isEqualTo(40);
        assertThat(ComfortNoise.level(0)).isEqualTo(127);
        assertThat(ComfortNoise.rms(40)).isCloseTo(327.68, within(0.01));
        assertThat(ComfortNoise.rms(127)).isZero();
    }

    @Test
    void analysisRecoversLevelAndSpectrumOfAnArProcess() {
        double rms = ComfortNoise.rms(40);
        short[] noise = ar(new double[] {0.9}, rms, 16000, 1); // low-pass noise at -40 dBov
        byte[] sid = describe(noise, 10);
        assertThat(sid[0] & 0xFF).isBetween(39, 41);
        double k1 = ComfortNoise.dequantize(sid[1] & 0xFF);
        assertThat(k1).as("low-pass noise has a negative k1 (A(z) = 1 + Σ a_i z^-i)").isCloseTo(-0.9, within(0.05));
        for (int i = 2; i <= 10; i++) {
            assertThat(Math.abs(ComfortNoise.dequantize(sid[i] & 0xFF))).as("k" + i).isLessThan(0.12);
        }
    }

    @Test
    void synthesisReproducesLevelAndSpectralShape() {
        // a resonant second-order noise (band-pass around 1 kHz) and a white one
        short[] colored = ar(new double[] {1.2, -0.7}, ComfortNoise.rms(35), 16000, 2);
        short[] out = play(describe(colored, 10), 100);
        assertThat(20 * Math.log10(rms(out, 1600, out.length) / ComfortNoise.rms(35))).isCloseTo(0, within(1.0));
        double[] in = shape(colored, 0, colored.length, 5);
        double[] cn = shape(out, 1600, out.length, 5);
        for (int lag = 0; lag < 5; lag++) {
            assertThat(cn[lag]).as("lag " + (lag + 1)).isCloseTo(in[lag], within(0.06));
        }
        short[] white = ar(new double[0], ComfortNoise.rms(50), 16000, 3);
        short[] whiteOut = play(describe(white, 10), 100);
        assertThat(Math.abs(shape(whiteOut, 1600, whiteOut.length, 1)[0])).isLessThan(0.06);
        assertThat(20 * Math.log10(rms(whiteOut, 1600, whiteOut.length) / ComfortNoise.rms(50))).isCloseTo(0, within(1.0));
        // order 0: the level alone
        short[] flat = play(describe(colored, 0), 50);
        assertThat(20 * Math.log10(rms(flat, 1600, flat.length) / ComfortNoise.rms(35))).isCloseTo(0, within(1.0));
    }

    @Test
    void updatesAreApproachedSmoothlyAndSilenceIsSilent() {
        ComfortNoiseGenerator gen = new ComfortNoiseGenerator(7);
        short[] frame = new short[160];
        gen.generate(frame, 0, 160);
        assertThat(frame).containsOnly((short) 0); // nothing received yet
        gen.update(new byte[] {60}, 0, 1);
        gen.update(new byte[] {(byte) (0x80 | 40)}, 0, 1); // the unused MSB is ignored
        gen.generate(frame, 0, 160);
        assertThat(gen.rms()).as("half-way after one frame").isBetween(ComfortNoise.rms(60), ComfortNoise.rms(40) * 0.9);
        for (int i = 0; i < 20; i++) {
            gen.generate(frame, 0, 160);
        }
        assertThat(gen.rms()).isCloseTo(ComfortNoise.rms(40), within(0.5));
        gen.update(new byte[] {127, (byte) 255}, 0, 2);
        for (int i = 0; i < 60; i++) {
            gen.generate(frame, 0, 160);
        }
        assertThat(rms(frame, 0, 160)).isLessThan(1);
        assertThatThrownBy(() -> gen.update(new byte[0], 0, 0)).isInstanceOf(IllegalArgumentException.class);
        byte[] long20 = new byte[21];
        long20[0] = 30;
        java.util.Arrays.fill(long20, 1, 21, (byte) 127);
        gen.update(long20, 0, 21); // a higher order than ours: extra coefficients are ignored
        gen.generate(frame, 0, 160);
        // deterministic for a seed
        assertThat(play(new byte[] {40, (byte) 200}, 3)).isEqualTo(play(new byte[] {40, (byte) 200}, 3));
    }
}
