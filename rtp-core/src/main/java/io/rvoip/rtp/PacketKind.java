package io.rvoip.rtp;

/**
 * What arrived on a media socket, told apart by its first bytes (RFC 7983 §7, RFC 5761 §4),
 * so STUN, DTLS, RTP and RTCP can share one port.
 */
public enum PacketKind {
    /** First byte 0–3: STUN (ICE connectivity checks, RFC 8489). */
    STUN,
    /** First byte 16–19: ZRTP. */
    ZRTP,
    /** First byte 20–63: DTLS records. */
    DTLS,
    /** First byte 64–79: TURN ChannelData. */
    TURN_CHANNEL,
    /** First byte 128–191 and second byte outside 192–223: RTP. */
    RTP,
    /** First byte 128–191 and second byte (M + PT) 192–223: RTCP (RFC 5761). */
    RTCP,
    /** Anything else, or too short to tell. */
    UNKNOWN;

    /** Classifies {@code buf[off..off+len)}. Never throws. */
    public static PacketKind classify(byte[] buf, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 <= 3) {
            return STUN;
        }
        if (b0 >= 16 && b0 <= 19) {
            return ZRTP;
        }
        if (b0 >= 20 && b0 <= 63) {
            return DTLS;
        }
        if (b0 >= 64 && b0 <= 79) {
            return TURN_CHANNEL;
        }
        if (b0 >= 128 && b0 <= 191) {
            if (len < 2) {
                return UNKNOWN;
            }
            int b1 = buf[off + 1] & 0xFF;
            return b1 >= 192 && b1 <= 223 ? RTCP : RTP;
        }
        return UNKNOWN;
    }
}
