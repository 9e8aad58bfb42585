package io.rvoip.infra.concurrent;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks on one of N serial shards chosen by a key: every task submitted with keys that
 * map to the same shard runs on that shard, one at a time, in submission order. This is how
 * everything that belongs to one call (its transactions, dialog and session) is confined to
 * one thread without locks.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public interface ShardedExecutor {

    /** The number of shards. */
    int shardCount();

    /** The shard that owns {@code key}: stable for the lifetime of this executor. */
    default int shardOf(Object key) {
        return indexFor(key, shardCount());
    }

    /**
     * Queues {@code task} on the shard of {@code key}.
     *
     * @return {@code false}, without running the task, if the shard's queue is full or the
     *     executor is shut down; the rejection is counted
     */
    boolean tryExecute(Object key, Runnable task);

    /**
     * Queues {@code task} on the shard of {@code key}.
     *
     * @throws RejectedExecutionException if the shard's queue is full or the executor is shut down
     */
    default void execute(Object key, Runnable task) {
        if (!tryExecute(key, task)) {
            throw new RejectedExecutionException("shard " + shardOf(key) + " rejected the task");
        }
    }

    /** True if the calling thread is currently running a task on the shard of {@code key}. */
    boolean inShardOf(Object key);

    /** An {@link Executor} view whose tasks all run on the shard of {@code key}. */
    default Executor executorFor(Object key) {
        Objects.requireNonNull(key, "key");
        return task -> execute(key, task);
    }

    /** The number of tasks rejected so far (full queue or shut down). */
    long rejectedCount();

    /**
     * The shard index for {@code key} among {@code shards}: the key's hash, spread so that
     * keys whose hashes differ only in high bits still land on different shards.
     */
    static int indexFor(Object key, int shards) {
        Objects.requireNonNull(key, "key");
        int h = key.hashCode() * 0x9E3779B9;
        h ^= h >>> 16;
        return Math.floorMod(h, shards);
    }
}
