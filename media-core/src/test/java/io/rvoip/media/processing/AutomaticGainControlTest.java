package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The controller on the speech clip presented at −40…−6 dBFS (active speech level). */
class AutomaticGainControlTest {

    @Test
    void bringsEveryInputLevelWithin3DbOfTheTarget() {
        for (int rate : new int[] {8000, 16000}) {
            for (double in = -40; in <= -6; in += 2) {
                assertThat(Measures.outputLevel(rate, in)).as("%d Hz, input %.0f dBFS", rate, in).isBetween(-21.0, -15.0);
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


}
