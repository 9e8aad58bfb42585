package io.rvoip.bench.infra;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.time.Timeout;
import io.rvoip.infra.time.TimerService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * Cost of creating and cancelling a timer, the common case for SIP timers (Timer A/B/E/F are
 * cancelled as soon as a response arrives). Baseline: the JDK's ScheduledThreadPoolExecutor
 * with remove-on-cancel.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class TimerBenchmark {
    private static final Runnable NOOP = () -> { };

    private ShardPool shards;
    private TimerService timers;
    private ScheduledThreadPoolExecutor jdk;
    private long n;

    @Setup(Level.Trial)
    public void setUp() {
        shards = ShardPool.builder().shards(2).build();
        timers = TimerService.builder(shards).build();
        jdk = new ScheduledThreadPoolExecutor(1);
        jdk.setRemoveOnCancelPolicy(true);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        timers.stop();
        shards.shutdownNow();
        jdk.shutdownNow();
    }

    @Benchmark
    public boolean createAndCancel() {
        Timeout t = timers.schedule("call-" + (n++ & 255), 32, TimeUnit.SECONDS, NOOP);
        return t.cancel();
    }

    @Benchmark
    public boolean baselineScheduledThreadPool() {
        n++;
        ScheduledFuture<?> f = jdk.schedule(NOOP, 32, TimeUnit.SECONDS);
        return f.cancel(false);
    }
}
