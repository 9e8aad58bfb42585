package io.rvoip.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.testing.Corpus;
import org.junit.jupiter.api.Test;

class WithTopViaTest {

    @Test
    void replacesOnlyTheTopViaAndKeepsEverythingElse() {
        byte[] wire = Corpus.realistic().get("busy-proxy.sip");
        SipMessage m = SipParser.defaults().parseDatagram(wire);
        Via top = m.via().withReceived("203.0.113.9").withRport(4242);
        SipMessage changed = m.withTopVia(top);
        assertThat(changed.via()).isEqualTo(top);
        assertThat(changed.vias()).hasSize(3);
        assertThat(changed.vias().subList(1, 3)).isEqualTo(m.vias().subList(1, 3));
        assertThat(changed.getAll(SipHeaders.RECORD_ROUTE)).isEqualTo(m.getAll(SipHeaders.RECORD_ROUTE));
        assertThat(changed.cseq()).isEqualTo(m.cseq());
        assertThat(changed.toString()).contains("Via: " + top + "\r\n");
        // the result is exactly what a fresh parse of its bytes gives
        SipMessage reparsed = SipParser.defaults().parseDatagram(changed.toByteArray());
        assertThat(reparsed.toByteArray()).isEqualTo(changed.toByteArray());
        assertThat(reparsed.vias()).isEqualTo(changed.vias());
        assertThat(reparsed.header("Warning")).isEqualTo(m.header("Warning"));
        // every field's bounds moved with the splice, the last one's end too: copying the fields
        // into a builder gives the same message
        assertThat(((SipResponse) changed).toBuilder().build().toByteArray()).isEqualTo(changed.toByteArray());
        int last = changed.headerCount() - 1;
        assertThat(changed.fieldBytes(last)).isEqualTo(reparsed.fieldBytes(last));
    }

    @Test
    void aViaFieldWithSeveralValuesKeepsTheOthers() {
        SipMessage m = SipParser.defaults().parseDatagram(io.rvoip.sip.testing.SharedData.bytes(
                "testdata/rfc4475/wsinv.dat"));
        // wsinv's second Via field holds two values; its first field one
        Via top = Via.of("TCP", "10.0.0.1", 5060, "z9hG4bKnew");
        SipMessage changed = m.withTopVia(top);
        assertThat(changed.vias()).hasSize(3);
        assertThat(changed.vias().get(0)).isEqualTo(top);
        assertThat(changed.bodyText()).isEqualTo(m.bodyText());
        assertThat(SipParser.defaults().parseDatagram(changed.toByteArray()).vias()).isEqualTo(changed.vias());
    }

    @Test
    void aMessageWithoutViaCannotHaveOneReplaced() {
        SipMessage m = SipParser.defaults().parseDatagram(
                "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n".getBytes());
        assertThatThrownBy(() -> m.withTopVia(Via.of("UDP", "h", -1, "z9hG4bKx")))
                .isInstanceOf(IllegalStateException.class);
    }
}
