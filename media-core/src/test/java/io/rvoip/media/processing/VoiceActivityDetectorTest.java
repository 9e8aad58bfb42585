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
    /** Accuracy over three passes of the clip, counted from the start (learning time included). */
    static double accuracy(int rate, double snrDb, boolean babble) {
        return accuracy(rate, snrDb, babble, 0.2);
    }

    static double accuracy(int rate, double snrDb, boolean babble, double thr) {
        short[] clip = Scenarios.speech(rate);
        int n = clip.length * 3;
        float[] speech = Scenarios.loop(clip, n, 0, false);
        boolean[] truth = Scenarios.labels(speech, rate);
        double active = Scenarios.activeLevelDb(speech, rate);
        short[] in;
        if (Double.isInfinite(snrDb)) {
            in = Scenarios.mix(speech);
        } else {
            float[] noise = babble ? Scenarios.babble(rate, n, active - snrDb, 11) : Scenarios.whiteNoise(n, active - snrDb, 11);
            in = Scenarios.mix(speech, noise);
        }
        VoiceActivityDetector vad = new VoiceActivityDetector(rate, thr, -45, 0);
        int frame = vad.frameSamples();
        int right = 0;
        for (int f = 0; f < truth.length; f++) {
            if (vad.isSpeech(in, f * frame) == truth[f]) {
                right++;
            }
        }
        return (double) right / truth.length;
    }

    @Test
    void cleanSpeech() {
        assertThat(accuracy(8000, Double.POSITIVE_INFINITY, false)).isGreaterThan(0.95);
        assertThat(accuracy(16000, Double.POSITIVE_INFINITY, false)).isGreaterThan(0.97);
    }

    @Test
    void whiteNoiseAt20And10And5Db() {
        assertThat(accuracy(16000, 20, false)).isGreaterThan(0.93);
        assertThat(accuracy(16000, 10, false)).isGreaterThan(0.87);
        assertThat(accuracy(16000, 5, false)).isGreaterThan(0.81);
        assertThat(accuracy(8000, 10, false)).isGreaterThan(0.83);
        assertThat(accuracy(8000, 5, false)).isGreaterThan(0.78);
    }

    @Test
    void babbleAt10Db() {
        assertThat(accuracy(16000, 10, true)).isGreaterThan(0.72);
    }

    @Test
    void noiseAloneIsNeverSpeechAtAnyLevel() {
        assertThat(noiseFa(0.2)).isZero();
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

    @Test
    void report() {
        System.out.println("VAD false frames in 9 s of white noise alone, 6 cases: " + noiseFa(0.2));
        print(0.2);
    }

    static void print(double thr) {
        for (int rate : new int[] {8000, 16000}) {
            for (double snr : new double[] {Double.POSITIVE_INFINITY, 20, 10, 5}) {
                System.out.printf("VAD %d Hz, white %s dB: %.1f %%%n", rate, snr, 100 * accuracy(rate, snr, false, thr));
            }
            for (double snr : new double[] {20, 10, 5}) {
                System.out.printf("VAD %d Hz, babble %s dB: %.1f %%%n", rate, snr, 100 * accuracy(rate, snr, true, thr));
            }
        }
    }

    static int noiseFa(double thr) {
        int fa = 0;
        for (int rate : new int[] {8000, 16000}) {
            for (double lvl : new double[] {-60, -45, -30}) {
                VoiceActivityDetector vad = new VoiceActivityDetector(rate, thr, -45, 0);
                short[] noise = Scenarios.mix(Scenarios.whiteNoise(rate * 10, lvl, 3));
                for (int f = 0; f < 1000; f++) {
                    if (vad.isSpeech(noise, f * rate / 100) && f >= 100) {
                        fa++;
                    }
                }
            }
        }
        return fa;
    }
}
