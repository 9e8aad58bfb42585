package io.rvoip.rtp.srtp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One SDP Security Descriptions attribute (RFC 4568): {@code a=crypto:<tag> <suite>
 * inline:<key||salt>[|lifetime][|MKI:length][;inline:...] [session-params]}.
 *
 * <p>Parsing accepts base64 with or without padding (a real-world interop bug), lifetimes as
 * decimals or {@code 2^n}, several keys (all with MKIs of one length), and the session
 * parameters {@code KDR=n} and {@code WSH=n}. Session parameters this stack does not implement
 * ({@code UNENCRYPTED_SRTP}, {@code UNENCRYPTED_SRTCP}, {@code UNAUTHENTICATED_SRTP},
 * {@code FEC_ORDER}, {@code FEC_KEY}, unknown ones) are kept in {@link #unsupportedParams()};
 * an answerer must not accept a line that has any (RFC 4568 §6.3).
 *
 * <p>{@link #toString()} never shows key material; {@link #format()} does, because it is what
 * goes into SDP.
 *
 * <pre>{@code
 * SdesCrypto offer = SdesCrypto.generate(1, SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
 * String line = "a=crypto:" + offer.format();
 * SdesCrypto answer = SdesCrypto.parse(peerLineValue);
 * SrtpContext rx = SrtpContext.create(answer.toPolicy());
 * }</pre>
 */
public final class SdesCrypto {
    /** Longest attribute value parsed; a longer one is refused. */
    public static final int MAX_LENGTH = 4096;
    private static final int MAX_KEYS = 16;

    private final int tag;
    private final SrtpProfile profile;
    private final List<Key> keys;
    private final int kdrExponent;
    private final int windowSize;
    private final List<String> unsupportedParams;

    private SdesCrypto(int tag, SrtpProfile profile, List<Key> keys, int kdrExponent, int windowSize,
                       List<String> unsupportedParams) {
        this.tag = tag;
        this.profile = profile;
        this.keys = List.copyOf(keys);
        this.kdrExponent = kdrExponent;
        this.windowSize = windowSize;
        this.unsupportedParams = List.copyOf(unsupportedParams);
    }

    /** One inline key: key||salt, lifetime (0 = default) and MKI (value, length; length 0 = none). */
    public record Key(byte[] keySalt, long lifetime, long mki, int mkiLength) {
        /** Copies the key material. */
        public Key {
            keySalt = keySalt.clone();
        }

        @Override
        public byte[] keySalt() {
            return keySalt.clone();
        }

        /** The MKI as it appears in packets: {@code mkiLength} big-endian bytes. */
        public byte[] mkiBytes() {
            byte[] b = new byte[mkiLength];
            for (int i = 0; i < mkiLength; i++) {
                int shift = 8 * (mkiLength - 1 - i);
                b[i] = shift >= 64 ? 0 : (byte) (mki >>> shift);
            }
            return b;
        }

        @Override
        public String toString() {
            return "Key{" + keySalt.length + " bytes, lifetime=" + (lifetime == 0 ? "default" : lifetime)
                    + (mkiLength > 0 ? ", mki=" + mki + ":" + mkiLength : "") + '}';
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Arrays.equals(keySalt, k.keySalt) && lifetime == k.lifetime
                    && mki == k.mki && mkiLength == k.mkiLength;
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(keySalt) * 31 + Long.hashCode(lifetime ^ mki) + mkiLength;
        }
    }

    /** A fresh attribute with one random master key (no lifetime, no MKI). */
    public static SdesCrypto generate(int tag, SrtpProfile profile, SecureRandom random) {
        byte[] ks = new byte[profile.keySaltLength()];
        random.nextBytes(ks);
        return new SdesCrypto(checkTag(tag), profile, List.of(new Key(ks, 0, 0, 0)), -1, 0, List.of());
    }

    /** An attribute with the given keys and session parameters ({@code kdrExponent} -1 = none, {@code wsh} 0 = none). */
    public static SdesCrypto of(int tag, SrtpProfile profile, List<Key> keys, int kdrExponent, int wsh) {
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("1.." + MAX_KEYS + " keys");
        }
        for (Key k : keys) {
            if (k.keySalt.length != profile.keySaltLength()) {
                throw new IllegalArgumentException("key||salt length " + k.keySalt.length + " for " + profile);
            }
        }
        return new SdesCrypto(checkTag(tag), profile, keys, kdrExponent, wsh, List.of());
    }

    private static int checkTag(int tag) {
        if (tag < 0 || tag > 999_999_999) {
            throw new IllegalArgumentException("tag must be 0..999999999: " + tag);
        }
        return tag;
    }

    /**
     * Parses an attribute value: the text after {@code a=crypto:} (a leading {@code a=crypto:}
     * or {@code crypto:} is tolerated).
     *
     * @throws SdesException when the line is malformed, names an unsupported suite, or its keys do
     *                       not fit the suite
     */
    public static SdesCrypto parse(String value) throws SdesException {
        Objects.requireNonNull(value, "value");
        if (value.length() > MAX_LENGTH) {
            throw new SdesException("crypto attribute longer than " + MAX_LENGTH);
        }
        String v = value.strip();
        if (v.startsWith("a=")) {
            v = v.substring(2);
        }
        if (v.startsWith("crypto:")) {
            v = v.substring(7);
        }
        String[] parts = v.split("[ \t]+");
        if (parts.length < 3) {
            throw new SdesException("crypto attribute needs tag, suite and key parameters");
        }
        int tag;
        try {
            if (parts[0].length() > 9 || parts[0].isEmpty() || !parts[0].chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(); // 1*9DIGIT (RFC 4568 §9.1): no sign
            }
            tag = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new SdesException("bad crypto tag: " + parts[0]);
        }
        SrtpProfile profile;
        try {
            profile = SrtpProfile.fromSdesName(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new SdesException("unsupported crypto-suite: " + parts[1]);
        }
        List<Key> keys = new ArrayList<>();
        for (String kp : parts[2].split(";")) {
            if (keys.size() == MAX_KEYS) {
                throw new SdesException("more than " + MAX_KEYS + " keys");
            }
            keys.add(parseKey(kp, profile));
        }
        int mkiLength = keys.get(0).mkiLength;
        for (Key k : keys) {
            if (k.mkiLength != mkiLength || (keys.size() > 1 && mkiLength == 0)) {
                throw new SdesException("several keys need MKIs of one length");
            }
        }
        int kdr = -1;
        int wsh = 0;
        List<String> unsupported = new ArrayList<>();
        for (int i = 3; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("KDR=")) {
                kdr = parseSmallInt(p.substring(4), 1, 24, "KDR");
            } else if (p.startsWith("WSH=")) {
                wsh = parseSmallInt(p.substring(4), 64, 32768, "WSH");
            } else {
                unsupported.add(p);
            }
        }
        return new SdesCrypto(tag, profile, keys, kdr, wsh, unsupported);
    }

    private static Key parseKey(String kp, SrtpProfile profile) throws SdesException {
        if (!kp.startsWith("inline:")) {
            throw new SdesException("only the inline key method is supported");
        }
        String[] f = kp.substring(7).split("\\|", -1);
        if (f.length > 3) {
            throw new SdesException("too many key fields");
        }
        byte[] keySalt = decodeBase64(f[0]);
        if (keySalt.length != profile.keySaltLength()) {
            throw new SdesException("key||salt is " + keySalt.length + " bytes, " + profile.sdesName()
                    + " needs " + profile.keySaltLength());
        }
        long lifetime = 0;
        long mki = 0;
        int mkiLength = 0;
        for (int i = 1; i < f.length; i++) {
            String s = f[i];
            if (s.indexOf(':') >= 0) {
                if (mkiLength != 0 || i != f.length - 1) {
                    throw new SdesException("MKI must be the last key field");
                }
                int c = s.indexOf(':');
                mki = parseDecimal(s.substring(0, c), "MKI");
                mkiLength = parseSmallInt(s.substring(c + 1), 1, 128, "MKI length");
                if (mkiLength < 8 && mki >= (1L << (8 * mkiLength))) {
                    throw new SdesException("MKI " + mki + " does not fit in " + mkiLength + " bytes");
                }
            } else {
                if (i != 1) {
                    throw new SdesException("lifetime must come before the MKI");
                }
                lifetime = parseLifetime(s);
            }
        }
        return new Key(keySalt, lifetime, mki, mkiLength);
    }

    private static byte[] decodeBase64(String s) throws SdesException {
        String t = s;
        while (t.endsWith("=")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.isEmpty() || t.length() % 4 == 1) {
            throw new SdesException("bad base64 key length");
        }
        try {
            return Base64.getDecoder().decode(t + "==".substring(0, (4 - t.length() % 4) % 4));
        } catch (IllegalArgumentException e) {
            throw new SdesException("bad base64 key");
        }
    }

    private static long parseLifetime(String s) throws SdesException {
        long v;
        if (s.startsWith("2^")) {
            int e = parseSmallInt(s.substring(2), 1, 48, "lifetime exponent");
            v = 1L << e;
        } else {
            v = parseDecimal(s, "lifetime");
        }
        if (v <= 0 || v > MasterKey.MAX_SRTP_LIFETIME) {
            throw new SdesException("lifetime out of range: " + s);
        }
        return v;
    }

    private static long parseDecimal(String s, String what) throws SdesException {
        if (s.isEmpty() || s.length() > 18 || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new SdesException("bad " + what + ": " + s);
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdesException("bad " + what + ": " + s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int parseSmallInt(String s, int min, int max, String what) throws SdesException {
        long v = parseDecimal(s, what);
        if (v < min || v > max) {
            throw new SdesException(what + " out of range " + min + ".." + max + ": " + s);
        }
        return (int) v;
    }

    /** The attribute value for SDP (without {@code a=crypto:}); contains key material. */
    public String format() {
        StringBuilder sb = new StringBuilder(80);
        sb.append(tag).append(' ').append(profile.sdesName()).append(' ');
        Base64.Encoder enc = Base64.getEncoder();
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            if (i > 0) {
                sb.append(';');
            }
            sb.append("inline:").append(enc.encodeToString(k.keySalt));
            if (k.lifetime > 0) {
                sb.append('|');
                if (Long.bitCount(k.lifetime) == 1) {
                    sb.append("2^").append(Long.numberOfTrailingZeros(k.lifetime));
                } else {
                    sb.append(k.lifetime);
                }
            }
            if (k.mkiLength > 0) {
                sb.append('|').append(k.mki).append(':').append(k.mkiLength);
            }
        }
        if (kdrExponent > 0) {
            sb.append(" KDR=").append(kdrExponent);
        }
        if (windowSize > 0) {
            sb.append(" WSH=").append(windowSize);
        }
        for (String p : unsupportedParams) {
            sb.append(' ').append(p);
        }
        return sb.toString();
    }

    /**
     * The SRTP policy for these keys (KDR and window size applied).
     *
     * @throws SdesException when the line carries session parameters this stack does not
     *                       implement
     */
    public SrtpPolicy toPolicy() throws SdesException {
        if (!unsupportedParams.isEmpty()) {
            throw new SdesException("unsupported session parameters: " + unsupportedParams);
        }
        SrtpPolicy.Builder b = SrtpPolicy.builder(profile).kdrExponent(kdrExponent);
        if (windowSize > 0) {
            b.replayWindow(windowSize);
        }
        for (Key k : keys) {
            b.masterKey(MasterKey.fromKeySalt(profile, k.keySalt, k.mkiBytes(),
                    k.lifetime == 0 ? MasterKey.MAX_SRTP_LIFETIME : k.lifetime));
        }
        return b.build();
    }

    /** The tag that pairs an offer's line with the answer's. */
    public int tag() {
        return tag;
    }

    /** The crypto-suite. */
    public SrtpProfile profile() {
        return profile;
    }

    /** The inline keys. */
    public List<Key> keys() {
        return keys;
    }

    /** log2 of KDR, or -1 when absent. */
    public int kdrExponent() {
        return kdrExponent;
    }

    /** WSH (replay window size), or 0 when absent. */
    public int windowSize() {
        return windowSize;
    }

    /** Session parameters present but not implemented here. */
    public List<String> unsupportedParams() {
        return unsupportedParams;
    }

    @Override
    public String toString() {
        return "SdesCrypto{tag=" + tag + ", " + profile.sdesName() + ", keys=" + keys
                + (kdrExponent > 0 ? ", KDR=" + kdrExponent : "")
                + (windowSize > 0 ? ", WSH=" + windowSize : "") + '}';
    }
}
