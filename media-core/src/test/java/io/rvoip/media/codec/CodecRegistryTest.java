package io.rvoip.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Payload types, offers and answers (RFC 3551, RFC 3264 §6.1, RFC 4733). */
class CodecRegistryTest {
    @Test
    void theDefaultOfferUsesStaticTypesAndTelephoneEvent101() {
        assertThat(CodecRegistry.defaults().offer().stream().map(MediaFormat::rtpmap).toList())
                .containsExactly("9 G722/8000", "0 PCMU/8000", "8 PCMA/8000", "101 telephone-event/8000");
        assertThat(CodecRegistry.defaults().offer().get(3).fmtp()).isEqualTo("0-16");
    }

    @Test
    void dynamicCodecsTakeTypesFrom96AndEachClockGetsItsTelephoneEvent() {
        CodecRegistry r = CodecRegistry.of(true, L16.MONO_16K, G711.PCMU, new L16(48000, 2));
        assertThat(r.offer().stream().map(MediaFormat::rtpmap).toList()).containsExactly("96 L16/16000", "0 PCMU/8000",
                "97 L16/48000/2", "101 telephone-event/16000", "102 telephone-event/8000", "103 telephone-event/48000");
    }

    @Test
    void theAnswerKeepsTheOffersTypesInOurOrderWithTheMatchingTelephoneEvent() {
        List<MediaFormat> offer = List.of(MediaFormat.staticType(8), MediaFormat.staticType(0), MediaFormat.staticType(18),
                MediaFormat.parseRtpmap("110 telephone-event/16000", "0-15"),
                MediaFormat.parseRtpmap("100 telephone-event/8000", "0-15"));
        List<MediaFormat> answer = CodecRegistry.defaults().answer(offer);
        assertThat(answer.stream().map(MediaFormat::rtpmap).toList())
                .containsExactly("0 PCMU/8000", "8 PCMA/8000", "100 telephone-event/8000");
        assertThat(CodecRegistry.defaults().codecOf(answer.get(0))).isSameAs(G711.PCMU);
        assertThat(CodecRegistry.defaults().codecOf(answer.get(2))).isNull();
        // nothing in common: no answer (the stream is rejected)
        assertThat(CodecRegistry.defaults().answer(List.of(MediaFormat.staticType(18)))).isEmpty();
        // the encoding name is case-insensitive
        assertThat(CodecRegistry.defaults().answer(List.of(MediaFormat.parseRtpmap("9 g722/8000", null)))).hasSize(1);
    }

    @Test
    void comfortNoiseIsOfferedPerClockAndAnsweredForTheFirstCodecsClock() {
        CodecRegistry reg = CodecRegistry.defaults().withComfortNoise();
        assertThat(reg.offer().stream().map(MediaFormat::rtpmap).toList())
                .containsExactly("9 G722/8000", "0 PCMU/8000", "8 PCMA/8000", "101 telephone-event/8000", "13 CN/8000");
        CodecRegistry opus = CodecRegistry.of(false, Opus.VOICE, G711.PCMU).withComfortNoise();
        assertThat(opus.offer().stream().map(MediaFormat::rtpmap).toList())
                .contains("101 CN/48000", "13 CN/8000");
        List<MediaFormat> offer = List.of(MediaFormat.staticType(0), MediaFormat.staticType(13),
                MediaFormat.parseRtpmap("101 telephone-event/8000", "0-16"));
        assertThat(reg.answer(offer).stream().map(MediaFormat::rtpmap).toList())
                .containsExactly("0 PCMU/8000", "101 telephone-event/8000", "13 CN/8000");
        assertThat(CodecRegistry.defaults().answer(offer).stream().map(MediaFormat::rtpmap).toList())
                .as("without CN support, CN is not answered").containsExactly("0 PCMU/8000", "101 telephone-event/8000");
    }

    @Test
    void rtpmapParsing() {
        MediaFormat opus = MediaFormat.parseRtpmap("111 opus/48000/2", "minptime=10;useinbandfec=1");
        assertThat(opus.payloadType()).isEqualTo(111);
        assertThat(opus.channels()).isEqualTo(2);
        assertThat(opus.rtpmap()).isEqualTo("111 opus/48000/2");
        assertThat(MediaFormat.staticType(9).clockRate()).isEqualTo(8000); // RFC 3551 §4.5.2
        assertThat(MediaFormat.staticType(96)).isNull();
        for (String bad : List.of("", "111", "111 opus", "x opus/48000", "111 opus/abc", "200 PCMU/8000", "0 PCMU/8000/1/2")) {
            assertThatThrownBy(() -> MediaFormat.parseRtpmap(bad, null)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
