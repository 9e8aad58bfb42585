package io.rvoip.infra.time;

import io.rvoip.infra.concurrent.ShardedExecutor;
import io.rvoip.infra.lifecycle.Lifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timer wheel whose tasks run on the shard that owns each timer's key.
 *
 * <p>Time is divided into ticks of {@code tick} length; tick {@code k} ends at
 * {@code start + k·tick}. A timer due at {@code d} is placed in the first tick that ends at
 * or after {@code d}, so it never fires early and fires at most one tick late. Creating a
 * timer is an allocation and a lock-free enqueue; cancelling is one CAS (cancelled timers are
 * unlinked the next time the wheel passes their bucket), so 100k create+cancel pairs are
 * cheap. Timers that expire in the same tick are handed to their shards in deadline order,
 * ties in creation order.
 *
 * <p>The wheel advances on its own thread with a real clock. With a {@link ManualClock} it
 * has no thread: every {@link ManualClock#advance(Duration)} fires what became due before it
 * returns, which makes timer-driven tests deterministic.
 *
 * <p>Thread safety: {@link #schedule} and {@link Timeout#cancel()} may be called from any
 * thread; the wheel itself is advanced by one thread at a time.
 */
public final class TimerService implements Scheduler, Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(TimerService.class);
    private static final Comparator<TimerTask> BY_DEADLINE =
            Comparator.comparingLong((TimerTask t) -> t.deadline).thenComparingLong(t -> t.seq);

    private final Clock clock;
    private final ShardedExecutor shards;
    private final long tickNanos;
    private final TimerTask[] wheel;
    private final int mask;
    private final long startNanos;
    private final ConcurrentLinkedQueue<TimerTask> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private final ArrayList<TimerTask> expired = new ArrayList<>();
    private final Runnable manualListener = this::advance;
    private final String threadName;
    private long nextTick;
    private volatile boolean running;
    private Thread ticker;

    private TimerService(Builder b) {
        this.clock = b.clock;
        this.shards = b.shards;
        long defaultTick = clock instanceof ManualClock ? 1_000_000L : 10_000_000L;
        this.tickNanos = b.tick != null ? b.tick.toNanos() : defaultTick;
        int size = Integer.highestOneBit(Math.max(2, b.wheelSize - 1)) << 1;
        this.wheel = new TimerTask[size];
        this.mask = size - 1;
        this.startNanos = clock.nanoTime();
        this.threadName = b.threadName;
    }

    /** A builder: {@link Builder#build()} returns a started service. */
    public static Builder builder(ShardedExecutor shards) {
        return new Builder(shards);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Timeout schedule(Object key, long delay, TimeUnit unit, Runnable task) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(task, "task");
        long deadline = clock.nanoTime() + Math.max(0, unit.toNanos(delay));
        TimerTask t = new TimerTask(key, task, deadline, sequence.getAndIncrement());
        if (!running) {
            t.state = TimerTask.CANCELLED;
            rejected.increment();
            return t;
        }
        active.incrementAndGet();
        incoming.add(t);
        return t;
    }

    /** The number of timers scheduled that have neither been cancelled nor expired. */
    public int activeCount() {
        return active.get();
    }

    /** Timers that could not be handed to their shard (shard full or shut down). */
    public long rejectedCount() {
        return rejected.sum();
    }

    /** The tick length in nanoseconds. */
    public long tickNanos() {
        return tickNanos;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (clock instanceof ManualClock manual) {
            manual.addListener(manualListener);
        } else {
            ticker = new Thread(this::tickLoop, threadName);
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    /** Stops the wheel; timers not yet expired never run. Does not wait for running tasks. */
    @Override
    public void stop() {
        Thread t;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            if (clock instanceof ManualClock manual) {
                manual.removeListener(manualListener);
            }
            t = ticker;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void tickLoop() {
        while (running) {
            long wait;
            synchronized (this) {
                wait = startNanos + nextTick * tickNanos - clock.nanoTime();
            }
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            try {
                advance();
            } catch (RuntimeException e) {
                log.error("timer wheel tick failed", e);
            }
        }
    }

    /** Fires every timer due at the clock's current time. Called by the ticker or the manual clock. */
    synchronized void advance() {
        long now = clock.nanoTime();
        transferIncoming();
        while (startNanos + nextTick * tickNanos <= now) {
            expireTick(nextTick);
            nextTick++;
        }
    }

    private void transferIncoming() {
        TimerTask t;
        while ((t = incoming.poll()) != null) {
            if (t.state == TimerTask.CANCELLED) {
                continue;
            }
            long offset = t.deadline - startNanos;
            long tick = offset <= 0 ? 0 : (offset + tickNanos - 1) / tickNanos;
            t.tick = Math.max(tick, nextTick);
            int index = (int) (t.tick & mask);
            t.next = wheel[index];
            wheel[index] = t;
        }
    }

    private void expireTick(long tick) {
        int index = (int) (tick & mask);
        TimerTask prev = null;
        TimerTask t = wheel[index];
        while (t != null) {
            TimerTask next = t.next;
            boolean remove = t.state == TimerTask.CANCELLED;
            if (!remove && t.tick <= tick) {
                remove = true;
                expired.add(t);
            }
            if (remove) {
                if (prev == null) {
                    wheel[index] = next;
                } else {
                    prev.next = next;
                }
                t.next = null;
            } else {
                prev = t;
            }
            t = next;
        }
        if (expired.isEmpty()) {
            return;
        }
        if (expired.size() > 1) {
            expired.sort(BY_DEADLINE);
        }
        for (TimerTask e : expired) {
            dispatch(e);
        }
        expired.clear();
    }

    private void dispatch(TimerTask t) {
        if (!t.markExpired()) {
            return; // cancelled meanwhile; cancel() already decremented the count
        }
        active.decrementAndGet();
        if (!shards.tryExecute(t.key, t)) {
            rejected.increment();
            log.warn("timer for key {} dropped: its shard rejected it", t.key);
        }
    }

    /** A scheduled timer: wheel node, handle, and the task handed to the shard. */
    private final class TimerTask implements Timeout, Runnable {
        static final int INIT = 0;
        static final int CANCELLED = 1;
        static final int EXPIRED = 2;
        static final int RAN = 3;
        private static final java.lang.invoke.VarHandle STATE;

        static {
            try {
                STATE = java.lang.invoke.MethodHandles.lookup()
                        .findVarHandle(TimerTask.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Object key;
        final Runnable task;
        final long deadline;
        final long seq;
        long tick;
        TimerTask next;
        volatile int state;

        TimerTask(Object key, Runnable task, long deadline, long seq) {
            this.key = key;
            this.task = task;
            this.deadline = deadline;
            this.seq = seq;
        }

        boolean markExpired() {
            return STATE.compareAndSet(this, INIT, EXPIRED);
        }

        @Override
        public void run() {
            if (STATE.compareAndSet(this, EXPIRED, RAN)) {
                task.run();
            }
        }

        @Override
        public boolean cancel() {
            for (;;) {
                int s = state;
                if (s == CANCELLED || s == RAN) {
                    return false;
                }
                if (STATE.compareAndSet(this, s, CANCELLED)) {
                    if (s == INIT) {
                        active.decrementAndGet();
                    }
                    return true;
                }
            }
        }

        @Override
        public boolean isCancelled() {
            return state == CANCELLED;
        }

        @Override
        public boolean hasRun() {
            return state == RAN;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public String toString() {
            return "Timeout[key=" + key + ", deadline=" + deadline + ", state=" + state + "]";
        }
    }

    /** Settings for a {@link TimerService}. */
    public static final class Builder {
        private final ShardedExecutor shards;
        private Clock clock = Clock.system();
        private Duration tick;
        private int wheelSize = 512;
        private String threadName = "rvoip-timer";

        private Builder(ShardedExecutor shards) {
            this.shards = Objects.requireNonNull(shards, "shards");
        }

        /** The clock; a {@link ManualClock} drives the wheel with no thread. Default: system. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The tick length; default 10 ms on a real clock, 1 ms on a {@link ManualClock}. */
        public Builder tick(Duration tick) {
            if (tick.isNegative() || tick.isZero()) {
                throw new IllegalArgumentException("tick: " + tick);
            }
            this.tick = tick;
            return this;
        }

        /** The number of buckets (rounded up to a power of two); default 512. */
        public Builder wheelSize(int buckets) {
            if (buckets < 2 || buckets > (1 << 20)) {
                throw new IllegalArgumentException("wheelSize: " + buckets);
            }
            this.wheelSize = buckets;
            return this;
        }

        /** The ticker thread's name (real clock only). */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Creates and starts the service. */
        public TimerService build() {
            TimerService s = new TimerService(this);
            s.start();
            return s;
        }
    }
}
