package io.rvoip.sip.dialog;

/** Dialog states (RFC 3261 §12): created early by a 1xx with a To tag, confirmed by a 2xx. */
public enum DialogState {
    /** Created by a provisional response; may still fail or be replaced by another fork. */
    EARLY,
    /** Established by a 2xx. */
    CONFIRMED,
    /** Ended (BYE, failure, timeout); no more requests may be sent in it. */
    TERMINATED
}
