package io.rvoip.session;

/**
 * Why a call ended.
 *
 * @param cause    what happened
 * @param status   the SIP status of a rejection or failure, else 0
 * @param detail   dialog-core's termination reason or the failure's message
 */
public record EndReason(Cause cause, int status, String detail) {
    /** Kinds of endings. */
    public enum Cause {
        /** We hung up (BYE sent). */
        LOCAL_BYE,
        /** We transferred the peer elsewhere and hung up (BYE sent after the transfer succeeded). */
        TRANSFERRED,
        /** Another call took this one's place (an INVITE with Replaces: the far end of an attended transfer). */
        REPLACED,
        /** The peer hung up (BYE received). */
        REMOTE_BYE,
        /** Cancelled before answer (by us, or by the caller for an incoming call). */
        CANCELLED,
        /** Rejected with a final status (ours or theirs). */
        REJECTED,
        /** No answer, no ACK, or the session timer expired. */
        TIMEOUT,
        /** No RTP arrived for the media timeout while the peer was meant to send: a dead call, ended with BYE. */
        MEDIA_TIMEOUT,
        /** The offer or answer was not acceptable (488). */
        NOT_ACCEPTABLE,
        /** Something else failed (transport, internal). */
        ERROR
    }
}
