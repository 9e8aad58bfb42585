package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 §4.1).
 *
 * @param ssrc the SSRC
 * @param attribute the source attribute, e.g. {@code cname}
 * @param value its value, or null
 */
public record Ssrc(long ssrc, String attribute, String value) {

    /** Validates presence. */
    public Ssrc {
        Objects.requireNonNull(attribute, "attribute");
    }

    /** Parses the attribute value. */
    public static Ssrc parse(String v) {
        String t = v.trim();
        int sp = t.indexOf(' ');
        if (sp <= 0) {
            throw new io.rvoip.sip.parser.SipParseException("malformed ssrc: " + v, -1);
        }
        long ssrc = SdpValues.number(t.substring(0, sp), 0xFFFFFFFFL, "ssrc");
        String rest = t.substring(sp + 1).trim();
        int colon = rest.indexOf(':');
        return colon < 0 ? new Ssrc(ssrc, rest, null) : new Ssrc(ssrc, rest.substring(0, colon), rest.substring(colon + 1));
    }

    @Override
    public String toString() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }
}
