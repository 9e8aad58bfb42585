package io.rvoip.infra.time;

/**
 * A handle to a scheduled task. Cancelling from the task's own shard is exact: a timer
 * cancelled on its shard never runs afterwards, even if it had already expired and its task
 * was waiting in the shard's queue.
 */
public interface Timeout {

    /**
     * Cancels the task.
     *
     * @return {@code true} if this call stopped it from running; {@code false} if it already
     *     ran, is running, or was cancelled before
     */
    boolean cancel();

    /** True if {@link #cancel()} succeeded. */
    boolean isCancelled();

    /** True once the task has started running. */
    boolean hasRun();

    /** The {@link Clock#nanoTime()} at or after which the task runs. */
    long deadlineNanos();
}
