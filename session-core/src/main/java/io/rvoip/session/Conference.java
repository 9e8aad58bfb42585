package io.rvoip.session;

import io.rvoip.media.mix.AudioMixer;
import io.rvoip.media.session.MediaClock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls mixed together: each hears everybody else, not itself (media-core's {@link AudioMixer},
 * at 16 kHz; legs at other rates are converted). Participants join, leave and are muted at any
 * time from any thread; the change takes effect at the next frame. All legs tick on one
 * media-clock thread, then the mixer runs.
 */
public final class Conference extends MediaGroup {
    private final AudioMixer mixer;
    private final Map<CallSession, AudioMixer.Participant> participants = new ConcurrentHashMap<>();

    Conference(MediaClock clock, int ptime) {
        super(clock, ptime);
        this.mixer = new AudioMixer(16000, ptime);
    }

    /** Adds a call with media. */
    public void add(CallSession call) {
        enter(call, () -> {
            AudioMixer.Participant p = mixer.join(call.port().sampleRate());
            participants.put(call, p);
            call.port().source(p);
            call.port().sink(p);
        });
    }

    /** Takes a call out; it gets its own audio back. */
    public void remove(CallSession call) {
        exit(call, () -> unplug(call));
    }

    /** Mutes or unmutes a participant: muted, it hears the others but is not heard. */
    public void mute(CallSession call, boolean on) {
        AudioMixer.Participant p = participants.get(call);
        if (p != null) {
            p.setMuted(on);
        }
    }

    /** Ends the conference: every call gets its own audio back. */
    public void close() {
        closeGroup();
    }

    @Override
    void unplug(CallSession call) {
        AudioMixer.Participant p = participants.remove(call);
        if (p != null) {
            p.leave();
        }
    }

    @Override
    void afterTick() {
        mixer.mix();
    }
}
