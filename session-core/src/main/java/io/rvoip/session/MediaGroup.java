package io.rvoip.session;

import io.rvoip.media.session.MediaClock;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Calls whose media tick together on one media-clock thread, so their audio can be exchanged
 * without locks: each frame, every member's media session ticks, then the group moves the
 * audio between them ({@link #afterTick()}). Membership changes are queued and applied at the
 * start of a frame, on that thread.
 */
abstract sealed class MediaGroup permits Bridge, Conference {
    private final MediaClock clock;
    private final int ptime;
    final List<CallSession> members = new CopyOnWriteArrayList<>();   // on the group's thread
    private final List<CallSession> entered = new java.util.ArrayList<>(); // under this lock
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private MediaClock.Registration ticking;
    private volatile boolean closed;

    MediaGroup(MediaClock clock, int ptime) {
        this.clock = clock;
        this.ptime = ptime;
    }

    /** Moves the call's media onto the group's tick; {@code plug} connects its audio (on the group's thread). */
    final synchronized void enter(CallSession call, Runnable plug) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (call.mediaSession() == null || call.state() == CallState.TERMINATED) {
            throw new IllegalStateException("call " + call.id() + " has no media");
        }
        int frames = call.mediaSession().ptimeMillis(); // what its media runs, whatever a renegotiation asked since
        if (frames != ptime) {
            throw new IllegalArgumentException("call " + call.id() + " runs " + frames + " ms frames, the group " + ptime + " ms");
        }
        call.group = this;
        entered.add(call);
        call.stopTicking();
        pending.add(() -> {
            plug.run();
            members.add(call);
        });
        if (ticking == null) {
            ticking = clock.add(ptime, this::tick);
        }
    }

    /** Takes the call out; it ticks on its own again with its own audio. */
    final synchronized void exit(CallSession call, Runnable unplug) {
        if (!entered.remove(call)) {
            return;
        }
        pending.add(() -> {
            members.remove(call);
            unplug.run();
            call.resumeTicking();
        });
    }

    /** Ends the group: every member goes back to its own tick. */
    final synchronized void closeGroup() {
        if (closed) {
            return;
        }
        closed = true;
        for (CallSession c : List.copyOf(entered)) {
            exit(c, () -> unplug(c));
        }
        pending.add(() -> {
            if (ticking != null) {
                ticking.cancel();
            }
        });
    }

    abstract void unplug(CallSession call);

    private void tick(long now) {
        Runnable r;
        while ((r = pending.poll()) != null) {
            r.run();
        }
        for (CallSession c : members) {
            if (c.mediaSession() != null) {
                c.mediaSession().tick(now);
            }
        }
        afterTick();
    }

    /** Runs once per frame after every member ticked. */
    void afterTick() {
    }

    /** The calls in the group now. */
    public List<CallSession> calls() {
        return List.copyOf(members);
    }
}
