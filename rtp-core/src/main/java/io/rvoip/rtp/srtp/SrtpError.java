package io.rvoip.rtp.srtp;

/**
 * Why {@link SrtpContext} refused a packet. The protect/unprotect methods return
 * {@link #code()} (a negative number) instead of a length; {@link #of(int)} maps it back.
 */
public enum SrtpError {
    /** The authentication tag did not match (or the GCM tag failed). */
    AUTH_FAILED,
    /** The packet index was seen before or is older than the replay window. */
    REPLAYED,
    /** Shorter than a header plus the trailer the profile needs, or a header that overruns it. */
    TOO_SHORT,
    /** Not version 2, or an RTCP packet where RTP was expected (or the other way round). */
    MALFORMED,
    /** The MKI names no master key of this context. */
    UNKNOWN_MKI,
    /** The master key reached its packet lifetime (2^48 SRTP / 2^31 SRTCP or the SDES lifetime). */
    KEY_EXPIRED,
    /** A new SSRC arrived while the context already tracks its maximum number of streams. */
    TOO_MANY_STREAMS,
    /** The buffer has no room for the tag (and MKI) after the packet. */
    NO_ROOM;

    private static final SrtpError[] VALUES = values();

    /** The negative value a protect/unprotect call returns for this error. */
    public int code() {
        return -1 - ordinal();
    }

    /**
     * The error for a negative result of a protect/unprotect call.
     *
     * @throws IllegalArgumentException when {@code result} is not an error code
     */
    public static SrtpError of(int result) {
        int i = -1 - result;
        if (i < 0 || i >= VALUES.length) {
            throw new IllegalArgumentException("not an SRTP error code: " + result);
        }
        return VALUES[i];
    }
}
