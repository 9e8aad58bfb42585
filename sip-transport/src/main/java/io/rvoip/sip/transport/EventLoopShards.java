package io.rvoip.sip.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.rvoip.infra.concurrent.ShardedExecutor;
import io.rvoip.sip.transport.netty.NettyTransports;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Shards that are the SIP transport's own I/O threads: one Netty event loop per shard. Give the
 * same instance to the {@link SipTransport} ({@link SipTransportConfig.Builder#eventLoops}), to
 * the event bus and to the timer service, and a received message is parsed, matched to its
 * transaction and answered on I/O threads, without handing work to a second pool of threads.
 *
 * <p>Why: on a small machine, handing every message from an I/O thread to a shard thread and
 * back costs a park, an unpark and an event-loop wake-up each way. With the transaction layer
 * on the event loops, two in-process stacks complete about 60,000 non-INVITE transactions a
 * second on two cores instead of about 42,000 (see benchmarks/README.md). The price is the
 * same rule for both kinds of thread: never block. Nothing that runs on a shard may wait for
 * I/O — and {@link SipTransport#stop()} waits for its sockets to close, so it must not be
 * called from a shard.
 *
 * <p>Keys map to loops as in any {@link ShardedExecutor}; each loop runs its tasks one at a time,
 * in submission order. A loop holds at most {@code queueCapacity} pending tasks: beyond that, and
 * after {@link #shutdown}, {@link #tryExecute} refuses and counts.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class EventLoopShards implements ShardedExecutor {
    private final NettyTransports io;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop[] loops;
    private final int queueCapacity;
    private final LongAdder rejected = new LongAdder();

    private EventLoopShards(int threads, boolean preferNative, int queueCapacity) {
        if (threads <= 0 || queueCapacity <= 0) {
            throw new IllegalArgumentException("threads " + threads + ", queueCapacity " + queueCapacity);
        }
        this.io = NettyTransports.choose(preferNative);
        this.queueCapacity = queueCapacity;
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("rvoip-sip-loop", true),
                io.ioHandler());
        this.loops = new EventLoop[threads];
        int i = 0;
        for (EventExecutor e : group) {
            loops[i++] = (EventLoop) e;
        }
    }

    /** {@code threads} event loops (epoll when available), 65,536 pending tasks each at most. */
    public static EventLoopShards create(int threads) {
        return new EventLoopShards(threads, true, 1 << 16);
    }

    /**
     * {@code threads} event loops.
     *
     * @param preferNative  epoll when available (true), or NIO
     * @param queueCapacity pending tasks per loop before {@link #tryExecute} refuses
     */
    public static EventLoopShards create(int threads, boolean preferNative, int queueCapacity) {
        return new EventLoopShards(threads, preferNative, queueCapacity);
    }

    @Override
    public int shardCount() {
        return loops.length;
    }

    @Override
    public boolean tryExecute(Object key, Runnable task) {
        Objects.requireNonNull(task, "task");
        EventLoop loop = loops[shardOf(key)];
        if (loop.isShuttingDown() || pending(loop) >= queueCapacity) {
            rejected.increment();
            return false;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) { // shut down meanwhile
            rejected.increment();
            return false;
        }
    }

    private static int pending(EventLoop loop) {
        return loop instanceof SingleThreadEventExecutor s ? s.pendingTasks() : 0;
    }

    @Override
    public boolean inShardOf(Object key) {
        return loops[shardOf(key)].inEventLoop();
    }

    @Override
    public long rejectedCount() {
        return rejected.sum();
    }

    /**
     * Stops the loops after the tasks already queued; waits up to {@code timeout}. Call after
     * stopping the transport, and not from one of the loops. Returns true if they have ended.
     */
    public boolean shutdown(Duration timeout) {
        return group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeout.toMillis() + 1_000);
    }

    /** True once every loop has ended. */
    public boolean isTerminated() {
        return group.isTerminated();
    }

    /** The loops, for the transport's channels. */
    EventLoopGroup group() {
        return group;
    }

    /** The Netty flavour the loops were made for (channels must match it). */
    NettyTransports io() {
        return io;
    }
}
