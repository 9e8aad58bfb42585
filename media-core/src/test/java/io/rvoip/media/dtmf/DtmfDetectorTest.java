package io.rvoip.media.dtmf;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.AudioData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In-band detection on the shared DTMF files (clean and 15 dB SNR) and the speech clip. */
class DtmfDetectorTest {
    private static List<DtmfDetector.Digit> detect(short[] pcm, int chunk) {
        List<DtmfDetector.Digit> got = new ArrayList<>();
        DtmfDetector d = new DtmfDetector(got::add);
        for (int i = 0; i < pcm.length; i += chunk) {
            d.process(pcm, i, Math.min(chunk, pcm.length - i));
        }
        d.flush();
        return got;
    }

    private static String digits(List<DtmfDetector.Digit> got) {
        StringBuilder b = new StringBuilder();
        got.forEach(d -> b.append(d.digit()));
        return b.toString();
    }

    @Test
    void all16DigitsAreFoundWithTheirTimingInTheCleanAndTheNoisyFile() {
        for (String file : List.of("dtmf_8k.wav", "dtmf_8k_noise15db.wav")) {
            List<DtmfDetector.Digit> got = detect(AudioData.wav(file).samples(), 160);
            assertThat(digits(got)).as(file).isEqualTo("0123456789*#ABCD");
            for (int k = 0; k < got.size(); k++) {
                // each tone is samples 1600k … 1600k+800; detection works in 102-sample blocks
                assertThat(got.get(k).startSample()).as(file + " digit " + k).isBetween(1600L * k - 102, 1600L * k + 204);
                assertThat(got.get(k).samples()).as(file + " digit " + k).isBetween(800L - 306, 800L + 102);
            }
        }
    }

    @Test
    void speechMakesNoDigits() {
        assertThat(detect(AudioData.wav("speech8k.wav").samples(), 160)).isEmpty();
    }

    @Test
    void fortyMillisecondsAreADigitTwentyAreNot() {
        for (int offset = 0; offset < 102; offset += 17) { // whatever the block alignment
            DtmfGenerator g = new DtmfGenerator(8000, -10);
            short[] pcm = new short[8000];
            g.fill(pcm, 0, offset);
            g.play('5', 40, 100);
            g.fill(pcm, offset, 1120);
            g.play('9', 20, 100);
            g.fill(pcm, offset + 1120, 960);
            assertThat(digits(detect(pcm, 80))).as("offset %d", offset).isEqualTo("5");
        }
    }

    @Test
    void aQuietOrAOneToneSignalIsNoDigit() {
        DtmfGenerator quiet = new DtmfGenerator(8000, -55);
        short[] pcm = new short[2000];
        quiet.play('1', 200, 0);
        quiet.fill(pcm, 0, pcm.length);
        assertThat(detect(pcm, 160)).isEmpty();
        short[] single = new short[2000];
        for (int i = 0; i < single.length; i++) {
            single[i] = (short) (8000 * Math.sin(2 * Math.PI * 697 * i / 8000));
        }
        assertThat(detect(single, 160)).isEmpty();
    }
}
