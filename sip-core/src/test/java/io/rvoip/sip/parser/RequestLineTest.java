package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.message.SipRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request line's three parts, and the error and offset for each way it can be wrong. */
class RequestLineTest {
    private static final String REST = "\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\n"
            + "To: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 X\r\nContent-Length: 0\r\n\r\n";

    private static SipRequest parse(String line) {
        return (SipRequest) SipParser.defaults().parseDatagram((line + REST).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void methodUriAndVersion() {
        SipRequest r = parse("X-Ext.1! sip:bob@biloxi.example.com;transport=tcp SIP/2.0");
        assertThat(r.method().name()).isEqualTo("X-Ext.1!");
        assertThat(r.requestUri().toString()).isEqualTo("sip:bob@biloxi.example.com;transport=tcp");
        assertThat(parse("INVITE sip:a@b.example.com:5070 SIP/2.0").requestUri().toString())
                .isEqualTo("sip:a@b.example.com:5070");
    }

    @Test
    void errorsAndTheirOffsets() {
        expect("INV(ITE sip:a@b SIP/2.0", "bad method", 3);
        expect("(INVITE sip:a@b SIP/2.0", "bad method", 0);
        expect("INVITE", "malformed request line", 0);
        expect("INV(ITE", "malformed request line", 0);
        expect(" INVITE sip:a@b SIP/2.0", "malformed request line", 0);
        expect("INVITE sip:a@b", "malformed request line", 6);
        expect("INVITE  sip:a@b SIP/2.0", "malformed request line", 6);
        expect("INVITE sip:a@b SIP/3", "bad SIP version", 15);
    }

    private static void expect(String line, String reason, int offset) {
        assertThatThrownBy(() -> parse(line)).as(line).isInstanceOfSatisfying(SipParseException.class, e -> {
            assertThat(e.getMessage()).startsWith(reason);
            assertThat(e.offset()).isEqualTo(offset);
        });
    }
}
