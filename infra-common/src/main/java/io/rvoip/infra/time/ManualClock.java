package io.rvoip.infra.time;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when a test says so. Advancing it notifies its listeners, in
 * particular a {@link TimerService} built on it, which then fires every timer that became
 * due, in deadline order, before {@link #advance(Duration)} returns.
 *
 * <p>Thread safety: safe from any thread; listeners run on the thread that advances.
 */
public final class ManualClock implements Clock {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile long nanos;
    private volatile long epochMillis;

    /** A clock at monotonic time 0 and wall-clock time 2000-01-01T00:00:00Z. */
    public ManualClock() {
        this(Instant.parse("2000-01-01T00:00:00Z"));
    }

    /** A clock at monotonic time 0 and the given wall-clock time. */
    public ManualClock(Instant wallClock) {
        this.epochMillis = Objects.requireNonNull(wallClock, "wallClock").toEpochMilli();
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return epochMillis;
    }

    /** Moves both times forward by {@code d} and notifies the listeners. */
    public void advance(Duration d) {
        advanceNanos(d.toNanos());
    }

    /** Moves both times forward by {@code millis} milliseconds and notifies the listeners. */
    public void advanceMillis(long millis) {
        advanceNanos(Math.multiplyExact(millis, 1_000_000L));
    }

    /** Moves both times forward by {@code delta} nanoseconds and notifies the listeners. */
    public void advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("time only moves forward: " + delta);
        }
        synchronized (this) {
            long before = nanos;
            nanos = before + delta;
            // Carry whole milliseconds into the wall clock without drifting.
            epochMillis += (before + delta) / 1_000_000L - before / 1_000_000L;
        }
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** Registers a listener run after every advance (on the advancing thread). */
    public void addListener(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener added by {@link #addListener(Runnable)}. */
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }
}
