package io.rvoip.infra.concurrent;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic {@link ShardedExecutor} for tests: tasks wait in per-shard queues until the
 * test calls {@link #runPending()}, which runs them on the calling thread, shard by shard,
 * including tasks queued while running. Together with a
 * {@link io.rvoip.infra.time.ManualClock} it lets a test drive timers and state machines step
 * by step with no sleeps and no races.
 *
 * <p>Thread safety: tasks may be queued from any thread; {@link #runPending()} must be called
 * by one thread at a time.
 */
public final class ManualShardedExecutor implements ShardedExecutor {
    private final ArrayDeque<Runnable>[] queues;
    private final int capacity;
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean shutdown;
    private int runningShard = -1;
    private Thread runner;

    /** An executor with {@code shards} shards of unlimited queue size. */
    public ManualShardedExecutor(int shards) {
        this(shards, Integer.MAX_VALUE);
    }

    /** An executor with {@code shards} shards, each holding at most {@code capacity} tasks. */
    @SuppressWarnings("unchecked")
    public ManualShardedExecutor(int shards, int capacity) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards: " + shards);
        }
        this.queues = new ArrayDeque[shards];
        for (int i = 0; i < shards; i++) {
            queues[i] = new ArrayDeque<>();
        }
        this.capacity = capacity;
    }

    @Override
    public int shardCount() {
        return queues.length;
    }

    @Override
    public synchronized boolean tryExecute(Object key, Runnable task) {
        Objects.requireNonNull(task, "task");
        ArrayDeque<Runnable> q = queues[shardOf(key)];
        if (shutdown || q.size() >= capacity) {
            rejected.incrementAndGet();
            return false;
        }
        q.add(task);
        return true;
    }

    @Override
    public synchronized boolean inShardOf(Object key) {
        return runner == Thread.currentThread() && runningShard == shardOf(key);
    }

    @Override
    public long rejectedCount() {
        return rejected.get();
    }

    /** The number of tasks waiting to run. */
    public synchronized int pendingCount() {
        int n = 0;
        for (ArrayDeque<Runnable> q : queues) {
            n += q.size();
        }
        return n;
    }

    /**
     * Runs queued tasks on the calling thread until every queue is empty, lowest shard first,
     * each shard's tasks in order. A task that throws propagates to the caller (tests want to
     * see it); the remaining tasks stay queued.
     *
     * @return the number of tasks run
     */
    public int runPending() {
        int ran = 0;
        for (;;) {
            Runnable task = null;
            synchronized (this) {
                for (int i = 0; i < queues.length && task == null; i++) {
                    task = queues[i].poll();
                    if (task != null) {
                        runningShard = i;
                        runner = Thread.currentThread();
                    }
                }
            }
            if (task == null) {
                return ran;
            }
            try {
                task.run();
                ran++;
            } finally {
                synchronized (this) {
                    runningShard = -1;
                    runner = null;
                }
            }
        }
    }

    /** Rejects further tasks; queued ones can still be run. */
    public void shutdown() {
        shutdown = true;
    }
}
