package io.rvoip.infra.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.TestEvents.CallEvent;
import io.rvoip.infra.event.TestEvents.Ringing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many keys, several publishing threads, every delivery mode at once. */
class EventBusConcurrencyTest {
    private final ShardPool shards = ShardPool.builder().shards(3).build();
    private final ExecutorService appThreads = Executors.newFixedThreadPool(3);
    private final EventBus bus = EventBus.builder().shards(shards).build();

    @AfterEach
    void tearDown() throws InterruptedException {
        shards.shutdownNow();
        appThreads.shutdownNow();
        assertThat(shards.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(appThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Records, per key, the last sequence number seen, and counts out-of-order deliveries. */
    static final class OrderChecker {
        final ConcurrentHashMap<String, Integer> last = new ConcurrentHashMap<>();
        final AtomicInteger violations = new AtomicInteger();
        final AtomicLong seen = new AtomicLong();
        final CountDownLatch done;

        OrderChecker(int expected) {
            done = new CountDownLatch(expected);
        }

        void accept(CallEvent e) {
            Ringing r = (Ringing) e;
            Integer prev = last.put(r.callId(), r.seq());
            if (prev == null ? r.seq() != 0 : prev != r.seq() - 1) {
                violations.incrementAndGet();
            }
            seen.incrementAndGet();
            done.countDown();
        }
    }

    @Test
    void everySubscriberSeesEachKeysEventsInPublishOrder() throws Exception {
        int threads = 4;
        int keysPerThread = 50;
        int perKey = 500;
        int total = threads * keysPerThread * perKey;
        List<OrderChecker> checkers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            OrderChecker c = new OrderChecker(total);
            checkers.add(c);
            bus.subscribe(CallEvent.class).name("inline-" + i).handle(c::accept);
        }
        for (int i = 0; i < 2; i++) {
            OrderChecker c = new OrderChecker(total);
            checkers.add(c);
            bus.subscribe(CallEvent.class).name("shard-" + i).onShard().handle(c::accept);
        }
        for (int lanes : new int[] {1, 4}) {
            OrderChecker c = new OrderChecker(total);
            checkers.add(c);
            bus.subscribe(CallEvent.class).name("async-" + lanes).async(appThreads).lanes(lanes)
                    .queueCapacity(256).backpressure(BackpressurePolicy.BLOCK)
                    .blockTimeout(Duration.ofSeconds(60)).handle(c::accept);
        }
        OrderChecker batched = new OrderChecker(total);
        checkers.add(batched);
        bus.subscribe(CallEvent.class).name("batch").async(appThreads).lanes(2)
                .backpressure(BackpressurePolicy.BLOCK).blockTimeout(Duration.ofSeconds(60))
                .handleBatch(b -> b.forEach(batched::accept));

        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            publishers.add(new Thread(() -> {
                for (int seq = 0; seq < perKey; seq++) {
                    for (int k = 0; k < keysPerThread; k++) {
                        bus.publish(new Ringing("t" + thread + "-call-" + k, seq));
                    }
                }
            }));
        }
        publishers.forEach(Thread::start);
        for (Thread p : publishers) {
            p.join();
        }
        for (OrderChecker c : checkers) {
            assertThat(c.done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(c.violations.get()).isZero();
            assertThat(c.seen.get()).isEqualTo(total);
            assertThat(c.last).hasSize(threads * keysPerThread);
        }
        // Handlers ran; counters settle just after each handler returns (exact once quiescent).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bus.metrics().subscriptions().stream().anyMatch(s -> s.delivered() < total)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        EventBusMetrics m = bus.metrics();
        assertThat(m.published()).isEqualTo(total);
        assertThat(m.subscriptions()).allSatisfy(s -> {
            assertThat(s.delivered()).isEqualTo(total);
            assertThat(s.dropped()).isZero();
        });
    }

    @Test
    void closingWhilePublishingLosesNothingThatWasAccepted() throws Exception {
        AtomicLong received = new AtomicLong();
        Subscription async = bus.subscribe(CallEvent.class).async(appThreads).lanes(2)
                .backpressure(BackpressurePolicy.BLOCK).blockTimeout(Duration.ofSeconds(60))
                .handle(e -> received.incrementAndGet());
        AtomicLong accepted = new AtomicLong();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(3);
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int thread = t;
            publishers.add(new Thread(() -> {
                running.countDown();
                for (int i = 0; ; i++) {
                    try {
                        if (!bus.publish(new Ringing("t" + thread + "-" + (i % 7), i))) {
                            if (bus.isClosed()) {
                                return;
                            }
                        } else {
                            accepted.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        return;
                    }
                }
            }));
        }
        publishers.forEach(Thread::start);
        running.await();
        while (accepted.get() < 10_000) {
            Thread.onSpinWait();
        }
        bus.close();
        for (Thread p : publishers) {
            p.join(30_000);
            assertThat(p.isAlive()).isFalse();
        }
        assertThat(errors.get()).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (async.metrics().delivered() < accepted.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(async.metrics().delivered()).isEqualTo(accepted.get());
        assertThat(received.get()).isEqualTo(accepted.get());
        assertThat(bus.metrics().refusedClosed()).isPositive();
    }
}
