package io.rvoip.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.AudioData;
import org.junit.jupiter.api.Test;

/** G.722 against ffmpeg's bitstream and decoded audio (shared/testdata/audio), both directions. */
class G722Test {
    private final short[] speech = AudioData.wav("speech16k.wav").samples();

    @Test
    void theEncoderProducesFfmpegsBitstream() {
        byte[] out = new byte[speech.length / 2];
        int n = G722.INSTANCE.newEncoder().encode(speech, 0, speech.length, out, 0);
        assertThat(n).isEqualTo(40000);
        assertThat(out).isEqualTo(AudioData.bytes("speech16k.g722"));
    }

    @Test
    void theDecoderReproducesFfmpegsOutput() {
        byte[] bits = AudioData.bytes("speech16k.g722");
        short[] pcm = new short[bits.length * 2];
        int n = G722.INSTANCE.newDecoder().decode(bits, 0, bits.length, pcm, 0);
        assertThat(n).isEqualTo(80000);
        assertThat(pcm).isEqualTo(AudioData.wav("speech16k_g722_decoded.wav").samples());
    }

    @Test
    void frameByFrameEqualsOneGoAndTheRoundTripKeepsTheSpeech() {
        AudioEncoder enc = G722.INSTANCE.newEncoder();
        AudioDecoder dec = G722.INSTANCE.newDecoder();
        byte[] payload = new byte[160];
        short[] decoded = new short[speech.length];
        for (int f = 0; f + 320 <= speech.length; f += 320) { // 20 ms frames
            assertThat(enc.encode(speech, f, 320, payload, 0)).isEqualTo(160);
            assertThat(dec.decode(payload, 0, 160, decoded, f)).isEqualTo(320);
        }
        assertThat(decoded).isEqualTo(AudioData.wav("speech16k_g722_decoded.wav").samples());
        // the QMF delays the output by 22 samples (README): SNR as measured there, 25.6 dB
        assertThat(AudioData.snr(speech, decoded, 22, 0, speech.length - 22)).isBetween(25.0, 26.5);
    }

    @Test
    void theQuantiserDividesByMultiplyingExactly() {
        java.util.Random r = new java.util.Random(7);
        for (int nb = 0; nb <= 18432; nb += 64) {
            int det = G722.lowDet(nb);
            long[] ns = new long[3000];
            for (int i = 0; i < ns.length; i += 3) {
                long k = 1 + r.nextInt((int) ((1L << 27) / det));
                ns[i] = k * det - 1; // just below a multiple: where a reciprocal would round up wrongly
                ns[i + 1] = k * det;
                ns[i + 2] = r.nextInt(1 << 27);
            }
            for (long n : ns) {
                org.assertj.core.api.Assertions.assertThat(G722.lowQuotient(n, nb)).as("n %d det %d", n, det)
                        .isEqualTo((int) (n / det));
            }
        }
    }
}
