package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpTransportIT {
    private final TransportHarness a = new TransportHarness(c -> c.listen(TransportType.TCP, loopback()));
    private final TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
            .idleTimeout(Duration.ofSeconds(60)).partialMessageTimeout(Duration.ofSeconds(5))
            .maxConnectionsPerIp(2000));

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    private Socket raw() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", b.point(TransportType.TCP).port()), 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void roundTripOnOneReusedConnection() throws Exception {
        SipRequest first = options(null);
        a.transport.sendRequest(first, b.destination(TransportType.TCP)).get(10, TimeUnit.SECONDS);
        TransportEvent.MessageReceived got = b.next(TransportEvent.MessageReceived.class);
        assertThat(got.transport()).isEqualTo(TransportType.TCP);
        assertThat(got.message().via().transport()).isEqualTo("TCP");
        assertThat(got.message().via().port()).isEqualTo(a.point(TransportType.TCP).port());
        TransportEvent.ConnectionOpened opened = b.next(TransportEvent.ConnectionOpened.class);
        assertThat(opened.inbound()).isTrue();
        assertThat(opened.connection()).isEqualTo(got.connection());

        b.transport.sendResponse(SipResponse.forRequest((SipRequest) got.message(), StatusCode.OK).build(),
                got.connection()).get(10, TimeUnit.SECONDS);
        assertThat(((SipResponse) a.next(TransportEvent.MessageReceived.class).message()).statusCode()).isEqualTo(200);

        a.transport.sendRequest(options(null), b.destination(TransportType.TCP)).get(10, TimeUnit.SECONDS);
        assertThat(b.next(TransportEvent.MessageReceived.class).connection()).isEqualTo(got.connection());
        b.assertNone(TransportEvent.ConnectionOpened.class);
        assertThat(b.transport.metrics().openConnections()).isEqualTo(1);
    }

    @Test
    void aLargeMessageInTinyChunksAndManyMessagesInOneChunk() throws Exception {
        byte[] big = options("y".repeat(5000)).toByteArray();
        try (Socket s = raw()) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < big.length; i += 7) {
                out.write(big, i, Math.min(7, big.length - i));
                out.flush();
            }
            ByteArrayOutputStream many = new ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                many.write(options(null).toByteArray());
            }
            out.write(many.toByteArray());
            out.flush();
            TransportEvent.MessageReceived first = b.next(TransportEvent.MessageReceived.class);
            assertThat(first.message().bodyLength()).isEqualTo(5000);
            for (int i = 0; i < 50; i++) {
                assertThat(b.next(TransportEvent.MessageReceived.class).message().bodyLength()).isZero();
            }
        }
    }

    @Test
    void aReadLargerThanTheBufferLosesNoneOfItsMessages() throws Exception {
        // the buffer holds one message at the limit and 8 KB more; a read may bring far more than
        // that (Netty reads up to 64 KB), all of it complete messages. Before, such a read closed
        // the connection as "larger than the limit" and every message in it was lost (found by
        // StreamFuzzIT)
        try (TransportHarness small = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
                .limits(new io.rvoip.sip.parser.ParserLimits(4096, 64, 1024, 512, 4096, 16, 16)));
                Socket s = new Socket("127.0.0.1", small.point(TransportType.TCP).port())) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 300; i++) {
                burst.writeBytes(options("b".repeat(900)).toByteArray()); // about 1.3 KB each
            }
            s.getOutputStream().write(burst.toByteArray()); // 400 KB at once
            for (int i = 0; i < 300; i++) {
                assertThat(small.next(TransportEvent.MessageReceived.class).message().bodyLength()).isEqualTo(900);
            }
            small.assertNone(TransportEvent.ConnectionClosed.class);
            assertThat(small.transport.metrics().oversize()).isZero();
        }
    }

    @Test
    void aFramingErrorClosesOnlyThatConnection() throws Exception {
        try (Socket good = raw(); Socket bad = raw()) {
            bad.getOutputStream().write(("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -4\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(bad.getInputStream().read()).as("server closed the bad connection").isEqualTo(-1);
            TransportEvent.ConnectionClosed closed = b.next(TransportEvent.ConnectionClosed.class);
            assertThat(closed.reason()).startsWith("framing error");
            assertThat(b.next(TransportEvent.MessageRejected.class).connection()).isEqualTo(closed.connection());
            good.getOutputStream().write(options(null).toByteArray());
            assertThat(b.next(TransportEvent.MessageReceived.class).message().isRequest()).isTrue();
        }
    }

    @Test
    void aMalformedButFramedMessageIsRejectedAndTheConnectionStays() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write(("INVITE <sip:a@b> SIP/2.0\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(options(null).toByteArray());
            assertThat(b.next(TransportEvent.MessageRejected.class).reason()).contains("scheme");
            assertThat(b.next(TransportEvent.MessageReceived.class).message().isRequest()).isTrue();
            b.assertNone(TransportEvent.ConnectionClosed.class);
        }
    }

    @Test
    void tenMegabytesOfGarbageCostOnlyThatConnection() throws Exception {
        try (Socket s = raw()) {
            byte[] chunk = new byte[64 * 1024];
            new Random(1).nextBytes(chunk);
            OutputStream out = s.getOutputStream();
            try {
                for (int i = 0; i < 160; i++) {
                    out.write(chunk);
                }
            } catch (java.io.IOException expected) {
                // the server closes the connection long before 10 MB
            }
            assertThat(b.next(TransportEvent.ConnectionClosed.class).reason()).isNotBlank();
        }
        try (Socket after = raw()) {
            after.getOutputStream().write(options(null).toByteArray());
            assertThat(b.next(TransportEvent.MessageReceived.class).message().isRequest()).isTrue();
        }
    }

    @Test
    void aMessageThatStopsHalfWayIsCutOffByTheClock() throws Exception {
        byte[] m = options(null).toByteArray();
        try (Socket s = raw()) {
            s.getOutputStream().write(m, 0, m.length / 2);
            b.next(TransportEvent.ConnectionOpened.class);
            awaitBytes(b, m.length / 2);
            b.advance(4_999);
            b.assertNone(TransportEvent.ConnectionClosed.class);
            b.advance(1);
            assertThat(b.next(TransportEvent.ConnectionClosed.class).reason()).isEqualTo("incomplete message timeout");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void idleConnectionsAreClosedByTheClock() throws Exception {
        try (Socket s = raw()) {
            b.next(TransportEvent.ConnectionOpened.class);
            b.advance(59_000);
            b.assertNone(TransportEvent.ConnectionClosed.class);
            s.getOutputStream().write(options(null).toByteArray());
            b.next(TransportEvent.MessageReceived.class);
            b.advance(59_000); // traffic moved the deadline
            b.assertNone(TransportEvent.ConnectionClosed.class);
            b.advance(2_000);
            assertThat(b.next(TransportEvent.ConnectionClosed.class).reason()).isEqualTo("idle timeout");
        }
    }

    @Test
    void keepAlivePingsAreAnswered() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo('\r');
            assertThat(in.read()).isEqualTo('\n');
            s.getOutputStream().write(options(null).toByteArray());
            assertThat(b.next(TransportEvent.MessageReceived.class).message().isRequest()).isTrue();
            assertThat(b.transport.metrics().keepAlives()).isEqualTo(1);
        }
    }

    @Test
    void thisSidePingsItsOwnConnectionsAndClosesThemWithoutPongs() throws Exception {
        try (TransportHarness pinger = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
                .keepAliveInterval(Duration.ofSeconds(30)))) {
            pinger.transport.sendRequest(options(null), b.destination(TransportType.TCP)).get(10, TimeUnit.SECONDS);
            b.next(TransportEvent.MessageReceived.class);
            pinger.next(TransportEvent.ConnectionOpened.class);
            pinger.advance(30_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pinger.transport.metrics().keepAlives() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(b.transport.metrics().keepAlives()).as("b saw the ping").isEqualTo(1);
            assertThat(pinger.transport.metrics().keepAlives()).as("pinger saw the pong").isEqualTo(1);
        }
    }

    @Test
    void perIpLimitRefusesExtraConnections() throws Exception {
        try (TransportHarness limited = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
                .maxConnectionsPerIp(3))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket("127.0.0.1", limited.point(TransportType.TCP).port());
                    s.setSoTimeout(10_000);
                    sockets.add(s);
                }
                java.util.Set<Integer> admitted = new java.util.HashSet<>();
                for (int i = 0; i < 3; i++) {
                    admitted.add(limited.next(TransportEvent.ConnectionOpened.class).remote().getPort());
                }
                // which one is refused depends on which I/O thread accepted first
                Socket refused = sockets.stream().filter(s -> !admitted.contains(s.getLocalPort())).findFirst()
                        .orElseThrow();
                assertThat(refused.getInputStream().read()).isEqualTo(-1);
                assertThat(limited.transport.metrics().connectionsRefused()).isEqualTo(1);
                assertThat(limited.transport.metrics().openConnections()).isEqualTo(3);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            for (int i = 0; i < 3; i++) {
                limited.next(TransportEvent.ConnectionClosed.class);
            }
            assertThat(limited.transport.metrics().openConnections()).isZero();
        }
    }

    @Test
    void aThousandConcurrentConnections() throws Exception {
        int n = 1000;
        List<Socket> sockets = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(raw());
            }
            for (Socket s : sockets) {
                s.getOutputStream().write(options(null).toByteArray());
            }
            java.util.Set<ConnectionId> seen = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                seen.add(b.next(TransportEvent.MessageReceived.class).connection());
            }
            assertThat(seen).hasSize(n);
            assertThat(b.transport.metrics().openConnections()).isEqualTo(n);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        for (int i = 0; i < n; i++) {
            b.next(TransportEvent.ConnectionClosed.class);
        }
        assertThat(b.transport.metrics().openConnections()).isZero();
    }

    @Test
    void aRefusedConnectionFailsTheSendAndIsReported() throws Exception {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        var f = a.transport.sendRequest(options(null), Destination.of(TransportType.TCP,
                new InetSocketAddress("127.0.0.1", dead)));
        TransportHarness.assertFails(f);
        assertThat(a.next(TransportEvent.ConnectionFailed.class).remote().getPort()).isEqualTo(dead);
    }

    /** Waits until the transport has read {@code n} bytes (its partial-message clock is armed then). */
    static void awaitBytes(TransportHarness h, long n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.transport.metrics().bytesReceived() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + h.transport.metrics().bytesReceived() + " bytes arrived");
            }
            Thread.onSpinWait();
        }
    }
}
