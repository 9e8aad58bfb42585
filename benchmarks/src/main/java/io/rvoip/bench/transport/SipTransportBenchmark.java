package io.rvoip.bench.transport;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
import io.rvoip.sip.transport.TransportEvent;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Messages received, parsed and published per second by a {@link SipTransport} with one I/O
 * thread (one core), fed over loopback by a sender thread in the same JVM. Each benchmark
 * operation sends one small OPTIONS (about 400 bytes); the {@code received} counter is the
 * figure that matters (UDP may drop what the receiver cannot take).
 *
 * <p>Baseline: {@code udpSendOnly} measures the sender alone against a socket nobody reads,
 * which bounds what any receiver could be offered here.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class SipTransportBenchmark {
    private ShardPool shards;
    private TimerService timers;
    private SipTransport receiver;
    private final AtomicLong published = new AtomicLong();
    private ByteBuffer message;
    private DatagramChannel udp;
    private DatagramChannel sink;
    private SocketChannel tcp;
    private InetSocketAddress udpTarget;

    /** What the receiver took in, per iteration. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Received {
        public long received;
        private long start;

        @Setup(Level.Iteration)
        public void begin(SipTransportBenchmark b) {
            start = b.published.get();
        }

        @TearDown(Level.Iteration)
        public void end(SipTransportBenchmark b) {
            received = b.published.get() - start;
        }
    }

    /**
     * Messages received per second of CPU time of the receiver's I/O thread: its capacity on
     * one core, independent of how fast the sender (on the other core) can go.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class PerCore {
        public double receivedPerIoCpuSecond;
        private long startCount;
        private long startCpu;

        @Setup(Level.Iteration)
        public void begin(SipTransportBenchmark b) {
            startCount = b.published.get();
            startCpu = ioCpuNanos();
        }

        @TearDown(Level.Iteration)
        public void end(SipTransportBenchmark b) {
            long cpu = ioCpuNanos() - startCpu;
            receivedPerIoCpuSecond = cpu == 0 ? 0 : (b.published.get() - startCount) / (cpu / 1e9);
        }

        static long ioCpuNanos() {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long sum = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("rvoip-sip-io")) {
                    sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
                }
            }
            return sum;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        shards = ShardPool.builder().shards(1).build();
        timers = TimerService.builder(shards).build();
        EventBus bus = EventBus.create();
        bus.subscribe(TransportEvent.MessageReceived.class).handle(e -> published.incrementAndGet());
        receiver = SipTransport.create(SipTransportConfig.builder(timers).ioThreads(1)
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", 0)).build(), bus);
        receiver.start();
        SipRequest options = SipRequest.builder(SipMethod.OPTIONS, Uri.parse("sip:bob@127.0.0.1"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch()).withParam("rport", null))
                .maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag(SipIds.newTag()))
                .to(Address.of(Uri.parse("sip:bob@example.com")))
                .callId(SipIds.newCallId())
                .cseq(1)
                .add("User-Agent", "rvoip-bench")
                .build();
        message = ByteBuffer.wrap(options.toByteArray());
        udpTarget = new InetSocketAddress("127.0.0.1", receiver.listeningPoint(TransportType.UDP).port());
        udp = DatagramChannel.open();
        udp.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        udp.bind(new InetSocketAddress("127.0.0.1", 0));
        sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        tcp = SocketChannel.open(new InetSocketAddress("127.0.0.1", receiver.listeningPoint(TransportType.TCP).port()));
        tcp.setOption(StandardSocketOptions.TCP_NODELAY, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        tcp.close();
        udp.close();
        sink.close();
        receiver.stop();
        timers.stop();
        shards.shutdownNow();
    }

    /** One datagram to the receiver. */
    @Benchmark
    public int udpReceive(Received counters, PerCore perCore) throws IOException {
        message.rewind();
        return udp.send(message, udpTarget);
    }

    /** One message written into a TCP connection to the receiver. */
    @Benchmark
    public int tcpReceive(Received counters, PerCore perCore) throws IOException {
        message.rewind();
        int n = 0;
        while (message.hasRemaining()) {
            n += tcp.write(message);
        }
        return n;
    }

    /** Baseline: the sender alone, into a socket nobody reads. */
    @Benchmark
    public int udpSendOnly() throws IOException {
        message.rewind();
        return udp.send(message, sink.getLocalAddress());
    }
}
