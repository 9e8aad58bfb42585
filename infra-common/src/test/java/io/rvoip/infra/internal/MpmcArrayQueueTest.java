package io.rvoip.infra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MpmcArrayQueueTest {

    @Test
    void roundsCapacityUpAndKeepsFifoOrder() {
        MpmcArrayQueue<Integer> q = new MpmcArrayQueue<>(5);
        assertThat(q.capacity()).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            assertThat(q.offer(i)).isTrue();
        }
        assertThat(q.offer(99)).as("full").isFalse();
        assertThat(q.size()).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            assertThat(q.poll()).isEqualTo(i);
        }
        assertThat(q.poll()).isNull();
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void wrapsAroundManyTimes() {
        MpmcArrayQueue<Integer> q = new MpmcArrayQueue<>(4);
        for (int i = 0; i < 10_000; i++) {
            assertThat(q.offer(i)).isTrue();
            assertThat(q.offer(-i)).isTrue();
            assertThat(q.poll()).isEqualTo(i);
            assertThat(q.poll()).isEqualTo(-i);
        }
    }

    @Test
    void rejectsNullAndBadCapacity() {
        assertThatThrownBy(() -> new MpmcArrayQueue<>(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MpmcArrayQueue<String>(2).offer(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void concurrentProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
        MpmcArrayQueue<Long> q = new MpmcArrayQueue<>(64);
        int producers = 3;
        int perProducer = 100_000;
        AtomicLong sum = new AtomicLong();
        AtomicLong count = new AtomicLong();
        CountDownLatch producersDone = new CountDownLatch(producers);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p * perProducer;
            threads.add(new Thread(() -> {
                for (long i = 1; i <= perProducer; i++) {
                    while (!q.offer(base + i)) {
                        Thread.onSpinWait();
                    }
                }
                producersDone.countDown();
            }));
        }
        for (int c = 0; c < 2; c++) {
            threads.add(new Thread(() -> {
                while (true) {
                    Long v = q.poll();
                    if (v != null) {
                        sum.addAndGet(v);
                        count.incrementAndGet();
                    } else if (producersDone.getCount() == 0 && q.isEmpty()) {
                        return;
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(60_000);
            assertThat(t.isAlive()).isFalse();
        }
        long n = (long) producers * perProducer;
        assertThat(count.get()).isEqualTo(n);
        assertThat(sum.get()).isEqualTo(n * (n + 1) / 2);
    }
}
