package io.rvoip.session;

import io.rvoip.media.relay.AudioPipe;
import io.rvoip.media.relay.RtpRelay;
import io.rvoip.media.session.MediaClock;
import java.util.List;

/**
 * Two calls connected back to back (B2BUA media): each hears the other. When both legs
 * negotiated the same codec and packet time, RTP is relayed without decoding (media-core's
 * {@link RtpRelay}: each leg's own SSRC, sequence numbers and timestamps rewritten
 * consistently, payload types mapped, SRTP per leg); otherwise the audio goes through PCM
 * pipes and is transcoded, both legs ticking on one media-clock thread. {@link #unbridge()}
 * gives each call its own audio back.
 */
public final class Bridge extends MediaGroup {
    private final CallSession a;
    private final CallSession b;
    private final AudioPipe aToB;
    private final AudioPipe bToA;
    private final RtpRelay relay;
    private boolean relaying;

    Bridge(MediaClock clock, CallSession a, CallSession b) {
        super(clock, a.media().ptime());
        if (a == b) {
            throw new IllegalArgumentException("a call cannot be bridged to itself");
        }
        this.a = a;
        this.b = b;
        if (a.media().codec() == b.media().codec() && a.media().ptime() == b.media().ptime()) {
            this.aToB = null;
            this.bToA = null;
            RtpRelay.Builder rb = RtpRelay.builder(a.media().codec().clockRate())
                    .payloadType(a.media().payloadType(), b.media().payloadType());
            if (a.media().telephoneEvent() >= 0 && b.media().telephoneEvent() >= 0) {
                rb.payloadType(a.media().telephoneEvent(), b.media().telephoneEvent());
            }
            if (a.media().comfortNoise() >= 0 && b.media().comfortNoise() >= 0) {
                rb.payloadType(a.media().comfortNoise(), b.media().comfortNoise());
            }
            this.relay = rb.build();
            synchronized (this) {
                relaying = true;
                a.group = this;
                b.group = this;
                a.stopTicking();
                b.stopTicking();
                relay.attach(a.rtp, b.rtp);
                a.forwarder.target(relay);
                b.forwarder.target(relay);
            }
            return;
        }
        this.relay = null;
        this.aToB = new AudioPipe(16000, 100);
        this.bToA = new AudioPipe(16000, 100);
        enter(a, () -> {
            a.port().sink(aToB);
            a.port().source(bToA);
        });
        enter(b, () -> {
            b.port().sink(bToA);
            b.port().source(aToB);
        });
    }

    /** True when RTP is relayed without decoding (same codec on both legs). */
    public boolean relaying() {
        return relay != null;
    }

    /** The first leg. */
    public CallSession first() {
        return a;
    }

    /** The second leg. */
    public CallSession second() {
        return b;
    }

    @Override
    public List<CallSession> calls() {
        if (relay == null) {
            return super.calls();
        }
        synchronized (this) {
            return relaying ? List.of(a, b) : List.of();
        }
    }

    /** Disconnects the legs; each call plays and records its own audio again. */
    public void unbridge() {
        if (relay == null) {
            closeGroup();
            return;
        }
        synchronized (this) {
            if (!relaying) {
                return;
            }
            relaying = false;
            relay.detach();
            for (CallSession c : List.of(a, b)) {
                if (c.mediaSession() != null) {
                    c.forwarder.target(c.mediaSession());
                }
                c.resumeTicking();
            }
        }
    }

    @Override
    void unplug(CallSession call) {
        // resumeTicking() restores the call's own source and sink
    }
}
