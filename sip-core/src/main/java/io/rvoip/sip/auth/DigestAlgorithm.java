package io.rvoip.sip.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Digest algorithms (RFC 7616 §3.2, RFC 2617 §3.2.1). {@code SHA-512-256} is FIPS 180-4
 * SHA-512/256, as RFC 7616 specifies (note: the RFC's own §3.9.2 example values were computed
 * with SHA-512 truncated to 256 bits; see sip-core's README).
 */
public enum DigestAlgorithm {
    MD5("MD5", "MD5", false),
    MD5_SESS("MD5-sess", "MD5", true),
    SHA_256("SHA-256", "SHA-256", false),
    SHA_256_SESS("SHA-256-sess", "SHA-256", true),
    SHA_512_256("SHA-512-256", "SHA-512/256", false),
    SHA_512_256_SESS("SHA-512-256-sess", "SHA-512/256", true);

    private final String token;
    private final String jcaName;
    private final boolean session;

    DigestAlgorithm(String token, String jcaName, boolean session) {
        this.token = token;
        this.jcaName = jcaName;
        this.session = session;
    }

    /** The token used in the {@code algorithm} parameter. */
    public String token() {
        return token;
    }

    /** True for the {@code -sess} variants. */
    public boolean isSession() {
        return session;
    }

    /**
     * The algorithm named by a challenge's {@code algorithm} parameter (case-insensitive);
     * {@code null} means MD5 (RFC 7616 §3.3).
     *
     * @throws IllegalArgumentException for an unknown algorithm
     */
    public static DigestAlgorithm of(String token) {
        if (token == null) {
            return MD5;
        }
        for (DigestAlgorithm a : values()) {
            if (a.token.equalsIgnoreCase(token.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown digest algorithm: " + token);
    }

    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is missing from this JRE", e);
        }
    }
}
