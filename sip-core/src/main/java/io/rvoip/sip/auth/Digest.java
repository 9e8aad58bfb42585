package io.rvoip.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Digest access authentication math (RFC 7616 §3.4, RFC 2617 §3.2.2, as used by SIP per
 * RFC 3261 §22.4): HA1, HA2, the response, and the userhash. All values are lower-case hex.
 *
 * <p>Responses must be compared with {@link #matches(String, String)}, which takes the same
 * time wherever the first difference is. Nothing here logs.
 */
public final class Digest {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Digest() {
    }

    /** {@code H(data)} in lower-case hex. */
    public static String hash(DigestAlgorithm alg, byte[] data) {
        return hex(alg.newDigest().digest(data));
    }

    /** {@code H(text)} over the UTF-8 bytes of {@code text}. */
    public static String hash(DigestAlgorithm alg, String text) {
        return hash(alg, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * HA1 = H(username:realm:password); for {@code -sess},
     * H(H(username:realm:password):nonce:cnonce).
     */
    public static String ha1(DigestAlgorithm alg, String username, String realm, String password, String nonce,
            String cnonce) {
        String ha1 = hash(alg, username + ":" + realm + ":" + password);
        if (alg.isSession()) {
            Objects.requireNonNull(cnonce, "a -sess algorithm needs a cnonce");
            ha1 = hash(alg, ha1 + ":" + nonce + ":" + cnonce);
        }
        return ha1;
    }

    /** HA2 = H(method:uri); for qop {@code auth-int}, H(method:uri:H(body)). */
    public static String ha2(DigestAlgorithm alg, String method, String uri, String qop, byte[] body) {
        if ("auth-int".equalsIgnoreCase(qop)) {
            return hash(alg, method + ":" + uri + ":" + hash(alg, body == null ? new byte[0] : body));
        }
        return hash(alg, method + ":" + uri);
    }

    /**
     * The request-digest: H(HA1:nonce:nc:cnonce:qop:HA2) with a qop, or H(HA1:nonce:HA2) without
     * one (RFC 2069 compatibility).
     */
    public static String response(DigestAlgorithm alg, String ha1, String nonce, String nc, String cnonce, String qop,
            String ha2) {
        if (qop == null || qop.isEmpty()) {
            return hash(alg, ha1 + ":" + nonce + ":" + ha2);
        }
        return hash(alg, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** userhash = H(username:realm) (RFC 7616 §3.4.4). */
    public static String userhash(DigestAlgorithm alg, String username, String realm) {
        return hash(alg, username + ":" + realm);
    }

    /** Constant-time comparison of two hex digests (case-insensitive). */
    public static boolean matches(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        byte[] a = expected.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] b = actual.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(a, b);
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 15];
            out[2 * i + 1] = HEX[bytes[i] & 15];
        }
        return new String(out);
    }
}
