package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.testing.SharedData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link SipParser#badRequestFor}: the 400 that RFC 4475's INDEX "element" column asks for
 * when the parser refuses a request, with what can still be read of the request copied.
 */
class BadRequestForTest {
    private final SipParser parser = SipParser.defaults();

    private SipParseException refusal(byte[] raw) {
        return catchThrowableOfType(() -> parser.parseDatagram(raw), SipParseException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        // file, top Via host, branch, Call-ID, CSeq number (- = unreadable)
        "badinv01, 192.0.2.15, -, badinv01.0ha0isndaksdjasdf3234nas, 8",
        "clerr, host5.example.com, z9hG4bK-39234-23523, clerr.0ha0isndaksdjweiafasdk3, 8",
        "ncl, 192.0.2.53, z9hG4bKkdjuw, ncl.0ha0isndaksdj2193423r542w35, 0",
        "scalar02, host129.example.com, z9hG4bK342sdfoi3, scalar02.23o0pd9vanlq3wnrlnewofjas9ui32, -",
        "quotbal, 192.0.2.59, z9hG4bKkdjuw39234, quotbal.aksdj, 8",
        "ltgtruri, 192.0.2.5, -, ltgtruri.1@192.0.2.5, 1",
        "lwsruri, 192.0.2.1, z9hG4bKkdjuw2395, lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423, 2130706432",
        "lwsstart, host1.example.com, z9hG4bKkdjuw3923, lwsstart.dfknq234oi243099adsdfnawe3@example.com, 1893884",
        "trws, host1.examle.com, z9hG4bK299342093, trws.oicu34958239neffasdhr2345r, 238923",
        "mcl01, host5.example.net, z9hG4bK293423, mcl01.fhn2323orihawfdoa3o4r52o3irsdf, 15932",
    })
    void refusedTortureRequestsGetA400CopyingWhatIsReadable(String file, String host, String branch, String callId,
            Long cseq) {
        byte[] raw = SharedData.bytes("testdata/rfc4475/" + file + ".dat");
        SipParseException refused = refusal(raw);
        assertThat(refused).as("the parser refuses %s", file).isNotNull();

        SipResponse r = parser.badRequestFor(raw, refused.getMessage());

        assertThat(r).as(file).isNotNull();
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.reasonPhrase()).startsWith("Bad Request (").hasSizeLessThan(120);
        assertThat(r.via().host()).isEqualTo(host);
        assertThat(r.via().branch()).isEqualTo(branch);
        assertThat(r.callId()).isEqualTo(callId);
        if (cseq == null) {
            assertThat(r.cseq()).isNull();
        } else {
            assertThat(r.cseq().seq()).isEqualTo(cseq);
        }
        assertThat(r.to() == null || r.to().tag() != null).as("a To tag is added (§8.2.6.2)").isTrue();
        // the answer itself is a clean message
        assertThat(parser.parseDatagram(r.toByteArray()).toByteArray()).isEqualTo(r.toByteArray());
    }

    @Test
    void theUnterminatedQuoteOfQuotbalLeavesOnlyThatFieldOut() {
        byte[] raw = SharedData.bytes("testdata/rfc4475/quotbal.dat");
        SipResponse r = parser.badRequestFor(raw, refusal(raw).getMessage());
        assertThat(r.to()).isNull();
        assertThat(r.from().tag()).isEqualTo("93334");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"scalarlg", "bigcode"})
    void refusedResponsesAreNeverAnswered(String file) {
        byte[] raw = SharedData.bytes("testdata/rfc4475/" + file + ".dat");
        assertThat(parser.badRequestFor(raw, refusal(raw).getMessage())).isNull();
    }

    @Test
    void anAckOrARequestWithoutAReadableViaIsNotAnswered() {
        assertThat(parser.badRequestFor(bytes("""
                ACK <sip:a@b> SIP/2.0\r
                Via: SIP/2.0/UDP h;branch=z9hG4bK1\r
                \r
                """), "x")).isNull();
        assertThat(parser.badRequestFor(bytes("""
                INVITE <sip:a@b> SIP/2.0\r
                Via: garbage\r
                Call-ID: c\r
                \r
                """), "x")).isNull();
        assertThat(parser.badRequestFor(bytes("\r\n\r\n"), null)).isNull();
        assertThat(parser.badRequestFor(bytes("INVITE"), null)).isNull();
    }

    @Test
    void foldedFieldsEveryViaAndCompactFormsAreCopied() {
        SipResponse r = parser.badRequestFor(bytes("""
                OPTIONS  sip:a@b SIP/2.0\r
                v: SIP/2.0/UDP h1;branch=z9hG4bK1,\r
                 SIP/2.0/UDP h2;branch=z9hG4bK2\r
                Via: SIP/2.0/TCP h3;branch=z9hG4bK3\r
                i: abc\r
                f: <sip:x@y>;tag=1\r
                t: <sip:a@b>\r
                CSeq: 7\r
                 OPTIONS\r
                Max-Forwards: 70\r
                \r
                """), "two SP\u0000\u00e9 after the method");
        assertThat(r.vias()).extracting(v -> v.host()).containsExactly("h1", "h2", "h3");
        assertThat(r.callId()).isEqualTo("abc");
        assertThat(r.cseq().seq()).isEqualTo(7);
        assertThat(r.to().tag()).isNotNull();
        assertThat(r.reasonPhrase()).isEqualTo("Bad Request (two SP?? after the method)");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
