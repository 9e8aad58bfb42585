package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.testing.Corpus;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SipParser.Depth#FULL}: every field with a typed header is typed during the parse, so a
 * malformed one refuses the message with the offset access would have reported; fields without
 * a typed header stay text; and over the corpus the two depths give the same values.
 */
class FullDepthTest {
    private static final String HEAD = "INVITE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "From: <sip:alice@example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\n"
            + "CSeq: 314159 INVITE\r\n";

    private static byte[] message(String extraLine) {
        return (HEAD + extraLine + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static List<HeaderType<?>> allTypes() {
        List<HeaderType<?>> out = new ArrayList<>();
        for (Field f : SipHeaders.class.getFields()) {
            if (f.getType() == HeaderType.class) {
                try {
                    out.add((HeaderType<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    /**
     * The error of the first field (in message order) whose typed value cannot be read, or null.
     * {@code getAll} of a type reports the first bad field of that type, and a field's errors lie
     * inside it, so the first bad field overall has the smallest offset of those errors.
     */
    static SipParseException firstUnreadable(SipMessage m) {
        SipParseException first = null;
        for (int i = 0; i < m.headerCount(); i++) {
            HeaderType<?> t = SipHeaders.typeOf(m.headerName(i));
            if (t != null) {
                try {
                    m.getAll(t);
                } catch (SipParseException e) {
                    if (first == null || e.offset() < first.offset()) {
                        first = e;
                    }
                }
            }
        }
        return first;
    }

    @Test
    void theDepthsAndTheirDefaults() {
        assertThat(SipParser.defaults().depth()).isEqualTo(SipParser.Depth.TRANSACTION);
        assertThat(SipParser.fullDepth().depth()).isEqualTo(SipParser.Depth.FULL);
        assertThat(SipParser.fullDepth().limits()).isEqualTo(ParserLimits.DEFAULT);
        assertThat(new SipParser(ParserLimits.DEFAULT).depth()).isEqualTo(SipParser.Depth.TRANSACTION);
        assertThatThrownBy(() -> new SipParser(ParserLimits.DEFAULT, null)).isInstanceOf(NullPointerException.class);
    }

    /** Each line's value is malformed for its typed header (compact forms included). */
    @ParameterizedTest
    @ValueSource(strings = {
        "Contact: <sip:alice@192.0.2.1",
        "m: <sip:alice@192.0.2.1>;expires=",
        "Route: <sip:p1.example.com;lr>, <",
        "Record-Route: sip:p1.example.com;lr>",
        "Allow: INVITE,,ACK",
        "k: timer, (100rel)",
        "Content-Type: application",
        "c: application/sdp;=utf-8",
        "Accept: application/sdp, /",
        "Session-Expires: soon",
        "x: 1800;=uac",
        "Min-SE: -90",
        "Expires: 4294967296",
        "RSeq: 0",
        "RAck: 1 2",
        "Event: ;id=1",
        "Subscription-State: active;expires=",
        "Refer-To: <sip:carol@example.com",
        "Date: yesterday",
        "Retry-After: 3 (busy",
        "Warning: 30 example.com \"x\"",
        "Reason: ;cause=200",
        "Timestamp: now",
        "Authorization: Digest username=",
        "WWW-Authenticate: Digest realm=\"x",
        "Content-Disposition: ;handling=optional",
        "Replaces: ;to-tag=1",
        "P-Asserted-Identity: <tel:+1555",
        "Privacy: id;;",
    })
    void aMalformedTypedFieldRefusesTheMessageWhereAccessWouldHaveFailed(String line) {
        byte[] wire = message(line);
        HeaderName name = HeaderName.valueOf(line.substring(0, line.indexOf(':')));
        HeaderType<?> type = SipHeaders.typeOf(name);
        assertThat(type).as("a typed header for %s", name).isNotNull();

        SipMessage lazy = SipParser.defaults().parseDatagram(wire); // the default depth takes it ...
        SipParseException onAccess = catchThrowableOfType(() -> lazy.getAll(type), SipParseException.class);
        assertThat(onAccess).as("access to %s", name).isNotNull();

        SipParseException atParse = catchThrowableOfType(() -> SipParser.fullDepth().parseDatagram(wire),
                SipParseException.class); // ... full depth refuses it, at the same place
        assertThat(atParse).as("full depth on %s", line).isNotNull();
        assertThat(atParse.getCause()).isNull();
        assertThat(atParse.getMessage()).isEqualTo(onAccess.getMessage());
        int lineStart = HEAD.length();
        assertThat(atParse.offset()).isBetween(lineStart, lineStart + line.length());
    }

    @Test
    void fieldsWithoutATypedHeaderStayText() {
        byte[] wire = message("X-Custom: <<<;;\r\nPriority: ;;\r\nMIME-Version: ?");
        SipMessage m = SipParser.fullDepth().parseDatagram(wire);
        assertThat(m.header("X-Custom")).isEqualTo("<<<;;");
        assertThat(m.header(HeaderName.PRIORITY)).isEqualTo(";;");
        assertThat(m.header(HeaderName.MIME_VERSION)).isEqualTo("?");
        assertThat(SipHeaders.typeOf(HeaderName.PRIORITY)).isNull();
        assertThat(SipHeaders.typeOf(HeaderName.valueOf("X-Custom"))).isNull();
    }

    @Test
    void typeOfNamesEveryTypedHeaderByItsNameAndCompactForm() {
        List<HeaderType<?>> types = allTypes();
        assertThat(types).hasSizeGreaterThan(40);
        for (HeaderType<?> t : types) {
            assertThat(SipHeaders.typeOf(t.name())).isSameAs(t);
            assertThat(SipHeaders.typeOf(HeaderName.valueOf(t.name().name().toUpperCase()))).isSameAs(t);
            if (t.name().compactForm() != 0) {
                assertThat(SipHeaders.typeOf(HeaderName.valueOf(String.valueOf(t.name().compactForm())))).isSameAs(t);
            }
        }
    }

    /**
     * Over the corpus and the RFC 4475 messages: full depth takes a message exactly when the
     * default depth takes it and every typed header of it can be read, and then gives the same
     * bytes and the same typed values.
     */
    @Test
    void overTheCorpusBothDepthsAgree() {
        List<HeaderType<?>> types = allTypes();
        int both = 0;
        int refusedOnlyAtFullDepth = 0;
        for (byte[] wire : Corpus.seeds()) {
            SipMessage lazy;
            try {
                lazy = SipParser.defaults().parseDatagram(wire);
            } catch (SipParseException e) {
                assertThatThrownBy(() -> SipParser.fullDepth().parseDatagram(wire))
                        .isInstanceOf(SipParseException.class).hasMessage(e.getMessage());
                continue;
            }
            SipParseException firstBad = firstUnreadable(lazy);
            if (firstBad != null) {
                refusedOnlyAtFullDepth++;
                assertThatThrownBy(() -> SipParser.fullDepth().parseDatagram(wire))
                        .isInstanceOf(SipParseException.class).hasMessage(firstBad.getMessage());
                continue;
            }
            SipMessage full = SipParser.fullDepth().parseDatagram(wire);
            both++;
            assertThat(full.toByteArray()).isEqualTo(lazy.toByteArray());
            for (HeaderType<?> t : types) {
                assertThat(full.getAll(t)).as("%s", t).isEqualTo(lazy.getAll(t));
            }
        }
        assertThat(both).isGreaterThan(40);
        assertThat(refusedOnlyAtFullDepth).as("RFC 4475 has messages whose only fault is a non-hot header")
                .isGreaterThan(0);
    }
}
