package io.rvoip.infra.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShardPoolTest {
    private ShardPool pool;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(Duration.ofSeconds(10))).as("shard threads ended").isTrue();
        }
    }

    @Test
    void tasksOfOneKeyRunInOrderAndNeverConcurrently() throws Exception {
        pool = ShardPool.builder().shards(4).build();
        int keys = 64;
        int perKey = 2_000;
        int[] last = new int[keys];
        AtomicIntegerArray inFlight = new AtomicIntegerArray(keys);
        AtomicInteger violations = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(keys * perKey);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int firstKey = p;
            producers.add(new Thread(() -> {
                for (int seq = 1; seq <= perKey; seq++) {
                    for (int k = firstKey; k < keys; k += 4) {
                        int key = k;
                        int s = seq;
                        pool.execute("call-" + key, () -> {
                            if (inFlight.incrementAndGet(key) != 1) {
                                violations.incrementAndGet();
                            }
                            if (!pool.inShardOf("call-" + key) || last[key] != s - 1) {
                                violations.incrementAndGet();
                            }
                            last[key] = s;
                            inFlight.decrementAndGet(key);
                            done.countDown();
                        });
                    }
                }
            }));
        }
        producers.forEach(Thread::start);
        for (Thread t : producers) {
            t.join();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(violations.get()).isZero();
        for (int k = 0; k < keys; k++) {
            assertThat(last[k]).isEqualTo(perKey);
        }
    }

    @Test
    void keysMapToStableShardsAndSpreadOverAll() {
        pool = ShardPool.builder().shards(4).build();
        ConcurrentHashMap<Integer, Integer> used = new ConcurrentHashMap<>();
        for (int i = 0; i < 1000; i++) {
            String key = "abc" + i + "@host";
            assertThat(pool.shardOf(key)).isEqualTo(pool.shardOf(new String(key)));
            used.merge(pool.shardOf(key), 1, Integer::sum);
        }
        assertThat(used).hasSize(4);
        assertThat(used.values()).allMatch(n -> n > 150);
    }

    @Test
    void aThrowingTaskDoesNotKillTheShard() throws Exception {
        pool = ShardPool.builder().shards(1).build();
        CountDownLatch after = new CountDownLatch(1);
        pool.execute("k", () -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        pool.execute("k", after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.failedCount()).isEqualTo(1);
    }

    @Test
    void fullQueueRejectsAndCounts() throws Exception {
        pool = ShardPool.builder().shards(1).queueCapacity(4).build();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.execute("k", () -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (pool.tryExecute("k", () -> { })) {
                accepted++;
            }
        }
        assertThat(accepted).isEqualTo(4);
        assertThat(pool.rejectedCount()).isEqualTo(6);
        assertThatThrownBy(() -> pool.execute("k", () -> { })).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
    }

    @Test
    void stopRunsWhatIsQueuedThenEnds() throws Exception {
        pool = ShardPool.builder().shards(2).build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute("a", () -> awaitQuietly(release));
        for (int i = 0; i < 100; i++) {
            pool.execute("a", ran::incrementAndGet);
        }
        pool.stop();
        assertThat(pool.tryExecute("a", ran::incrementAndGet)).as("refused after stop").isFalse();
        release.countDown();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(ran.get()).isEqualTo(100);
        pool = null;
    }

    @Test
    void shutdownNowDiscardsQueuedTasks() throws Exception {
        pool = ShardPool.builder().shards(1).build();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        pool.execute("a", () -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 50; i++) {
            pool.execute("a", ran::incrementAndGet);
        }
        assertThat(pool.shutdownNow()).isEqualTo(50);
        release.countDown();
        assertThat(pool.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(ran.get()).isZero();
        pool = null;
    }

    @Test
    void executorViewRunsOnTheKeysShard() throws Exception {
        pool = ShardPool.builder().shards(3).build();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger onShard = new AtomicInteger();
        pool.executorFor("call-7").execute(() -> {
            if (pool.inShardOf("call-7")) {
                onShard.incrementAndGet();
            }
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onShard.get()).isEqualTo(1);
        assertThat(pool.inShardOf("call-7")).as("test thread is no shard").isFalse();
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
