package io.rvoip.sip.transaction;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.concurrent.ShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.EventLoopShards;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
import io.rvoip.sip.transport.TransportType;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One real stack for the loopback tests: two shards, timers, bus, a transport on 127.0.0.1
 * (ephemeral ports) and a transaction layer. The layer runs on shard threads of its own, or
 * (when {@code onEventLoops}) on the transport's event loops.
 */
final class LoopbackStack implements AutoCloseable {
    final ShardPool pool;
    final EventLoopShards loops;
    final ShardedExecutor shards;
    final TimerService timers;
    final EventBus bus;
    final SipTransport transport;
    final TransactionLayer layer;

    LoopbackStack(boolean onEventLoops, TransactionTimers transactionTimers, Duration tick, TransportType... listen) {
        this(config -> { }, onEventLoops, transactionTimers, tick, listen);
    }

    /** As above, with {@code configure} applied to the transport's configuration last. */
    LoopbackStack(java.util.function.Consumer<SipTransportConfig.Builder> configure, boolean onEventLoops,
            TransactionTimers transactionTimers, Duration tick, TransportType... listen) {
        pool = onEventLoops ? null : ShardPool.builder().shards(2).build();
        loops = onEventLoops ? EventLoopShards.create(2) : null;
        shards = onEventLoops ? loops : pool;
        timers = TimerService.builder(shards).tick(tick).build();
        bus = EventBus.builder().shards(shards).build();
        SipTransportConfig.Builder config = SipTransportConfig.builder(timers);
        for (TransportType t : listen) {
            config.listen(t, new InetSocketAddress("127.0.0.1", 0));
        }
        if (onEventLoops) {
            config.eventLoops(loops);
        }
        configure.accept(config);
        transport = SipTransport.create(config.build(), bus);
        transport.start();
        layer = TransactionLayer.create(bus, shards, timers, MessageSender.of(transport), transactionTimers);
        layer.start();
    }

    Destination at(TransportType t) {
        return Destination.of(t, new InetSocketAddress("127.0.0.1", transport.listeningPoint(t).port()));
    }

    /** Stops everything and waits for the threads; true if they ended. */
    boolean stopAndAwait() throws InterruptedException {
        close();
        return pool != null ? pool.awaitTermination(Duration.ofSeconds(10)) : loops.isTerminated();
    }

    /** Stops the layer, the transport, the timers and the threads (event loops: waits up to 10 s). */
    @Override
    public void close() {
        layer.stop();
        transport.stop();
        timers.stop();
        if (pool != null) {
            pool.shutdownNow();
        } else {
            loops.shutdown(Duration.ofSeconds(10));
        }
    }
}
