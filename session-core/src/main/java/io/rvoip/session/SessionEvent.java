package io.rvoip.session;

import io.rvoip.infra.event.Event;
import io.rvoip.session.sdp.NegotiatedMedia;
import java.time.Duration;

/**
 * What calls report upwards on the event bus, routed by the session id (the Call-ID). Media
 * quality and DTMF come as media-core's {@link io.rvoip.media.MediaEvent}s with the same
 * session id.
 */
public sealed interface SessionEvent extends Event {
    /** The call's id. */
    String sessionId();

    @Override
    default Object routingKey() {
        return sessionId();
    }

    /** A call came in (before the handler decided). */
    record IncomingCall(String sessionId, CallSession call) implements SessionEvent {
    }

    /** A call moved to {@code state}. */
    record StateChanged(String sessionId, CallState previous, CallState state) implements SessionEvent {
    }

    /** Offer/answer completed (at answer, and again after every re-negotiation). */
    record MediaNegotiated(String sessionId, NegotiatedMedia media) implements SessionEvent {
    }

    /** The peer asks us to call {@code target} (a REFER: blind transfer). */
    record TransferRequested(String sessionId, io.rvoip.sip.header.Address target) implements SessionEvent {
    }

    /** How the transfer we asked for is going: the status of the transferee's call; {@code done} at the end. */
    record TransferProgress(String sessionId, int status, boolean done) implements SessionEvent {
    }

    /**
     * An instant message (RFC 3428 MESSAGE), answered 200; {@code sessionId} is its Call-ID (the
     * call's, for a MESSAGE inside a call).
     */
    record MessageReceived(String sessionId, io.rvoip.sip.header.Address from, io.rvoip.sip.header.Address to,
                           String contentType, String text) implements SessionEvent {
    }

    /** The call ended; {@code duration} counts from the answer on the coordinator's clock (zero when never answered). */
    record CallEnded(String sessionId, EndReason reason, Duration duration) implements SessionEvent {
    }
}
