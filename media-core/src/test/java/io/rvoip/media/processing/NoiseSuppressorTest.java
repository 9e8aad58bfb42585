package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoiseSuppressorTest {
    /** SNR gain and speech distortion by shadow filtering: the noisy signal's gains applied to speech and noise apart. */
    static double[] measure(int rate, double snrDb, boolean babble, double maxAtt) {
        short[] clip = Scenarios.speech(rate);
        int n = clip.length * 3;
        float[] speech = Scenarios.loop(clip, n, 0, false);
        double active = Scenarios.activeLevelDb(speech, rate);
        float[] noise = babble ? Scenarios.babble(rate, n, active - snrDb, 7)
                : Scenarios.whiteNoise(n, active - snrDb, 7);
        short[] noisy = Scenarios.mix(speech, noise);
        NoiseSuppressor ns = new NoiseSuppressor(rate, maxAtt);
        int frame = ns.frameSamples();
        SpectralFrames sSh = new SpectralFrames(frame);
        SpectralFrames nSh = new SpectralFrames(frame);
        float[] spec = new float[2 * frame + 2];
        short[] sOut = new short[n];
        short[] nOut = new short[n];
        short[] sIn = Scenarios.mix(speech);
        short[] nIn = Scenarios.mix(noise);
        for (int off = 0; off + frame <= n; off += frame) {
            ns.process(noisy, off);
            float[] g = ns.gains();
            shadow(sSh, sIn, off, g, spec, sOut);
            shadow(nSh, nIn, off, g, spec, nOut);
        }
        int from = n / 3; // after the first pass through the clip
        double inSnr = energy(sIn, from - frame, n - frame) / energy(nIn, from - frame, n - frame);
        double outSnr = energy(sOut, from, n) / energy(nOut, from, n);
        double gain = 10 * Math.log10(outSnr / inSnr);
        double distortion = Scenarios.segmentalSnr(speech, Scenarios.floats(sOut), frame, rate, from, n - frame);
        // the plain measure: the output against the clean speech (distortion counts as noise)
        double err = 0;
        for (int i = from; i < n - frame; i++) {
            double d = noisy[i + frame] - speech[i];
            err += d * d;
        }
        double plainOut = 10 * Math.log10(energy(sIn, from, n - frame) / err);
        double plainIn = 10 * Math.log10(energy(sIn, from, n - frame) / energy(nIn, from, n - frame));
        return new double[] {gain, distortion, plainOut - plainIn};
    }

    private static void shadow(SpectralFrames f, short[] in, int off, float[] g, float[] spec, short[] out) {
        f.analyse(in, off, spec);
        for (int k = 0; k < g.length; k++) {
            spec[2 * k] *= g[k];
            spec[2 * k + 1] *= g[k];
        }
        f.synthesise(spec, out, off);
    }

    private static double energy(short[] x, int from, int to) {
        double s = 0;
        for (int i = Math.max(0, from); i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return s;
    }

    @Test
    void whiteNoiseAt10And5Db() {
        double[] m10 = measure(16000, 10, false, 20);
        assertThat(m10[0]).as("SNR gain at 10 dB").isGreaterThan(10.5);
        assertThat(m10[2]).as("plain SNR gain at 10 dB").isGreaterThan(3);
        assertThat(m10[1]).as("speech segSNR at 10 dB").isGreaterThan(9.5);
        assertThat(measure(16000, 5, false, 20)[0]).isGreaterThan(11.5);
        assertThat(measure(8000, 10, false, 20)[0]).isGreaterThan(8.5);
    }

    @Test
    void babbleIsReducedALittle() {
        assertThat(measure(16000, 10, true, 20)[0]).isGreaterThan(2.5);
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

    /** Prints the figures the module README records. */
    static void report() {
        for (int rate : new int[] {16000, 8000}) {
            for (boolean babble : new boolean[] {false, true}) {
                for (double snr : new double[] {10, 5}) {
                    double[] m = measure(rate, snr, babble, 20);
                    System.out.printf("NS %d kHz, %s at %.0f dB: SNR gain %.1f dB (plain %.1f dB), speech segSNR %.1f dB%n",
                            rate / 1000, babble ? "babble" : "white", snr, m[0], m[2], m[1]);
                }
            }
        }
    }

    @Test
    void printReport() {
        report();
    }
}
