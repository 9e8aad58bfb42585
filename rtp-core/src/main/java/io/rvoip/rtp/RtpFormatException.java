package io.rvoip.rtp;

/** A packet that is not valid RTP or RTCP; the message says which check failed. */
public final class RtpFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** With the failed check. */
    public RtpFormatException(String message) {
        super(message, null, false, false);
    }
}
