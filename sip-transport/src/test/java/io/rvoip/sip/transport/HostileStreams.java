package io.rvoip.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Drives seeded hostile byte streams into one listening point of a transport, one connection
 * each, and checks what every stream transport must guarantee: undamaged streams deliver
 * exactly their SIP messages, nothing is logged at WARN or above (a fault of ours), no connection
 * is left and nothing stays queued, and a new connection still works. One stream in two is
 * damaged byte by byte after it is built.
 */
final class HostileStreams {
    private HostileStreams() {
    }

    /** What a peer sends on its connection, how many SIP messages that carries, and whether it ends the connection. */
    static final class Stream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int messages;
        boolean ends;
    }

    /** How a connection starts before its stream (a WebSocket handshake), and how one message is sent on it. */
    interface Protocol {
        /** Starts the connection; returns the socket to write the stream on (a TLS one over {@code s}, or {@code s}). */
        Socket open(Socket s) throws Exception;

        byte[] message(byte[] sip);
    }

    static void run(TransportHarness b, TransportType type, long seed, int connections, Function<Random, Stream> streams,
            Protocol protocol) throws Exception {
        Random random = new Random(seed);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try {
            // each connection from an address of its own in 127/8: ports get reused over thousands of
            // connections, addresses do not, so what arrives is counted by the address it came from
            Map<InetAddress, Integer> expected = new HashMap<>(); // -> SIP messages it must deliver
            int damagedStreams = 0;
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", b.point(type).port());
            for (int i = 0; i < connections; i++) {
                Stream stream = streams.apply(random);
                boolean damage = random.nextBoolean();
                byte[] bytes = damage ? damage(stream.bytes.toByteArray(), random) : stream.bytes.toByteArray();
                InetAddress from = InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 250), (byte) (i % 250 + 1)});
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress(from, 0));
                    s.connect(to, 10_000);
                    s.setSoTimeout(10_000);
                    s.setTcpNoDelay(true);
                    Socket conn = protocol.open(s);
                    try {
                        // in pieces of 1 byte to 4 KB, each sent at once: messages and frames cross reads
                        for (int at = 0; at < bytes.length;) {
                            int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 4096));
                            conn.getOutputStream().write(bytes, at, n);
                            at += n;
                        }
                    } catch (java.io.IOException closedByTheServer) {
                        assertThat(damage || stream.ends).as("an undamaged stream is read to its end").isTrue();
                    }
                    // end our side and read what the server sends until it closes: a socket closed
                    // with unread bytes (pongs) resets the connection, and the server may then lose
                    // the end of what we sent before it read it
                    try {
                        conn.shutdownOutput();
                        java.io.InputStream in = conn.getInputStream();
                        byte[] sink = new byte[8192];
                        while (in.read(sink) >= 0) {
                            // the answers are not looked at
                        }
                    } catch (java.io.IOException closedByTheServer) {
                        // a server that closed first may have reset the connection
                    }
                    if (!damage) {
                        expected.put(from, stream.messages);
                    } else {
                        damagedStreams++;
                    }
                }
            }
            awaitNoConnection(b);
            Map<InetAddress, Integer> delivered = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int want = expected.values().stream().mapToInt(Integer::intValue).sum();
            while (missing(b, expected, delivered) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1); // events reach the test's subscriber a little after the connections close
            }
            for (Map.Entry<InetAddress, Integer> e : expected.entrySet()) {
                assertThat(delivered.getOrDefault(e.getKey(), 0)).as("seed %d: messages from %s", seed, e.getKey())
                        .isEqualTo(e.getValue());
            }
            assertThat(want).as("undamaged streams carried messages").isGreaterThan(connections / 8);
            assertThat(damagedStreams).isGreaterThan(connections / 4);
            assertThat(b.transport.metrics().queuedBytes()).isZero();
            // and the transport still works
            try (Socket s = new Socket()) {
                s.connect(to, 10_000);
                Socket conn = protocol.open(s);
                long before = b.transport.metrics().received();
                conn.getOutputStream().write(protocol.message(TransportHarness.options(null).toByteArray()));
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (b.transport.metrics().received() == before && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                assertThat(b.transport.metrics().received()).isEqualTo(before + 1);
            }
        } finally {
            root.detachAppender(log);
        }
        List<String> complaints = new ArrayList<>();
        for (ILoggingEvent e : log.list) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN)) {
                complaints.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                        + (e.getThrowableProxy() != null ? " / " + e.getThrowableProxy().getClassName() + ": "
                                + e.getThrowableProxy().getMessage() : ""));
            }
        }
        assertThat(complaints).as("nothing failed inside the transport (seed %d)", seed).isEmpty();
    }

    /**
     * Counts MessageReceived events per remote address into {@code delivered}; returns how many
     * messages the undamaged streams have still to deliver.
     */
    private static int missing(TransportHarness b, Map<InetAddress, Integer> expected, Map<InetAddress, Integer> delivered) {
        synchronized (b.events) {
            for (var it = b.events.iterator(); it.hasNext();) {
                TransportEvent e = it.next();
                if (e instanceof TransportEvent.MessageReceived m) {
                    delivered.merge(m.remote().getAddress(), 1, Integer::sum);
                }
                it.remove();
            }
        }
        int missing = 0;
        for (Map.Entry<InetAddress, Integer> e : expected.entrySet()) {
            missing += Math.max(0, e.getValue() - delivered.getOrDefault(e.getKey(), 0));
        }
        return missing;
    }

    private static void awaitNoConnection(TransportHarness b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (b.transport.metrics().openConnections() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connections left open: " + b.transport.metrics());
            }
            Thread.sleep(1);
        }
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Flips, overwrites, cuts or repeats bytes: 1–4 times. */
    static byte[] damage(byte[] b, Random r) {
        for (int k = 1 + r.nextInt(4); k > 0 && b.length > 0; k--) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    byte[] longer = new byte[b.length + len];
                    System.arraycopy(b, 0, longer, 0, at + len);
                    System.arraycopy(b, at, longer, at + len, b.length - at);
                    b = longer;
                }
            }
        }
        return b;
    }
}
