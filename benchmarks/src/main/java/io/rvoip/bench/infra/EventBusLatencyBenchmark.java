package io.rvoip.bench.infra;

import io.rvoip.infra.event.EventBus;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publish-to-delivery latency of asynchronous subscribers: one operation publishes one event
 * and waits until all five subscribers (on one executor thread that parks when idle) have
 * handled it. JMH's sample mode reports the distribution (p50, p99, ...). The baseline is the
 * same hand-off with a plain {@link ExecutorService#execute(Runnable)} per subscriber.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class EventBusLatencyBenchmark {
    private static final int SUBSCRIBERS = 5;

    private EventBus bus;
    private ExecutorService subscriberThread;
    private final AtomicInteger handled = new AtomicInteger();
    private final BenchEvent event = new BenchEvent("call-1", 0, 0);

    @Setup(Level.Trial)
    public void setUp() {
        bus = EventBus.create();
        subscriberThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-subscribers"));
        for (int i = 0; i < SUBSCRIBERS; i++) {
            bus.subscribe(BenchEvent.class).async(subscriberThread).handle(e -> handled.incrementAndGet());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        subscriberThread.shutdownNow();
        bus.close();
    }

    /** Publish one event and wait until all five asynchronous subscribers handled it. */
    @Benchmark
    public int publishToFiveAsync() {
        int target = handled.get() + SUBSCRIBERS;
        bus.publish(event);
        while (handled.get() < target) {
            Thread.onSpinWait();
        }
        return target;
    }

    /** Baseline: five executor tasks, waited for the same way. */
    @Benchmark
    public int baselineExecutorTasks() {
        int target = handled.get() + SUBSCRIBERS;
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscriberThread.execute(handled::incrementAndGet);
        }
        while (handled.get() < target) {
            Thread.onSpinWait();
        }
        return target;
    }
}
