package io.rvoip.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Event loops used as shards: order per key, placement, the pending-task bound, shutdown. */
class EventLoopShardsTest {
    private final EventLoopShards loops = EventLoopShards.create(2, true, 8);

    @AfterEach
    void tearDown() {
        assertThat(loops.shutdown(Duration.ofSeconds(10))).isTrue();
    }

    private static String keyOn(EventLoopShards s, int shard) {
        for (int i = 0;; i++) {
            if (s.shardOf("call-" + i) == shard) {
                return "call-" + i;
            }
        }
    }

    @Test
    void runsTheTasksOfAKeyInOrderOnItsOwnLoop() throws Exception {
        String a = keyOn(loops, 0);
        String b = keyOn(loops, 1);
        List<Integer> seen = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(6);
        for (int i = 0; i < 6; i++) {
            int n = i;
            assertThat(loops.tryExecute(a, () -> {
                seen.add(n);
                threads.add(Thread.currentThread().getName());
                assertThat(loops.inShardOf(a)).isTrue();
                assertThat(loops.inShardOf(b)).isFalse();
                done.countDown();
            })).isTrue();
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(threads).hasSize(6).allMatch(t -> t.equals(threads.get(0)) && t.startsWith("rvoip-sip-loop"));
        assertThat(loops.inShardOf(a)).as("not from the test thread").isFalse();
        CountDownLatch other = new CountDownLatch(1);
        String[] otherThread = new String[1];
        loops.execute(b, () -> {
            otherThread[0] = Thread.currentThread().getName();
            other.countDown();
        });
        assertThat(other.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(otherThread[0]).isNotEqualTo(threads.get(0));
    }

    @Test
    void refusesAndCountsBeyondItsPendingTasksAndAfterShutdown() throws Exception {
        String a = keyOn(loops, 0);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        loops.execute(a, () -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS); // holds the loop so the queue fills (a test only)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch ran = new CountDownLatch(8);
        for (int i = 0; i < 8; i++) {
            assertThat(loops.tryExecute(a, ran::countDown)).isTrue();
        }
        assertThat(loops.tryExecute(a, ran::countDown)).as("the ninth pending task").isFalse();
        assertThat(loops.rejectedCount()).isEqualTo(1);
        assertThat(loops.tryExecute(keyOn(loops, 1), () -> { })).as("the other loop has room").isTrue();
        release.countDown();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(loops.shutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(loops.isTerminated()).isTrue();
        assertThat(loops.tryExecute(a, () -> { })).isFalse();
        assertThatThrownBy(() -> loops.execute(a, () -> { }))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        assertThat(loops.rejectedCount()).isEqualTo(3);
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> EventLoopShards.create(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventLoopShards.create(1, true, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
