package io.rvoip.rtp.srtp;

/** A malformed or unusable SDES {@code a=crypto} attribute. The message never contains key material. */
public final class SdesException extends Exception {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public SdesException(String message) {
        super(message);
    }
}
