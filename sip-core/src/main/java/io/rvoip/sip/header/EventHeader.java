package io.rvoip.sip.header;

import java.util.Objects;

/**
 * The Event value (RFC 6665 §8.2.1): an event package (with optional template) and
 * parameters such as {@code id}.
 *
 * @param type the event type, e.g. {@code refer}, {@code presence}, {@code dialog}
 * @param params the parameters, raw
 */
public record EventHeader(String type, Parameters params) {

    /** Validates presence. */
    public EventHeader {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(params, "params");
    }

    /** The id parameter, or null. */
    public String id() {
        return params.get("id");
    }

    @Override
    public String toString() {
        return type + params;
    }
}
