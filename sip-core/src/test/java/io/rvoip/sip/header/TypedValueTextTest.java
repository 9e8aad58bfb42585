package io.rvoip.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.parser.HeaderValueParser;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.uri.Uri;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A typed value is written as header text ({@link HeaderType#format}, what the builders use)
 * that the parser reads back as an equal value. The fuzz test checks this over every typed
 * value of a million mutated messages; these are the cases it found, one by one.
 */
class TypedValueTextTest {

    private static SipRequest.Builder request() {
        return SipRequest.builder(SipMethod.OPTIONS, Uri.parse("sip:bob@biloxi.example.com"))
                .via(Via.of("UDP", "192.0.2.101", 5060, "z9hG4bK74bf9"))
                .from(Address.of(Uri.parse("sip:alice@atlanta.example.com")).withTag("9fxced76sl"))
                .to(Address.of(Uri.parse("sip:bob@biloxi.example.com")))
                .callId("a84b4c76e66710")
                .cseq(1);
    }

    /** Builds, serializes and parses again, as a peer would. */
    private static SipRequest sent(SipRequest.Builder b) {
        return (SipRequest) SipParser.defaults().parseDatagram(b.build().toByteArray());
    }

    @Test
    void aDateIsWrittenAsAnRfc1123DateInGmt() {
        Instant when = Instant.parse("2010-11-03T23:29:00.250Z");
        SipRequest r = sent(request().set(SipHeaders.DATE, when));
        // two-digit day, English names, GMT, whole seconds (RFC 3261 §20.17): not Instant's ISO text
        assertThat(r.header(HeaderName.DATE)).isEqualTo("Wed, 03 Nov 2010 23:29:00 GMT");
        assertThat(r.get(SipHeaders.DATE)).isEqualTo(Instant.parse("2010-11-03T23:29:00Z"));
        assertThat(SipHeaders.DATE.format(Instant.parse("0999-01-01T00:00:00Z"))).isEqualTo("Tue, 01 Jan 0999 00:00:00 GMT");
    }

    @Test
    void aDateNeedsAFourDigitYear() {
        // rfc1123-date: 4DIGIT year. The JDK's RFC 1123 parser takes five; a date that cannot be
        // written back must not be taken either
        assertThatThrownBy(() -> HeaderValueParser.parseOne(SipHeaders.DATE, "Sat, 13 Nov 20100 23:29:00 GMT"))
                .isInstanceOf(SipParseException.class).hasMessageContaining("four digits");
        assertThatThrownBy(() -> SipHeaders.DATE.format(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void privacyIsWrittenAsItsValuesJoinedBySemicolons() {
        SipRequest r = sent(request().set(SipHeaders.PRIVACY, List.of("id", "header")));
        assertThat(r.header(HeaderName.PRIVACY)).isEqualTo("id;header");
        assertThat(r.get(SipHeaders.PRIVACY)).containsExactly("id", "header");
    }

    @Test
    void controlCharactersInADisplayNameAreWrittenAsQuotedPairs() {
        // RFC 4475's unusual message names its parties with raw and escaped control characters;
        // qdtext allows none of them but tab, quoted-pair allows all but CR and LF
        Address a = new Address("BEL:\u0007 NUL:\u0000 DEL:\u007f\ttab \"q\" \\", Uri.parse("sip:a@example.com"),
                Parameters.EMPTY, true);
        assertThat(a.toString()).isEqualTo("\"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f\ttab \\\"q\\\" \\\\\" <sip:a@example.com>");
        assertThat(HeaderValueParser.parseOne(SipHeaders.TO, a.toString())).isEqualTo(a);
        assertThatThrownBy(() -> Parameters.quote("two\r\nlines")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAddressWhoseDisplayNameHoldsANulIsSentWithoutIt() {
        // a NUL arrives as a valid quoted-pair, but the builders refuse it in any header
        Address nul = HeaderValueParser.parseOne(SipHeaders.FROM, "\"a\\\u0000b\" <sip:a@example.com>;tag=1");
        assertThat(nul.displayName()).isEqualTo("a\u0000b");
        assertThatThrownBy(() -> request().from(nul).build()).isInstanceOf(IllegalArgumentException.class);
        Address sendable = nul.sendable();
        assertThat(sendable.displayName()).isNull();
        assertThat(sendable.uri()).isEqualTo(nul.uri());
        assertThat(sendable.tag()).isEqualTo("1");
        assertThat(sent(request().from(sendable)).from()).isEqualTo(sendable);
        // any other name is sent as it is (other control characters as quoted-pairs)
        Address bel = HeaderValueParser.parseOne(SipHeaders.FROM, "\"a\\\u0007b\" <sip:a@example.com>;tag=1");
        assertThat(bel.sendable()).isSameAs(bel);
        assertThat(sent(request().from(bel)).from()).isEqualTo(bel);
        Address plain = Address.of(Uri.parse("sip:a@example.com"));
        assertThat(plain.sendable()).isSameAs(plain);
    }

    @Test
    void anAddressIsTheSameWithOrWithoutAngleBrackets() {
        // an addr-spec's parameters belong to the header (RFC 3261 §20.10), so these say the same;
        // the writer adds the brackets, and the value read back must equal the one written
        Address bare = HeaderValueParser.parseOne(SipHeaders.FROM, "sip:watson@example.com;tag=838293");
        Address bracketed = HeaderValueParser.parseOne(SipHeaders.FROM, "<sip:watson@example.com>;tag=838293");
        assertThat(bare.angleBrackets()).isFalse();
        assertThat(bracketed.angleBrackets()).isTrue();
        assertThat(bare).isEqualTo(bracketed).hasSameHashCodeAs(bracketed);
        assertThat(HeaderValueParser.parseOne(SipHeaders.FROM, SipHeaders.FROM.format(bare))).isEqualTo(bare);
        // what an address says still counts
        assertThat(bare).isNotEqualTo(HeaderValueParser.parseOne(SipHeaders.FROM, "sip:watson@example.com;tag=1"))
                .isNotEqualTo(HeaderValueParser.parseOne(SipHeaders.FROM, "\"W\" <sip:watson@example.com>;tag=838293"));
    }

    @Test
    void aWarnCodeKeepsItsLeadingZeros() {
        Warning w = HeaderValueParser.parseOne(SipHeaders.WARNING, "099 biloxi.example.com \"Bob is on another call\"");
        assertThat(SipHeaders.WARNING.format(w)).isEqualTo("099 biloxi.example.com \"Bob is on another call\"");
    }
}
