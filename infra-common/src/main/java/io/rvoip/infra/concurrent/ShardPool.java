package io.rvoip.infra.concurrent;

import io.rvoip.infra.internal.MpmcArrayQueue;
import io.rvoip.infra.lifecycle.Lifecycle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ShardedExecutor} backed by one platform thread per shard, each fed by a bounded
 * lock-free queue. An idle shard parks; a producer wakes it only when it is parked.
 *
 * <p>A task that throws is logged and counted; the shard goes on with the next task.
 * {@link #stop()} stops accepting tasks, runs what is already queued, and lets the threads
 * end; {@link #shutdownNow()} discards what is queued instead.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class ShardPool implements ShardedExecutor, Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(ShardPool.class);

    private final Shard[] shards;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean accepting = true;

    private ShardPool(Builder b) {
        this.shards = new Shard[b.shards];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard(b.namePrefix + i, b.queueCapacity);
        }
        for (Shard s : shards) {
            s.thread.start();
        }
    }

    /** A pool with one shard per available processor and the default queue size. */
    public static ShardPool create() {
        return builder().build();
    }

    /** A builder for a pool; threads start when {@link Builder#build()} returns. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int shardCount() {
        return shards.length;
    }

    @Override
    public boolean tryExecute(Object key, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!accepting || !shards[shardOf(key)].offer(task)) {
            rejected.increment();
            return false;
        }
        return true;
    }

    /** Queues {@code task} on shard number {@code shard} (0-based). */
    public boolean tryExecuteOn(int shard, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!accepting || !shards[shard].offer(task)) {
            rejected.increment();
            return false;
        }
        return true;
    }

    @Override
    public boolean inShardOf(Object key) {
        return Thread.currentThread() == shards[shardOf(key)].thread;
    }

    @Override
    public long rejectedCount() {
        return rejected.sum();
    }

    /** The number of tasks that threw. */
    public long failedCount() {
        return failed.sum();
    }

    /** The number of tasks queued and not yet started, over all shards. */
    public int queuedCount() {
        int n = 0;
        for (Shard s : shards) {
            n += s.queue.size();
        }
        return n;
    }

    /** Threads are started by the builder; this is a no-op kept for {@link Lifecycle}. */
    @Override
    public void start() {
    }

    /** Stops accepting tasks; the tasks already queued still run. Does not wait. */
    @Override
    public void stop() {
        accepting = false;
        for (Shard s : shards) {
            s.running = false;
            s.wake();
        }
    }

    /** Stops accepting tasks and discards the queued ones; returns how many were discarded. */
    public int shutdownNow() {
        accepting = false;
        int discarded = 0;
        for (Shard s : shards) {
            s.running = false;
            while (s.queue.poll() != null) {
                discarded++;
            }
            s.wake();
        }
        return discarded;
    }

    /** Waits until every shard thread has ended; returns {@code false} on time-out. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Shard s : shards) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return !s.thread.isAlive() && allEnded();
            }
            TimeUnit.NANOSECONDS.timedJoin(s.thread, left);
        }
        return allEnded();
    }

    /** True once every shard thread has ended. */
    public boolean isTerminated() {
        return allEnded();
    }

    private boolean allEnded() {
        for (Shard s : shards) {
            if (s.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** One serial shard: a thread draining a bounded queue. */
    private final class Shard implements Runnable {
        final MpmcArrayQueue<Runnable> queue;
        final Thread thread;
        volatile boolean running = true;
        volatile boolean parked;

        Shard(String name, int capacity) {
            this.queue = new MpmcArrayQueue<>(capacity);
            this.thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        boolean offer(Runnable task) {
            if (!queue.offer(task)) {
                return false;
            }
            if (parked) {
                wake();
            }
            return true;
        }

        void wake() {
            java.util.concurrent.locks.LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            for (;;) {
                Runnable task = queue.poll();
                if (task != null) {
                    runTask(task);
                    continue;
                }
                if (!running && queue.isEmpty()) {
                    return;
                }
                parked = true;
                // Re-check after publishing 'parked' so a producer that missed it cannot leave
                // a task behind (both sides use volatile accesses: no store-load reordering).
                if (queue.isEmpty() && running) {
                    java.util.concurrent.locks.LockSupport.park(this);
                }
                parked = false;
            }
        }

        private void runTask(Runnable task) {
            try {
                task.run();
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) {
                    throw vme;
                }
                failed.increment();
                log.warn("task on {} threw", thread.getName(), t);
            }
        }
    }

    /** Settings for a {@link ShardPool}. */
    public static final class Builder {
        private int shards = Runtime.getRuntime().availableProcessors();
        private int queueCapacity = 65_536;
        private String namePrefix = "rvoip-shard-";

        private Builder() {
        }

        /** The number of shards (threads); default: available processors. */
        public Builder shards(int n) {
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException("shards: " + n);
            }
            this.shards = n;
            return this;
        }

        /** The most tasks one shard may hold queued; default 65,536. */
        public Builder queueCapacity(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("queueCapacity: " + n);
            }
            this.queueCapacity = n;
            return this;
        }

        /** Thread names are this prefix followed by the shard number. */
        public Builder threadNamePrefix(String prefix) {
            this.namePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Creates the pool and starts its threads. */
        public ShardPool build() {
            return new ShardPool(this);
        }
    }
}
