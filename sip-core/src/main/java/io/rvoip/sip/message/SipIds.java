package io.rvoip.sip.message;

import io.rvoip.sip.header.Via;
import java.security.SecureRandom;

/**
 * Random identifiers with the properties RFC 3261 asks for: tags with at least 32 random bits
 * (§19.3), globally unique Call-IDs (§8.1.1.4), and branches that start with the magic cookie
 * and are unique in space and time (§8.1.1.7). All come from {@link SecureRandom}, so they
 * cannot be guessed to forge a CANCEL or a BYE.
 *
 * <p>Thread-safe.
 */
public final class SipIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private SipIds() {
    }

    /** A tag: 64 random bits in 13 base-36 characters. */
    public static String newTag() {
        return random(13);
    }

    /** A Call-ID: 128 random bits in 25 base-36 characters. */
    public static String newCallId() {
        return random(25);
    }

    /** A Call-ID with {@code @host} appended. */
    public static String newCallId(String host) {
        return random(25) + "@" + host;
    }

    /** A branch: the RFC 3261 magic cookie followed by 96 random bits. */
    public static String newBranch() {
        return Via.MAGIC_COOKIE + random(19);
    }

    /** {@code chars} base-36 characters, about 5.17 random bits each. */
    static String random(int chars) {
        byte[] bytes = new byte[chars];
        RANDOM.nextBytes(bytes);
        char[] out = new char[chars];
        for (int i = 0; i < chars; i++) {
            out[i] = ALPHABET[(bytes[i] & 0xff) % 36];
        }
        return new String(out);
    }
}
