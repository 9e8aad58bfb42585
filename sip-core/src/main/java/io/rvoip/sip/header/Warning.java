package io.rvoip.sip.header;

import java.util.Objects;

/**
 * One Warning value (RFC 3261 §20.43): a three-digit code, the agent, and a text.
 *
 * @param code 300..399
 * @param agent host[:port] or pseudonym
 * @param text the warning text, unquoted
 */
public record Warning(int code, String agent, String text) {

    /** Validates the code. */
    public Warning {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("warn-code must have three digits: " + code);
        }
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return code + " " + agent + " " + Parameters.quote(text);
    }
}
