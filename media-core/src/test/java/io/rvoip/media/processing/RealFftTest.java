package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RealFftTest {
    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6, 8, 10, 16, 30, 32, 64, 128, 160, 256, 320, 640, 960, 1024, 2048})
    void matchesTheDefinitionAndInvertsExactly(int n) {
        Random rnd = new Random(n);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 1000);
        }
        RealFft fft = new RealFft(n);
        float[] spec = new float[n + 2];
        fft.forward(x, spec);
        double scale = 0;
        for (float v : x) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int k = 0; k <= n / 2; k++) {
            double re = 0;
            double im = 0;
            for (int t = 0; t < n; t++) {
                double a = -2 * Math.PI * ((long) k * t % n) / n;
                re += x[t] * Math.cos(a);
                im += x[t] * Math.sin(a);
            }
            assertThat((double) spec[2 * k]).as("re bin %d of %d", k, n).isCloseTo(re, org.assertj.core.data.Offset.offset(scale * n * 1e-5));
            assertThat((double) spec[2 * k + 1]).as("im bin %d of %d", k, n).isCloseTo(im, org.assertj.core.data.Offset.offset(scale * n * 1e-5));
        }
        float[] back = new float[n];
        fft.inverse(spec, back);
        for (int i = 0; i < n; i++) {
            assertThat((double) back[i]).as("sample %d of %d", i, n).isCloseTo(x[i], org.assertj.core.data.Offset.offset(scale * 1e-4));
        }
    }

    @Test
    void refusesLengthsItCannotFactor() {
        assertThatThrownBy(() -> new RealFft(14)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RealFft(9)).isInstanceOf(IllegalArgumentException.class);
    }
}
