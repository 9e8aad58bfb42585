package io.rvoip.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.header.AuthHeader;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.parser.HeaderValueParser;
import io.rvoip.sip.testing.SharedData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Digest math against the worked examples in shared/testdata/vectors (RFC 7616 §3.9, RFC 2617 §3.5). */
class DigestTest {

    /** Parses a vectors file into section → (key → value), dropping trailing comments. */
    static Map<String, Map<String, String>> sections(String file) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : SharedData.text("testdata/vectors/" + file).split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("[")) {
                current = new LinkedHashMap<>();
                out.put(line.substring(1, line.indexOf(']')), current);
                continue;
            }
            int colon = line.indexOf(':');
            String value = line.substring(colon + 1).trim();
            int comment = value.indexOf("  #");
            if (comment < 0) {
                comment = value.indexOf(" #");
            }
            if (comment >= 0) {
                value = value.substring(0, comment).trim();
            }
            current.put(line.substring(0, colon).trim(), value);
        }
        return out;
    }

    static void check(Map<String, String> v, DigestAlgorithm alg) {
        String ha1 = Digest.ha1(alg, v.get("username"), v.get("realm"), v.get("password"), v.get("nonce"), v.get("cnonce"));
        String ha2 = Digest.ha2(alg, v.get("method"), v.get("uri"), v.get("qop"), null);
        assertThat(ha1).isEqualTo(v.get("ha1"));
        assertThat(ha2).isEqualTo(v.get("ha2"));
        String response = Digest.response(alg, ha1, v.get("nonce"), v.get("nc"), v.get("cnonce"), v.get("qop"), ha2);
        assertThat(response).isEqualTo(v.get("response"));
        assertThat(Digest.matches(v.get("response"), response.toUpperCase())).isTrue();
        assertThat(Digest.matches(v.get("response"), response.substring(1) + "0")).isFalse();
    }

    @Test
    void rfc7616Md5AndSha256() {
        Map<String, Map<String, String>> s = sections("rfc7616.txt");
        check(s.get("3.9.1 MD5"), DigestAlgorithm.MD5);
        check(s.get("3.9.1 SHA-256"), DigestAlgorithm.SHA_256);
    }

    @Test
    void rfc2617Md5() {
        check(sections("rfc2617.txt").get("3.5 MD5, qop=auth"), DigestAlgorithm.MD5);
    }

    @Test
    void rfc7616Sha512_256WithUserhashUsesFipsSha512_256() {
        Map<String, String> v = sections("rfc7616.txt").values().stream()
                .filter(m -> m.containsKey("fips_sha512_256_response")).findFirst().orElseThrow();
        String user = "J\u00e4s\u00f8n Doe";
        DigestAlgorithm alg = DigestAlgorithm.SHA_512_256;
        assertThat(Digest.userhash(alg, user, v.get("realm"))).isEqualTo(v.get("fips_sha512_256_userhash"));
        String ha1 = Digest.ha1(alg, user, v.get("realm"), v.get("password"), v.get("nonce"), v.get("cnonce"));
        String ha2 = Digest.ha2(alg, v.get("method"), v.get("uri"), v.get("qop"), null);
        assertThat(Digest.response(alg, ha1, v.get("nonce"), v.get("nc"), v.get("cnonce"), v.get("qop"), ha2))
                .isEqualTo(v.get("fips_sha512_256_response"));
    }

    @Test
    void sessAndAuthIntFollowTheDefinitions() {
        DigestAlgorithm md5 = DigestAlgorithm.MD5;
        String plain = Digest.hash(md5, "u:r:p");
        assertThat(Digest.ha1(DigestAlgorithm.MD5_SESS, "u", "r", "p", "n", "c"))
                .isEqualTo(Digest.hash(md5, plain + ":n:c"));
        byte[] body = "v=0\r\n".getBytes();
        assertThat(Digest.ha2(md5, "INVITE", "sip:b@h", "auth-int", body))
                .isEqualTo(Digest.hash(md5, "INVITE:sip:b@h:" + Digest.hash(md5, body)));
        assertThat(Digest.response(md5, "A", "N", null, null, null, "B")).isEqualTo(Digest.hash(md5, "A:N:B"));
        assertThat(DigestAlgorithm.of(null)).isEqualTo(DigestAlgorithm.MD5);
        assertThat(DigestAlgorithm.of("sha-256-SESS")).isEqualTo(DigestAlgorithm.SHA_256_SESS);
        assertThatThrownBy(() -> DigestAlgorithm.of("SHA-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answeringAChallengeProducesVerifiableCredentials() {
        AuthHeader challenge = HeaderValueParser.parseOne(SipHeaders.WWW_AUTHENTICATE,
                "Digest realm=\"atlanta.example.com\", qop=\"auth,auth-int\", nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\","
                        + " opaque=\"xyz\", algorithm=SHA-256, stale=FALSE");
        AuthHeader creds = DigestCredentials.answer(challenge, "REGISTER", "sip:atlanta.example.com", "alice", "secret",
                1, null);
        assertThat(creds.scheme()).isEqualTo("Digest");
        assertThat(creds.param("qop")).isEqualTo("auth");
        assertThat(creds.nc()).isEqualTo("00000001");
        assertThat(creds.opaque()).isEqualTo("xyz");
        assertThat(creds.algorithm()).isEqualTo("SHA-256");
        // What a registrar does with it:
        AuthHeader received = HeaderValueParser.parseOne(SipHeaders.AUTHORIZATION, creds.toString());
        DigestAlgorithm alg = DigestAlgorithm.of(received.algorithm());
        String expected = Digest.response(alg, Digest.ha1(alg, "alice", received.realm(), "secret", received.nonce(),
                received.cnonce()), received.nonce(), received.nc(), received.cnonce(), received.param("qop"),
                Digest.ha2(alg, "REGISTER", received.uri(), received.param("qop"), null));
        assertThat(Digest.matches(expected, received.response())).isTrue();
        String wrong = Digest.response(alg, Digest.ha1(alg, "alice", received.realm(), "guess", received.nonce(),
                received.cnonce()), received.nonce(), received.nc(), received.cnonce(), received.param("qop"),
                Digest.ha2(alg, "REGISTER", received.uri(), received.param("qop"), null));
        assertThat(Digest.matches(wrong, received.response())).isFalse();
    }

    @Test
    void answeringWithoutQopFallsBackToRfc2069() {
        AuthHeader challenge = HeaderValueParser.parseOne(SipHeaders.PROXY_AUTHENTICATE,
                "Digest realm=\"biloxi.com\", nonce=\"abc\"");
        AuthHeader creds = DigestCredentials.answer(challenge, "INVITE", "sip:bob@biloxi.com", "bob", "zanzibar", 1, null);
        assertThat(creds.param("qop")).isNull();
        assertThat(creds.cnonce()).isNull();
        String ha1 = Digest.ha1(DigestAlgorithm.MD5, "bob", "biloxi.com", "zanzibar", "abc", null);
        String ha2 = Digest.ha2(DigestAlgorithm.MD5, "INVITE", "sip:bob@biloxi.com", null, null);
        assertThat(creds.response()).isEqualTo(Digest.response(DigestAlgorithm.MD5, ha1, "abc", null, null, null, ha2));
    }

    @Test
    void aChallengeValueThatNoHeaderCanCarryIsRefused() {
        // a NUL as a quoted-pair is valid in a received realm (RFC 3261 §25.1), but no header we
        // send may hold a NUL: the answer refuses it as it refuses an unknown algorithm, the
        // exception a UAC catches to skip that challenge
        for (String challenge : List.of("Digest realm=\"exa\\\u0000mple.com\", nonce=\"n\"",
                "Digest realm=\"example.com\", nonce=\"n\\\u0000\"",
                "Digest realm=\"example.com\", nonce=\"n\", opaque=\"\\\u0000\"")) {
            AuthHeader c = HeaderValueParser.parseOne(SipHeaders.WWW_AUTHENTICATE, challenge);
            assertThatThrownBy(() -> DigestCredentials.answer(c, "INVITE", "sip:bob@example.com", "alice", "secret", 1, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be sent back");
        }
        AuthHeader ok = HeaderValueParser.parseOne(SipHeaders.WWW_AUTHENTICATE, "Digest realm=\"example.com\", nonce=\"n\"");
        assertThatThrownBy(() -> DigestCredentials.answer(ok, "INVITE", "sip:bob@example.com", "al\u0000ice", "secret", 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DigestCredentials.answer(ok, "INVITE", "sip:bob@example.com", "alice", "secret", 1, null).realm())
                .isEqualTo("example.com");
    }
}
