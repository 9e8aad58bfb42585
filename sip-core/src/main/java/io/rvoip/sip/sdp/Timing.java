package io.rvoip.sip.sdp;

import java.util.List;
import java.util.Objects;

/**
 * A {@code t=} line and its {@code r=} lines (RFC 4566 §5.9, §5.10). {@code 0 0} is a
 * permanent session.
 *
 * @param start NTP start time as written
 * @param stop NTP stop time as written
 * @param repeats the {@code r=} values as written
 */
public record Timing(String start, String stop, List<String> repeats) {
    /** {@code t=0 0}. */
    public static final Timing PERMANENT = new Timing("0", "0", List.of());

    /** Copies the list. */
    public Timing {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(stop, "stop");
        repeats = List.copyOf(repeats);
    }

    @Override
    public String toString() {
        return start + " " + stop;
    }
}
