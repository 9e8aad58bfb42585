package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * {@code a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]} (RFC 4568 §9.1): SDES
 * keying for SRTP. {@link #toString()} contains the key: never log it.
 *
 * @param tag the tag (1..999999999)
 * @param suite e.g. {@code AES_CM_128_HMAC_SHA1_80}
 * @param keyParams e.g. {@code inline:<base64 key||salt>[|lifetime][|MKI:length]}
 * @param sessionParams the session parameters, or null
 */
public record Crypto(int tag, String suite, String keyParams, String sessionParams) {

    /** Validates presence. */
    public Crypto {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(keyParams, "keyParams");
    }

    /** Parses the attribute value. */
    public static Crypto parse(String value) {
        String[] p = SdpValues.split(value, 3, "crypto");
        int tag = (int) SdpValues.number(p[0], 999_999_999, "crypto tag");
        String session = null;
        if (p.length > 3) {
            session = String.join(" ", java.util.Arrays.copyOfRange(p, 3, p.length));
        }
        if (!p[2].regionMatches(true, 0, "inline:", 0, 7)) {
            throw new io.rvoip.sip.parser.SipParseException("crypto key-params must use the inline method", -1);
        }
        return new Crypto(tag, p[1], p[2], session);
    }

    /** The base64 key and salt of the first key-param, without lifetime and MKI. */
    public String inlineKey() {
        String k = keyParams.substring(7);
        int bar = k.indexOf('|');
        int semi = k.indexOf(';');
        int end = bar < 0 ? (semi < 0 ? k.length() : semi) : (semi < 0 ? bar : Math.min(bar, semi));
        return k.substring(0, end);
    }

    /** Hides the key: safe to log. */
    public String redacted() {
        return tag + " " + suite + " inline:<redacted>";
    }

    @Override
    public String toString() {
        return tag + " " + suite + " " + keyParams + (sessionParams == null ? "" : " " + sessionParams);
    }
}
