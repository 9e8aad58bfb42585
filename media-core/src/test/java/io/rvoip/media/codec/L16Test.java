package io.rvoip.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** L16 (RFC 3551): network byte order, any rate and channel count. */
class L16Test {
    @Test
    void samplesAreBigEndianAndRoundTripExactly() {
        short[] pcm = {0, 1, -1, 32767, -32768, 0x1234};
        byte[] out = new byte[12];
        assertThat(L16.MONO_16K.newEncoder().encode(pcm, 0, 6, out, 0)).isEqualTo(12);
        assertThat(out).containsExactly(0, 0, 0, 1, 0xFF, 0xFF, 0x7F, 0xFF, 0x80, 0, 0x12, 0x34);
        short[] back = new short[6];
        assertThat(L16.MONO_16K.newDecoder().decode(out, 0, 12, back, 0)).isEqualTo(6);
        assertThat(back).isEqualTo(pcm);
    }

    @Test
    void stereoCountsFramesAndRefusesAnOddPayload() {
        L16 stereo = new L16(48000, 2);
        short[] pcm = new short[960 * 2];
        byte[] out = new byte[stereo.maxEncodedBytes(960)];
        assertThat(stereo.newEncoder().encode(pcm, 0, 960, out, 0)).isEqualTo(3840);
        assertThat(stereo.newDecoder().decode(out, 0, 3840, pcm, 0)).isEqualTo(960);
        assertThatThrownBy(() -> stereo.newDecoder().decode(out, 0, 3842, pcm, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new L16(44100, 2).staticPayloadType()).isEqualTo(10);
        assertThat(new L16(44100, 1).staticPayloadType()).isEqualTo(11);
        assertThat(L16.MONO_48K.staticPayloadType()).isEqualTo(-1);
        assertThat(L16.MONO_48K.timestampUnits(20)).isEqualTo(960);
    }
}
