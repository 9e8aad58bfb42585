package io.rvoip.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.CSeq;
import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.uri.Uri;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageBuilderTest {

    static SipRequest invite() {
        return SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@biloxi.example.com"))
                .via(Via.of("UDP", "192.0.2.101", 5060, "z9hG4bK74bf9"))
                .maxForwards(70)
                .from(Address.of("Alice", Uri.parse("sip:alice@atlanta.example.com")).withTag("9fxced76sl"))
                .to(Address.of(Uri.parse("sip:bob@biloxi.example.com")))
                .callId("3848276298220188511@192.0.2.101")
                .cseq(1)
                .contact(Address.of(Uri.parse("sip:alice@192.0.2.101:5060;transport=udp")))
                .add(SipHeaders.SUPPORTED, "replaces")
                .body(MediaType.APPLICATION_SDP, "v=0\r\n".getBytes(StandardCharsets.US_ASCII))
                .build();
    }

    @Test
    void buildsTheWireFormWithContentLength() {
        SipRequest r = invite();
        assertThat(r.toString()).isEqualTo("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
                + "To: <sip:bob@biloxi.example.com>\r\n"
                + "Call-ID: 3848276298220188511@192.0.2.101\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:alice@192.0.2.101:5060;transport=udp>\r\n"
                + "Supported: replaces\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: 5\r\n\r\nv=0\r\n");
        assertThat(r.cseq()).isEqualTo(new CSeq(1, SipMethod.INVITE));
        assertThat(r.encodedSize()).isEqualTo(r.toByteArray().length);
        assertThat(SipParser.defaults().parseDatagram(r.toByteArray()).toByteArray()).isEqualTo(r.toByteArray());
    }

    @Test
    void toBuilderKeepsUntouchedFieldsByteForByte() {
        byte[] wire = ("OPTIONS sip:x@h SIP/2.0\r\nVia:   SIP/2.0/UDP h;branch=z9hG4bK1\r\nmAx-forwards:70\r\n"
                + "t: <sip:x@h>\r\nf: <sip:y@h>;tag=a\r\ni: id\r\nCSeq: 1 OPTIONS\r\nX-Odd:  spaced  \r\nl: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        SipMessage m = SipParser.defaults().parseDatagram(wire);
        assertThat(m.toBuilder().build().toByteArray()).isEqualTo(wire);
        SipRequest changed = ((SipRequest) m).toBuilder().maxForwards(69).build();
        assertThat(changed.toString()).contains("Max-Forwards: 69\r\n").contains("Via:   SIP/2.0/UDP h;branch=z9hG4bK1\r\n")
                .contains("X-Odd:  spaced  \r\n").doesNotContain("mAx-forwards");
        assertThat(changed.headerName(1)).isEqualTo(HeaderName.MAX_FORWARDS);
    }

    @Test
    void proxiesPushAndPopVias() {
        SipRequest r = invite();
        SipRequest forwarded = r.toBuilder().via(Via.of("TCP", "proxy.example.com", -1, "z9hG4bKp1")).build();
        assertThat(forwarded.vias()).extracting(Via::branch).containsExactly("z9hG4bKp1", "z9hG4bK74bf9");
        SipRequest popped = forwarded.toBuilder().removeFirst(HeaderName.VIA).build();
        assertThat(popped.vias()).extracting(Via::branch).containsExactly("z9hG4bK74bf9");
    }

    @Test
    void responsesForARequestFollowRfc3261Section8_2_6() {
        SipRequest r = invite();
        SipResponse trying = SipResponse.forRequest(r, StatusCode.TRYING).build();
        assertThat(trying.to().tag()).as("no tag in 100").isNull();
        SipResponse ringing = SipResponse.forRequest(r, StatusCode.RINGING, "tag-b").build();
        assertThat(ringing.statusCode()).isEqualTo(180);
        assertThat(ringing.reasonPhrase()).isEqualTo("Ringing");
        assertThat(ringing.to().tag()).isEqualTo("tag-b");
        assertThat(ringing.vias()).isEqualTo(r.vias());
        assertThat(ringing.from()).isEqualTo(r.from());
        assertThat(ringing.callId()).isEqualTo(r.callId());
        assertThat(ringing.cseq()).isEqualTo(r.cseq());
        assertThat(ringing.has(HeaderName.CONTACT)).isFalse();
        assertThat(ringing.bodyLength()).isZero();
        SipResponse generated = SipResponse.forRequest(r, StatusCode.BUSY_HERE).build();
        assertThat(generated.to().tag()).hasSizeGreaterThanOrEqualTo(8);
        SipResponse custom = SipResponse.forRequest(r, StatusCode.valueOf(499)).reasonPhrase("Ça ne va pas").build();
        assertThat(custom.reasonPhrase()).isEqualTo("Ça ne va pas");
    }

    @Test
    void headerInjectionIsRefused() {
        SipRequest.Builder b = invite().toBuilder();
        assertThatThrownBy(() -> b.add("Subject", "hi\r\nEvil: yes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.add("Bad Name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.set(SipHeaders.CALL_ID, "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SipResponse.builder(StatusCode.OK).reasonPhrase("x\r\ny"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.set(SipHeaders.CALL_ID, "has space").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid SIP");
    }

    @Test
    void listsAndRawHeaders() {
        SipRequest r = invite().toBuilder()
                .setAll(SipHeaders.ALLOW, List.of("INVITE", "ACK", "BYE"))
                .add("X-Custom", "anything goes")
                .set(SipHeaders.SUPPORTED, "timer")
                .build();
        assertThat(r.getAll(SipHeaders.ALLOW)).containsExactly("INVITE", "ACK", "BYE");
        assertThat(r.header("x-custom")).isEqualTo("anything goes");
        assertThat(r.getAll(SipHeaders.SUPPORTED)).containsExactly("timer");
        SipRequest noBody = r.toBuilder().noBody().build();
        assertThat(noBody.bodyLength()).isZero();
        assertThat(noBody.has(HeaderName.CONTENT_TYPE)).isFalse();
        assertThat(noBody.get(SipHeaders.CONTENT_LENGTH)).isZero();
    }

    @Test
    void idsAreRandomAndWellFormed() {
        assertThat(SipIds.newBranch()).startsWith("z9hG4bK").hasSize(26);
        assertThat(SipIds.newTag()).hasSize(13).isNotEqualTo(SipIds.newTag());
        assertThat(SipIds.newCallId("host")).endsWith("@host");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(SipIds.newBranch())).isTrue();
        }
    }

    @Test
    void statusCodesAndMethodsAreOpenRegistries() {
        assertThat(StatusCode.valueOf(486)).isSameAs(StatusCode.BUSY_HERE);
        assertThat(StatusCode.valueOf(499).reasonPhrase()).isEqualTo("Unknown 4xx");
        assertThatThrownBy(() -> StatusCode.valueOf(700)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SipMethod.valueOf("INVITE")).isSameAs(SipMethod.INVITE);
        assertThat(SipMethod.valueOf("invite").isKnown()).as("methods are case-sensitive").isFalse();
        assertThat(SipMethod.valueOf("PUBLISH")).isSameAs(SipMethod.PUBLISH);
        assertThat(HeaderName.valueOf("v")).isSameAs(HeaderName.VIA);
        assertThat(HeaderName.valueOf("X-Foo")).isEqualTo(HeaderName.valueOf("x-foo"));
    }

    @Test
    void aResponseAddsItsToTagWithoutReserialisingTheDisplayName() throws Exception {
        // RFC 4475 intmeth: the To display name holds escaped BEL, NUL and DEL
        byte[] bytes = io.rvoip.sip.testing.SharedData.bytes("testdata/rfc4475/intmeth.dat");
        SipRequest r = (SipRequest) SipParser.defaults().parseDatagram(bytes);
        SipResponse resp = SipResponse.forRequest(r, StatusCode.NOT_IMPLEMENTED, "t1").build();
        String raw = new String(resp.toByteArray(), StandardCharsets.ISO_8859_1);
        String toLine = raw.lines().filter(l -> l.startsWith("To:")).findFirst().orElseThrow();
        assertThat(toLine).startsWith("To: \"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f\" <sip:1_unusual").endsWith(";tag=t1");
        SipResponse again = (SipResponse) SipParser.defaults().parseDatagram(resp.toByteArray());
        assertThat(again.to().tag()).isEqualTo("t1");
        assertThat(again.to().uri()).isEqualTo(r.to().uri());
    }

    @Test
    void copiedFieldsKeepTheirParsedValuesAndEverythingElseIsParsedAgain() {
        SipRequest parsed = (SipRequest) SipParser.defaults().parseDatagram(invite().toByteArray());
        List<Address> contacts = parsed.getAll(SipHeaders.CONTACT); // parsed on access, then cached
        Via proxy = Via.of("UDP", "proxy.example.com", 5060, "z9hG4bKproxy1");
        Address newTo = Address.of("Robert", Uri.parse("sip:robert@biloxi.example.com"));
        SipRequest built = parsed.toBuilder().via(proxy).to(newTo).body("v=0\r\nx".getBytes(StandardCharsets.US_ASCII))
                .build();

        assertThat(built.ix.cached(indexOf(built, HeaderName.FROM))).isSameAs(parsed.from());
        assertThat(built.ix.cached(indexOf(built, HeaderName.CALL_ID))).isSameAs(parsed.callId());
        assertThat(built.ix.cached(indexOf(built, HeaderName.CONTACT))).isSameAs(contacts);
        assertThat(built.vias()).containsExactly(proxy, parsed.via());
        assertThat(built.to()).isEqualTo(newTo);
        assertThat(built.header(HeaderName.CONTENT_LENGTH)).isEqualTo("6");
        assertThat(built.bodyLength()).isEqualTo(6);

        // and every typed value is what a fresh parse of the same bytes gives
        SipMessage fresh = SipParser.defaults().parseDatagram(built.toByteArray());
        for (var type : List.of(SipHeaders.VIA, SipHeaders.FROM, SipHeaders.TO, SipHeaders.CALL_ID, SipHeaders.CSEQ,
                SipHeaders.MAX_FORWARDS, SipHeaders.CONTACT, SipHeaders.CONTENT_LENGTH, SipHeaders.CONTENT_TYPE)) {
            assertThat(built.getAll(type)).as(type.toString()).isEqualTo(fresh.getAll(type));
        }
    }

    @Test
    void aResponseReusesTheRequestsParsedValues() {
        SipRequest parsed = (SipRequest) SipParser.defaults().parseDatagram(invite().toByteArray());
        SipResponse ok = SipResponse.forRequest(parsed, StatusCode.OK, "tt").build();
        assertThat(ok.ix.cached(indexOf(ok, HeaderName.VIA))).isSameAs(parsed.vias());
        assertThat(ok.ix.cached(indexOf(ok, HeaderName.CSEQ))).isSameAs(parsed.cseq());
        assertThat(ok.to().tag()).isEqualTo("tt");
        assertThat(ok.to().uri()).isEqualTo(parsed.to().uri());
        assertThat(ok.header(HeaderName.CONTENT_LENGTH)).isEqualTo("0");
    }

    private static int indexOf(SipMessage m, HeaderName name) {
        for (int i = 0; i < m.headerCount(); i++) {
            if (m.headerName(i).equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name + " missing");
    }
}
