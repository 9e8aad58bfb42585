package io.rvoip.sip.header;

import java.util.Objects;

/**
 * The Replaces value (RFC 3891 §6.1): the Call-ID and tags of the dialog to replace.
 *
 * @param callId the Call-ID
 * @param params to-tag, from-tag, early-only and extensions, raw
 */
public record Replaces(String callId, Parameters params) {

    /** Validates presence. */
    public Replaces {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(params, "params");
    }

    /** {@code callId;to-tag=toTag;from-tag=fromTag}. */
    public static Replaces of(String callId, String toTag, String fromTag) {
        return new Replaces(callId, Parameters.of("to-tag", toTag, "from-tag", fromTag));
    }

    /** The to-tag, or null. */
    public String toTag() {
        return params.get("to-tag");
    }

    /** The from-tag, or null. */
    public String fromTag() {
        return params.get("from-tag");
    }

    /** True if {@code early-only} is present. */
    public boolean earlyOnly() {
        return params.has("early-only");
    }

    @Override
    public String toString() {
        return callId + params;
    }
}
