package io.rvoip.session;

import io.rvoip.media.relay.AudioPipe;
import io.rvoip.media.session.MediaClock;

/**
 * Two calls connected back to back (B2BUA media): each hears the other. The audio goes through
 * PCM pipes, so the legs may use different codecs and rates (transcoding); both legs tick on
 * one media-clock thread. {@link #unbridge()} gives each call its own audio back.
 */
public final class Bridge extends MediaGroup {
    private final CallSession a;
    private final CallSession b;
    private final AudioPipe aToB;
    private final AudioPipe bToA;

    Bridge(MediaClock clock, CallSession a, CallSession b) {
        super(clock, a.media().ptime());
        if (a == b) {
            throw new IllegalArgumentException("a call cannot be bridged to itself");
        }
        this.a = a;
        this.b = b;
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

    /** The first leg. */
    public CallSession first() {
        return a;
    }

    /** The second leg. */
    public CallSession second() {
        return b;
    }

    /** Disconnects the legs; each call plays and records its own audio again. */
    public void unbridge() {
        closeGroup();
    }

    @Override
    void unplug(CallSession call) {
        // resumeTicking() restores the call's own source and sink
    }
}
