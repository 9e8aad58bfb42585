package io.rvoip.rtp.net;

import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.rtcp.RtcpPacket;
import java.util.List;

/**
 * Receives what an {@link RtpSession} accepted, on the session's I/O thread. Must not block;
 * the packet view and its bytes are valid only during the call (copy what you keep, for
 * example into a {@link io.rvoip.rtp.jitter.JitterBuffer}).
 */
public interface RtpListener {
    /** An RTP packet that passed SRTP, the header checks and the source checks. */
    void onRtp(RtpSession session, RtpPacket packet, long arrivalNanos);

    /** A compound RTCP packet, parsed. */
    default void onRtcp(RtpSession session, List<RtcpPacket> packets, long arrivalNanos) {
    }
}
