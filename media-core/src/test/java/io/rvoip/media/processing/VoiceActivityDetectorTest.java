package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Frame accuracy against the clean clip's labels (a 10 ms frame is speech when the clean clip's
 * energy in it is above −45 dBFS), with white noise and babble at SNRs relative to the active
 * speech level. The floors sit a little below the figures the module README records.
 */
class VoiceActivityDetectorTest {


    @Test
    void cleanSpeech() {
        assertThat(Measures.accuracy(8000, Double.POSITIVE_INFINITY, false)).isGreaterThan(0.95);
        assertThat(Measures.accuracy(16000, Double.POSITIVE_INFINITY, false)).isGreaterThan(0.985);
    }

    @Test
    void whiteNoiseAt20And10And5Db() {
        assertThat(Measures.accuracy(16000, 20, false)).isGreaterThan(0.93);
        assertThat(Measures.accuracy(16000, 10, false)).isGreaterThan(0.89);
        assertThat(Measures.accuracy(16000, 5, false)).isGreaterThan(0.81);
        assertThat(Measures.accuracy(8000, 10, false)).isGreaterThan(0.83);
        assertThat(Measures.accuracy(8000, 5, false)).isGreaterThan(0.78);
    }

    @Test
    void babbleAt10Db() {
        assertThat(Measures.accuracy(16000, 10, true)).isGreaterThan(0.72);
    }

    @Test
    void noiseAloneIsNeverSpeechAtAnyLevel() {
        assertThat(Measures.noiseFa(0.2)).isZero();
    }

    @Test
    void stationaryNoiseAloneIsNotSpeechOnceLearnt() {
        VoiceActivityDetector vad = new VoiceActivityDetector(16000);
        short[] noise = Scenarios.mix(Scenarios.whiteNoise(16000 * 6, -30, 3));
        int speech = 0;
        for (int f = 0; f < 600; f++) {
            boolean s = vad.isSpeech(noise, f * 160);
            if (f >= 100 && s) {
                speech++;
            }

        }
        assertThat(speech).isZero();
        assertThat(vad.noiseLevelDb()).isCloseTo(-30, org.assertj.core.data.Offset.offset(3.0));
    }

    @Test
    void hangoverHoldsTheDecisionAfterARunOfSpeech() {
        VoiceActivityDetector vad = new VoiceActivityDetector(8000, 0.2, -45, 50);
        short[] x = Scenarios.mix(Scenarios.whiteNoise(16000, -60, 5));
        for (int i = 8000; i < 12000; i++) {
            x[i] += (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        boolean[] d = new boolean[200];
        for (int f = 0; f < 200; f++) {
            d[f] = vad.isSpeech(x, f * 80);
        }
        assertThat(d[90]).isFalse();
        assertThat(d[149]).isTrue();
        assertThat(d[151]).isTrue();   // held
        assertThat(d[154]).isTrue();   // 50 ms
        assertThat(d[157]).isFalse();
        assertThat(vad.lastFrameWasNoise()).isTrue();
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> new VoiceActivityDetector(8001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VoiceActivityDetector(8000, 0.2, -45, -1)).isInstanceOf(IllegalArgumentException.class);
    }



}
