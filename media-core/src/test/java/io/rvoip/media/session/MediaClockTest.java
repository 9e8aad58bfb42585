package io.rvoip.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MediaClockTest {

    @Test
    void ticksEachRegistrationOnItsOwnPeriodWithoutDrift() {
        ManualClock time = new ManualClock();
        MediaClock clock = MediaClock.manual(time);
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        long t0 = time.nanoTime();
        MediaClock.Registration ra = clock.add(20, a::add);
        clock.add(30, b::add);
        for (int i = 0; i < 60; i++) { // 600 ms in 10 ms steps
            time.advanceMillis(10);
            clock.runDue(time.nanoTime());
        }
        assertThat(a).hasSize(30);
        assertThat(b).hasSize(20);
        assertThat(a.get(29) - t0).isEqualTo(600_000_000L);
        // late runs catch up at once (the deadline is absolute), and a cancelled one stops
        time.advanceMillis(45);
        clock.runDue(time.nanoTime());
        assertThat(a).hasSize(32);
        ra.cancel();
        time.advanceMillis(100);
        clock.runDue(time.nanoTime());
        assertThat(a).hasSize(32);
        assertThat(clock.size()).isEqualTo(1);
    }

    @Test
    void aStallSkipsAheadAndAFailingTickDoesNotStopOthers() {
        ManualClock time = new ManualClock();
        MediaClock clock = MediaClock.manual(time);
        List<Long> ok = new ArrayList<>();
        clock.add(20, ok::add);
        MediaClock.Registration bad = clock.add(20, now -> {
            throw new IllegalStateException("broken call");
        });
        time.advanceMillis(20);
        clock.runDue(time.nanoTime());
        assertThat(ok).hasSize(1);
        assertThat(clock.failures()).isEqualTo(1);
        assertThat(bad.ticks()).isEqualTo(1);
        time.advanceMillis(1000); // the machine stalled for a second
        clock.runDue(time.nanoTime());
        assertThat(ok.size()).as("no burst of 50 ticks").isLessThanOrEqualTo(1 + 6);
        assertThat(clock.overruns()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void realThreadsTickAndKeepEachRegistrationOnOneThread() throws Exception {
        try (MediaClock clock = MediaClock.start(2)) {
            CountDownLatch done = new CountDownLatch(2 * 10);
            Set<String> threadsA = ConcurrentHashMap.newKeySet();
            Set<String> threadsB = ConcurrentHashMap.newKeySet();
            clock.add(10, now -> {
                threadsA.add(Thread.currentThread().getName());
                done.countDown();
            });
            clock.add(10, now -> {
                threadsB.add(Thread.currentThread().getName());
                done.countDown();
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(threadsA).hasSize(1);
            assertThat(threadsB).hasSize(1);
            assertThat(threadsA).doesNotContainAnyElementsOf(threadsB);
        }
    }

    @Test
    void aThousandRegistrationsTickOncePerPeriodInDeadlineOrder() {
        ManualClock time = new ManualClock();
        MediaClock clock = MediaClock.manual(time);
        List<Integer> order = new ArrayList<>();
        List<MediaClock.Registration> regs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int id = i;
            regs.add(clock.add(20, now -> order.add(id)));
            time.advanceNanos(17_000); // each one a little later: 1,000 phases over 17 ms
        }
        time.advanceMillis(20); // every first deadline has passed, no second one has
        long start = time.nanoTime();
        clock.runDue(start);
        assertThat(order).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(order.get(i)).as("deadline order").isEqualTo(i);
        }
        // 49 more periods in 1 ms steps: each runs exactly what is due
        order.clear();
        while (time.nanoTime() < start + 49 * 20_000_000L) {
            time.advanceMillis(1);
            clock.runDue(time.nanoTime());
        }
        assertThat(order).hasSize(49 * 1000);
        for (MediaClock.Registration r : regs) {
            assertThat(r.ticks()).isEqualTo(50);
        }
        regs.forEach(MediaClock.Registration::cancel);
        time.advanceMillis(40);
        order.clear();
        clock.runDue(time.nanoTime());
        assertThat(order).isEmpty();
        assertThat(clock.size()).isZero();
    }

    @Test
    void threadsRunWhatIsDueWithinTheSlackInOneWakeUp() {
        ManualClock time = new ManualClock();
        MediaClock clock = new MediaClock(time, 1, false, MediaClock.THREAD_SLACK_NANOS, 0);
        List<Long> a = new ArrayList<>();
        long t0 = time.nanoTime();
        clock.add(20, a::add);
        long next = clock.runDue(t0 + 18_900_000L);
        assertThat(a).as("1.1 ms early: not yet").isEmpty();
        assertThat(next).isEqualTo(t0 + 20_000_000L);
        clock.runDue(t0 + 19_200_000L);
        assertThat(a).as("0.8 ms early: within the slack").hasSize(1);
        // absolute deadlines: running early does not move the next one
        assertThat(clock.runDue(t0 + 19_300_000L)).isEqualTo(t0 + 40_000_000L);
    }

    @Test
    void sessionsStartOnTheGridSoAWakeUpTicksAQuarterOfThemAndNoneJitters() {
        ManualClock time = new ManualClock();
        long grid = MediaClock.PHASE_GRID_NANOS;
        MediaClock clock = new MediaClock(time, 1, false, 0, grid); // the threads' grid, driven by hand
        java.util.Random r = new java.util.Random(5);
        List<List<Long>> ticks = new ArrayList<>();
        List<Long> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            time.advanceNanos(r.nextInt(150_000)); // sessions start at any moment, all within 15 ms
            List<Long> t = new ArrayList<>();
            ticks.add(t);
            added.add(time.nanoTime());
            clock.add(20, t::add);
        }
        List<Long> odd = new ArrayList<>();
        long oddAdded = time.nanoTime();
        clock.add(7, odd::add); // not a multiple of the grid: not moved
        // run exactly at each deadline for 200 ms
        long end = time.nanoTime() + 200_000_000L;
        Set<Long> wakeUps = new java.util.TreeSet<>();
        while (time.nanoTime() < end) {
            long next = clock.runDue(time.nanoTime());
            time.advanceNanos(Math.max(1, next - time.nanoTime()));
        }
        for (int i = 0; i < ticks.size(); i++) {
            List<Long> t = ticks.get(i);
            assertThat(t).as("session %d ticks", i).hasSizeGreaterThanOrEqualTo(8);
            assertThat(t.get(0) - added.get(i)).as("first tick of %d", i).isBetween(20_000_000L, 20_000_000L + grid - 1);
            for (int k = 0; k < t.size(); k++) {
                assertThat(Math.floorMod(t.get(k), grid)).as("on the grid").isZero();
                if (k > 0) {
                    assertThat(t.get(k) - t.get(k - 1)).as("once per packet time, no jitter").isEqualTo(20_000_000L);
                }
                wakeUps.add(t.get(k));
            }
        }
        // 100 sessions started over ~7 ms: within any 20 ms they tick at no more than four instants
        long first = ((java.util.TreeSet<Long>) wakeUps).last() - 20_000_000L;
        assertThat(((java.util.TreeSet<Long>) wakeUps).tailSet(first, false)).hasSizeLessThanOrEqualTo(4);
        assertThat(odd.get(0) - oddAdded).isEqualTo(7_000_000L);
    }
}
