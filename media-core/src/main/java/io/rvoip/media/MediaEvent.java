package io.rvoip.media;

import io.rvoip.infra.event.Event;

/** What media sessions report upwards through the event bus, routed by the session id. */
public sealed interface MediaEvent extends Event {
    /** The session the event is about. */
    String sessionId();

    @Override
    default Object routingKey() {
        return sessionId();
    }

    /**
     * The periodic quality report of a session (every few seconds while media flows).
     *
     * @param r E-model rating (G.107), NaN when the codec has no narrowband Ie/Bpl values
     * @param mos MOS-CQE from R, NaN likewise
     * @param lossPercent packets lost or discarded late, of those expected, over the period
     * @param jitterMs the RFC 3550 interarrival jitter
     * @param rttMs round-trip time from RTCP, -1 when unknown
     * @param delayMs estimated mouth-to-ear delay: RTT/2 + jitter buffer + packetisation
     */
    record QualityChanged(String sessionId, double r, double mos, double lossPercent, double jitterMs, long rttMs,
                          long delayMs) implements MediaEvent {
    }

    /** A DTMF digit received as RFC 4733 telephone-events. */
    record DtmfReceived(String sessionId, char digit, long durationMs) implements MediaEvent {
    }
}
