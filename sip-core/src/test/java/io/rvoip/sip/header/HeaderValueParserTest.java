package io.rvoip.sip.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.parser.HeaderValueParser;
import io.rvoip.sip.parser.SipParseException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The typed header grammars, one header kind per test. */
class HeaderValueParserTest {

    static <T> T one(HeaderType<T> t, String v) {
        return HeaderValueParser.parseOne(t, v);
    }

    static <T> List<T> all(HeaderType<T> t, String v) {
        return HeaderValueParser.parseAll(t, v);
    }

    @Test
    void via() {
        Via v = one(SipHeaders.VIA, "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKx;rport;received=10.0.0.1;ttl=16;maddr=239.1.1.1");
        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("[2001:db8::1]");
        assertThat(v.port()).isEqualTo(5060);
        assertThat(v.hasRport()).isTrue();
        assertThat(v.rport()).isEqualTo(-1);
        assertThat(v.received()).isEqualTo("10.0.0.1");
        assertThat(v.ttl()).isEqualTo(16);
        assertThat(v.maddr()).isEqualTo("239.1.1.1");
        assertThat(v.withRport(4711).rport()).isEqualTo(4711);
        assertThat(v.withReceived("192.0.2.9").toString())
                .isEqualTo("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKx;rport;received=192.0.2.9;ttl=16;maddr=239.1.1.1");
        assertThat(all(SipHeaders.VIA, "SIP/2.0/TCP a;branch=z9hG4bK1 , SIP/2.0/TLS b:5061;branch=z9hG4bK2")).hasSize(2);
    }

    @Test
    void addressesAndContacts() {
        Address a = one(SipHeaders.TO, "\"Bob \\\"B\\\"\" <sip:bob@b.com>;tag=x");
        assertThat(a.displayName()).isEqualTo("Bob \"B\"");
        assertThat(a.tag()).isEqualTo("x");
        Address spec = one(SipHeaders.FROM, "sip:alice@a.com;tag=1");
        assertThat(spec.uri().toString()).isEqualTo("sip:alice@a.com");
        assertThat(spec.tag()).isEqualTo("1");
        assertThat(spec.angleBrackets()).isFalse();
        List<Address> contacts = all(SipHeaders.CONTACT,
                "<sip:a@h1>;q=0.7;expires=3600, \"Second\" <sip:b@h2;transport=tcp>;q=1");
        assertThat(contacts).hasSize(2);
        assertThat(contacts.get(0).q()).isEqualTo(0.7);
        assertThat(contacts.get(0).expires()).isEqualTo(3600);
        assertThat(contacts.get(1).sipUri().transport()).isEqualTo("tcp");
        assertThat(one(SipHeaders.CONTACT, "*").isWildcard()).isTrue();
        assertThat(Address.of("Ann Example", io.rvoip.sip.uri.Uri.parse("sip:ann@h")).withTag("t").toString())
                .isEqualTo("\"Ann Example\" <sip:ann@h>;tag=t");
        Address tokens = one(SipHeaders.TO, "Ann  Example <sip:ann@h>");
        assertThat(tokens.displayName()).isEqualTo("Ann  Example");
        Address referTo = one(SipHeaders.REFER_TO,
                "<sip:carol@c.com?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>");
        assertThat(referTo.sipUri().headers().get("Replaces")).isEqualTo("12345@192.168.118.3;to-tag=12345;from-tag=5FFE-3994");
        // the '>' is searched eight bytes a step: found at every distance, and its absence is
        // reported where the URI starts
        for (int n = 0; n < 24; n++) {
            String user = "u".repeat(n + 1);
            assertThat(one(SipHeaders.TO, "\"X\" <sip:" + user + "@h>;tag=t").sipUri().user()).isEqualTo(user);
            String open = "\"X\" <sip:" + user + "@h;tag=t";
            assertThatThrownBy(() -> HeaderValueParser.parseAll(SipHeaders.TO, open))
                    .isInstanceOfSatisfying(SipParseException.class, e -> {
                        assertThat(e.getMessage()).contains("missing '>'");
                        assertThat(e.offset()).isEqualTo(open.indexOf('<') + 1);
                    });
        }
    }

