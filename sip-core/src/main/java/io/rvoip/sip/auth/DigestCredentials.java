package io.rvoip.sip.auth;

import io.rvoip.sip.header.AuthHeader;
import io.rvoip.sip.header.Parameters;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Answers a Digest challenge (WWW-Authenticate or Proxy-Authenticate) with credentials for an
 * Authorization or Proxy-Authorization header (RFC 3261 §22.4, RFC 7616 §3.4). Chooses
 * {@code auth} when offered (else {@code auth-int}, else RFC 2069 style), generates a cnonce,
 * and quotes each parameter as the RFC requires.
 *
 * <p>The header returned contains the response digest: never log it.
 */
public final class DigestCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestCredentials() {
    }

    /**
     * Credentials for {@code method} on {@code uri} (the Request-URI as sent).
     *
     * @param challenge a Digest challenge
     * @param nonceCount how many requests have used this nonce, including this one (1 for the first)
     * @param body the request body, for {@code auth-int}
     * @throws IllegalArgumentException if the challenge cannot be answered: not Digest, an
     *     unknown algorithm, or a realm, nonce or opaque value (or a user name) that no header
     *     can carry back (a NUL: valid in a received quoted-pair, refused in any header we send)
     */
    public static AuthHeader answer(AuthHeader challenge, String method, String uri, String username, String password,
            long nonceCount, byte[] body) {
        Objects.requireNonNull(challenge, "challenge");
        if (!challenge.isDigest()) {
            throw new IllegalArgumentException("not a Digest challenge: " + challenge.scheme());
        }
        DigestAlgorithm alg = DigestAlgorithm.of(challenge.param("algorithm"));
        String realm = Objects.requireNonNull(challenge.realm(), "challenge without realm");
        String nonce = Objects.requireNonNull(challenge.nonce(), "challenge without nonce");
        echoable(realm, "realm");
        echoable(nonce, "nonce");
        echoable(challenge.opaque(), "opaque");
        echoable(username, "user name");
        List<String> offered = challenge.qopOptions();
        String qop = offered.contains("auth") ? "auth" : offered.contains("auth-int") ? "auth-int" : null;
        String cnonce = qop != null || alg.isSession() ? newCnonce() : null;
        String nc = String.format(Locale.ROOT, "%08x", nonceCount);
        boolean userhash = challenge.userhash();
        String user = userhash ? Digest.userhash(alg, username, realm) : username;
        String ha1 = Digest.ha1(alg, username, realm, password, nonce, cnonce);
        String ha2 = Digest.ha2(alg, method, uri, qop, body);
        String response = Digest.response(alg, ha1, nonce, nc, cnonce, qop, ha2);

        Parameters p = Parameters.EMPTY.withQuoted("username", user).withQuoted("realm", realm)
                .withQuoted("nonce", nonce).withQuoted("uri", uri).withQuoted("response", response)
                .with("algorithm", alg.token());
        if (qop != null) {
            p = p.with("qop", qop).with("nc", nc).withQuoted("cnonce", cnonce);
        } else if (cnonce != null) {
            p = p.withQuoted("cnonce", cnonce);
        }
        if (challenge.opaque() != null) {
            p = p.withQuoted("opaque", challenge.opaque());
        }
        if (userhash) {
            p = p.with("userhash", "true");
        }
        return new AuthHeader("Digest", p);
    }

    /** A value the answer repeats: no NUL, CR or LF, which no header we send may hold. */
    private static void echoable(String v, String what) {
        if (v != null && (v.indexOf('\0') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0)) {
            throw new IllegalArgumentException("the " + what + " holds a NUL or a line break: it cannot be sent back");
        }
    }

    private static String newCnonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Digest.hex(b);
    }
}
