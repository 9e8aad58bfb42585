package io.rvoip.infra.time;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Schedules tasks to run after a delay on the shard that owns a key, so a timer of a
 * transaction fires on the same thread as the rest of that transaction.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public interface Scheduler {

    /**
     * Runs {@code task} on the shard of {@code key} once {@code delay} has passed on this
     * scheduler's {@link Clock}. A delay of zero or less runs it at the next tick.
     */
    Timeout schedule(Object key, long delay, TimeUnit unit, Runnable task);

    /** Same as {@link #schedule(Object, long, TimeUnit, Runnable)} with a {@link Duration}. */
    default Timeout schedule(Object key, Duration delay, Runnable task) {
        return schedule(key, delay.toNanos(), TimeUnit.NANOSECONDS, task);
    }

    /** The clock this scheduler measures delays on. */
    Clock clock();
}
