package io.rvoip.session.sdp;

/** How a call uses SRTP keyed by SDES (RFC 4568). Keys never appear in logs. */
public enum SrtpMode {
    /** Plain RTP: RTP/AVP, no {@code a=crypto}; offers of RTP/SAVP only are refused (488). */
    OFF,
    /**
     * Best effort: offers RTP/AVP with {@code a=crypto} lines, and the call is encrypted when the
     * answer carries a crypto line; answers encrypt when the offer carries one (RTP/SAVP or
     * RTP/AVP), and stay plain otherwise.
     */
    OFFER,
    /** Encrypted or nothing: offers RTP/SAVP; anything without a usable crypto line gets 488. */
    REQUIRE
}
