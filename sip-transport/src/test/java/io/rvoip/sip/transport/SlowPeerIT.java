package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Peers that send but do not read what they are sent: what they make us queue is bounded
 * ({@code maxQueuedBytesPerConnection}), by no longer reading them and, when we keep sending
 * anyway, by closing the connection. A peer that only reads slowly loses nothing.
 */
class SlowPeerIT {
    private static final int LIMIT = 64 * 1024;

    @Test
    void aPeerThatPingsButDoesNotReadIsNoLongerReadAndLaterGetsEveryPong() throws Exception {
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
                .maxQueuedBytesPerConnection(LIMIT));
                Socket s = unreadSocket(b.point(TransportType.TCP).port(), 256 * 1024)) {
            byte[] pings = "\r\n\r\n".repeat(16_384).getBytes(StandardCharsets.US_ASCII);
            Flood flood = new Flood(s.getOutputStream(), pings, pings.length / 4, 768);
            flood.start();
            // the kernel's buffers fill (and grow) first; then pongs queue in the transport until it
            // stops reading the connection, and stays stopped while the peer does not read
            long most = awaitStalled(b, flood);
            assertThat(flood.isAlive()).as("the peer cannot send its 48 MB").isTrue();
            assertThat(most).as("the most that ever waited to be written").isBetween((long) LIMIT / 8, (long) LIMIT);
            flood.stop.set(true);
            long pongBytes = readRepeated(s.getInputStream(), flood, CRLF);
            assertThat(pongBytes).isEqualTo(2 * flood.units.get());
            assertThat(b.transport.metrics().keepAlives()).isEqualTo(flood.units.get());
            assertThat(b.transport.metrics().stalledConnections()).isZero();
            b.assertNone(TransportEvent.ConnectionClosed.class);
            assertThat(flood.failure).isNull();
        }
    }

    @Test
    void aTlsPeerThatPingsButDoesNotReadIsNoLongerReadEither() throws Exception {
        TestCertificates ca = new TestCertificates("slow CA");
        TestCertificates.Issued cert = ca.issue("localhost", List.of("localhost"), List.of("127.0.0.1"));
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TLS, loopback())
                .tls(TlsConfig.builder().certificate(cert.key(), cert.certificate()).build())
                .maxQueuedBytesPerConnection(LIMIT))) {
            javax.net.ssl.SSLContext ctx = ca.clientContext();
            Socket raw = unreadSocket(b.point(TransportType.TLS).port(), 256 * 1024);
            try (raw; javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(
                    raw, "127.0.0.1", b.point(TransportType.TLS).port(), true)) {
                // TLS 1.2: the JDK's TLS 1.3 socket cannot read while another thread is blocked writing
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.startHandshake();
                byte[] pings = "\r\n\r\n".repeat(4096).getBytes(StandardCharsets.US_ASCII);
                Flood flood = new Flood(s.getOutputStream(), pings, pings.length / 4, 3072); // 48 MB
                flood.start();
                try {
                    long most = awaitStalled(b, flood);
                    assertThat(flood.isAlive()).as("the peer cannot send its 48 MB").isTrue();
                    assertThat(most).as("the most that ever waited to be written").isBetween((long) LIMIT / 8, (long) LIMIT);
                    flood.stop.set(true);
                    assertThat(readRepeated(s.getInputStream(), flood, CRLF)).isEqualTo(2 * flood.units.get());
                    assertThat(b.transport.metrics().stalledConnections()).isZero();
                    assertThat(flood.failure).isNull();
                } finally {
                    raw.close(); // unblocks a writer still stuck, which the TLS socket's close would wait for
                }
            }
        }
    }

    @Test
    void aWebSocketPeerThatFloodsPingsGetsOnePongPerReadForItsLatestPing() throws Exception {
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.WS, loopback())
                .webSocketPath("/sip").maxQueuedBytesPerConnection(LIMIT));
                Socket s = unreadSocket(b.point(TransportType.WS).port(), 256 * 1024)) {
            assertThat(WebSocketTransportIT.handshake(s, "/sip", "sip", null)).startsWith("HTTP/1.1 101");
            int perChunk = 8192;
            byte[] pings = new byte[8 * perChunk]; // 8-byte frames: header, mask, a 2-byte payload
            for (int i = 0; i < perChunk; i++) {
                byte[] ping = WebSocketTransportIT.maskedFrame(0x9, new byte[] {(byte) (i >> 8), (byte) i});
                System.arraycopy(ping, 0, pings, 8 * i, 8);
            }
            Flood flood = new Flood(s.getOutputStream(), pings, perChunk, 512); // 32 MB
            flood.start();
            long most = 0;
            while (flood.isAlive()) { // the peer reads nothing, yet all of it is taken
                most = Math.max(most, b.transport.metrics().queuedBytes());
                flood.join(1);
            }
            assertThat(flood.failure).isNull();
            assertThat(most).as("the most that ever waited to be written").isLessThanOrEqualTo(LIMIT);
            s.getOutputStream().write(WebSocketTransportIT.maskedFrame(0x9, new byte[] {(byte) 0xff, (byte) 0xff}));
            InputStream in = s.getInputStream();
            long pongs = 0;
            while (true) {
                byte[] pong = in.readNBytes(4);
                assertThat(pong[0] & 0xff).as("a pong").isEqualTo(0x8A);
                assertThat(pong[1]).as("with the ping's 2 bytes").isEqualTo((byte) 2);
                pongs++;
                if (pong[2] == (byte) 0xff && pong[3] == (byte) 0xff) {
                    break; // the answer to the last ping
                }
                assertThat(((pong[2] & 0xff) << 8 | pong[3] & 0xff)).isLessThan(perChunk);
            }
            assertThat(pongs).as("one pong per read, not per ping").isLessThan(flood.units.get() / 100);
            assertThat(b.transport.metrics().stalledConnections()).isZero();
            b.assertNone(TransportEvent.ConnectionClosed.class);
        }
    }

    @Test
    void aConnectionWeOpenedIsReadOnAndClosedWhenItsServerFloodsPingsAndDoesNotRead() throws Exception {
        // we keep reading the connections we opened (if both ends of a connection stopped reading
        // with full queues, neither could drain); the limit alone bounds what we queue for it
        try (TransportHarness a = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
                .maxQueuedBytesPerConnection(LIMIT));
                java.net.ServerSocket server = new java.net.ServerSocket()) {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<Destination> sent = a.transport.sendRequest(options(null),
                    Destination.of(TransportType.TCP, new InetSocketAddress("127.0.0.1", server.getLocalPort())));
            try (Socket peer = server.accept()) {
                sent.get(10, TimeUnit.SECONDS);
                a.next(TransportEvent.ConnectionOpened.class);
                byte[] pings = "\r\n\r\n".repeat(16_384).getBytes(StandardCharsets.US_ASCII);
                Flood flood = new Flood(peer.getOutputStream(), pings, pings.length / 4, 768); // 48 MB
                flood.start();
                assertThat(a.next(TransportEvent.ConnectionClosed.class).reason()).startsWith("peer is not reading");
                flood.join(10_000);
                assertThat(flood.isAlive()).as("its writes fail once we have closed").isFalse();
                assertThat(a.transport.metrics().stalledConnections()).isEqualTo(1);
                assertThat(a.transport.metrics().readPauses()).isZero();
                assertThat(a.transport.metrics().openConnections()).isZero();
            }
        }
    }

    @Test
    void aConnectionWhosePeerDoesNotReadIsClosedWhenWeKeepSending() throws Exception {
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
                .maxQueuedBytesPerConnection(LIMIT));
                Socket s = unreadSocket(b.point(TransportType.TCP).port(), 4096)) {
            s.getOutputStream().write(options(null).toByteArray());
            TransportEvent.MessageReceived got = b.next(TransportEvent.MessageReceived.class);
            SipResponse big = SipResponse.forRequest((SipRequest) got.message(), StatusCode.OK)
                    .body(io.rvoip.sip.header.MediaType.TEXT_PLAIN, "x".repeat(4000).getBytes(StandardCharsets.US_ASCII))
                    .build();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            CompletableFuture<Void> refused = null;
            for (int i = 0; i < 50_000 && refused == null; i++) { // 200 MB if nothing stopped it
                CompletableFuture<Void> f = b.transport.sendResponse(big, got.connection());
                if (f.isCompletedExceptionally()) {
                    refused = f;
                } else {
                    sends.add(f);
                }
            }
            assertThat(refused).as("a send was refused").isNotNull();
            assertThat(TransportHarness.assertFails(refused)).hasMessageContaining("peer is not reading");
            assertThat(b.next(TransportEvent.ConnectionClosed.class).reason()).startsWith("peer is not reading");
            assertThat(b.transport.metrics().stalledConnections()).isEqualTo(1);
            for (CompletableFuture<Void> f : sends) { // every earlier send ends, one way or the other
                f.handle((ok, e) -> null).get(10, TimeUnit.SECONDS);
            }
            assertThat(b.transport.metrics().openConnections()).isZero();
            assertThat(b.transport.metrics().queuedBytes()).isZero();
        }
    }

    /** A client socket with a small receive buffer, so what it does not read piles up at the server soon. */
    static Socket unreadSocket(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Writes {@code chunk} (worth {@code unitsPerChunk} pings) {@code chunks} times, or until stopped. */
    static final class Flood extends Thread {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong units = new AtomicLong();
        volatile IOException failure;
        private final OutputStream out;
        private final byte[] chunk;
        private final int unitsPerChunk;

        private final int chunks;

        Flood(OutputStream out, byte[] chunk, int unitsPerChunk, int chunks) {
            super("flood");
            setDaemon(true);
            this.out = out;
            this.chunk = chunk;
            this.unitsPerChunk = unitsPerChunk;
            this.chunks = chunks;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < chunks && !stop.get(); i++) {
                    out.write(chunk);
                    units.addAndGet(unitsPerChunk);
                }
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * Reads copies of {@code unit} until the flood has ended and one copy came back for each of
     * its units; returns how many bytes came. Anything else fails.
     */
    static long readRepeated(InputStream in, Flood flood, byte[] unit) throws Exception {
        byte[] buf = new byte[65_536];
        long got = 0;
        while (flood.isAlive() || got < unit.length * flood.units.get()) {
            int n = in.read(buf);
            assertThat(n).as("the connection stays open").isPositive();
            for (int i = 0; i < n; i++, got++) {
                if (buf[i] != unit[(int) (got % unit.length)]) {
                    throw new AssertionError("byte " + got + " is " + buf[i] + ", not part of an answer");
                }
            }
        }
        return got;
    }

    /**
     * Waits until the flood has stopped making progress while the connection is not read and
     * holds at least an eighth of the limit (the state it stays in while the peer does not
     * read); returns the most queued bytes seen on the way. A flood that ends (its whole budget
     * taken by the server) ends the wait too, and the caller's checks then fail.
     */
    static long awaitStalled(TransportHarness b, Flood flood) throws InterruptedException {
        long most = 0;
        long lastUnits = -1;
        int still = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            TransportMetrics m = b.transport.metrics();
            most = Math.max(most, m.queuedBytes());
            long units = flood.units.get();
            still = units == lastUnits ? still + 1 : 0;
            lastUnits = units;
            if (m.readPauses() >= 1 && m.queuedBytes() >= LIMIT / 8 && still >= 50) {
                return most;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never stalled; " + units + " units sent, " + m);
            }
            Thread.sleep(1);
        }
    }

    static void awaitTrue(BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            Thread.onSpinWait();
        }
    }
}
