package io.rvoip.media.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rvoip.media.AudioData;
import io.rvoip.media.io.AudioSource;
import io.rvoip.media.io.ToneSource;
import org.junit.jupiter.api.Test;

class ProcessingTest {

    @Test
    void gainScalesSaturatesAndRamps() {
        short[] x = {1000, -1000, 20000, -20000, 32767, -32768};
        Gain g = new Gain(20 * Math.log10(2));
        g.process(x, 0, x.length);
        assertThat(x).containsExactly((short) 2000, (short) -2000, (short) 32767, (short) -32768, (short) 32767,
                (short) -32768);
        // a change ramps across the next block: no step at its start
        short[] dc = new short[160];
        java.util.Arrays.fill(dc, (short) 1000);
        Gain r = new Gain(0);
        r.setDb(Double.NEGATIVE_INFINITY);
        r.process(dc, 0, 160);
        assertThat(dc[0]).isBetween((short) 990, (short) 1000);
        assertThat(dc[80]).isBetween((short) 490, (short) 510);
        assertThat(dc[159]).isEqualTo((short) 0);
        for (int i = 1; i < 160; i++) {
            assertThat(dc[i]).isLessThanOrEqualTo(dc[i - 1]);
        }
        java.util.Arrays.fill(dc, (short) 1000);
        r.process(dc, 0, 160);
        assertThat(dc).containsOnly((short) 0);
        assertThatThrownBy(() -> r.setDb(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void levelMeterReadsTheSineOracle() {
        short[] sine = AudioData.wav("sine1k_-10dBFS_8k.wav").samples();
        LevelMeter m = new LevelMeter();
        m.process(sine, 0, 160);
        assertThat(m.peakDb()).isCloseTo(-10, within(0.1));
        assertThat(m.rmsDb()).isCloseTo(-13.01, within(0.1)); // a sine's RMS is 3.01 dB under its peak
        assertThat(m.smoothedDb()).isEqualTo(m.rmsDb());
        short[] silence = new short[160];
        m.process(silence, 0, 160);
        assertThat(m.rmsDb()).isEqualTo(LevelMeter.SILENCE_DB);
        assertThat(m.smoothedDb()).as("falls slowly").isCloseTo(-13.41, within(0.1));
    }

    @Test
    void tonesHaveTheirFrequenciesLevelAndCadence() {
        int rate = 8000;
        short[] out = new short[rate * 6];
        ToneSource src = ToneSource.of(ToneGenerator.Tone.RINGBACK_NA, rate);
        for (int i = 0; i < out.length; i += 160) {
            src.read(out, i, 160); // in frames: phase-continuous
        }
        // 2 s on, 4 s off
        for (int i = 0; i < 2 * rate; i++) {
            if (i > 100 && i < 2 * rate - 100) {
                assertThat(out[i] != 0 || out[i - 1] != 0).isTrue();
            }
        }
        for (int i = 2 * rate; i < 6 * rate; i++) {
            assertThat(out[i]).isZero();
        }
        assertThat(AudioData.relativePower(out, 0, 8000, 440, rate)).isCloseTo(-3, within(0.2));
        assertThat(AudioData.relativePower(out, 0, 8000, 480, rate)).isCloseTo(-3, within(0.2));
        assertThat(AudioData.relativePower(out, 0, 8000, 620, rate)).isLessThan(-40);
        LevelMeter m = new LevelMeter();
        m.process(out, 0, 8000);
        // two components at -19 dBFS each: RMS = -19 - 3.01 + 3.01 dBov
        assertThat(m.rmsDb()).isCloseTo(-19, within(0.1));
        // a long run keeps its amplitude (the oscillator is renormalised)
        ToneGenerator g = new ToneGenerator(48000);
        g.play(new ToneGenerator.Tone(1000, 0, -6, 1000, 0));
        short[] block = new short[48000];
        for (int s = 0; s < 600; s++) {
            g.fill(block, 0, block.length); // 10 minutes
        }
        m.process(block, 0, block.length);
        assertThat(m.peakDb()).isCloseTo(-6, within(0.05));
        src.stop();
        short[] after = new short[160];
        src.read(after, 0, 160);
        assertThat(after).containsOnly((short) 0);
        assertThatThrownBy(() -> new ToneGenerator(8000).play(new ToneGenerator.Tone(5000, 0, -10, 100, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        short[] s = {1, 2, 3};
        AudioSource.silence(16000).read(s, 0, 3);
        assertThat(s).containsOnly((short) 0);
    }
}
