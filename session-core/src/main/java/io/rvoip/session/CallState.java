package io.rvoip.session;

/** Where a call is. */
public enum CallState {
    /** Ours: the INVITE is out, nothing back yet. */
    INITIATING,
    /** Ringing (theirs: 180 received; ours: we sent 180 and have not answered). */
    RINGING,
    /** Not answered yet, but media flows (183 with SDP): a prompt, a ringback, an announcement. */
    EARLY_MEDIA,
    /** Answered, media flowing (in the negotiated directions). */
    ACTIVE,
    /** We put the call on hold (our offer was sendonly or inactive); we send nothing. */
    ON_HOLD,
    /** We asked the peer to call someone else (REFER) and wait for the outcome. */
    TRANSFERRING,
    /** Hung up by us: the BYE (or CANCEL) is out. */
    TERMINATING,
    /** Over; resources released. */
    TERMINATED
}
