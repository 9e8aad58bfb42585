package io.rvoip.sip.header;

import java.util.Objects;

/**
 * One Warning value (RFC 3261 §20.43): a three-digit code, the agent, and a text.
 *
 * @param code the {@code warn-code}, 0..999: any three digits are valid syntax (RFC 3261 defines
 *     the 3xx codes); it is written back with three digits, so {@code 099} stays {@code 099}
 * @param agent host[:port] or pseudonym
 * @param text the warning text, unquoted
 */
public record Warning(int code, String agent, String text) {

    /** Validates the code. */
    public Warning {
        if (code < 0 || code > 999) {
            throw new IllegalArgumentException("warn-code must be three digits: " + code);
        }
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return (code < 10 ? "00" : code < 100 ? "0" : "") + code + " " + agent + " " + Parameters.quote(text);
    }
}
