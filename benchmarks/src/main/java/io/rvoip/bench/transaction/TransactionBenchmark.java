package io.rvoip.bench.transaction;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.concurrent.ShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.ClientTransaction;
import io.rvoip.sip.transaction.MessageSender;
import io.rvoip.sip.transaction.TransactionEvent;
import io.rvoip.sip.transaction.TransactionLayer;
import io.rvoip.sip.transaction.TransactionTimers;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.EventLoopShards;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Non-INVITE transactions (OPTIONS → 200) between two in-process stacks over loopback UDP,
 * 100 in flight per operation, counted per transaction; and heap per live transaction.
 * Baseline: the same number of bare transport round trips (no transaction layer).
 *
 * <p>The heap is 8 GB, as it has been since the first figures, so they stay comparable. RFC 3261
 * keeps every completed UDP server transaction 64·T1 = 32 s (Timer J): at 40,000
 * transactions/s that is over a million lingering ones. They used to be objects, which a 1 GB
 * heap could not hold; since the layer keeps them as bytes ({@code CompletedStore}) a 1 GB heap
 * does nearly as well (see benchmarks/README.md). The heap's pages are touched at start
 * ({@code -XX:+AlwaysPreTouch}), as in a server that has run for a while: otherwise the live
 * set grows into never-touched pages through the whole run, and the page faults of the
 * collector's copies are a third of its CPU on this machine. The heap is on transparent huge
 * pages ({@code -XX:+UseTransparentHugePages}), as recommended for servers in
 * examples/README.md: the layer's lookups of completed transactions touch a hash index of tens
 * of megabytes at random, and on this virtual machine a TLB miss is expensive.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@State(Scope.Benchmark)
public class TransactionBenchmark {
    private static final int IN_FLIGHT = 100;

    /**
     * One stack: shards, timers, bus, UDP transport, transactions. Its transaction layer runs on
     * a shard thread of its own, or ({@code onEventLoops}) on the transport's event loop.
     */
    static final class Stack {
        final ShardPool pool;
        final EventLoopShards loops;
        final ShardedExecutor shards;
        final TimerService timers;
        final EventBus bus;
        final SipTransport transport;
        final TransactionLayer layer;

        Stack(boolean onEventLoops) {
            pool = onEventLoops ? null : ShardPool.builder().shards(1).build();
            loops = onEventLoops ? EventLoopShards.create(1) : null;
            shards = onEventLoops ? loops : pool;
            timers = TimerService.builder(shards).build();
            bus = EventBus.builder().shards(shards).build();
            SipTransportConfig.Builder config = SipTransportConfig.builder(timers).ioThreads(1)
                    .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0));
            if (onEventLoops) {
                config.eventLoops(loops);
            }
            transport = SipTransport.create(config.build(), bus);
            transport.start();
            layer = TransactionLayer.create(bus, shards, timers, MessageSender.of(transport), TransactionTimers.DEFAULT);
            layer.start();
        }

        void stop() {
            layer.stop();
            transport.stop();
            timers.stop();
            if (pool != null) {
                pool.shutdownNow();
            } else {
                loops.shutdown(java.time.Duration.ofSeconds(10));
            }
        }
    }

    /**
     * Where each stack's transaction layer runs: {@code shardThreads}, a {@link ShardPool} of
     * one thread beside the transport's one I/O thread (the default set-up), or
     * {@code eventLoops}, the transport's I/O thread itself ({@link EventLoopShards}).
     */
    @Param({"shardThreads", "eventLoops"})
    public String threading;

    private Stack uac;
    private Stack uas;
    private Destination server;

    @Setup(Level.Trial)
    public void setUp() {
        boolean onEventLoops = threading.equals("eventLoops");
        uac = new Stack(onEventLoops);
        uas = new Stack(onEventLoops);
        uas.bus.subscribe(TransactionEvent.RequestReceived.class).onShard().handle(e ->
                e.transaction().respond(SipResponse.forRequest(e.request(), StatusCode.OK, "uas").build()));
        server = Destination.of(TransportType.UDP,
                new InetSocketAddress("127.0.0.1", uas.transport.listeningPoint(TransportType.UDP).port()));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        uac.stop();
        uas.stop();
    }

    // What a TU keeps for its peer: the URIs are parsed once, not per request.
    private static final Uri TARGET = Uri.parse("sip:bob@127.0.0.1");
    private static final Address FROM = Address.of(Uri.parse("sip:alice@example.com"));
    private static final Address TO = Address.of(Uri.parse("sip:bob@example.com"));

    static SipRequest options() {
        return SipRequest.builder(SipMethod.OPTIONS, TARGET)
                .via(Via.of("UDP", "127.0.0.1", -1, SipIds.newBranch()).withParam("rport", null))
                .maxForwards(70)
                .from(FROM.withTag(SipIds.newTag()))
                .to(TO)
                .callId(SipIds.newCallId())
                .cseq(1)
                .build();
    }

    /** 100 OPTIONS transactions in flight, each to its final 200. */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public int nonInviteTransactions() {
        @SuppressWarnings("unchecked")
        CompletableFuture<SipResponse>[] all = new CompletableFuture[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            all[i] = uac.layer.sendRequest(options(), server).thenCompose(ClientTransaction::finalResponse);
        }
        CompletableFuture.allOf(all).join(); // one wake-up of this thread per batch, not one per transaction
        int ok = 0;
        for (CompletableFuture<SipResponse> f : all) {
            ok += f.join().statusCode() == 200 ? 1 : 0;
        }
        return ok;
    }

    /**
     * Heap held per live transaction, its request included: 20,000 client transactions waiting
     * in Trying with their timers.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Memory {
        public double bytesPerLiveTransaction;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public int heapPerLiveTransaction(Memory m) {
        ManualClock clock = new ManualClock();
        ManualShardedExecutor shards = new ManualShardedExecutor(1);
        TimerService timers = TimerService.builder(shards).clock(clock).build();
        EventBus bus = EventBus.builder().shards(shards).build();
        MessageSender nowhere = new MessageSender() {
            @Override
            public CompletableFuture<Destination> sendRequest(SipRequest request, Destination destination) {
                return CompletableFuture.completedFuture(destination);
            }

            @Override
            public CompletableFuture<Void> sendResponse(SipResponse response, ConnectionId connection) {
                return CompletableFuture.completedFuture(null);
            }
        };
        TransactionLayer layer = TransactionLayer.create(bus, shards, timers, nowhere, TransactionTimers.DEFAULT);
        int n = 20_000;
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            layer.sendRequest(options(), server); // the request counts: a live transaction holds it
        }
        shards.runPending();
        long after = usedAfterGc();
        m.bytesPerLiveTransaction = (after - before) / (double) n;
        int live = layer.transactionCount();
        timers.stop();
        return live;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
