package io.rvoip.media.processing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The measurements behind the voice processing tests and the module README's figures (no test
 * framework here, so {@link VoiceProcessingReport} can run them from the benchmarks jar).
 */
public final class Measures {
    private Measures() {
    }

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

    /** Prints the figures the module README records. */
    static void noiseReport() {
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

    /** Accuracy over three passes of the clip, counted from the start (learning time included). */
    static double accuracy(int rate, double snrDb, boolean babble) {
        return accuracy(rate, snrDb, babble, 0.2);
    }

    static double accuracy(int rate, double snrDb, boolean babble, double thr) {
        VadScenario sc = vadScenario(rate, snrDb, babble);
        VoiceActivityDetector vad = new VoiceActivityDetector(rate, thr, -45, 0);
        int frame = vad.frameSamples();
        int right = 0;
        for (int f = 0; f < sc.truth.length; f++) {
            if (vad.isSpeech(sc.input, f * frame) == sc.truth[f]) {
                right++;
            }
        }
        return (double) right / sc.truth.length;
    }

    /** A VAD scenario: the input, and the truth per 10 ms frame (the clean clip's energy above −45 dBFS). */
    record VadScenario(short[] input, boolean[] truth) {
    }

    /** Three passes of the clip, with white noise or babble at {@code snrDb} under the active speech level (infinite: clean). */
    static VadScenario vadScenario(int rate, double snrDb, boolean babble) {
        short[] clip = Scenarios.speech(rate);
        int n = clip.length * 3;
        float[] speech = Scenarios.loop(clip, n, 0, false);
        boolean[] truth = Scenarios.labels(speech, rate);
        double active = Scenarios.activeLevelDb(speech, rate);
        if (Double.isInfinite(snrDb)) {
            return new VadScenario(Scenarios.mix(speech), truth);
        }
        float[] noise = babble ? Scenarios.babble(rate, n, active - snrDb, 11) : Scenarios.whiteNoise(n, active - snrDb, 11);
        return new VadScenario(Scenarios.mix(speech, noise), truth);
    }

    /**
     * Writes the white-noise VAD scenarios of {@link #print} as raw 16-bit little-endian mono
     * files ({@code vad-<rate>-<snr>.s16}, {@code clean} for no noise) with their truth labels
     * ({@code vad-<rate>.truth}: one character per frame, 1 = speech), so another detector can be
     * scored on exactly the same input ({@code benchmarks/scripts/webrtc-vad.sh}).
     */
    static void writeVadScenarios(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int rate : new int[] {8000, 16000}) {
            boolean[] truth = null;
            for (double snr : new double[] {Double.POSITIVE_INFINITY, 20, 10, 5}) {
                VadScenario sc = vadScenario(rate, snr, false);
                truth = sc.truth;
                byte[] out = new byte[2 * sc.input.length];
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(sc.input);
                String name = Double.isInfinite(snr) ? "clean" : String.valueOf((int) snr);
                Files.write(dir.resolve("vad-" + rate + "-" + name + ".s16"), out);
            }
            StringBuilder t = new StringBuilder(truth.length + 1);
            for (boolean b : truth) {
                t.append(b ? '1' : '0');
            }
            Files.writeString(dir.resolve("vad-" + rate + ".truth"), t.append('\n'));
        }
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

    /** Prints the figures the module README records. */
    static void gainReport() {
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

    /** Prints the figures the module README records. */
    static void echoReport() {
        for (int rate : new int[] {16000, 8000}) {
            for (boolean res : new boolean[] {false, true}) {
                int lag = res ? rate / 100 : 0;
                String name = rate / 1000 + " kHz, " + (res ? "linear + suppressor" : "linear filter only");
                EchoScenario s = EchoScenario.builder().rate(rate).build();
                short[] out = s.run(new EchoCanceller(rate, EchoCanceller.DEFAULT_TAIL_MS, 200, res));
                EchoScenario q = EchoScenario.builder().rate(rate).noiseDbfs(-75).build();
                short[] oq = q.run(new EchoCanceller(rate, EchoCanceller.DEFAULT_TAIL_MS, 200, res));
                EchoScenario dt = EchoScenario.builder().rate(rate).doubleTalk(8, 14).build();
                short[] od = dt.run(new EchoCanceller(rate, EchoCanceller.DEFAULT_TAIL_MS, 200, res));
                EchoScenario pc = EchoScenario.builder().rate(rate).pathChangeAt(10).build();
                short[] op = pc.run(new EchoCanceller(rate, EchoCanceller.DEFAULT_TAIL_MS, 200, res));
                EchoScenario d120 = EchoScenario.builder().rate(rate).delayMs(120).build();
                EchoCanceller a120 = new EchoCanceller(rate, EchoCanceller.DEFAULT_TAIL_MS, 200, res);
                short[] o120 = d120.run(a120);
                System.out.printf("AEC %s: ERLE steady %.1f dB (quiet mic %.1f), time to 20 dB %.2f s (120 ms delay: %.2f s, %.1f dB, found %d ms), "
                                + "double talk segSNR %.1f -> %.1f dB, after echo-path change: ERLE 10-10.5 s %.1f dB, back to 20 dB in %.2f s, 12-20 s %.1f dB%n",
                        name, s.erle(out, lag, 10, 20), q.erle(oq, lag, 10, 20), s.timeTo(out, lag, 20, 0),
                        d120.timeTo(o120, lag, 20, 0), d120.erle(o120, lag, 10, 20), a120.estimatedDelayMs(),
                        dt.nearSegSnr(dt.mic, 0, 8, 14), dt.nearSegSnr(od, lag, 8, 14),
                        pc.erle(op, lag, 10, 10.5), pc.timeTo(op, lag, 20, 10), pc.erle(op, lag, 12, 20));
            }
        }
    }
}
