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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SIP over WebSocket (RFC 7118): transport to transport, secure, and raw handshakes. */
class WebSocketTransportIT {
    private final TransportHarness server = new TransportHarness(c -> c.listen(TransportType.WS, loopback())
            .webSocketPath("/sip").webSocketOriginCheck(origin -> origin == null || !origin.contains("evil")));
    private final TransportHarness client = new TransportHarness(c -> c.listen(TransportType.UDP, loopback())
            .webSocketPath("/sip"));

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
    }

    @Test
    void requestAndResponseOverWebSocket() throws Exception {
        SipRequest request = options(null);
        client.transport.sendRequest(request, server.destination(TransportType.WS)).get(10, TimeUnit.SECONDS);
        TransportEvent.MessageReceived got = server.next(TransportEvent.MessageReceived.class);
        assertThat(got.transport()).isEqualTo(TransportType.WS);
        assertThat(got.message().via().transport()).isEqualTo("WS");
        assertThat(got.message().via().host()).as("RFC 7118 §5: unreachable client").endsWith(".invalid");
        assertThat(got.connection()).isNotNull();
        server.transport.sendResponse(SipResponse.forRequest((SipRequest) got.message(), StatusCode.OK).build(),
                got.connection()).get(10, TimeUnit.SECONDS);
        TransportEvent.MessageReceived answer = client.next(TransportEvent.MessageReceived.class);
        assertThat(answer.transport()).isEqualTo(TransportType.WS);
        assertThat(((SipResponse) answer.message()).statusCode()).isEqualTo(200);
        assertThat(client.next(TransportEvent.ConnectionOpened.class).inbound()).isFalse();
    }

    @Test
    void secureWebSocket() throws Exception {
        TestCertificates ca = new TestCertificates("ws CA");
        TestCertificates.Issued cert = ca.issue("localhost", List.of("localhost"), List.of("127.0.0.1"));
        try (TransportHarness wss = new TransportHarness(c -> c.listen(TransportType.WSS, loopback())
                .tls(TlsConfig.builder().certificate(cert.key(), cert.certificate()).build()));
                TransportHarness caller = new TransportHarness(c -> c.listen(TransportType.UDP, loopback())
                        .tls(TlsConfig.builder().trust(ca.ca).build()))) {
            caller.transport.sendRequest(options(null), wss.destination(TransportType.WSS)).get(10, TimeUnit.SECONDS);
            TransportEvent.MessageReceived got = wss.next(TransportEvent.MessageReceived.class);
            assertThat(got.transport()).isEqualTo(TransportType.WSS);
            assertThat(got.message().via().transport()).isEqualTo("WSS");
        }
    }

    @Test
    void aRawHandshakeWithTheSipSubprotocolCarriesMessages() throws Exception {
        try (Socket s = connect()) {
            String response = handshake(s, "/sip", "sip", null);
            assertThat(response).startsWith("HTTP/1.1 101").containsIgnoringCase("sec-websocket-protocol: sip");
            s.getOutputStream().write(maskedTextFrame(options(null).toByteArray()));
            TransportEvent.MessageReceived got = server.next(TransportEvent.MessageReceived.class);
            assertThat(got.transport()).isEqualTo(TransportType.WS);
            assertThat(got.message().isRequest()).isTrue();
        }
    }

    @Test
    void handshakesWithoutSipOrFromAForbiddenOriginAreRefused() throws Exception {
        try (Socket s = connect()) {
            assertThat(handshake(s, "/sip", "chat", null)).startsWith("HTTP/1.1 400");
        }
        try (Socket s = connect()) {
            assertThat(handshake(s, "/sip", "sip", "https://evil.example.com")).startsWith("HTTP/1.1 403");
        }
        try (Socket s = connect()) {
            assertThat(handshake(s, "/other", "sip", null)).startsWith("HTTP/1.1 400");
        }
        server.assertNone(TransportEvent.ConnectionOpened.class);
    }

    @Test
    void aDoubleCrlfMessageIsAPingAnsweredWithACrlfMessage() throws Exception {
        try (Socket s = connect()) {
            handshake(s, "/sip", "sip", null);
            s.getOutputStream().write(maskedFrame(0x1, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(s.getInputStream().readNBytes(4)).as("a text frame holding CRLF")
                    .containsExactly(0x81, 0x02, '\r', '\n');
            s.getOutputStream().write(maskedTextFrame(options(null).toByteArray()));
            assertThat(server.next(TransportEvent.MessageReceived.class).message().isRequest()).isTrue();
            assertThat(server.transport.metrics().keepAlives()).isEqualTo(1);
            assertThat(server.transport.metrics().rejected()).isZero();
        }
    }

    @Test
    void pingFramesKeepAConnectionFromIdlingOut() throws Exception {
        try (TransportHarness idle = new TransportHarness(c -> c.listen(TransportType.WS, loopback())
                .webSocketPath("/sip").idleTimeout(java.time.Duration.ofSeconds(60)));
                Socket s = connect(idle)) {
            handshake(s, "/sip", "sip", null);
            idle.next(TransportEvent.ConnectionOpened.class);
            for (int i = 0; i < 3; i++) {
                idle.advance(40_000);
                s.getOutputStream().write(maskedFrame(0x9, new byte[] {(byte) i}));
                assertThat(s.getInputStream().readNBytes(3)).as("the pong").containsExactly(0x8A, 0x01, i);
            }
            idle.assertNone(TransportEvent.ConnectionClosed.class);
            idle.advance(60_000);
            assertThat(idle.next(TransportEvent.ConnectionClosed.class).reason()).isEqualTo("idle timeout");
        }
    }

    @Test
    void bytesThatNeverMakeAFrameDoNotKeepAConnection() throws Exception {
        // slow-loris over WebSocket: only whole frames (and the handshake) count as traffic, so
        // a peer that trickles the bytes of a frame it never finishes is closed at the idle timeout
        try (TransportHarness idle = new TransportHarness(c -> c.listen(TransportType.WS, loopback())
                .webSocketPath("/sip").idleTimeout(java.time.Duration.ofSeconds(60)));
                Socket s = connect(idle)) {
            handshake(s, "/sip", "sip", null);
            idle.next(TransportEvent.ConnectionOpened.class);
            byte[] big = maskedTextFrame(options("x".repeat(500)).toByteArray());
            for (int i = 0; i < 6; i++) { // a byte every 10 s: 60 s of bytes, no frame
                s.getOutputStream().write(big, i, 1);
                idle.advance(10_000);
            }
            assertThat(idle.next(TransportEvent.ConnectionClosed.class).reason()).isEqualTo("idle timeout");
        }
    }

    @Test
    void connectionsThisSideOpenedArePingedAndClosedWhenNoPongComes() throws Exception {
        try (TransportHarness pinger = new TransportHarness(c -> c.listen(TransportType.UDP, loopback())
                .webSocketPath("/sip").keepAliveInterval(java.time.Duration.ofSeconds(30)))) {
            // against rvoip's own server, which answers (Netty does)
            pinger.transport.sendRequest(options(null), server.destination(TransportType.WS)).get(10, TimeUnit.SECONDS);
            server.next(TransportEvent.MessageReceived.class);
            pinger.next(TransportEvent.ConnectionOpened.class);
            pinger.advance(30_000);
            awaitKeepAlives(pinger, 1);
            pinger.advance(30_000);
            awaitKeepAlives(pinger, 2);
            pinger.assertNone(TransportEvent.ConnectionClosed.class);
            // against a server that takes the handshake and then never answers a ping
            try (java.net.ServerSocket deaf = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                Destination to = new Destination(TransportType.WS,
                        new InetSocketAddress("127.0.0.1", deaf.getLocalPort()), "localhost");
                java.util.concurrent.CompletableFuture<Destination> sent = pinger.transport.sendRequest(options(null), to);
                try (Socket peer = deaf.accept()) {
                    acceptHandshake(peer);
                    sent.get(10, TimeUnit.SECONDS);
                    pinger.next(TransportEvent.ConnectionOpened.class);
                    // its own ping, unmasked as a server's frames are, gets a masked pong with its payload
                    peer.getOutputStream().write(new byte[] {(byte) 0x89, 0x01, 0x42});
                    byte[] pong = nextFrame(peer.getInputStream(), 0xA); // after the request's frame
                    assertThat(pong[1] & 0x80).as("masked").isEqualTo(0x80);
                    assertThat(pong[1] & 0x7f).isEqualTo(1);
                    assertThat((byte) (peer.getInputStream().read() ^ pong[2])).as("its payload").isEqualTo((byte) 0x42);
                    pinger.advance(30_000);
                    byte[] ping = nextFrame(peer.getInputStream(), 0x9);
                    assertThat(ping[1] & 0x7f).as("an empty, masked ping").isZero();
                    pinger.advance(30_000); // no pong by the next ping: closed
                    TransportEvent.ConnectionClosed closed = pinger.next(TransportEvent.ConnectionClosed.class);
                    assertThat(closed.reason()).isEqualTo("keep-alive pong not received");
                    assertThat(closed.remote().getPort()).isEqualTo(deaf.getLocalPort());
                }
            }
        }
    }

    /**
     * Reads masked client frames until one of {@code opcode}; returns its first 6 bytes (header
     * and mask, when its payload is under 126 bytes), the payload left unread.
     */
    private static byte[] nextFrame(InputStream in, int opcode) throws Exception {
        byte[] head = in.readNBytes(6);
        while ((head[0] & 0x0f) != opcode) {
            skipFrame(in, head);
            head = in.readNBytes(6);
        }
        return head;
    }

    /**
     * Skips the rest of a masked client frame whose first 6 bytes are {@code head} (2-byte
     * header, 4-byte mask when its length fits in 7 bits; else the mask is still to come).
     */
    private static void skipFrame(InputStream in, byte[] head) throws Exception {
        int len = head[1] & 0x7f;
        if (len < 126) {
            in.readNBytes(len);
        } else {
            // 16-bit length: bytes 2-3 of head; the mask (4 bytes) is 2 bytes into the rest
            int n = (head[2] & 0xff) << 8 | head[3] & 0xff;
            in.readNBytes(2 + n);
        }
    }

    private static void awaitKeepAlives(TransportHarness h, long n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.transport.metrics().keepAlives() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + h.transport.metrics().keepAlives() + " pongs came back");
            }
            Thread.onSpinWait();
        }
    }

    /** Reads a WebSocket upgrade request from {@code peer} and accepts it with the sip subprotocol (RFC 6455 §4.2.2). */
    static void acceptHandshake(Socket peer) throws Exception {
        peer.setSoTimeout(10_000);
        String head = readHead(peer.getInputStream());
        String key = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:"))
                .findFirst().orElseThrow().substring("sec-websocket-key:".length()).trim();
        byte[] sha1 = java.security.MessageDigest.getInstance("SHA-1").digest(
                (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        String accept = java.util.Base64.getEncoder().encodeToString(sha1);
        peer.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: sip\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        peer.getOutputStream().flush();
    }

    private Socket connect() throws Exception {
        return connect(server);
    }

    static Socket connect(TransportHarness h) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", h.point(TransportType.WS).port()), 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends an HTTP upgrade and returns the response head. */
    static String handshake(Socket s, String path, String protocol, String origin) throws Exception {
        String req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + protocol + "\r\n" + (origin != null ? "Origin: " + origin + "\r\n" : "")
                + "\r\n";
        OutputStream out = s.getOutputStream();
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readHead(s.getInputStream());
    }

    /** Reads an HTTP head, up to and with its empty line. */
    static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A client text frame (FIN, opcode 1), masked as RFC 6455 §5.3 requires. */
    static byte[] maskedTextFrame(byte[] payload) {
        return maskedFrame(0x1, payload);
    }

    /** A final client frame of {@code opcode}, masked as RFC 6455 §5.3 requires. */
    static byte[] maskedFrame(int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xff);
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }
}
