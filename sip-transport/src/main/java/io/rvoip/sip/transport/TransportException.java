package io.rvoip.sip.transport;

/**
 * A message could not be sent (no listening point for the transport, connection refused or
 * lost, TLS handshake failed, message too large for the transport). Futures returned by
 * {@link SipTransport} complete exceptionally with it; RFC 3261 §17.1.4 calls this a
 * transport error.
 */
public final class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a message. */
    public TransportException(String message) {
        super(message);
    }

    /** An error with a message and a cause. */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
