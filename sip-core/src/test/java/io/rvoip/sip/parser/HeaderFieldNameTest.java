package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The name part of a header line: the parser looks a known name up between the line's start
 * and the first colon, and reads anything else byte by byte. Both ways must give the same
 * names, and the same error at the same offset, as reading every line byte by byte.
 */
class HeaderFieldNameTest {
    private static final String START = "OPTIONS sip:b@h SIP/2.0\r\n";
    private static final String HOT = "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\n"
            + "To: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n";

    private static SipMessage parse(String headers) {
        return SipParser.defaults().parseDatagram((START + headers + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void knownNamesInAnyCaseWithBlanksBeforeTheColonAndCompactForms() {
        SipMessage m = parse(HOT + "mAX-fORWARDS \t: 69\r\nv :SIP/2.0/TCP g;branch=z9hG4bK2\r\nX-Ext.1!  : a:b\r\n"
                + "Subject:x\r\n");
        assertThat(m.get(SipHeaders.MAX_FORWARDS)).isEqualTo(69);
        assertThat(m.getAll(SipHeaders.VIA)).hasSize(2);
        assertThat(m.get(SipHeaders.VIA).branch()).isEqualTo("z9hG4bK1");
        assertThat(m.header("x-ext.1!")).isEqualTo("a:b");
        assertThat(m.header("Subject")).isEqualTo("x");
        assertThat(m.headerName(5)).isSameAs(HeaderName.MAX_FORWARDS);
        assertThat(m.headerName(6)).isSameAs(HeaderName.VIA);
        assertThat(m.headerName(7).isKnown()).isFalse();
        assertThat(m.headerName(7).name()).isEqualTo("X-Ext.1!");
    }

    @Test
    void aLineWhoseNameIsNotAllTokenBytesFailsWhereTheBadByteIs() {
        int base = START.length() + HOT.length();
        // CR where Call-ID has its '-': with the case bit ORed onto every byte it would read as '-'
        expect(HOT + "Call\rID: c2\r\n", "expected ':' after header name", base + 4);
        // a line with no colon: the next line's colon must not make it a field
        expect(HOT + "Max-Forwards 70\r\nSubject: s\r\n", "expected ':' after header name", base + 13);
        expect(HOT + "Max-Forwards\r\nSubject: s\r\n", "expected ':' after header name", base + 12);
        // bytes no name has, before and in a known name
        expect(HOT + "\u00e9Subject: s\r\n", "bad header name", base);
        expect(HOT + "Sub\u00e9ject: s\r\n", "expected ':' after header name", base + 3);
        expect(HOT + "Sub ject: s\r\n", "expected ':' after header name", base + 4);
        expect(HOT + ": s\r\n", "bad header name", base);
        // a compact form with its high bit set is no compact form (0xE9 & 0x7F is 'i')
        expect(HOT + "\u00e9: c2\r\n", "bad header name", base);
    }

    private static void expect(String headers, String reason, int offset) {
        assertThatThrownBy(() -> parse(headers)).as(headers).isInstanceOfSatisfying(SipParseException.class, e -> {
            assertThat(e.getMessage()).contains(reason);
            assertThat(e.offset()).isEqualTo(offset);
        });
    }
}
