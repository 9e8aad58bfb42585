package io.rvoip.rtp.net;

import io.rvoip.infra.event.Event;
import java.net.InetSocketAddress;

/**
 * What an {@link RtpSession} tells the layers above, on the event bus, routed by session id.
 */
public sealed interface RtpEvent extends Event {
    /** The session the event is about. */
    String sessionId();

    @Override
    default Object routingKey() {
        return sessionId();
    }

    /**
     * Neither RTP nor RTCP arrived for the configured media timeout: the call is probably dead.
     * Reported again after each further timeout period while the silence lasts, each time with
     * the whole silence so far (a held call's owner may wait longer than one period).
     */
    record MediaTimeout(String sessionId, long silentMillis) implements RtpEvent {
    }

    /** The remote source said goodbye (RTCP BYE). */
    record ByeReceived(String sessionId, int ssrc, String reason) implements RtpEvent {
    }

    /** The remote media address was latched (symmetric RTP) to where packets really come from. */
    record Latched(String sessionId, InetSocketAddress rtp) implements RtpEvent {
    }

    /** Our SSRC collided with another source (RFC 3550 §8.2); a BYE was sent and a new SSRC chosen. */
    record SsrcChanged(String sessionId, int oldSsrc, int newSsrc) implements RtpEvent {
    }

    /** An SRTP master key nears (or reached) its lifetime: re-key (re-INVITE with new SDES keys). */
    record KeyLimit(String sessionId, boolean exhausted) implements RtpEvent {
    }
}
