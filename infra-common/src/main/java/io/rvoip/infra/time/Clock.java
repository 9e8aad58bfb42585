package io.rvoip.infra.time;

/**
 * The source of time for every timer and timestamp in rvoip, so that tests can replace it
 * with a {@link ManualClock}. {@link #nanoTime()} is monotonic and only meaningful as a
 * difference; {@link #currentTimeMillis()} is wall-clock time (for Date headers, NTP
 * timestamps in RTCP).
 *
 * <p>Thread safety: implementations are safe to call from any thread.
 */
public interface Clock {

    /** Monotonic time in nanoseconds; differences between two calls give elapsed time. */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch. */
    long currentTimeMillis();

    /** The system clock: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}
