package io.rvoip.infra.event;

import io.rvoip.infra.concurrent.ShardedExecutor;
import io.rvoip.infra.internal.MpmcArrayQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Queues events for a handler that runs on the subscriber's executor.
 *
 * <p>The subscription has one or more lanes; a routing key always maps to the same lane, and a
 * lane is drained by at most one executor task at a time, so events of one key (and one
 * priority) are handled in publish order while different lanes may run in parallel. Each lane
 * holds a bounded number of events over three priority queues; critical events are taken
 * first. What happens when a lane is full is the {@link BackpressurePolicy}.
 */
final class AsyncSubscription<E extends Event> extends AbstractSubscription<E> {
    /** Batches handed out by one executor task before it yields to other work. */
    private static final int ROUNDS_PER_RUN = 16;

    private final EventHandler<? super E> handler;
    private final BatchEventHandler<E> batchHandler;
    private final Function<? super E, EventPriority> priorityOf;
    private final Executor executor;
    private final BackpressurePolicy policy;
    private final long blockNanos;
    private final int capacity;
    private final int maxBatch;
    private final Lane[] lanes;

    AsyncSubscription(EventBus bus, SubscriptionBuilder<E> b, EventHandler<? super E> handler,
            BatchEventHandler<? super E> batchHandler) {
        super(bus, b.name, b.type, b.filter);
        this.handler = handler;
        @SuppressWarnings("unchecked") // safe: the batch list is read-only
        BatchEventHandler<E> bh = (BatchEventHandler<E>) batchHandler;
        this.batchHandler = bh;
        this.priorityOf = b.priorityOf;
        this.executor = b.executor;
        this.policy = b.policy;
        this.blockNanos = b.blockTimeout.toNanos();
        this.capacity = b.queueCapacity;
        this.maxBatch = b.maxBatch;
        @SuppressWarnings({"unchecked", "rawtypes"})
        Lane[] array = new AsyncSubscription.Lane[b.lanes];
        this.lanes = array;
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane();
        }
    }

    @Override
    int enqueue(E e) {
        EventPriority p = priorityOf != null ? priorityOf.apply(e) : e.priority();
        Lane lane = lanes.length == 1 ? lanes[0] : lanes[ShardedExecutor.indexFor(e.routingKey(), lanes.length)];
        return lane.offer(e, p.ordinal());
    }

    @Override
    int queued() {
        int n = 0;
        for (Lane l : lanes) {
            n += l.occupancy();
        }
        return n;
    }

    @Override
    public boolean unsubscribe() {
        boolean changed = super.unsubscribe();
        if (changed) {
            for (Lane l : lanes) {
                l.scheduleIfIdle(); // the drain task discards what is left
            }
        }
        return changed;
    }

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.ASYNC;
    }

    /**
     * One serial queue of the subscription: three priority queues whose combined occupancy is
     * bounded by {@code capacity}. Occupancy is read from the queues' own indices, so a
     * producer pays no extra atomic operation; racing producers may overshoot the bound by at
     * most their number, which each queue's physical size absorbs.
     */
    private final class Lane implements Runnable {
        @SuppressWarnings("unchecked")
        private final MpmcArrayQueue<E>[] queues = new MpmcArrayQueue[3];
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private final ArrayList<E> batch = new ArrayList<>();
        private final List<E> batchView = Collections.unmodifiableList(batch);
        /**
         * Consumer indices last read by a producer. They only grow, so a stale value
         * over-estimates occupancy: the fast path needs no read of the consumer's cache lines.
         * Plain fields; racing producers may overwrite each other with older values, which
         * is harmless for the same reason.
         */
        private long seenHead0;
        private long seenHead1;
        private long seenHead2;

        Lane() {
            for (int i = 0; i < queues.length; i++) {
                queues[i] = new MpmcArrayQueue<>(capacity + 64);
            }
        }

        int occupancy() {
            return queues[0].size() + queues[1].size() + queues[2].size();
        }

        private boolean hasRoom() {
            long t0 = queues[0].producerIndex();
            long t1 = queues[1].producerIndex();
            long t2 = queues[2].producerIndex();
            if ((t0 - seenHead0) + (t1 - seenHead1) + (t2 - seenHead2) < capacity) {
                return true;
            }
            seenHead0 = queues[0].consumerIndex();
            seenHead1 = queues[1].consumerIndex();
            seenHead2 = queues[2].consumerIndex();
            return (t0 - seenHead0) + (t1 - seenHead1) + (t2 - seenHead2) < capacity;
        }

        private boolean isEmpty() {
            return queues[0].isEmpty() && queues[1].isEmpty() && queues[2].isEmpty();
        }

        int offer(E e, int prio) {
            long deadline = 0;
            for (int attempt = 0; ; attempt++) {
                if (hasRoom() && queues[prio].offer(e)) {
                    clearDropBurst();
                    scheduleIfIdle();
                    return ACCEPTED;
                }
                switch (policy) {
                    case FAIL:
                        rejected.increment();
                        return REJECTED;
                    case DROP_OLDEST:
                        if (attempt == 0) {
                            continue; // the consumer may have made room meanwhile
                        }
                        if (evictFor(prio) && queues[prio].offer(e)) {
                            onDropped(1, "queue full, oldest lower-priority event evicted");
                            scheduleIfIdle();
                            return ACCEPTED;
                        }
                        onDropped(1, "queue full of higher-priority events");
                        return DROPPED;
                    case BLOCK:
                    default:
                        if (deadline == 0) {
                            deadline = System.nanoTime() + blockNanos;
                        } else if (System.nanoTime() - deadline >= 0) {
                            onDropped(1, "queue still full after blocking the publisher");
                            return DROPPED;
                        }
                        scheduleIfIdle();
                        if (attempt < 64) {
                            Thread.onSpinWait();
                        } else {
                            LockSupport.parkNanos(20_000);
                        }
                }
            }
        }

        /** Removes the oldest event of the lowest priority not above {@code prio}, never a critical one. */
        private boolean evictFor(int prio) {
            int lowest = EventPriority.LOW.ordinal();
            int floor = Math.max(prio, EventPriority.NORMAL.ordinal());
            for (int q = lowest; q >= floor; q--) {
                if (queues[q].poll() != null) {
                    return true;
                }
            }
            return false;
        }

        void scheduleIfIdle() {
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                submit();
            }
        }

        private void submit() {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException ex) {
                int n = discardAll();
                scheduled.set(false);
                onDropped(n, "executor rejected the delivery task");
            }
        }

        @Override
        public void run() {
            int rounds = 0;
            for (;;) {
                if (!active) {
                    int n = discardAll();
                    if (n > 0) {
                        dropped.add(n);
                    }
                } else if (fill() > 0) {
                    deliver();
                    if (++rounds >= ROUNDS_PER_RUN) {
                        submit(); // stay scheduled, but let other tasks of the executor run
                        return;
                    }
                    continue;
                }
                scheduled.set(false);
                // Re-check after clearing the flag: a producer that saw it set did not submit.
                if (isEmpty() || !scheduled.compareAndSet(false, true)) {
                    return;
                }
            }
        }

        private int fill() {
            batch.clear();
            while (batch.size() < maxBatch) {
                E e = queues[0].poll();
                if (e == null) {
                    e = queues[1].poll();
                    if (e == null) {
                        e = queues[2].poll();
                        if (e == null) {
                            break;
                        }
                    }
                }
                batch.add(e);
            }
            return batch.size();
        }

        private void deliver() {
            int n = batch.size();
            if (batchHandler != null) {
                try {
                    batchHandler.onEvents(batchView);
                    delivered.add(n);
                    recovered();
                } catch (Throwable t) {
                    if (t instanceof VirtualMachineError vme) {
                        throw vme;
                    }
                    failed.add(n - 1L);
                    onFailure(t);
                }
            } else {
                int ok = 0;
                for (int i = 0; i < n; i++) {
                    if (invoke(handler, batch.get(i))) {
                        ok++;
                    }
                }
                delivered.add(ok);
            }
            batch.clear();
        }

        private int discardAll() {
            int n = 0;
            for (MpmcArrayQueue<E> q : queues) {
                while (q.poll() != null) {
                    n++;
                }
            }
            return n;
        }
    }
}
