package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The controller on the speech clip presented at −40…−6 dBFS (active speech level). */
class AutomaticGainControlTest {
    /** The output's active speech level over the last two passes of the clip, for an input at {@code inputDb}. */
    static double outputLevel(int rate, double inputDb) {
        short[] clip = Scenarios.speech(rate);
        int n = clip.length * 4;
        float[] speech = Scenarios.loop(clip, n, 0, false);
        double active = Scenarios.activeLevelDb(speech, rate);
        float[] scaled = Scenarios.scaleTo(speech, Scenarios.rmsDb(speech, 0, n) + inputDb - active);
        short[] x = Scenarios.mix(scaled, Scenarios.whiteNoise(n, -70, 3));
        AutomaticGainControl agc = new AutomaticGainControl(rate);
        int frame = agc.frameSamples();
        for (int off = 0; off + frame <= n; off += frame) {
            agc.process(x, off);
        }
        boolean[] labels = Scenarios.labels(speech, rate);
        float[] out = Scenarios.floats(x);
        double sum = 0;
        int count = 0;
        for (int f = labels.length / 2; f < labels.length; f++) {
            if (labels[f]) {
                for (int i = f * frame; i < (f + 1) * frame; i++) {
                    sum += (double) out[i] * out[i];
                }
                count += frame;
            }
        }
        return 10 * Math.log10(sum / count / (32768.0 * 32768.0 / 2));
    }

    @Test
    void bringsEveryInputLevelWithin3DbOfTheTarget() {
        for (int rate : new int[] {8000, 16000}) {
            for (double in = -40; in <= -6; in += 2) {
                assertThat(outputLevel(rate, in)).as("%d Hz, input %.0f dBFS", rate, in).isBetween(-21.0, -15.0);
            }
        }
    }

    @Test
    void silenceDoesNotPumpTheGainUp() {
        AutomaticGainControl agc = new AutomaticGainControl(16000);
        short[] clip = Scenarios.speech(16000);
        float[] speech = Scenarios.scaleTo(Scenarios.loop(clip, clip.length, 0, false), -30);
        short[] x = Scenarios.mix(speech);
        for (int pass = 0; pass < 3; pass++) {
            short[] copy = x.clone();
            for (int off = 0; off + 160 <= copy.length; off += 160) {
                agc.process(copy, off);
            }
        }
        double before = agc.gainDb();
        short[] quiet = Scenarios.mix(Scenarios.whiteNoise(16000 * 5, -62, 4));
        for (int off = 0; off + 160 <= quiet.length; off += 160) {
            agc.process(quiet, off);
        }
        assertThat(agc.gainDb()).isCloseTo(before, org.assertj.core.data.Offset.offset(0.5));
        // and the gate holds the amplified background down: −62 + gain − 12
        double out = Scenarios.rmsDb(Scenarios.floats(quiet), 16000 * 4, 16000 * 5);
        assertThat(out).isLessThan(-62 + before - 10);
    }

    @Test
    void limiterKeepsAShoutAfterAQuietStretchFromClipping() {
        AutomaticGainControl agc = new AutomaticGainControl(8000);
        short[] clip = Scenarios.speech(8000);
        short[] quiet = Scenarios.mix(Scenarios.scaleTo(Scenarios.loop(clip, clip.length * 2, 0, false), -45));
        for (int off = 0; off + 80 <= quiet.length; off += 80) {
            agc.process(quiet, off);
        }
        assertThat(agc.gainDb()).isGreaterThan(20);
        short[] loud = Scenarios.mix(Scenarios.scaleTo(Scenarios.loop(clip, clip.length, 0, false), -10));
        int peak = 0;
        for (int off = 0; off + 80 <= loud.length; off += 80) {
            agc.process(loud, off);
        }
        for (short v : loud) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertThat(peak).isLessThanOrEqualTo(29300); // −1 dBFS
        assertThat(agc.gainDb()).isLessThan(0);
    }

    @Test
    void maxGainIsRespected() {
        AutomaticGainControl agc = new AutomaticGainControl(8000, AutomaticGainControl.Config.defaults().withMaxGain(10));
        short[] clip = Scenarios.speech(8000);
        short[] quiet = Scenarios.mix(Scenarios.scaleTo(Scenarios.loop(clip, clip.length * 2, 0, false), -45));
        for (int off = 0; off + 80 <= quiet.length; off += 80) {
            agc.process(quiet, off);
        }
        assertThat(agc.gainDb()).isCloseTo(10, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> AutomaticGainControl.Config.defaults().withTarget(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AutomaticGainControl.Config.defaults().withMaxGain(80)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Prints the figures the module README records. */
    static void report() {
        for (int rate : new int[] {16000, 8000}) {
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            StringBuilder sb = new StringBuilder();
            for (double in = -40; in <= -6; in += 2) {
                double out = outputLevel(rate, in);
                lo = Math.min(lo, out);
                hi = Math.max(hi, out);
                sb.append(String.format(" %.0f→%.1f", in, out));
            }
            System.out.printf("AGC %d kHz, target -18 dBFS: output %.1f…%.1f dBFS over inputs -40…-6 dBFS;%s%n", rate / 1000, lo, hi, sb);
        }
    }

    @Test
    void printReport() {
        report();
    }
}
