package io.rvoip.sip.sdp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code a=fmtp:<format> <parameters>} (RFC 4566 §6).
 *
 * @param format the payload type (or format) it applies to
 * @param parameters the format-specific parameters as written
 */
public record Fmtp(String format, String parameters) {

    /** Validates presence. */
    public Fmtp {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(parameters, "parameters");
    }

    /** Parses the attribute value. */
    public static Fmtp parse(String value) {
        String v = value.trim();
        int sp = v.indexOf(' ');
        if (sp <= 0) {
            throw new io.rvoip.sip.parser.SipParseException("malformed fmtp: " + value, -1);
        }
        return new Fmtp(v.substring(0, sp), v.substring(sp + 1).trim());
    }

    /** The parameters as {@code key=value} pairs split at {@code ;} (keys as written). */
    public Map<String, String> parameterMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : parameters.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            map.put(eq < 0 ? p : p.substring(0, eq).trim(), eq < 0 ? "" : p.substring(eq + 1).trim());
        }
        return map;
    }

    @Override
    public String toString() {
        return format + " " + parameters;
    }
}
