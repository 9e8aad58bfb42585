package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VoiceProcessorTest {
    @Test
    void theWholeChainRemovesEchoAndNoiseAndLevelsTheTalker() {
        // near-end talker at -35 dBFS in noise, far-end echo through a room; the chain brings the talker up,
        // takes the echo out, and counts talk and listen time
        EchoScenario s = EchoScenario.builder().seconds(20).noiseDbfs(-55).doubleTalk(12, 20).nearDb(-15).build();
        VoiceProcessor vp = new VoiceProcessor(16000, VoiceProcessor.Config.all());
        short[] out = s.mic.clone();
        for (int off = 0; off + 160 <= out.length; off += 160) {
            vp.render(s.far, off);
            vp.capture(out, off);
        }
        // echo-only stretch: the far end's voice is far below what the microphone took
        assertThat(s.erle(out, 320, 5, 11)).isGreaterThan(20);
        // near-end stretch: the talker comes out near the −18 dBFS target
        double talker = Scenarios.activeLevelDb(java.util.Arrays.copyOfRange(Scenarios.floats(out), 16000 * 16, 16000 * 20), 16000);
        assertThat(talker).isBetween(-24.0, -14.0);
        assertThat(vp.listenMillis()).isGreaterThan(10_000);
        assertThat(vp.talkMillis()).isBetween(3_000L, 9_000L);
        assertThat(vp.framesAnalysed()).isEqualTo(2000);
    }

    @Test
    void stagesSwitchedOffLeaveTheSignalAlone() {
        VoiceProcessor vp = new VoiceProcessor(8000, VoiceProcessor.Config.all());
        vp.echoCancellation(false);
        vp.noiseSuppression(false);
        vp.gainControl(false);
        vp.voiceDetection(false);
        short[] x = Scenarios.mix(Scenarios.loop(Scenarios.speech(8000), 8000, 0, false));
        short[] y = x.clone();
        for (int off = 0; off + 80 <= y.length; off += 80) {
            vp.render(x, off);
            vp.capture(y, off);
        }
        assertThat(y).isEqualTo(x);
        assertThat(vp.framesAnalysed()).isZero();
    }

    @Test
    void stagesNotBuiltCannotBeSwitchedOn() {
        VoiceProcessor vp = new VoiceProcessor(8000, VoiceProcessor.Config.none().withNoiseSuppression(true));
        vp.echoCancellation(true);
        vp.gainControl(true);
        assertThat(vp.echoCanceller()).isNull();
        assertThat(vp.gainControl()).isNull();
        assertThat(vp.noiseSuppressor()).isNotNull();
        assertThat(vp.detects()).isFalse();
        short[] x = new short[800];
        vp.capture(x, 0); // runs the suppressor only
        assertThat(vp.speech()).isFalse();
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> VoiceProcessor.Config.all().withEchoTail(600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VoiceProcessor(11025, VoiceProcessor.Config.all())).isInstanceOf(IllegalArgumentException.class);
    }
}
