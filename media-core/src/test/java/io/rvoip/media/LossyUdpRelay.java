package io.rvoip.media;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A UDP relay on loopback that drops a seeded share of the RTP it forwards (RTCP is not forwarded). */
public final class LossyUdpRelay implements AutoCloseable {
    private final DatagramSocket socket;
    public final AtomicLong forwarded = new AtomicLong();
    public final AtomicLong dropped = new AtomicLong();
    private final Thread thread;

    public LossyUdpRelay(InetSocketAddress to, double loss, long seed) throws Exception {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Random r = new Random(seed);
        thread = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    if ((buf[1] & 0x7F) >= 72 && (buf[1] & 0x7F) <= 76) {
                        continue; // RTCP is not part of this test
                    }
                    if (r.nextDouble() < loss) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    socket.send(new DatagramPacket(buf, p.getLength(), to));
                    forwarded.incrementAndGet();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }, "relay");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }

    /** Spins until {@code c} holds (real sockets deliver within milliseconds); fails after 10 s. */
    public static void await(java.util.function.BooleanSupplier c, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }
}
