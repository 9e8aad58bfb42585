package io.rvoip.sip.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The datagrams waiting for one UDP socket, written by a single task on the socket's event loop
 * with one flush for all of them. A burst of sends from the shards (a hundred transactions
 * answering at once) then costs one wake-up of the I/O thread and, with the native transport,
 * one {@code sendmmsg} call instead of one task and one {@code sendto} per datagram.
 *
 * <p>Any thread may {@link #send}; every datagram's outcome is reported once, on the event loop.
 */
public final class UdpOutbound implements Runnable {
    /** Datagrams written per task run before the loop lets its other work in. */
    private static final int MAX_PER_RUN = 256;

    private final Channel channel;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private record Pending(DatagramPacket packet, BiConsumer<Boolean, Throwable> outcome) {
    }

    /** The outbound queue of {@code channel}, a bound datagram channel. */
    public UdpOutbound(Channel channel) {
        this.channel = channel;
    }

    /** The socket. */
    public Channel channel() {
        return channel;
    }

    /**
     * Queues a datagram; {@code outcome} gets (true, null) once the socket took it, or (false,
     * cause) if it could not.
     */
    public void send(DatagramPacket packet, BiConsumer<Boolean, Throwable> outcome) {
        queue.add(new Pending(packet, outcome));
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this);
            } catch (RuntimeException e) { // the loop is shutting down: nothing will be written
                scheduled.set(false);
                failAll(e);
            }
        }
    }

    /** Writes what is queued, then flushes once (runs on the event loop). */
    @Override
    public void run() {
        int written = 0;
        Pending p;
        while (written < MAX_PER_RUN && (p = queue.poll()) != null) {
            BiConsumer<Boolean, Throwable> outcome = p.outcome();
            if (!channel.isActive()) {
                p.packet().release();
                outcome.accept(false, new java.nio.channels.ClosedChannelException());
                continue;
            }
            channel.write(p.packet()).addListener(f -> outcome.accept(f.isSuccess(), f.cause()));
            written++;
        }
        if (written > 0) {
            channel.flush();
        }
        scheduled.set(false);
        // a sender that queued after the last poll but saw 'scheduled' still set relies on us
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this);
            } catch (RuntimeException e) { // the loop is shutting down: nothing more will be written
                scheduled.set(false);
                failAll(e);
            }
        }
    }

    private void failAll(Throwable cause) {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.packet().release();
            p.outcome().accept(false, cause);
        }
    }
}
