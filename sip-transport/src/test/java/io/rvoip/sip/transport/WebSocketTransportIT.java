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

    private Socket connect() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.point(TransportType.WS).port()), 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends an HTTP upgrade and returns the response head. */
    private static String handshake(Socket s, String path, String protocol, String origin) throws Exception {
        String req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + protocol + "\r\n" + (origin != null ? "Origin: " + origin + "\r\n" : "")
                + "\r\n";
        OutputStream out = s.getOutputStream();
        out.write(req.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
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
    private static byte[] maskedTextFrame(byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
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
