package io.rvoip.bench.transport;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
import io.rvoip.sip.transport.TransportType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CRLF keep-alive pings (RFC 5626 §4.4.1) answered per second by a {@link SipTransport} with one
 * I/O thread, over one loopback TCP connection: the sender writes 4,096 pings (16 KB) per
 * operation and a thread of its own reads the pongs back, so the connection is never paused.
 * What a peer that floods pings costs the server; before 2026-11-28 each ping scanned the rest
 * of its read for line ends, so a read's cost grew with the square of its length.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class KeepAliveBenchmark {
    private static final int PINGS = 4096;
    private ShardPool shards;
    private TimerService timers;
    private SipTransport receiver;
    private SocketChannel tcp;
    private Thread reader;
    private final ByteBuffer pings = ByteBuffer.wrap("\r\n\r\n".repeat(PINGS).getBytes(StandardCharsets.US_ASCII));

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        shards = ShardPool.builder().shards(1).build();
        timers = TimerService.builder(shards).build();
        receiver = SipTransport.create(SipTransportConfig.builder(timers).ioThreads(1)
                .listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", 0)).build(), EventBus.create());
        receiver.start();
        tcp = SocketChannel.open(new InetSocketAddress("127.0.0.1", receiver.listeningPoint(TransportType.TCP).port()));
        reader = new Thread(() -> {
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            try {
                while (tcp.read(in.clear()) >= 0) {
                    // the pongs are only drained
                }
            } catch (IOException closed) {
                // the trial is over
            }
        }, "pong-reader");
        reader.setDaemon(true);
        reader.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tcp.close();
        reader.join(10_000);
        receiver.stop();
        timers.stop();
        shards.shutdownNow();
    }

    /** 4,096 pings written (blocking while the server has not read the earlier ones). */
    @Benchmark
    @OperationsPerInvocation(PINGS)
    public int pings() throws IOException {
        pings.rewind();
        int n = 0;
        while (pings.hasRemaining()) {
            n += tcp.write(pings);
        }
        return n;
    }
}
