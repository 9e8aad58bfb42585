package io.rvoip.sip.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.parser.SipParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SipUriTest {

    static SipUri sip(String s) {
        return (SipUri) Uri.parse(s);
    }

    /** RFC 3261 §19.1.4: "The URIs within each of the following sets are equivalent". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sip:%61lice@atlanta.com;transport=TCP|sip:alice@AtLanTa.CoM;Transport=tcp",
        "sip:carol@chicago.com|sip:carol@chicago.com;newparam=5",
        "sip:carol@chicago.com|sip:carol@chicago.com;security=on",
        "sip:carol@chicago.com;newparam=5|sip:carol@chicago.com;security=on",
        "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com|sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
        "sip:alice@atlanta.com?subject=project%20x&priority=urgent|sip:alice@atlanta.com?priority=urgent&subject=project%20x"})
    void equivalent(String a, String b) {
        assertThat(sip(a).isEquivalentTo(sip(b))).isTrue();
        assertThat(sip(b).isEquivalentTo(sip(a))).isTrue();
    }

    /** RFC 3261 §19.1.4: "The URIs within each of the following sets are not equivalent". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SIP:ALICE@AtLanTa.CoM;Transport=udp|sip:alice@AtLanTa.CoM;Transport=UDP",
        "sip:bob@biloxi.com|sip:bob@biloxi.com:5060",
        "sip:bob@biloxi.com|sip:bob@biloxi.com;transport=udp",
        "sip:bob@biloxi.com|sip:bob@biloxi.com:6000;transport=tcp",
        "sip:carol@chicago.com|sip:carol@chicago.com?Subject=next%20meeting",
        "sip:bob@phone21.boxesbybob.com|sip:bob@192.0.2.4",
        "sip:carol@chicago.com;security=on|sip:carol@chicago.com;security=off",
        "sip:alice@atlanta.com|sips:alice@atlanta.com",
        "sip:alice@atlanta.com|sip:alice@atlanta.com;maddr=10.0.0.1",
        "sip:alice@atlanta.com|sip:alice@atlanta.com;user=phone"})
    void notEquivalent(String a, String b) {
        assertThat(sip(a).isEquivalentTo(sip(b))).isFalse();
        assertThat(sip(b).isEquivalentTo(sip(a))).isFalse();
    }

    @Test
    void componentsAreParsedAndDecoded() {
        SipUri u = sip("sips:al%20ice:se%3Acret@[2001:db8::1]:5061;transport=tls;lr;maddr=239.255.255.1?subject=hi%20there&x=y");
        assertThat(u.isSecure()).isTrue();
        assertThat(u.user()).isEqualTo("al ice");
        assertThat(u.rawUser()).isEqualTo("al%20ice");
        assertThat(u.password()).isEqualTo("se:cret");
        assertThat(u.host()).isEqualTo("[2001:db8::1]");
        assertThat(u.port()).isEqualTo(5061);
        assertThat(u.transport()).isEqualTo("tls");
        assertThat(u.isLooseRouting()).isTrue();
        assertThat(u.param("maddr")).isEqualTo("239.255.255.1");
        assertThat(u.headers()).containsEntry("subject", "hi there").containsEntry("x", "y");
        assertThat(u.toString()).isEqualTo(
                "sips:al%20ice:se%3Acret@[2001:db8::1]:5061;transport=tls;lr;maddr=239.255.255.1?subject=hi%20there&x=y");
    }

    @Test
    void builderEscapesAndSerializes() {
        SipUri u = SipUri.of("alice smith", "example.com").toBuilder().port(5060).param("transport", "udp")
                .param("lr", null).build();
        assertThat(u.toString()).isEqualTo("sip:alice%20smith@example.com:5060;transport=udp;lr");
        assertThat(sip(u.toString())).isEqualTo(u);
        assertThat(u.user()).isEqualTo("alice smith");
    }

    @Test
    void phonesSendHashUnescaped() {
        assertThat(sip("sip:*97#@pbx.example.com").user()).isEqualTo("*97#");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:", "sip:@host", "sip:user@", "sip:user@host:99999", "sip:user@host:", "sip:host;=x",
        "sip:host;p=", "sip:user@ho st", "sip:user@[::1", "sip:user@[1:2:3]", "sip:u@h%zz", "sip:u%4@h",
        "sip:user@1.2.3", "sip:user@256.1.1.1", "<sip:user@host>", "1sip:x", "sip:user@host?", "tel:",
        "sip:user@-host", "sip:user@host..com", "sip:user@[1::2::3]", "sip:user@.host", "sip:user@1.2.3.4.",
        "sip:user@1..2.3", "sip:user@1.2.3.1000"})
    void malformedUrisAreRejected(String text) {
        assertThatThrownBy(() -> Uri.parse(text)).isInstanceOf(SipParseException.class)
                .hasMessageNotContaining("internal parser error");
    }

    /**
     * Where the user part ends: the first '@' decides (so an '@' after parameters makes what
     * comes before it the user part), a ':' before it starts a password, and without any '@'
     * the whole text is host, port, parameters and headers.
     */
    @Test
    void userPartEndsAtTheFirstAt() {
        SipUri odd = sip("sip:host;x=a@b.example.com");
        assertThat(odd.rawUser()).isEqualTo("host;x=a");
        assertThat(odd.host()).isEqualTo("b.example.com");
        SipUri pw = sip("sip:alice:se%63ret@atlanta.com:5060");
        assertThat(pw.user()).isEqualTo("alice");
        assertThat(pw.password()).isEqualTo("secret");
        assertThat(pw.port()).isEqualTo(5060);
        SipUri noUser = sip("sip:192.0.2.1:5060;transport=udp?subject=a%20b");
        assertThat(noUser.rawUser()).isNull();
        assertThat(noUser.host()).isEqualTo("192.0.2.1");
        assertThat(noUser.transport()).isEqualTo("udp");
        assertThat(sip("sip:%61lice@h.example.com").user()).isEqualTo("alice");
    }

    /** A bad character before the '@' is reported where it is, before the host is looked at. */
    @ParameterizedTest
    @CsvSource({"'sip:al ice@h', 6, character not allowed in user part", "'sip:alic @h', 8, character not allowed in user part",
        "'sip:a\"b@h', 5, character not allowed in user part",
        "'sip:@h', 4, empty user part", "'sip::pw@h', 4, empty user part", "'sip:a%4g@h', 5, bad %-escape",
        "'sip:a:p w@h', 7, character not allowed in password", "'sip:u@h..example.com', 6, bad host",
        "'sip:u@1.2.3.256', 6, bad host", "'sip:u@1.2.3', 6, bad host"})
    void userPartErrorsPointAtTheByte(String text, int offset, String reason) {
        assertThatThrownBy(() -> Uri.parse(text)).isInstanceOf(SipParseException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((SipParseException) e).offset()).isEqualTo(offset));
    }

    @Test
    void telAndOtherSchemes() {
        TelUri tel = (TelUri) Uri.parse("tel:+1-201-555-0123;phone-context=example.com");
        assertThat(tel.isGlobal()).isTrue();
        assertThat(tel.digits()).isEqualTo("+12015550123");
        assertThat(tel.phoneContext()).isEqualTo("example.com");
        assertThat(tel.toString()).isEqualTo("tel:+1-201-555-0123;phone-context=example.com");
        Uri other = Uri.parse("urn:service:sos");
        assertThat(other).isInstanceOf(AbsoluteUri.class);
        assertThat(other.scheme()).isEqualTo("urn");
        assertThat(other.toString()).isEqualTo("urn:service:sos");
    }

    @Test
    void escapesHelper() {
        assertThat(Escapes.unescape("a%20b%2")).isEqualTo("a b%2");
        assertThat(Escapes.escapeUser("a b@c")).isEqualTo("a%20b%40c");
        assertThat(Escapes.unescape(Escapes.escapeUser("üser"))).isEqualTo("üser");
    }
}
