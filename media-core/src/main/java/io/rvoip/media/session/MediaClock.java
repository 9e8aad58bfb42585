package io.rvoip.media.session;

import io.rvoip.infra.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time media clock: a few dedicated threads that tick media sessions (or anything
 * else that runs per frame, like a conference: its legs, then the mixer) every packet time.
 * Each registration stays on one thread, so one call's media state is touched by one thread.
 *
 * <p>Deadlines are absolute ({@code start + k·ptime}), so ticks do not drift. A thread that
 * falls more than five frames behind (a stalled machine) skips ahead instead of bursting, and
 * counts the frames skipped ({@link #overruns()}). An exception from a tick is logged and
 * counted ({@link #failures()}) and the registration keeps its place: one broken call does not
 * stop the others.
 *
 * <p>Each thread keeps its registrations in a heap by deadline, and a wake-up runs every tick
 * due within the next millisecond ({@link #THREAD_SLACK_NANOS}): a tick may run up to 1 ms
 * early (it never drifts), and a thread with a thousand sessions wakes about once a
 * millisecond rather than once per session.
 *
 * <p>On the clock's threads, sessions start on a 5 ms grid ({@link #PHASE_GRID_NANOS}; the
 * first tick comes up to 5 ms later than one packet time): sessions whose packet time is a
 * multiple of 5 ms then share four phases, so one wake-up ticks a quarter of them and their
 * packets reach the RTP sockets together (on a shared RTP port, one {@code sendmmsg} each).
 * Every session still ticks exactly once per packet time; the grid adds no jitter.
 *
 * <p>Tests drive the same scheduling without threads: {@link #manual} returns a clock whose
 * {@link #runDue(long)} runs whatever is due at a given time.
 *
 * <pre>{@code
 * MediaClock clock = MediaClock.start(2);
 * MediaClock.Registration r = clock.add(mediaSession);     // ticks every session ptime
 * ...
 * r.cancel();
 * clock.close();
 * }</pre>
 */
public final class MediaClock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaClock.class);
    private static final int MAX_BEHIND_FRAMES = 5;

    /** How early a tick may run on the clock's threads, so one wake-up serves every session due soon after. */
    public static final long THREAD_SLACK_NANOS = 1_000_000L;

    /** The grid sessions start on, on the clock's threads (see the class comment). */
    public static final long PHASE_GRID_NANOS = 5_000_000L;

    private final Clock clock;
    private final long slack;
    private final long grid;
    private final Lane[] lanes;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger live = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    private MediaClock(Clock clock, int threads, boolean start) {
        this(clock, threads, start, start ? THREAD_SLACK_NANOS : 0, start ? PHASE_GRID_NANOS : 0);
    }

    /** {@code gridNanos}: the grid sessions start on (0: none); tests give a manual clock the threads' settings. */
    MediaClock(Clock clock, int threads, boolean start, long slackNanos, long gridNanos) {
        this.clock = clock;
        this.slack = slackNanos;
        this.grid = gridNanos;
        this.lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new Lane(i, start);
        }
    }

    /** Starts a clock with {@code threads} threads on the system clock. */
    public static MediaClock start(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
        return new MediaClock(Clock.system(), threads, true);
    }

    /** A clock with no threads: the caller runs {@link #runDue(long)} (tests, simulations of load). */
    public static MediaClock manual(Clock clock) {
        return new MediaClock(Objects.requireNonNull(clock, "clock"), 1, false);
    }

    /** Ticks {@code session} every its packet time from now on. */
    public Registration add(MediaSession session) {
        return add(session.ptimeMillis(), session::tick);
    }

    /**
     * Calls {@code tick} with the current time every {@code ptimeMillis}, from one packet time
     * from now on, always on the same thread.
     */
    public Registration add(int ptimeMillis, LongConsumer tick) {
        if (ptimeMillis <= 0) {
            throw new IllegalArgumentException("ptime " + ptimeMillis);
        }
        if (closed) {
            throw new IllegalStateException("media clock closed");
        }
        Objects.requireNonNull(tick, "tick");
        Lane lane = lanes[(int) (next.getAndIncrement() % lanes.length)];
        long period = ptimeMillis * 1_000_000L;
        long first = clock.nanoTime() + period;
        if (grid > 0 && period % grid == 0) {
            first = Math.floorDiv(first + grid - 1, grid) * grid;
        }
        Registration r = new Registration(tick, period, first, lane, live);
        live.incrementAndGet();
        lane.added.add(r);
        if (lane.thread != null) {
            LockSupport.unpark(lane.thread);
        }
        return r;
    }

    /**
     * Runs every registration due at {@code nowNanos} (manual clocks; threads do this
     * themselves) and returns the next deadline, so a simulation knows when to call again.
     */
    public long runDue(long nowNanos) {
        long next = Long.MAX_VALUE;
        for (Lane l : lanes) {
            next = Math.min(next, l.runDue(nowNanos));
        }
        return next;
    }

    /** Registrations ticking now (cancelled ones excluded). */
    public int size() {
        return live.get();
    }

    /** Frames skipped because a thread fell behind. */
    public long overruns() {
        return overruns.get();
    }

    /** Ticks that threw. */
    public long failures() {
        return failures.get();
    }

    /** Stops the threads (after their current tick) and drops every registration. */
    @Override
    public void close() {
        closed = true;
        for (Lane l : lanes) {
            if (l.thread != null) {
                LockSupport.unpark(l.thread);
                try {
                    l.thread.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One periodic tick; {@link #cancel()} stops it (it may run once more if a tick is under way). */
    public static final class Registration {
        private final LongConsumer tick;
        private final long period;
        private long due;
        private final Lane lane;
        private final java.util.concurrent.atomic.AtomicInteger live;
        private final java.util.concurrent.atomic.AtomicBoolean cancelOnce = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean cancelled;
        private long ticks;

        private Registration(LongConsumer tick, long period, long due, Lane lane,
                             java.util.concurrent.atomic.AtomicInteger live) {
            this.tick = tick;
            this.period = period;
            this.due = due;
            this.lane = lane;
            this.live = live;
        }

        /** Stops ticking. */
        public void cancel() {
            if (cancelOnce.compareAndSet(false, true)) {
                live.decrementAndGet();
            }
            cancelled = true;
            if (lane.thread != null) {
                LockSupport.unpark(lane.thread);
            }
        }

        /** Ticks run so far (read on any thread; approximate while running). */
        public long ticks() {
            return ticks;
        }
    }

    /**
     * One thread's registrations, in a binary min-heap by deadline: a wake-up pops only what is
     * due, so its cost grows with the sessions it ticks, not with all the sessions it holds.
     * Cancelled registrations leave the heap when they reach its top (within one period).
     */
    private final class Lane implements Runnable {
        final ConcurrentLinkedQueue<Registration> added = new ConcurrentLinkedQueue<>();
        private Registration[] heap = new Registration[64];
        private int size;
        final Thread thread;

        Lane(int index, boolean start) {
            if (start) {
                thread = new Thread(this, "rvoip-media-clock-" + index);
                thread.setDaemon(true);
                thread.setPriority(Thread.MAX_PRIORITY);
                thread.start();
            } else {
                thread = null;
            }
        }

        @Override
        public void run() {
            while (!closed) {
                long now = clock.nanoTime();
                long wake = runDue(now);
                long wait = wake - clock.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
            java.util.Arrays.fill(heap, 0, size, null);
            size = 0;
            added.clear();
        }

        /** Runs what is due by {@code now + slack}; returns the next deadline. */
        long runDue(long now) {
            Registration r;
            while ((r = added.poll()) != null) {
                push(r);
            }
            long horizon = now + slack;
            while (size > 0 && heap[0].due <= horizon) {
                Registration x = pop();
                if (x.cancelled) {
                    continue;
                }
                if (now - x.due > MAX_BEHIND_FRAMES * x.period) {
                    long skipped = (now - x.due) / x.period;
                    overruns.addAndGet(skipped);
                    x.due += skipped * x.period;
                }
                try {
                    x.tick.accept(now);
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    LOG.warn("media tick failed", e);
                }
                x.ticks++;
                x.due += x.period; // still due (behind): it comes back in deadline order
                if (!x.cancelled) {
                    push(x);
                }
            }
            return size > 0 ? heap[0].due : now + 100_000_000L;
        }

        private void push(Registration r) {
            if (size == heap.length) {
                heap = java.util.Arrays.copyOf(heap, size * 2);
            }
            int i = size++;
            long due = r.due;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                Registration p = heap[parent];
                if (p.due <= due) {
                    break;
                }
                heap[i] = p;
                i = parent;
            }
            heap[i] = r;
        }

        private Registration pop() {
            Registration top = heap[0];
            Registration last = heap[--size];
            heap[size] = null;
            if (size > 0) {
                long due = last.due;
                int i = 0;
                int half = size >>> 1;
                while (i < half) {
                    int c = 2 * i + 1;
                    Registration child = heap[c];
                    int right = c + 1;
                    if (right < size && heap[right].due < child.due) {
                        c = right;
                        child = heap[c];
                    }
                    if (due <= child.due) {
                        break;
                    }
                    heap[i] = child;
                    i = c;
                }
                heap[i] = last;
            }
            return top;
        }
    }
}
