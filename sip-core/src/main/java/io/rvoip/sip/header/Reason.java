package io.rvoip.sip.header;

import java.util.Objects;

/**
 * One Reason value (RFC 3326): a protocol and parameters such as {@code cause} and
 * {@code text}.
 *
 * @param protocol {@code SIP}, {@code Q.850}, or an extension
 * @param params the parameters, raw
 */
public record Reason(String protocol, Parameters params) {

    /** Validates presence. */
    public Reason {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(params, "params");
    }

    /** The cause, or -1. */
    public int cause() {
        String c = params.get("cause");
        try {
            return c == null ? -1 : Integer.parseInt(c);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The text, unquoted, or null. */
    public String text() {
        return params.get("text");
    }

    @Override
    public String toString() {
        return protocol + params;
    }
}
