package io.rvoip.infra.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.concurrent.ShardPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimerServiceTest {
    private final ManualClock clock = new ManualClock();
    private final ManualShardedExecutor shards = new ManualShardedExecutor(4);
    private final TimerService timers = TimerService.builder(shards).clock(clock).build();
    private final List<String> fired = new ArrayList<>();

    @AfterEach
    void stop() {
        timers.stop();
    }

    private void advance(long millis) {
        clock.advanceMillis(millis);
        shards.runPending();
    }

    @Test
    void firesAtTheDeadlineAndNotBefore() {
        timers.schedule("call-1", 500, TimeUnit.MILLISECONDS, () -> fired.add("A"));
        advance(499);
        assertThat(fired).isEmpty();
        advance(1);
        assertThat(fired).containsExactly("A");
        advance(10_000);
        assertThat(fired).containsExactly("A");
        assertThat(timers.activeCount()).isZero();
    }

    @Test
    void subTickDeadlinesRoundUpNeverDown() {
        TimerService coarse = TimerService.builder(shards).clock(clock).tick(Duration.ofMillis(10)).build();
        try {
            clock.advanceMillis(3);
            coarse.schedule("k", Duration.ofMillis(500), () -> fired.add("late by at most one tick"));
            advance(499);
            assertThat(fired).isEmpty();
            advance(1); // t = 503: due, but its tick ends at 510
            assertThat(fired).isEmpty();
            advance(7);
            assertThat(fired).containsExactly("late by at most one tick");
        } finally {
            coarse.stop();
        }
    }

    @Test
    void runsTheTaskOnTheKeysShard() {
        boolean[] onShard = new boolean[1];
        timers.schedule("call-9", Duration.ofMillis(5), () -> onShard[0] = shards.inShardOf("call-9"));
        advance(5);
        assertThat(onShard[0]).isTrue();
    }

    @Test
    void firesInDeadlineOrderWhatWasScheduledInAnyOrder() {
        for (int d : new int[] {300, 100, 200, 100, 50}) {
            int delay = d;
            timers.schedule("same-key", delay, TimeUnit.MILLISECONDS, () -> fired.add(delay + "ms"));
        }
        advance(1_000); // all expire in one advance
        assertThat(fired).containsExactly("50ms", "100ms", "100ms", "200ms", "300ms");
    }

    @Test
    void cancelledTimersNeverRun() {
        Timeout a = timers.schedule("k", Duration.ofMillis(100), () -> fired.add("a"));
        Timeout b = timers.schedule("k", Duration.ofMillis(100), () -> fired.add("b"));
        assertThat(a.cancel()).isTrue();
        assertThat(a.cancel()).as("second cancel").isFalse();
        advance(100);
        assertThat(fired).containsExactly("b");
        assertThat(a.isCancelled()).isTrue();
        assertThat(b.hasRun()).isTrue();
        assertThat(b.cancel()).as("too late").isFalse();
    }

    @Test
    void cancelOnTheShardWinsOverAnExpiryAlreadyQueued() {
        Timeout t = timers.schedule("k", Duration.ofMillis(10), () -> fired.add("timer"));
        clock.advanceMillis(10); // expired and queued on the shard, not yet run
        assertThat(shards.pendingCount()).isEqualTo(1);
        assertThat(t.cancel()).isTrue();
        shards.runPending();
        assertThat(fired).isEmpty();
        assertThat(timers.activeCount()).isZero();
    }

    @Test
    void timersScheduledByTimersFireLater() {
        AtomicInteger retransmissions = new AtomicInteger();
        // Timer A style doubling: 500, 1000, 2000 ms after each other.
        Runnable[] timerA = new Runnable[1];
        long[] interval = {500};
        timerA[0] = () -> {
            retransmissions.incrementAndGet();
            interval[0] *= 2;
            timers.schedule("tx", interval[0], TimeUnit.MILLISECONDS, timerA[0]);
        };
        timers.schedule("tx", 500, TimeUnit.MILLISECONDS, timerA[0]);
        advance(500);
        assertThat(retransmissions.get()).isEqualTo(1);
        advance(999);
        assertThat(retransmissions.get()).isEqualTo(1);
        advance(1);
        assertThat(retransmissions.get()).isEqualTo(2);
        advance(2000);
        assertThat(retransmissions.get()).isEqualTo(3);
    }

    @Test
    void longDelaysSurviveManyWheelRotations() {
        timers.schedule("k", Duration.ofMinutes(32), () -> fired.add("32 min")); // 1.9M ticks of 1 ms
        advance(Duration.ofMinutes(32).toMillis() - 1);
        assertThat(fired).isEmpty();
        advance(1);
        assertThat(fired).containsExactly("32 min");
    }

    @Test
    void hundredThousandTimersScheduledAndHalfCancelled() {
        SplittableRandom random = new SplittableRandom(42);
        int n = 100_000;
        AtomicInteger ran = new AtomicInteger();
        List<Timeout> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(timers.schedule("call-" + (i % 1000), 1 + random.nextInt(64_000), TimeUnit.MILLISECONDS,
                    ran::incrementAndGet));
        }
        assertThat(timers.activeCount()).isEqualTo(n);
        int cancelled = 0;
        for (int i = 0; i < n; i += 2) {
            if (all.get(i).cancel()) {
                cancelled++;
            }
        }
        assertThat(cancelled).isEqualTo(n / 2);
        assertThat(timers.activeCount()).isEqualTo(n / 2);
        advance(64_000);
        assertThat(ran.get()).isEqualTo(n / 2);
        assertThat(timers.activeCount()).isZero();
        for (int i = 1; i < n; i += 2) {
            assertThat(all.get(i).hasRun()).isTrue();
        }
    }

    @Test
    void aStoppedServiceRefusesNewTimers() {
        timers.stop();
        Timeout t = timers.schedule("k", Duration.ofMillis(1), () -> fired.add("x"));
        advance(5);
        assertThat(t.isCancelled()).isTrue();
        assertThat(fired).isEmpty();
        assertThat(timers.rejectedCount()).isEqualTo(1);
    }

    @Test
    void aRealClockServiceFiresOnItsOwnThread() throws Exception {
        ShardPool pool = ShardPool.builder().shards(2).build();
        TimerService real = TimerService.builder(pool).build();
        try {
            CountDownLatch latch = new CountDownLatch(1);
            boolean[] onShard = new boolean[1];
            real.schedule("call", Duration.ofMillis(20), () -> {
                onShard[0] = pool.inShardOf("call");
                latch.countDown();
            });
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(onShard[0]).isTrue();
        } finally {
            real.stop();
            pool.shutdownNow();
            assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        }
    }
}
