package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The noise tracker on synthetic power spectra: exponentially distributed bins (Gaussian noise). */
class NoiseEstimatorTest {
    private static final int BINS = 64;

    private static float[] noise(Random r, double mean) {
        float[] p = new float[BINS];
        for (int k = 0; k < BINS; k++) {
            p[k] = (float) (-mean * Math.log(1 - r.nextDouble()));
        }
        return p;
    }

    private static double meanNoise(NoiseEstimator e) {
        double s = 0;
        for (float v : e.noise()) {
            s += v;
        }
        return s / BINS;
    }

    @Test
    void learnsStationaryNoiseFromTheFirstFrames() {
        NoiseEstimator e = new NoiseEstimator(BINS);
        Random r = new Random(1);
        for (int f = 0; f < 20; f++) {
            e.update(noise(r, 1.0));
        }
        assertThat(meanNoise(e)).isBetween(0.7, 1.2);
        for (int f = 0; f < 300; f++) {
            e.update(noise(r, 1.0));
        }
        assertThat(meanNoise(e)).isBetween(0.8, 1.2);
    }

    @Test
    void aStreamThatOpensWithSpeechDoesNotTakeTheSpeechForNoise() {
        // 100 ms of speech 20 dB over the noise, then 100 ms of noise alone: the plain average of
        // the first 20 frames would be about 50; the bias-corrected minimum keeps it near the noise
        NoiseEstimator e = new NoiseEstimator(BINS);
        Random r = new Random(2);
        for (int f = 0; f < 10; f++) {
            e.update(noise(r, 100.0));
        }
        for (int f = 0; f < 10; f++) {
            e.update(noise(r, 1.0));
        }
        assertThat(meanNoise(e)).isLessThan(8.0);
    }
}
