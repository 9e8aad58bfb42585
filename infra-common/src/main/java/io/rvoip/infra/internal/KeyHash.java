package io.rvoip.infra.internal;

import java.security.SecureRandom;

/**
 * Hash codes for keys made of strings a peer chooses (branches, Call-IDs, tags). They are a
 * polynomial over the characters, like {@link String#hashCode()}, but in a multiplier drawn at
 * random once per JVM: with String's fixed 31 a peer can craft thousands of values sharing one
 * hash, and a hash map whose keys are not {@link Comparable} then searches that bucket
 * linearly on every lookup.
 *
 * <p>Thread safety: stateless after class initialisation.
 */
public final class KeyHash {
    /** The multiplier: random and odd. */
    private static final int MULTIPLIER = new SecureRandom().nextInt() | 1;

    private KeyHash() {
    }

    /** The hash of {@code s}. */
    public static int of(String s) {
        return mix(0, s);
    }

    /** {@code h} followed by the characters of {@code s} and a separator. */
    public static int mix(int h, String s) {
        int m = MULTIPLIER;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = m * h + s.charAt(i);
        }
        return m * h + 0xFFFF; // a separator no character can stand for: ("ab","c") and ("a","bc") differ
    }
}
