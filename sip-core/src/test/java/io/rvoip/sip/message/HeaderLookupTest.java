package io.rvoip.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.parser.SipParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lookups by name skip messages that cannot hold the name, and never miss one that does. */
class HeaderLookupTest {
    @Test
    void everyFieldIsFoundByAnySpellingAndAbsentNamesAreNot() {
        StringBuilder sb = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                + "f: <sip:a@b>;tag=1\r\nt: <sip:a@b>\r\ni: c1\r\nCSeq: 1 OPTIONS\r\nmax-forwards: 70\r\n");
        List<String> present = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // 100 extension names: every bit of the filter is taken
            String name = "X-Ext-" + i;
            present.add(name);
            sb.append(i % 2 == 0 ? name.toUpperCase() : name).append(": ").append(i).append("\r\n");
        }
        sb.append("l: 0\r\n\r\n");
        SipMessage m = SipParser.defaults().parseDatagram(sb.toString().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < present.size(); i++) {
            assertThat(m.header(present.get(i).toLowerCase())).as(present.get(i)).isEqualTo(Integer.toString(i));
        }
        assertThat(m.has(HeaderName.VIA)).isTrue();
        assertThat(m.header("Call-ID")).isEqualTo("c1");
        assertThat(m.header("content-length")).isEqualTo("0");

        SipMessage small = SipParser.defaults().parseDatagram(("OPTIONS sip:a@b SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c1\r\n"
                + "CSeq: 1 OPTIONS\r\nX-Only: yes\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        int absentFiltered = 0;
        for (int i = 0; i < 200; i++) {
            HeaderName name = HeaderName.valueOf("X-Absent-" + i);
            assertThat(small.has(name)).isFalse();
            if (!small.ix.mayHave(name)) {
                absentFiltered++;
            }
        }
        assertThat(small.header("x-only")).isEqualTo("yes");
        assertThat(small.has(HeaderName.ROUTE)).isFalse();
        assertThat(absentFiltered).as("most absent names are ruled out without a scan").isGreaterThan(100);
    }

    @Test
    void repeatedFieldsAreAllFoundWhateverTheirNamesHashTo() {
        StringBuilder sb = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\n");
        for (int i = 0; i < 70; i++) { // more names than filter bits: some share a bit
            sb.append("X-H").append(i).append(": a").append(i).append("\r\n");
        }
        sb.append("Via: SIP/2.0/UDP h1;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\nt: <sip:a@b>\r\ni: c1\r\n"
                + "CSeq: 1 OPTIONS\r\nv: SIP/2.0/UDP h2;branch=z9hG4bK2, SIP/2.0/UDP h3;branch=z9hG4bK3\r\n");
        for (int i = 0; i < 70; i += 7) {
            sb.append("x-h").append(i).append(": b").append(i).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        SipMessage m = SipParser.defaults().parseDatagram(sb.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(m.vias()).extracting(v -> v.host()).containsExactly("h1", "h2", "h3");
        for (int i = 0; i < 70; i++) {
            HeaderName name = HeaderName.valueOf("X-H" + i);
            List<String> expected = i % 7 == 0 ? List.of("a" + i, "b" + i) : List.of("a" + i);
            assertThat(m.headers(name)).as(name.toString()).isEqualTo(expected);
            assertThat(m.getAll(io.rvoip.sip.header.HeaderType.list(name, (b, s, e, base) ->
                    List.of(new String(b, s, e - s, StandardCharsets.US_ASCII))))).isEqualTo(expected);
            if (i % 7 == 0) {
                assertThat(m.ix.mayRepeat(name)).isTrue();
            }
        }
        assertThat(m.ix.mayRepeat(HeaderName.CALL_ID) && m.ix.mayRepeat(HeaderName.CSEQ)
                && m.ix.mayRepeat(HeaderName.FROM)).as("names seen once are mostly known to be single").isFalse();
    }
}
