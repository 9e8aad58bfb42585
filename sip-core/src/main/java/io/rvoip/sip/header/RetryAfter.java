package io.rvoip.sip.header;

import java.util.Objects;

/**
 * The Retry-After value (RFC 3261 §20.33): seconds, an optional comment and parameters
 * ({@code duration}).
 *
 * @param seconds the delay
 * @param comment the comment without parentheses, or null
 * @param params the parameters, raw
 */
public record RetryAfter(long seconds, String comment, Parameters params) {

    /** Validates presence. */
    public RetryAfter {
        Objects.requireNonNull(params, "params");
    }

    /** The duration parameter, or -1. */
    public long duration() {
        String d = params.get("duration");
        try {
            return d == null ? -1 : Long.parseLong(d);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return seconds + (comment == null ? "" : " (" + comment + ")") + params;
    }
}
