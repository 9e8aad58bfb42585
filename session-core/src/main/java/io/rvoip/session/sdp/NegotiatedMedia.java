package io.rvoip.session.sdp;

import io.rvoip.media.codec.AudioCodec;
import io.rvoip.sip.sdp.Direction;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What an offer/answer exchange settled for the audio stream, from our side.
 *
 * @param remoteRtp        where to send RTP, or null when we must not send (port 0, or the
 *                         RFC 2543 hold address 0.0.0.0)
 * @param remoteRtcp       where to send RTCP (the RTP port + 1, or the {@code a=rtcp} port), or null
 * @param codec            the codec we send
 * @param payloadType      its payload type
 * @param receive          every negotiated codec by payload type: the peer may send any of them
 * @param telephoneEvent   the RFC 4733 payload type, or −1
 * @param comfortNoise     the RFC 3389 payload type, or −1
 * @param direction        our direction: whether we send and receive
 * @param ptime            the packet time we send, ms
 * @param sendSrtp         the SRTP policy (our SDES key) for what we send, or null for plain RTP
 * @param receiveSrtp      the SRTP policy (the peer's SDES key) for what we receive, or null
 * @param rtcpMux          RTCP shares the RTP port (RFC 5761: offered and answered), so
 *                         {@code remoteRtcp} is the peer's RTP address
 */
public record NegotiatedMedia(InetSocketAddress remoteRtp, InetSocketAddress remoteRtcp, AudioCodec codec,
                              int payloadType, Map<Integer, AudioCodec> receive, int telephoneEvent,
                              int comfortNoise, Direction direction, int ptime,
                              io.rvoip.rtp.srtp.SrtpPolicy sendSrtp, io.rvoip.rtp.srtp.SrtpPolicy receiveSrtp,
                              boolean rtcpMux) {
    /** Copies the map. */
    public NegotiatedMedia {
        receive = Map.copyOf(receive);
    }

    /** True when the stream is SRTP. */
    public boolean secure() {
        return sendSrtp != null && receiveSrtp != null;
    }

    @Override
    public String toString() {
        // never the keys
        return "NegotiatedMedia[" + codec.name() + "/" + payloadType + " " + direction + " to " + remoteRtp
                + (secure() ? " SRTP" : "") + (rtcpMux ? " rtcp-mux" : "") + "]";
    }

    /** True when we send media (the direction allows it and the peer gave an address). */
    public boolean sending() {
        return direction.sends() && remoteRtp != null;
    }
}
