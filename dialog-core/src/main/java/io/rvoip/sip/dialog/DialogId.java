package io.rvoip.sip.dialog;

import java.util.Objects;

/**
 * A dialog's identity (RFC 3261 §12): Call-ID, local tag and remote tag, as seen from this
 * side.
 */
public record DialogId(String callId, String localTag, String remoteTag) {
    /** Checks the parts are present. */
    public DialogId {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(localTag, "localTag");
        Objects.requireNonNull(remoteTag, "remoteTag");
    }
}
