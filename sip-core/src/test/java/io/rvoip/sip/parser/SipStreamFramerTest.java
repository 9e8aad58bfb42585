package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipStreamFramerTest {
    static final String INVITE = "INVITE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKabc\r\n"
            + "To: <sip:bob@example.com>\r\nFrom: <sip:alice@example.com>;tag=1\r\nCall-ID: c1@host\r\n"
            + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: 10\r\n\r\n"
            + "0123456789";
    static final String BYE = "BYE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bKdef\r\n"
            + "To: <sip:bob@example.com>;tag=2\r\nFrom: <sip:alice@example.com>;tag=1\r\ni: c1@host\r\n"
            + "CSeq: 2 BYE\r\nMax-Forwards: 70\r\nl: 0\r\n\r\n";

    /** Feeds the stream in pieces, framing as a transport would; returns the messages found. */
    static List<SipMessage> feed(byte[] stream, int[] cuts) {
        SipStreamFramer framer = new SipStreamFramer();
        List<SipMessage> out = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int prev = 0;
        for (int cut : cuts) {
            buffer.write(stream, prev, cut - prev);
            prev = cut;
            byte[] buf = buffer.toByteArray();
            int start = 0;
            for (;;) {
                start += SipStreamFramer.leadingNewlines(buf, start, buf.length - start);
                if (start >= buf.length) {
                    break;
                }
                int n = framer.frameLength(buf, start, buf.length - start);
                if (n == 0) {
                    break;
                }
                out.add(SipParser.defaults().parseFrame(buf, start, n));
                start += n;
            }
            buffer.reset();
            buffer.write(buf, start, buf.length - start);
        }
        return out;
    }

    @Test
    void framesMessagesSplitAtEveryByteOffset() {
        byte[] stream = ("\r\n\r\n" + INVITE + BYE + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int a = 1; a < stream.length; a++) {
            List<SipMessage> got = feed(stream, new int[] {a, stream.length});
            assertThat(got).as("cut at %d", a).hasSize(2);
            assertThat(((SipRequest) got.get(0)).method().name()).isEqualTo("INVITE");
            assertThat(got.get(0).bodyText()).isEqualTo("0123456789");
            assertThat(((SipRequest) got.get(1)).method().name()).isEqualTo("BYE");
        }
    }

    @Test
    void framesAByteAtATime() {
        byte[] stream = (INVITE + BYE + INVITE).getBytes(StandardCharsets.US_ASCII);
        int[] cuts = new int[stream.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertThat(feed(stream, cuts)).hasSize(3);
    }

    @Test
    void keepAlivesAreCounted() {
        byte[] ping = "\r\n\r\nINVITE".getBytes(StandardCharsets.US_ASCII);
        assertThat(SipStreamFramer.leadingNewlines(ping, 0, ping.length)).isEqualTo(4);
    }

    @Test
    void aMissingContentLengthIsAFramingError() {
        byte[] noLength = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new SipStreamFramer().frameLength(noLength, 0, noLength.length))
                .isInstanceOf(SipParseException.class).hasMessageContaining("mandatory");
    }

    @Test
    void badOrConflictingContentLengthsAreFramingErrors() {
        for (String header : List.of("Content-Length: -1", "Content-Length: 12x", "l: 99999999999",
                "Content-Length: 1\r\nContent-Length: 2")) {
            byte[] msg = ("OPTIONS sip:a@b SIP/2.0\r\n" + header + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> new SipStreamFramer().frameLength(msg, 0, msg.length)).as(header)
                    .isInstanceOf(SipParseException.class);
        }
    }

    @Test
    void oversizedMessagesAreRefusedBeforeTheyAreBuffered() {
        ParserLimits small = new ParserLimits(1024, 64, 256, 256, 512, 16, 16);
        byte[] huge = ("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 5000\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new SipStreamFramer(small).frameLength(huge, 0, huge.length))
                .isInstanceOf(SipParseException.class);
        byte[] endless = new byte[2048];
        Arrays.fill(endless, (byte) 'a');
        assertThatThrownBy(() -> new SipStreamFramer(small).frameLength(endless, 0, endless.length))
                .isInstanceOf(SipParseException.class);
    }

    @Test
    void aFrameMustMatchItsContentLength() {
        byte[] msg = INVITE.getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> SipParser.defaults().parseFrame(msg, 0, msg.length - 1))
                .isInstanceOf(SipParseException.class);
    }
}
