package io.rvoip.sip.header;

import java.util.Objects;

/**
 * The Content-Disposition value (RFC 3261 §20.11): {@code session}, {@code render},
 * {@code icon}, {@code alert} or an extension, with {@code handling}.
 *
 * @param type the disposition type
 * @param params the parameters, raw
 */
public record ContentDisposition(String type, Parameters params) {

    /** Validates presence. */
    public ContentDisposition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(params, "params");
    }

    /** The handling parameter ({@code optional}, {@code required}), or null. */
    public String handling() {
        return params.get("handling");
    }

    @Override
    public String toString() {
        return type + params;
    }
}
