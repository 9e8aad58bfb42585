package io.rvoip.session.sdp;

/**
 * An offer (or an answer to ours) that cannot be used: no common codec, no audio stream, or a
 * malformed description. A UAS answers it with {@link #statusCode()} (488 Not Acceptable Here).
 */
public final class OfferRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A rejection with the reason given to the peer (in the Warning header or the log). */
    public OfferRejectedException(String reason) {
        super(reason);
    }

    /** A rejection with its reason and what caused it (a malformed attribute). */
    public OfferRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The SIP status to answer with: 488. */
    public int statusCode() {
        return 488;
    }
}
