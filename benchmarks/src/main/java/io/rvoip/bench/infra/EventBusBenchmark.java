package io.rvoip.bench.infra;

import io.rvoip.infra.event.BackpressurePolicy;
import io.rvoip.infra.event.EventBus;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Event bus publish throughput: each operation publishes one event that reaches every
 * subscriber. Synchronous subscribers run inline; asynchronous subscribers share one
 * executor thread and use {@link BackpressurePolicy#BLOCK}, so the publish rate is the
 * end-to-end delivery rate (the publisher cannot run ahead of the subscribers).
 *
 * <p>Baselines: calling the same handlers directly, and handing each event to one
 * {@link ArrayBlockingQueue} per subscriber drained by one consumer thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class EventBusBenchmark {

    @Param({"1", "5"})
    public int subscribers;

    private EventBus syncBus;
    private EventBus asyncBus;
    private ExecutorService asyncThread;
    private Blackhole[] sinks;
    private final AtomicLong delivered = new AtomicLong();
    private long seq;
    private BenchEvent[] events;


    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        events = new BenchEvent[1024];
        for (int i = 0; i < events.length; i++) {
            events[i] = new BenchEvent("call-" + (i % 64), i, 0);
        }
        syncBus = EventBus.create();
        asyncBus = EventBus.create();
        asyncThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-subscribers"));
        for (int i = 0; i < subscribers; i++) {
            syncBus.subscribe(BenchEvent.class).handle(bh::consume);
            asyncBus.subscribe(BenchEvent.class).async(asyncThread).queueCapacity(8192).maxBatch(512)
                    .backpressure(BackpressurePolicy.BLOCK).blockTimeout(Duration.ofSeconds(10))
                    .handle(e -> delivered.lazySet(e.seq()));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        asyncThread.shutdownNow();
        syncBus.close();
        asyncBus.close();
    }

    private BenchEvent next() {
        return events[(int) (seq++ & 1023)];
    }

    /** Every subscriber inline on the publishing thread. */
    @Benchmark
    public boolean publishSync() {
        return syncBus.publish(next());
    }

    /** Every subscriber on one executor thread through its own bounded queue. */
    @Benchmark
    public boolean publishAsync() {
        return asyncBus.publish(next());
    }

    /** Baseline for {@link #publishSync()}: the handlers called directly. */
    @Benchmark
    public void baselineDirectCalls(Blackhole bh) {
        BenchEvent e = next();
        for (int i = 0; i < subscribers; i++) {
            bh.consume(e);
        }
    }

    /** Baseline for {@link #publishAsync()}: one ArrayBlockingQueue per subscriber. */
    @Benchmark
    public void baselineBlockingQueues(QueueBaseline b) throws InterruptedException {
        BenchEvent e = next();
        for (ArrayBlockingQueue<BenchEvent> q : b.queues) {
            q.put(e);
        }
    }

    /**
     * The baseline's consumer thread: exists only while the baseline runs (it spins, and
     * would steal a core from the other benchmarks).
     */
    @State(Scope.Benchmark)
    public static class QueueBaseline {
        ArrayBlockingQueue<BenchEvent>[] queues;
        private Thread consumer;
        private volatile boolean running;
        private final AtomicLong delivered = new AtomicLong();

        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void setUp(EventBusBenchmark outer) {
            queues = new ArrayBlockingQueue[outer.subscribers];
            for (int i = 0; i < queues.length; i++) {
                queues[i] = new ArrayBlockingQueue<>(8192);
            }
            running = true;
            consumer = new Thread(() -> {
                while (running) {
                    boolean any = false;
                    for (ArrayBlockingQueue<BenchEvent> q : queues) {
                        BenchEvent e;
                        while ((e = q.poll()) != null) {
                            delivered.lazySet(e.seq());
                            any = true;
                        }
                    }
                    if (!any) {
                        Thread.onSpinWait();
                    }
                }
            }, "bench-baseline-consumer");
            consumer.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            running = false;
            consumer.join();
        }
    }
}
