package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * A {@code b=} line (RFC 4566 §5.8, RFC 3556): {@code AS}, {@code CT}, {@code TIAS}, {@code RS}, {@code RR}.
 *
 * @param type the bandwidth type
 * @param value the value (kbit/s for AS and CT)
 */
public record Bandwidth(String type, long value) {

    /** Validates presence. */
    public Bandwidth {
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
