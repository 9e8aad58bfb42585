package io.rvoip.media.mix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rvoip.media.AudioData;
import io.rvoip.media.dsp.ToneGenerator;
import io.rvoip.media.dsp.ToneGenerator.Tone;
import org.junit.jupiter.api.Test;

class AudioMixerTest {

    /** Runs {@code ticks} frames: each participant says its tone; returns what each heard in the last 25 frames. */
    private static short[][] run(AudioMixer mixer, AudioMixer.Participant[] ps, ToneGenerator[] gens, int ticks) {
        short[][] heard = new short[ps.length][];
        for (int p = 0; p < ps.length; p++) {
            heard[p] = new short[ps[p].sampleRate() / 50 * 25];
        }
        for (int t = 0; t < ticks; t++) {
            for (int p = 0; p < ps.length; p++) {
                int n = ps[p].sampleRate() / 50;
                short[] frame = new short[n];
                gens[p].fill(frame, 0, n);
                ps[p].write(frame, 0, n);
            }
            mixer.mix();
            for (int p = 0; p < ps.length; p++) {
                int n = ps[p].sampleRate() / 50;
                short[] frame = new short[n];
                ps[p].read(frame, 0, n);
                if (t >= ticks - 25) {
                    System.arraycopy(frame, 0, heard[p], (t - (ticks - 25)) * n, n);
                }
            }
        }
        return heard;
    }

    @Test
    void everyoneHearsTheOthersAndNotThemselvesAcrossRates() {
        AudioMixer mixer = new AudioMixer(16000, 20);
        int[] rates = {8000, 16000, 48000};
        double[] freqs = {300, 500, 700};
        AudioMixer.Participant[] ps = new AudioMixer.Participant[3];
        ToneGenerator[] gens = new ToneGenerator[3];
        for (int i = 0; i < 3; i++) {
            ps[i] = mixer.join(rates[i]);
            gens[i] = new ToneGenerator(rates[i]);
            gens[i].play(new Tone(freqs[i], 0, -20, 1000, 0));
        }
        assertThat(mixer.size()).isEqualTo(3);
        short[][] heard = run(mixer, ps, gens, 50);
        for (int i = 0; i < 3; i++) {
            assertThat(AudioData.relativePower(heard[i], 0, heard[i].length, freqs[i], rates[i])).as("participant %d hears itself", i).isLessThan(-40);
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    assertThat(AudioData.relativePower(heard[i], 0, heard[i].length, freqs[j], rates[i])).as("%d hears %d", i, j).isCloseTo(-3, within(0.5));
                }
            }
        }
        // muted: heard by nobody, but still hears
        ps[1].setMuted(true);
        heard = run(mixer, ps, gens, 30);
        assertThat(AudioData.relativePower(heard[0], 0, heard[0].length, 500, 8000)).isLessThan(-40);
        assertThat(AudioData.relativePower(heard[1], 0, heard[1].length, 300, 16000)).isCloseTo(-3, within(0.5));
        // leaving: out of the mix
        ps[1].setMuted(false);
        ps[2].leave();
        assertThat(mixer.size()).isEqualTo(2);
        heard = run(mixer, new AudioMixer.Participant[] {ps[0], ps[1]}, new ToneGenerator[] {gens[0], gens[1]}, 30);
        assertThat(AudioData.relativePower(heard[0], 0, heard[0].length, 500, 8000)).isCloseTo(0, within(0.3));
        assertThat(AudioData.relativePower(heard[0], 0, heard[0].length, 700, 8000)).isLessThan(-40);
        // alone: silence (after the resampler's tail of what was heard before)
        ps[1].leave();
        heard = run(mixer, new AudioMixer.Participant[] {ps[0]}, new ToneGenerator[] {gens[0]}, 3);
        assertThat(java.util.Arrays.copyOfRange(heard[0], 2 * 160, 3 * 160)).containsOnly((short) 0);
    }

    @Test
    void loudOverlapsAreLimitedNotWrapped() {
        AudioMixer mixer = new AudioMixer(8000, 20);
        AudioMixer.Participant[] ps = {mixer.join(8000), mixer.join(8000), mixer.join(8000)};
        ToneGenerator[] gens = new ToneGenerator[3];
        for (int i = 0; i < 2; i++) {
            gens[i] = new ToneGenerator(8000);
            gens[i].play(new Tone(400, 0, -0.5, 1000, 0)); // two near-full-scale sines in phase
        }
        gens[2] = new ToneGenerator(8000);
        short[][] heard = run(mixer, ps, gens, 30);
        short[] ref = new short[heard[2].length];
        ToneGenerator g = new ToneGenerator(8000);
        g.play(new Tone(400, 0, -0.5, 1000, 0));
        for (int t = 0; t < 30; t++) {
            short[] f = new short[160];
            g.fill(f, 0, 160);
            if (t >= 5) {
                System.arraycopy(f, 0, ref, (t - 5) * 160, 160);
            }
        }
        int peak = 0;
        for (int i = 0; i < ref.length; i++) {
            int o = heard[2][i];
            peak = Math.max(peak, Math.abs(o));
            if (Math.abs(ref[i]) > 1000) {
                assertThat(Integer.signum(o)).as("sample %d keeps its sign", i).isEqualTo(Integer.signum(ref[i]));
            }
            if (Math.abs(ref[i]) < 12000) {
                assertThat(o).as("below the knee the sum is exact").isEqualTo(2 * ref[i]);
            }
        }
        assertThat(peak).isGreaterThan(30000).isLessThanOrEqualTo(32767);
        // monotonic limiter
        for (int x = -70000; x < 70000; x += 7) {
            assertThat(AudioMixer.limit(x + 7)).isGreaterThanOrEqualTo(AudioMixer.limit(x));
        }
    }
}
