package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.MultipartBody;
import io.rvoip.sip.message.RequestValidator;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.sdp.SessionDescription;
import io.rvoip.sip.testing.Corpus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Parse → serialize → parse over messages as common phones and servers send them. */
class CorpusRoundTripTest {

    static Stream<String> files() {
        return Corpus.FILES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void roundTripsAndEveryHeaderIsTyped(String file) {
        byte[] wire = Corpus.realistic().get(file);
        SipMessage m = SipParser.defaults().parseDatagram(wire);
        assertThat(m.toByteArray()).isEqualTo(wire);
        SipMessage again = SipParser.defaults().parseDatagram(m.toByteArray());
        assertThat(again.toByteArray()).isEqualTo(wire);
        assertThat(again.vias()).isEqualTo(m.vias());
        assertThat(again.from()).isEqualTo(m.from());
        assertThat(again.to()).isEqualTo(m.to());
        assertThat(again.cseq()).isEqualTo(m.cseq());
        assertThat(m.toBuilder().build().toByteArray()).isEqualTo(wire);
        // every typed header of the corpus parses
        for (var type : List.of(SipHeaders.CONTACT, SipHeaders.ROUTE, SipHeaders.RECORD_ROUTE, SipHeaders.ACCEPT,
                SipHeaders.CONTENT_TYPE, SipHeaders.EXPIRES, SipHeaders.REQUIRE, SipHeaders.SUPPORTED, SipHeaders.ALLOW,
                SipHeaders.ALLOW_EVENTS, SipHeaders.AUTHORIZATION, SipHeaders.WWW_AUTHENTICATE, SipHeaders.DATE,
                SipHeaders.EVENT, SipHeaders.SUBSCRIPTION_STATE, SipHeaders.REFER_TO, SipHeaders.REFERRED_BY,
                SipHeaders.RSEQ, SipHeaders.RACK, SipHeaders.SESSION_EXPIRES, SipHeaders.MIN_SE, SipHeaders.RETRY_AFTER,
                SipHeaders.WARNING, SipHeaders.REASON, SipHeaders.USER_AGENT, SipHeaders.SERVER,
                SipHeaders.P_ASSERTED_IDENTITY, SipHeaders.PRIVACY, SipHeaders.CONTENT_DISPOSITION)) {
            for (Object v : m.getAll(type)) {
                assertThat(v).isNotNull();
            }
        }
        if (m.contentType() != null && m.contentType().subtype().equals("sdp")) {
            SessionDescription sdp = SessionDescription.parse(m.body());
            assertThat(sdp.toString()).isEqualTo(m.bodyText());
        }
    }

    @Test
    void theCorpusCoversTheMethodsAUserAgentMeets() {
        Set<String> methods = new java.util.TreeSet<>();
        int responses = 0;
        for (Map.Entry<String, byte[]> e : Corpus.realistic().entrySet()) {
            SipMessage m = SipParser.defaults().parseDatagram(e.getValue());
            if (m instanceof SipRequest r) {
                methods.add(r.method().name());
            } else {
                responses++;
            }
        }
        assertThat(methods).contains("INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "SUBSCRIBE", "NOTIFY", "REFER",
                "PRACK", "UPDATE", "MESSAGE", "OPTIONS", "INFO");
        assertThat(responses).isGreaterThanOrEqualTo(7);
    }

    @Test
    void realisticRequestsPassUasValidation() {
        RequestValidator uas = RequestValidator.of(Set.of(SipMethod.INVITE, SipMethod.ACK, SipMethod.BYE,
                SipMethod.CANCEL, SipMethod.REGISTER, SipMethod.SUBSCRIBE, SipMethod.NOTIFY, SipMethod.REFER,
                SipMethod.PRACK, SipMethod.UPDATE, SipMethod.MESSAGE, SipMethod.OPTIONS, SipMethod.INFO),
                Set.of("100rel", "timer", "replaces"), List.of(io.rvoip.sip.header.MediaType.of("*", "*")));
        for (Map.Entry<String, byte[]> e : Corpus.realistic().entrySet()) {
            SipMessage m = SipParser.defaults().parseDatagram(e.getValue());
            if (m instanceof SipRequest r) {
                assertThat(uas.validate(r).isOk()).as(e.getKey() + ": " + uas.validate(r)).isTrue();
            }
        }
    }

    @Test
    void compactAndFullNamesAreTheSameHeader() {
        SipMessage m = SipParser.defaults().parseDatagram(Corpus.realistic().get("ringing-100rel.sip"));
        assertThat(m.has(HeaderName.valueOf("l"))).as("l is Content-Length").isTrue();
        SipMessage compact = SipParser.defaults().parseDatagram(Corpus.realistic().get("notify-dialog.sip"));
        assertThat(compact.header("Content-Length")).isEqualTo(compact.header("l"));
        assertThat(m.get(SipHeaders.RSEQ)).isEqualTo(776656L);
        assertThat(m.getAll(SipHeaders.REQUIRE)).containsExactly("100rel");
    }

    @Test
    void multipleFieldsAndCommaListsAreEquivalent() {
        SipMessage m = SipParser.defaults().parseDatagram(Corpus.realistic().get("register-linphone.sip"));
        assertThat(m.getAll(SipHeaders.ACCEPT)).hasSize(3);
        SipMessage busy = SipParser.defaults().parseDatagram(Corpus.realistic().get("busy-proxy.sip"));
        assertThat(busy.getAll(SipHeaders.RECORD_ROUTE)).hasSize(2);
        assertThat(busy.vias()).hasSize(3);
        assertThat(MultipartBody.class).isNotNull();
    }
}
