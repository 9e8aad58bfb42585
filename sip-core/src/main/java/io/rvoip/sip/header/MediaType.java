package io.rvoip.sip.header;

import io.rvoip.sip.parser.HeaderValueParser;
import java.util.Objects;

/**
 * A media type with parameters: the value of Content-Type and of each Accept entry
 * (RFC 3261 §20.1, §20.15). Type and subtype compare case-insensitively.
 *
 * @param type the type, e.g. {@code application} ({@code *} in Accept)
 * @param subtype the subtype, e.g. {@code sdp} ({@code *} in Accept)
 * @param params the parameters, raw (charset, boundary, q, ...)
 */
public record MediaType(String type, String subtype, Parameters params) {
    public static final MediaType APPLICATION_SDP = of("application", "sdp");
    public static final MediaType MULTIPART_MIXED = of("multipart", "mixed");
    public static final MediaType MESSAGE_SIPFRAG = of("message", "sipfrag");
    public static final MediaType TEXT_PLAIN = of("text", "plain");
    public static final MediaType APPLICATION_DTMF_RELAY = of("application", "dtmf-relay");
    public static final MediaType APPLICATION_PIDF_XML = of("application", "pidf+xml");

    /** Validates presence. */
    public MediaType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subtype, "subtype");
        Objects.requireNonNull(params, "params");
    }

    /** {@code type/subtype} without parameters. */
    public static MediaType of(String type, String subtype) {
        return new MediaType(type, subtype, Parameters.EMPTY);
    }

    /** Parses a Content-Type value. */
    public static MediaType parse(String text) {
        return HeaderValueParser.parseOne(SipHeaders.CONTENT_TYPE, text);
    }

    /** True if type and subtype are equal, case-insensitively, ignoring parameters. */
    public boolean sameType(MediaType o) {
        return type.equalsIgnoreCase(o.type) && subtype.equalsIgnoreCase(o.subtype);
    }

    /** True if this (possibly a wildcard Accept range) covers {@code o}. */
    public boolean includes(MediaType o) {
        if (type.equals("*")) {
            return true;
        }
        return type.equalsIgnoreCase(o.type) && (subtype.equals("*") || subtype.equalsIgnoreCase(o.subtype));
    }

    /** A parameter value, unquoted, or null. */
    public String param(String name) {
        return params.get(name);
    }

    /** A copy with a parameter set. */
    public MediaType withParam(String name, String value) {
        return new MediaType(type, subtype, params.with(name, value));
    }

    @Override
    public String toString() {
        return type + "/" + subtype + params;
    }
}
