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
 * pipes and is transcoded, both legs ticking on one media-clock thread. A renegotiation that
 * changes a relayed leg's formats remaps the relay, or turns the bridge to transcoding.
 * {@link #unbridge()} gives each call its own audio back.
 */
public final class Bridge extends MediaGroup {
    private final CallSession a;
    private final CallSession b;
    private RtpRelay relay;     // while relaying (under this lock)
    private boolean relaying;

    Bridge(MediaClock clock, CallSession a, CallSession b) {
        super(clock, ptimeOf(a));
        if (a == b) {
            throw new IllegalArgumentException("a call cannot be bridged to itself");
        }
        ptimeOf(b);
        this.a = a;
        this.b = b;
        synchronized (this) {
            if (sameFormat()) {
                relay();
            } else {
                transcode();
            }
        }
    }

    /** The packet time of a call's running media. */
    private static int ptimeOf(CallSession c) {
        io.rvoip.media.session.MediaSession m = c.mediaSession();
        if (m == null || c.state() == CallState.TERMINATED) {
            throw new IllegalStateException("call " + c.id() + " has no media");
        }
        return m.ptimeMillis();
    }

    /** Both legs send the same codec in the same packet time: RTP can pass without decoding. */
    private boolean sameFormat() {
        return a.media().codec() == b.media().codec() && a.mediaSession().ptimeMillis() == b.mediaSession().ptimeMillis();
    }

    /** Relays RTP between the legs, payload types mapped as the legs negotiated them now. */
    private void relay() {
        RtpRelay.Builder rb = RtpRelay.builder(a.media().codec().clockRate())
                .payloadType(a.media().payloadType(), b.media().payloadType());
        if (a.media().telephoneEvent() >= 0 && b.media().telephoneEvent() >= 0) {
            rb.payloadType(a.media().telephoneEvent(), b.media().telephoneEvent());
        }
        if (a.media().comfortNoise() >= 0 && b.media().comfortNoise() >= 0) {
            rb.payloadType(a.media().comfortNoise(), b.media().comfortNoise());
        }
        relay = rb.build();
        relaying = true;
        a.group = this;
        b.group = this;
        a.stopTicking();
        b.stopTicking();
        relay.attach(a.rtp, b.rtp);
        a.forwarder.target(relay);
        b.forwarder.target(relay);
    }

    /** Decodes each leg and sends the other's audio through PCM pipes, both legs on the group's tick. */
    private void transcode() {
        AudioPipe aToB = new AudioPipe(16000, 100);
        AudioPipe bToA = new AudioPipe(16000, 100);
        enter(a, () -> {
            a.port().sink(aToB);
            a.port().source(bToA);
        });
        enter(b, () -> {
            b.port().sink(bToA);
            b.port().source(aToB);
        });
    }

    /**
     * A leg's media was renegotiated (a re-INVITE or UPDATE): its codec, payload types or
     * telephone-event number may have changed. A relay is made again for the new payload types,
     * or gives way to transcoding when the legs no longer send the same codec. A transcoding
     * bridge needs nothing: each leg's media session follows its own codec.
     */
    synchronized void renegotiated() {
        if (!relaying) {
            return;
        }
        relay.detach();
        relaying = false;
        if (sameFormat()) {
            relay();
            return;
        }
        relay = null;
        for (CallSession c : List.of(a, b)) {
            c.forwarder.target(c.mediaSession());
        }
        transcode();
    }

    /** True while RTP is relayed without decoding (both legs send the same codec). */
    public synchronized boolean relaying() {
        return relaying;
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
        synchronized (this) {
            if (relaying) {
                return List.of(a, b);
            }
        }
        return super.calls();
    }

    /** Disconnects the legs; each call plays and records its own audio again. */
    public void unbridge() {
        synchronized (this) {
            if (relaying) {
                relaying = false;
                relay.detach();
                relay = null;
                for (CallSession c : List.of(a, b)) {
                    if (c.mediaSession() != null) {
                        c.forwarder.target(c.mediaSession());
                    }
                    c.resumeTicking();
                }
                return;
            }
        }
        closeGroup(); // transcoding (or already apart): nothing to do when never entered
    }

    @Override
    void unplug(CallSession call) {
        // resumeTicking() restores the call's own source and sink
    }
}
