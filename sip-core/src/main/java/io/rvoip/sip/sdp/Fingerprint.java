package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * {@code a=fingerprint:<hash-function> <fingerprint>} (RFC 8122 §5): the DTLS certificate's hash.
 *
 * @param hashFunction e.g. {@code sha-256}
 * @param value upper-case hex bytes separated by colons
 */
public record Fingerprint(String hashFunction, String value) {

    /** Validates presence. */
    public Fingerprint {
        Objects.requireNonNull(hashFunction, "hashFunction");
        Objects.requireNonNull(value, "value");
    }

    /** Parses the attribute value. */
    public static Fingerprint parse(String v) {
        String[] p = SdpValues.split(v, 2, "fingerprint");
        if (p.length != 2 || !p[1].matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*")) {
            throw new io.rvoip.sip.parser.SipParseException("malformed fingerprint: " + v, -1);
        }
        return new Fingerprint(p[0], p[1]);
    }

    /** The fingerprint bytes. */
    public byte[] bytes() {
        String[] hex = value.split(":");
        byte[] out = new byte[hex.length];
        for (int i = 0; i < hex.length; i++) {
            out[i] = (byte) Integer.parseInt(hex[i], 16);
        }
        return out;
    }

    @Override
    public String toString() {
        return hashFunction + " " + value;
    }
}