    @Test
    void scalars() {
        assertThat(one(SipHeaders.CSEQ, "4711 INVITE")).isEqualTo(new CSeq(4711, SipMethod.INVITE));
        assertThat(one(SipHeaders.MAX_FORWARDS, "70")).isEqualTo(70);
        assertThat(one(SipHeaders.CONTENT_LENGTH, " 0")).isZero();
        assertThat(one(SipHeaders.EXPIRES, "4294967295")).isEqualTo(4294967295L);
        assertThat(one(SipHeaders.RSEQ, "988789")).isEqualTo(988789L);
        assertThat(one(SipHeaders.RACK, "776656 1 INVITE")).isEqualTo(new RAck(776656, 1, SipMethod.INVITE));
        assertThat(one(SipHeaders.CALL_ID, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com"))
                .isEqualTo("f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CSEQ:4294967296 INVITE", "CSEQ:1", "CSEQ:-1 INVITE", "CSEQ:1INVITE", "MF:256", "MF:1 2",
        "CL:-5", "CL:99999999999", "EXP:4294967296", "RSEQ:0", "CALLID:has space", "CALLID:a@", "VIA:SIP/2.0/UDP",
        "VIA:SIP/2.0 host", "VIA:SIP/2.0/UDP host;;", "VIA:SIP/2.0/UDP host:99999", "TO:<sip:a@b", "TO:\"open <sip:a@b>",
        "TO:sip:a@b;tag=", "TO:sip:a@b;=1", "CT:application", "CT:application/", "WARN:99 agent \"t\"",
        "WARN:1000 agent \"t\"", "DATE:Sat, 13 Nov 2010 23:29:00 EST", "RACK:1 2", "SE:abc"})
    void malformedValuesAreRejected(String spec) {
        String kind = spec.substring(0, spec.indexOf(':'));
        String value = spec.substring(spec.indexOf(':') + 1);
        HeaderType<?> t = switch (kind) {
            case "CSEQ" -> SipHeaders.CSEQ;
            case "MF" -> SipHeaders.MAX_FORWARDS;
            case "CL" -> SipHeaders.CONTENT_LENGTH;
            case "EXP" -> SipHeaders.EXPIRES;
            case "RSEQ" -> SipHeaders.RSEQ;
            case "CALLID" -> SipHeaders.CALL_ID;
            case "VIA" -> SipHeaders.VIA;
            case "TO" -> SipHeaders.TO;
            case "CT" -> SipHeaders.CONTENT_TYPE;
            case "WARN" -> SipHeaders.WARNING;
            case "DATE" -> SipHeaders.DATE;
            case "RACK" -> SipHeaders.RACK;
            case "SE" -> SipHeaders.SESSION_EXPIRES;
            default -> throw new IllegalArgumentException(kind);
        };
        assertThatThrownBy(() -> HeaderValueParser.parseAll(t, value)).isInstanceOf(SipParseException.class)
                .hasMessageNotContaining("internal parser error");
    }

    @Test
    void mediaTypesAndLists() {
        MediaType ct = one(SipHeaders.CONTENT_TYPE, "multipart/mixed ; boundary=\"unique-boundary-1\"");
        assertThat(ct.sameType(MediaType.MULTIPART_MIXED)).isTrue();
        assertThat(ct.param("boundary")).isEqualTo("unique-boundary-1");
        assertThat(all(SipHeaders.ACCEPT, "application/sdp;level=1, */*;q=0.1")).hasSize(2);
        assertThat(all(SipHeaders.ACCEPT, "")).isEmpty();
        assertThat(all(SipHeaders.SUPPORTED, "")).isEmpty();
        assertThat(all(SipHeaders.ALLOW, "INVITE,ACK , BYE")).containsExactly("INVITE", "ACK", "BYE");
        assertThat(all(SipHeaders.ALLOW_EVENTS, "presence, dialog, message-summary, refer"))
                .contains("message-summary");
        assertThat(one(SipHeaders.PRIVACY, "id; header")).containsExactly("id", "header");
    }

    @Test
    void extensionHeaders() {
        assertThat(one(SipHeaders.SESSION_EXPIRES, "1800;refresher=uac").refresher()).isEqualTo("uac");
        assertThat(one(SipHeaders.MIN_SE, "90").seconds()).isEqualTo(90);
        assertThat(one(SipHeaders.EVENT, "dialog;id=42").id()).isEqualTo("42");
        SubscriptionState ss = one(SipHeaders.SUBSCRIPTION_STATE, "terminated;reason=timeout;retry-after=30");
        assertThat(ss.state()).isEqualTo("terminated");
        assertThat(ss.reason()).isEqualTo("timeout");
        assertThat(ss.retryAfter()).isEqualTo(30);
        assertThat(one(SipHeaders.SUBSCRIPTION_STATE, "active;expires=600").expires()).isEqualTo(600);
        Replaces rep = one(SipHeaders.REPLACES, "98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only");
        assertThat(rep.callId()).isEqualTo("98732@sip.example.com");
        assertThat(rep.fromTag()).isEqualTo("r33th4x0r");
        assertThat(rep.toTag()).isEqualTo("ff87ff");
        assertThat(rep.earlyOnly()).isTrue();
        assertThat(all(SipHeaders.REASON, "Q.850;cause=16;text=\"Terminated\", SIP;cause=200"))
                .extracting(Reason::cause).containsExactly(16, 200);
        RetryAfter ra = one(SipHeaders.RETRY_AFTER, "18000;duration=3600");
        assertThat(ra.duration()).isEqualTo(3600);
        assertThat(one(SipHeaders.RETRY_AFTER, "120 (I'm in a (meeting))").comment()).isEqualTo("I'm in a (meeting)");
        assertThat(all(SipHeaders.WARNING, "307 isi.edu \"Session parameter 'foo' not understood\", 301 a.b \"x\""))
                .extracting(Warning::code).containsExactly(307, 301);
        // warn-code = 3DIGIT: leading zeros are valid syntax and are written back (a fuzz find:
        // "099" used to reach the record as 99 and fail its range check as an internal error)
        Warning zero = one(SipHeaders.WARNING, "099 biloxi.example.com \"Bob is on another call\"");
        assertThat(zero.code()).isEqualTo(99);
        assertThat(zero).hasToString("099 biloxi.example.com \"Bob is on another call\"");
        assertThat(one(SipHeaders.WARNING, "007 a \"x\"")).hasToString("007 a \"x\"");
        assertThat(one(SipHeaders.WARNING, zero.toString())).isEqualTo(zero);
        assertThat(one(SipHeaders.TIMESTAMP, "54.123 0.5")).isEqualTo(new Timestamp("54.123", "0.5"));
        assertThat(one(SipHeaders.DATE, "Sat, 13 Nov 2010 23:29:00 GMT")).isEqualTo(Instant.parse("2010-11-13T23:29:00Z"));
        assertThat(one(SipHeaders.CONTENT_DISPOSITION, "session;handling=required").handling()).isEqualTo("required");
        assertThat(all(SipHeaders.P_ASSERTED_IDENTITY, "\"Cullen\" <sip:fluffy@cisco.com>, <tel:+14083421212>"))
                .hasSize(2);
        assertThat(one(SipHeaders.USER_AGENT, "Softphone Beta1.5")).isEqualTo("Softphone Beta1.5");
    }

    @Test
    void authHeaders() {
        AuthHeader c = one(SipHeaders.WWW_AUTHENTICATE, "Digest realm=\"atlanta.com\",\r\n domain=\"sip:ss1.carrier.com\","
                + " qop=\"auth,auth-int\", nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE,"
                + " algorithm=MD5");
        assertThat(c.isDigest()).isTrue();
        assertThat(c.realm()).isEqualTo("atlanta.com");
        assertThat(c.qopOptions()).containsExactly("auth", "auth-int");
        assertThat(c.opaque()).isEmpty();
        assertThat(c.stale()).isFalse();
        AuthHeader a = one(SipHeaders.AUTHORIZATION, "Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"n\","
                + " uri=\"sip:bob@biloxi.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae4\"");
        assertThat(a.username()).isEqualTo("bob");
        assertThat(a.nc()).isEqualTo("00000001");
        assertThat(a.response()).isEqualTo("6629fae4");
        assertThat(one(SipHeaders.AUTHENTICATION_INFO, "nextnonce=\"47364c23432d2e131a5fb210812c\"").param("nextnonce"))
                .isEqualTo("47364c23432d2e131a5fb210812c");
        assertThat(HeaderValueParser.parseOne(SipHeaders.AUTHORIZATION, a.toString())).isEqualTo(a);
    }
}
