package io.rvoip.session;

/** How {@link CallSession#sendDigit(char)} sends DTMF; received digits are taken in every mode. */
public enum DtmfMode {
    /** RFC 4733 telephone-events in the RTP stream (falls back to INFO when the peer did not negotiate them). */
    RFC4733,
    /** SIP INFO with an {@code application/dtmf-relay} body (the legacy, package-less INFO phones use). */
    INFO,
    /** Dual tones in the audio itself (ITU-T Q.23), detected in what we receive with Goertzel filters. */
    INBAND
}
