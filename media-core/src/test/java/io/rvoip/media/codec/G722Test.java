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
}
