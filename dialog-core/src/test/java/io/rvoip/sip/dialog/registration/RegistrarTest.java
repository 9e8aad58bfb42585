package io.rvoip.sip.dialog.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.time.ManualClock;
import io.rvoip.sip.auth.DigestCredentials;
import io.rvoip.sip.dialog.auth.CredentialStore;
import io.rvoip.sip.dialog.auth.DigestAuthenticator;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.uri.Uri;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrarTest {
    private final ManualClock clock = new ManualClock();
    private final Registrar registrar = Registrar.builder().domains("example.com").clock(clock).build();

    private static SipRequest register(String callId, long cseq, Long expires, String... contacts) {
        SipRequest.Builder b = SipRequest.builder(SipMethod.REGISTER, Uri.parse("sip:example.com"))
                .via(Via.of("UDP", "192.0.2.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag("f"))
                .to(Address.of(Uri.parse("sip:alice@example.com"))).callId(callId).cseq(cseq);
        for (String c : contacts) {
            b.add(SipHeaders.CONTACT, Address.parse(c));
        }
        if (expires != null) {
            b.set(SipHeaders.EXPIRES, expires);
        }
        return b.build();
    }

    @Test
    void bindingsExpireAndAreListedWithQOrder() {
        SipResponse r = registrar.handle(register("c1", 1, 600L, "<sip:alice@192.0.2.1>;q=0.5", "<sip:alice@192.0.2.2>;expires=120"));
        assertThat(r.statusCode()).isEqualTo(200);
        List<Address> listed = r.getAll(SipHeaders.CONTACT);
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).uri().toString()).isEqualTo("sip:alice@192.0.2.2"); // q 1 first
        assertThat(listed.get(0).param("expires")).isEqualTo("120");
        assertThat(listed.get(1).param("expires")).isEqualTo("600");
        clock.advanceMillis(121_000);
        assertThat(registrar.lookup("sip:alice@example.com")).extracting(b -> b.contact().uri().toString())
                .containsExactly("sip:alice@192.0.2.1");
        // a query (no Contact) lists what is left
        SipResponse query = registrar.handle(register("c2", 1, null));
        assertThat(query.getAll(SipHeaders.CONTACT)).hasSize(1);
        assertThat(query.getAll(SipHeaders.CONTACT).get(0).param("expires")).isEqualTo("479");
    }

    @Test
    void aContactWhoseDisplayNameNoResponseCanCarryDoesNotBreakTheAor() {
        // a NUL in a quoted-pair is valid in what arrives (RFC 3261 §25.1), but no header we send
        // may hold one. The registrar lists every binding of the AOR in each 200, so such a
        // binding must not stop the answers to this client or to any other one
        registrar.handle(register("c1", 1, 600L, "<sip:alice@192.0.2.1>"));
        String wire = new String(register("c2", 1, 600L, "<sip:alice@192.0.2.9>").toByteArray(),
                java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("Contact: <sip:alice@192.0.2.9>", "Contact: \"a\\\u0000b\" <sip:alice@192.0.2.9>");
        SipRequest hostile = (SipRequest) io.rvoip.sip.parser.SipParser.defaults()
                .parseDatagram(wire.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(hostile.contact().displayName()).isEqualTo("a\u0000b");
        SipResponse r = registrar.handle(hostile);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.getAll(SipHeaders.CONTACT)).extracting(a -> a.uri().toString())
                .containsExactlyInAnyOrder("sip:alice@192.0.2.1", "sip:alice@192.0.2.9");
        SipResponse other = registrar.handle(register("c1", 2, 600L, "<sip:alice@192.0.2.1>"));
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.getAll(SipHeaders.CONTACT)).hasSize(2).allSatisfy(a -> assertThat(a.displayName()).isNull());
    }

    @Test
    void aPathOrExpiresThatCannotBeReadOrSentIsHandled() {
        String wire = new String(register("c3", 1, 600L, "<sip:alice@192.0.2.7>").toBuilder()
                .add(SipHeaders.PATH, Address.parse("<sip:edge.example.com;lr>")).build().toByteArray(),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        // a Path hop named with a NUL quoted-pair: kept and returned without its name
        SipRequest named = (SipRequest) io.rvoip.sip.parser.SipParser.defaults().parseDatagram(
                wire.replace("Path: <sip:edge", "Path: \"e\\\u0000\" <sip:edge").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        SipResponse ok = registrar.handle(named);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.getAll(SipHeaders.PATH)).extracting(a -> a.uri().toString()).containsExactly("sip:edge.example.com;lr");
        assertThat(registrar.lookup("sip:alice@example.com").get(0).path()).extracting(Address::displayName)
                .containsOnlyNulls();
        // an Expires that does not parse: 400 too
        SipRequest badExpires = (SipRequest) io.rvoip.sip.parser.SipParser.defaults().parseDatagram(
                wire.replace("Expires: 600", "Expires: soon").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(registrar.handle(badExpires).statusCode()).isEqualTo(400);
        // a Path that does not parse: 400, as for a bad Contact
        SipRequest broken = (SipRequest) io.rvoip.sip.parser.SipParser.defaults().parseDatagram(
                wire.replace("Path: <sip:edge.example.com;lr>", "Path: <sip:edge.example.com;lr").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(registrar.handle(broken).statusCode()).isEqualTo(400);
    }

    @Test
    void callIdAndCSeqRulesAndRemoval() {
        registrar.handle(register("c1", 5, 600L, "<sip:alice@192.0.2.1>"));
        // the same Call-ID with a lower CSeq fails
        assertThat(registrar.handle(register("c1", 4, 600L, "<sip:alice@192.0.2.1>")).statusCode()).isEqualTo(500);
        // another Call-ID may update it; Expires 0 removes it
        assertThat(registrar.handle(register("c9", 1, 0L, "<sip:alice@192.0.2.1>")).statusCode()).isEqualTo(200);
        assertThat(registrar.lookup("sip:alice@example.com")).isEmpty();
        // "*" removes all, but only with Expires 0 and alone
        registrar.handle(register("c1", 6, 600L, "<sip:alice@192.0.2.1>", "<sip:alice@192.0.2.3>"));
        assertThat(registrar.handle(register("c1", 7, 600L, "*")).statusCode()).isEqualTo(400);
        assertThat(registrar.handle(register("c1", 8, 0L, "*", "<sip:alice@192.0.2.3>")).statusCode()).isEqualTo(400);
        assertThat(registrar.handle(register("c1", 9, 0L, "*")).statusCode()).isEqualTo(200);
        assertThat(registrar.lookup("sip:alice@example.com")).isEmpty();
    }

    @Test
    void tooBriefExpiryGets423AndForeignDomains404() {
        SipResponse r = registrar.handle(register("c1", 1, 30L, "<sip:alice@192.0.2.1>"));
        assertThat(r.statusCode()).isEqualTo(423);
        assertThat(r.get(SipHeaders.MIN_EXPIRES)).isEqualTo(60L);
        SipRequest elsewhere = register("c1", 2, 600L, "<sip:alice@192.0.2.1>").toBuilder()
                .requestUri(Uri.parse("sip:other.example.net")).build();
        assertThat(registrar.handle(elsewhere).statusCode()).isEqualTo(404);
    }

    @Test
    void pathIsKeptAndReturned() {
        SipRequest r = register("c1", 1, 600L, "<sip:alice@10.0.0.1>").toBuilder()
                .add(SipHeaders.PATH, Address.parse("<sip:edge.example.com;lr>")).build();
        SipResponse ok = registrar.handle(r);
        assertThat(ok.getAll(SipHeaders.PATH)).extracting(a -> a.uri().toString()).containsExactly("sip:edge.example.com;lr");
        assertThat(registrar.lookup("sip:alice@example.com").get(0).path()).hasSize(1);
    }

    @Test
    void withAuthenticationOnlyTheOwnerRegisters() {
        DigestAuthenticator auth = DigestAuthenticator.builder("example.com",
                CredentialStore.plaintext(Map.of("alice", "a", "bob", "b"))).clock(clock).build();
        Registrar secured = Registrar.builder().authenticator(auth).clock(clock).build();
        SipRequest r = register("c1", 1, 600L, "<sip:alice@192.0.2.1>");
        SipResponse challenge = secured.handle(r);
        assertThat(challenge.statusCode()).isEqualTo(401);
        SipRequest asAlice = r.toBuilder().cseq(2).add(SipHeaders.AUTHORIZATION, DigestCredentials.answer(
                challenge.get(SipHeaders.WWW_AUTHENTICATE), "REGISTER", "sip:example.com", "alice", "a", 1, null)).build();
        assertThat(secured.handle(asAlice).statusCode()).isEqualTo(200);
        SipRequest asBob = r.toBuilder().cseq(3).add(SipHeaders.AUTHORIZATION, DigestCredentials.answer(
                challenge.get(SipHeaders.WWW_AUTHENTICATE), "REGISTER", "sip:example.com", "bob", "b", 2, null)).build();
        assertThat(secured.handle(asBob).statusCode()).as("bob may not register alice").isEqualTo(403);
    }
}
