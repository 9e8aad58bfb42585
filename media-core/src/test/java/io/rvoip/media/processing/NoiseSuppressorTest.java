package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoiseSuppressorTest {



    @Test
    void whiteNoiseAt10And5Db() {
        double[] m10 = Measures.measure(16000, 10, false, 20);
        assertThat(m10[0]).as("SNR gain at 10 dB").isGreaterThan(10.5);
        assertThat(m10[2]).as("plain SNR gain at 10 dB").isGreaterThan(3);
        assertThat(m10[1]).as("speech segSNR at 10 dB").isGreaterThan(9.5);
        assertThat(Measures.measure(16000, 5, false, 20)[0]).isGreaterThan(11.5);
        assertThat(Measures.measure(8000, 10, false, 20)[0]).isGreaterThan(8.5);
    }

    @Test
    void babbleIsReducedALittle() {
        assertThat(Measures.measure(16000, 10, true, 20)[0]).isGreaterThan(2.5);
    }

    @Test
    void noiseAloneIsAttenuatedSmoothlyWithoutMusicalNoise() {
        NoiseSuppressor ns = new NoiseSuppressor(16000);
        short[] x = Scenarios.mix(Scenarios.whiteNoise(16000 * 6, -30, 9));
        for (int off = 0; off + 160 <= x.length; off += 160) {
            ns.process(x, off);
        }
        // after two seconds: about 20 dB down, and the level steady frame to frame
        double sum = 0;
        double sum2 = 0;
        int frames = 0;
        for (int off = 16000 * 2; off + 160 <= x.length; off += 160) {
            double db = Scenarios.rmsDb(Scenarios.floats(x), off, off + 160);
            sum += db;
            sum2 += db * db;
            frames++;
        }
        double mean = sum / frames;
        double sd = Math.sqrt(sum2 / frames - mean * mean);
        assertThat(mean).isBetween(-52.0, -47.0);
        assertThat(sd).isLessThan(1.5);
        assertThat(ns.noiseLevelDb()).isCloseTo(-30, org.assertj.core.data.Offset.offset(2.0));
    }

    @Test
    void refusesBadSettings() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NoiseSuppressor(16000, 50)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NoiseSuppressor(4000)).isInstanceOf(IllegalArgumentException.class);
    }


}
