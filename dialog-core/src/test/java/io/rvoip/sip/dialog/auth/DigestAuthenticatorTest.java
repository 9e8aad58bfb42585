package io.rvoip.sip.dialog.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.time.ManualClock;
import io.rvoip.sip.auth.DigestAlgorithm;
import io.rvoip.sip.auth.DigestCredentials;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.AuthHeader;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.Parameters;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.uri.Uri;
import io.rvoip.sip.testing.SharedFiles;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestAuthenticatorTest {
    private final ManualClock clock = new ManualClock();
    private final DigestAuthenticator auth = DigestAuthenticator.builder("example.com",
            CredentialStore.plaintext(Map.of("alice", "secret"))).clock(clock).build();

    private static SipRequest register() {
        return SipRequest.builder(SipMethod.REGISTER, Uri.parse("sip:example.com"))
                .via(Via.of("UDP", "192.0.2.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag("t"))
                .to(Address.of(Uri.parse("sip:alice@example.com"))).callId("reg-1").cseq(1).build();
    }

    private static SipRequest withAuth(SipRequest r, AuthHeader h) {
        return r.toBuilder().add(SipHeaders.AUTHORIZATION, h).build();
    }

    private AuthHeader answer(SipResponse challenge, String user, String password, long nc, SipRequest r) {
        AuthHeader c = challenge.get(SipHeaders.WWW_AUTHENTICATE);
        return DigestCredentials.answer(c, r.method().name(), r.requestUri().toString(), user, password, nc, r.body());
    }

    /** RFC 7616 §3.9.1 example values from shared/testdata/vectors/rfc7616.txt. */
    private static Map<String, String> vector(String section) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        boolean in = false;
        for (String line : Files.readAllLines(SharedFiles.rfc4475().getParent().resolve("vectors/rfc7616.txt"))) {
            if (line.startsWith("[")) {
                in = line.startsWith("[" + section + "]");
                continue;
            }
            int hash = line.indexOf('#');
            String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
            int c = l.indexOf(": ");
            if (in && c > 0) {
                out.put(l.substring(0, c), l.substring(c + 2).strip());
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.9.1 MD5", "3.9.1 SHA-256"})
    void theRfc7616ExamplesCheckOut(String section) throws Exception {
        Map<String, String> v = vector(section);
        DigestAuthenticator a = DigestAuthenticator.builder(v.get("realm"),
                CredentialStore.plaintext(Map.of(v.get("username"), v.get("password"))))
                .algorithms(DigestAlgorithm.of(v.get("algorithm"))).build();
        Parameters p = Parameters.EMPTY.withQuoted("username", v.get("username")).withQuoted("realm", v.get("realm"))
                .withQuoted("uri", v.get("uri")).with("algorithm", v.get("algorithm"))
                .withQuoted("nonce", v.get("nonce")).with("nc", v.get("nc")).withQuoted("cnonce", v.get("cnonce"))
                .with("qop", v.get("qop")).withQuoted("response", v.get("response")).withQuoted("opaque", v.get("opaque"));
        assertThat(a.check(new AuthHeader("Digest", p), v.get("method"), new byte[0]).ok()).isTrue();
        AuthHeader wrong = new AuthHeader("Digest", p.withQuoted("response", v.get("response").replace('8', '9')));
        assertThat(a.check(wrong, v.get("method"), new byte[0]).outcome())
                .isEqualTo(DigestAuthenticator.Outcome.BAD_CREDENTIALS);
        // and the HA1 store gives the same answer without the password
        DigestAuthenticator byHa1 = DigestAuthenticator.builder(v.get("realm"),
                CredentialStore.ha1(DigestAlgorithm.of(v.get("algorithm")), Map.of(v.get("username"), v.get("ha1"))))
                .algorithms(DigestAlgorithm.of(v.get("algorithm"))).build();
        assertThat(byHa1.check(new AuthHeader("Digest", p), v.get("method"), new byte[0]).ok()).isTrue();
    }

    @Test
    void challengeAnswerVerifyReplayAndStale() {
        SipRequest r = register();
        assertThat(auth.verify(r, false).outcome()).isEqualTo(DigestAuthenticator.Outcome.MISSING);
        SipResponse challenge = auth.challenge(r, false, false);
        assertThat(challenge.statusCode()).isEqualTo(401);
        assertThat(challenge.getAll(SipHeaders.WWW_AUTHENTICATE)).extracting(AuthHeader::algorithm)
                .containsExactly("SHA-256", "MD5");
        AuthHeader h = answer(challenge, "alice", "secret", 1, r);
        DigestAuthenticator.Result ok = auth.verify(withAuth(r, h), false);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.username()).isEqualTo("alice");
        // the same nonce count again is a replay; the next one is fine
        assertThat(auth.verify(withAuth(r, h), false).outcome()).isEqualTo(DigestAuthenticator.Outcome.REPLAY);
        assertThat(auth.verify(withAuth(r, answer(challenge, "alice", "secret", 2, r)), false).ok()).isTrue();
        // wrong password, unknown user
        assertThat(auth.verify(withAuth(r, answer(challenge, "alice", "guess", 3, r)), false).outcome())
                .isEqualTo(DigestAuthenticator.Outcome.BAD_CREDENTIALS);
        assertThat(auth.verify(withAuth(r, answer(challenge, "mallory", "secret", 1, r)), false).outcome())
                .isEqualTo(DigestAuthenticator.Outcome.BAD_CREDENTIALS);
        // after the lifetime: stale
        clock.advanceMillis(5 * 60_000 + 1);
        DigestAuthenticator.Result stale = auth.verify(withAuth(r, answer(challenge, "alice", "secret", 4, r)), false);
        assertThat(stale.stale()).isTrue();
        assertThat(auth.challenge(r, false, true).get(SipHeaders.WWW_AUTHENTICATE).stale()).isTrue();
    }

    @Test
    void foreignNoncesWrongUrisAndOtherRealmsAreRefused() {
        SipRequest r = register();
        SipResponse challenge = auth.challenge(r, false, false);
        DigestAuthenticator other = DigestAuthenticator.builder("example.com",
                CredentialStore.plaintext(Map.of("alice", "secret"))).build();
        // a nonce from another server (another secret)
        assertThat(other.verify(withAuth(r, answer(challenge, "alice", "secret", 1, r)), false).outcome())
                .isEqualTo(DigestAuthenticator.Outcome.BAD_CREDENTIALS);
        // credentials computed for another Request-URI
        AuthHeader c = challenge.get(SipHeaders.WWW_AUTHENTICATE);
        AuthHeader elsewhere = DigestCredentials.answer(c, "REGISTER", "sip:other.example.com", "alice", "secret", 1, null);
        assertThat(auth.verify(withAuth(r, elsewhere), false).outcome()).isEqualTo(DigestAuthenticator.Outcome.BAD_CREDENTIALS);
        // Authorization for another realm counts as missing; Proxy-Authorization is a proxy's
        AuthHeader otherRealm = new AuthHeader("Digest", c.params().withQuoted("realm", "elsewhere"));
        assertThat(auth.verify(withAuth(r, DigestCredentials.answer(otherRealm, "REGISTER", "sip:example.com", "alice",
                "secret", 1, null)), false).outcome()).isEqualTo(DigestAuthenticator.Outcome.MISSING);
        SipRequest viaProxy = r.toBuilder().add(SipHeaders.PROXY_AUTHORIZATION, answer(challenge, "alice", "secret", 1, r)).build();
        assertThat(auth.verify(viaProxy, true).ok()).isTrue();
        assertThat(auth.challenge(r, true, false).statusCode()).isEqualTo(407);
    }

    @Test
    void authIntCoversTheBody() {
        DigestAuthenticator a = DigestAuthenticator.builder("example.com", CredentialStore.plaintext(Map.of("alice", "secret")))
                .algorithms(DigestAlgorithm.MD5).build();
        SipRequest r = register().toBuilder().body(MediaType.TEXT_PLAIN, "hello".getBytes()).build();
        SipResponse ch = a.challenge(r, false, false);
        AuthHeader c = ch.get(SipHeaders.WWW_AUTHENTICATE);
        AuthHeader authInt = new AuthHeader("Digest", c.params().withQuoted("qop", "auth-int"));
        AuthHeader h = DigestCredentials.answer(authInt, "REGISTER", "sip:example.com", "alice", "secret", 1, r.body());
        assertThat(h.param("qop")).isEqualTo("auth-int");
        assertThat(a.verify(withAuth(r, h), false).ok()).isTrue();
        SipRequest tampered = withAuth(r.toBuilder().body(MediaType.TEXT_PLAIN, "hellO".getBytes()).build(),
                DigestCredentials.answer(authInt, "REGISTER", "sip:example.com", "alice", "secret", 2, r.body()));
        assertThat(a.verify(tampered, false).outcome()).isEqualTo(DigestAuthenticator.Outcome.BAD_CREDENTIALS);
        assertThat(new Credentials("alice", "secret").toString()).doesNotContain("secret");
    }
}
