package io.rvoip.media.plc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.AudioData;
import io.rvoip.media.codec.AudioDecoder;
import io.rvoip.media.codec.AudioEncoder;
import io.rvoip.media.codec.G711;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** G.711 Appendix I concealment: delay, waveform continuation, fade-out, and speech with loss. */
class G711PlcTest {
    /** A voiced-like periodic signal: 100 Hz fundamental (80-sample period) with two harmonics. */
    private static short[] vowel(int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * i / 80.0;
            s[i] = (short) (6000 * Math.sin(t) + 3000 * Math.sin(2 * t + 0.5) + 1500 * Math.sin(3 * t + 1.0));
        }
        return s;
    }

    private static double energy(short[] s, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) s[i] * s[i];
        }
        return e / (to - from);
    }

    /** Runs {@code in} through the PLC in 10 ms blocks, losing the blocks {@code lost} says. */
    private static short[] run(short[] in, java.util.function.IntPredicate lost) {
        G711Plc plc = new G711Plc();
        short[] out = in.clone();
        for (int b = 0; b * G711Plc.FRAME < in.length; b++) {
            if (lost.test(b)) {
                plc.conceal(out, b * G711Plc.FRAME);
            } else {
                plc.received(out, b * G711Plc.FRAME);
            }
        }
        return out;
    }

    @Test
    void withoutLossTheOutputIsTheInput375msLater() {
        short[] in = vowel(1600);
        short[] out = run(in, b -> false);
        for (int i = 0; i < 30; i++) {
            assertThat(out[i]).isZero();
        }
        for (int i = 30; i < in.length; i++) {
            assertThat(out[i]).isEqualTo(in[i - 30]);
        }
    }

    @Test
    void aLostBlockOfAPeriodicSignalIsContinuedAndTheFadeEndsInSilence() {
        short[] in = vowel(4000);
        short[] out = run(in, b -> b == 20);
        // the concealed block (output samples 1600..1680 show input 1570..1650 ± the overlap-adds)
        double concealed = AudioData.snr(in, out, 30, 1600 - 30, 1680 - 30);
        assertThat(concealed).as("SNR of the concealed 10 ms").isGreaterThan(15);
        double zeroFill = AudioData.snr(in, run(in, b -> false), 30, 1570, 1650); // sanity: no loss is exact
        assertThat(zeroFill).isGreaterThan(80);

        // a long erasure fades 20 % per 10 ms after the first 10 ms and is silent from 60 ms on
        short[] faded = run(in, b -> b >= 20 && b < 30);
        double first = energy(faded, 1600, 1680);
        double third = energy(faded, 1760, 1840);
        double fifth = energy(faded, 1920, 2000);
        assertThat(first).isGreaterThan(third);
        assertThat(third).isGreaterThan(fifth);
        assertThat(energy(faded, 2080 + 30, 2400)).as("60 ms and later (output lags by 30)").isZero();
        // the first good block after the erasure fades the signal back in; later ones are exact
        for (int i = 2480 + 30; i < 4000; i++) {
            assertThat(faded[i]).isEqualTo(in[i - 30]);
        }
    }

    @Test
    void speechWithTenPercentLossIsCloserToTheOriginalThanSilenceSubstitution() {
        short[] speech = AudioData.wav("speech8k.wav").samples();
        AudioEncoder enc = G711.PCMU.newEncoder();
        AudioDecoder plc = G711.PCMU.newDecoder();
        AudioDecoder none = G711.PCMU.withConcealment(false).newDecoder();
        Random loss = new Random(42);
        short[] withPlc = new short[speech.length];
        short[] withSilence = new short[speech.length];
        byte[] payload = new byte[160];
        int lost = 0;
        for (int f = 0; f + 160 <= speech.length; f += 160) {
            enc.encode(speech, f, 160, payload, 0);
            if (loss.nextInt(10) == 0) {
                lost++;
                plc.conceal(withPlc, f, 160);
                none.conceal(withSilence, f, 160);
            } else {
                plc.decode(payload, 0, 160, withPlc, f);
                none.decode(payload, 0, 160, withSilence, f);
            }
        }
        assertThat(lost).isBetween(15, 35);
        assertThat(plc.delaySamples()).isEqualTo(30);
        double snrPlc = AudioData.snr(speech, withPlc, 30, 0, speech.length - 30);
        double snrSilence = AudioData.snr(speech, withSilence, 0, 0, speech.length);
        assertThat(snrPlc).isGreaterThan(snrSilence + 1.0);
    }
}
