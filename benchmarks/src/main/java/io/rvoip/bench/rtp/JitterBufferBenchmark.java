package io.rvoip.bench.rtp;

import io.rvoip.rtp.jitter.Frame;
import io.rvoip.rtp.jitter.JitterBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Jitter buffer cost per packet: one put of a 160-byte G.711 packet and one pull of a 20 ms
 * frame, with a few milliseconds of alternating network jitter so the estimators work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class JitterBufferBenchmark {
    private static final long FRAME_NANOS = 20_000_000L;
    private JitterBuffer jb;
    private final byte[] payload = new byte[160];
    private long i;

    @Setup(Level.Trial)
    public void setUp() {
        jb = new JitterBuffer(JitterBuffer.Config.builder(8000, 160).build());
    }

    @Benchmark
    public Frame putAndPull() {
        long n = i++;
        long now = n * FRAME_NANOS;
        jb.put((int) n, n * 160L, false, payload, 0, 160, now + ((n & 1) == 0 ? 0 : 5_000_000L));
        return jb.pull(now);
    }
}
