package io.rvoip.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.AudioData;
import io.rvoip.media.io.WavFile;
import org.junit.jupiter.api.Test;

/**
 * G.711 against the sox oracles of shared/testdata/audio and the G.191 reference arithmetic:
 * decoders bit-exact; the rounding encoder byte-for-byte equal to sox; the G.191 encoder
 * differing from sox exactly where the README says, by one step.
 */
class G711Test {
    private final WavFile speech = AudioData.wav("speech8k.wav");

    private static byte[] encode(G711 codec, short[] pcm) {
        byte[] out = new byte[pcm.length];
        assertThat(codec.newEncoder().encode(pcm, 0, pcm.length, out, 0)).isEqualTo(pcm.length);
        return out;
    }

    private static short[] decode(G711 codec, byte[] codes) {
        short[] out = new short[codes.length];
        assertThat(codec.withConcealment(false).newDecoder().decode(codes, 0, codes.length, out, 0)).isEqualTo(codes.length);
        return out;
    }

    @Test
    void decodersEqualSoxBitForBit() {
        assertThat(decode(G711.PCMU, AudioData.bytes("speech8k.ulaw")))
                .isEqualTo(AudioData.wav("speech8k_ulaw_decoded.wav").samples());
        assertThat(decode(G711.PCMA, AudioData.bytes("speech8k.alaw")))
                .isEqualTo(AudioData.wav("speech8k_alaw_decoded.wav").samples());
    }

    @Test
    void theRoundingEncoderEqualsSoxByteForByte() {
        assertThat(encode(G711.PCMU.withRounding(G711.Rounding.NEAREST), speech.samples()))
                .isEqualTo(AudioData.bytes("speech8k.ulaw"));
        assertThat(encode(G711.PCMA.withRounding(G711.Rounding.NEAREST), speech.samples()))
                .isEqualTo(AudioData.bytes("speech8k.alaw"));
    }

    @Test
    void theG191EncoderDiffersFromSoxOnlyByItsTruncationByOneStep() {
        for (G711 codec : new G711[] {G711.PCMU, G711.PCMA}) {
            byte[] ours = encode(codec, speech.samples());
            byte[] sox = AudioData.bytes(codec.law() == G711.Law.MU ? "speech8k.ulaw" : "speech8k.alaw");
            short[] ourValues = decode(codec, ours);
            short[] soxValues = decode(codec, sox);
            int differ = 0;
            for (int i = 0; i < ours.length; i++) {
                if (ours[i] != sox[i]) {
                    differ++;
                    // one quantisation step apart: no value of the law lies strictly between the two
                    int lo = Math.min(ourValues[i], soxValues[i]);
                    int hi = Math.max(ourValues[i], soxValues[i]);
                    for (int c = 0; c < 256; c++) {
                        int v = decode(codec, new byte[] {(byte) c})[0];
                        assertThat(v > lo && v < hi).as("code %d between %d and %d", c, lo, hi).isFalse();
                    }
                }
            }
            // the counts measured with the G.191 reference code (shared/testdata/audio/README.md)
            assertThat(differ).isEqualTo(codec.law() == G711.Law.MU ? 2759 : 4190);
        }
    }

    @Test
    void overAll16BitInputsTruncationAndRoundingDifferWhereTheReferenceSays() {
        int mu = 0;
        int a = 0;
        for (int x = -32768; x <= 32767; x++) {
            if (G711.linearToUlaw(x) != G711.linearToUlawRounded(x)) {
                mu++;
            }
            if (G711.linearToAlaw(x) != G711.linearToAlawRounded(x)) {
                a++;
            }
            // the tables equal the G.191 functions themselves
            assertThat(G711.linearToUlaw(x)).isEqualTo((byte) G711.ulawCompress(x));
            assertThat(G711.linearToAlaw(x)).isEqualTo((byte) G711.alawCompress(x));
        }
        assertThat(mu).isEqualTo(510);
        assertThat(a).isEqualTo(1020);
    }

    @Test
    void knownCodesAndRoundTrips() {
        // silence: µ-law 0xFF (+0), A-law 0xD5 (+8); full scale: µ-law 0x80, A-law 0xAA
        assertThat(G711.linearToUlaw(0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToAlaw(0)).isEqualTo((byte) 0xD5);
        assertThat(G711.linearToUlaw(32767)).isEqualTo((byte) 0x80);
        assertThat(G711.linearToUlaw(-32768)).isEqualTo((byte) 0x00);
        assertThat(G711.linearToAlaw(32767)).isEqualTo((byte) 0xAA);
        assertThat(G711.linearToAlaw(-32768)).isEqualTo((byte) 0x2A);
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
        // every code re-encodes to itself, except µ-law's negative zero (0x7F decodes to 0)
        for (int c = 0; c < 256; c++) {
            if (c != 0x7F) {
                assertThat(G711.linearToUlaw(G711.ulawToLinear((byte) c))).as("µ %02x", c).isEqualTo((byte) c);
            }
            assertThat(G711.linearToAlaw(G711.alawToLinear((byte) c))).as("A %02x", c).isEqualTo((byte) c);
        }
    }

    @Test
    void speechSurvivesARoundTripAt37Db() {
        short[] pcm = speech.samples();
        double snr = AudioData.snr(pcm, decode(G711.PCMU, encode(G711.PCMU, pcm)), 0, 0, pcm.length);
        assertThat(snr).isBetween(36.0, 40.0);
    }
}
