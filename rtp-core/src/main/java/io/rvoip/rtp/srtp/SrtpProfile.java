package io.rvoip.rtp.srtp;

/**
 * The SRTP protection profiles this implementation really supports, with the parameters of
 * RFC 3711 §8.2 / RFC 4568 §6.2, RFC 6188 and RFC 7714.
 *
 * <p>{@link #sdesName()} is the crypto-suite name used in SDP {@code a=crypto} lines.
 */
public enum SrtpProfile {
    /** AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 3711, RFC 4568). */
    AES_CM_128_HMAC_SHA1_80("AES_CM_128_HMAC_SHA1_80", 16, 14, 20, 10, 10, false),
    /** AES-128 counter mode, HMAC-SHA1 with a 32-bit SRTP tag; SRTCP keeps 80 bits (RFC 4568 §6.2.2). */
    AES_CM_128_HMAC_SHA1_32("AES_CM_128_HMAC_SHA1_32", 16, 14, 20, 4, 10, false),
    /** AES-256 counter mode, HMAC-SHA1 80-bit tag (RFC 6188). */
    AES_256_CM_HMAC_SHA1_80("AES_256_CM_HMAC_SHA1_80", 32, 14, 20, 10, 10, false),
    /** AES-256 counter mode, HMAC-SHA1 32-bit SRTP tag, 80-bit SRTCP tag (RFC 6188). */
    AES_256_CM_HMAC_SHA1_32("AES_256_CM_HMAC_SHA1_32", 32, 14, 20, 4, 10, false),
    /** AES-128 GCM with a 128-bit tag (RFC 7714). */
    AEAD_AES_128_GCM("AEAD_AES_128_GCM", 16, 12, 0, 16, 16, true),
    /** AES-256 GCM with a 128-bit tag (RFC 7714). */
    AEAD_AES_256_GCM("AEAD_AES_256_GCM", 32, 12, 0, 16, 16, true),
    /**
     * No encryption, HMAC-SHA1 80-bit authentication (RFC 3711 NULL cipher). Meant for tests and
     * debugging; never offered by default.
     */
    NULL_HMAC_SHA1_80("NULL_HMAC_SHA1_80", 16, 14, 20, 10, 10, false);

    private final String sdesName;
    private final int keyLength;
    private final int saltLength;
    private final int authKeyLength;
    private final int rtpTagLength;
    private final int rtcpTagLength;
    private final boolean aead;

    SrtpProfile(String sdesName, int keyLength, int saltLength, int authKeyLength,
                int rtpTagLength, int rtcpTagLength, boolean aead) {
        this.sdesName = sdesName;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.authKeyLength = authKeyLength;
        this.rtpTagLength = rtpTagLength;
        this.rtcpTagLength = rtcpTagLength;
        this.aead = aead;
    }

    /** Name in SDES {@code a=crypto} lines. */
    public String sdesName() {
        return sdesName;
    }

    /** Master (and session) encryption key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master (and session) salt length in bytes: 14 for AES-CM, 12 for GCM. */
    public int saltLength() {
        return saltLength;
    }

    /** Session authentication key length in bytes (0 for AEAD profiles). */
    public int authKeyLength() {
        return authKeyLength;
    }

    /** Bytes added to an RTP packet for the authentication tag. */
    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** Bytes of authentication tag on an RTCP packet (the SRTCP index word is extra). */
    public int rtcpTagLength() {
        return rtcpTagLength;
    }

    /** True for the GCM profiles, where the tag is produced by the cipher. */
    public boolean aead() {
        return aead;
    }

    /** True when payloads are encrypted (all but {@link #NULL_HMAC_SHA1_80}). */
    public boolean encrypts() {
        return this != NULL_HMAC_SHA1_80;
    }

    /** Master key plus master salt length: the size of an SDES key-salt. */
    public int keySaltLength() {
        return keyLength + saltLength;
    }

    /**
     * The profile with this SDES crypto-suite name.
     *
     * @throws IllegalArgumentException when the name is not a supported suite
     */
    public static SrtpProfile fromSdesName(String name) {
        for (SrtpProfile p : values()) {
            if (p.sdesName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported crypto-suite: " + name);
    }
}
