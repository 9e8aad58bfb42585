package io.rvoip.sip.dialog;

import io.rvoip.infra.internal.KeyHash;
import java.util.Objects;

/**
 * A dialog's identity (RFC 3261 §12): Call-ID, local tag and remote tag, as seen from this
 * side. The remote tag is {@code ""} for a peer that sent no From tag (RFC 2543; RFC 3261
 * §12.1.1 asks a UAS to take such requests).
 */
public record DialogId(String callId, String localTag, String remoteTag) {
    /** Checks the parts are present. */
    public DialogId {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(localTag, "localTag");
        Objects.requireNonNull(remoteTag, "remoteTag");
    }

    /**
     * Call-IDs and tags come from peers: with String's fixed hash a peer could make thousands of
     * dialogs share one bucket of the dialog table ({@link KeyHash}).
     */
    @Override
    public int hashCode() {
        return KeyHash.mix(KeyHash.mix(KeyHash.of(callId), localTag), remoteTag);
    }
}
