package io.rvoip.sip.header;

import java.util.Objects;

/**
 * The Timestamp value (RFC 3261 §20.38): a time and an optional delay, both decimal numbers
 * kept as written.
 *
 * @param time the timestamp
 * @param delay the delay, or null
 */
public record Timestamp(String time, String delay) {

    /** Validates presence. */
    public Timestamp {
        Objects.requireNonNull(time, "time");
    }

    @Override
    public String toString() {
        return delay == null ? time : time + " " + delay;
    }
}
