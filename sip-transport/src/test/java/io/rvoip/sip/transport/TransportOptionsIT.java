package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIO instead of epoll, PKCS#12 certificates, binary WebSocket frames, the total connection limit. */
class TransportOptionsIT {

    @Test
    void theNioTransportWorksToo() throws Exception {
        try (TransportHarness a = new TransportHarness(c -> c.nativeTransport(false).listen(TransportType.UDP, loopback())
                .listen(TransportType.TCP, loopback()));
                TransportHarness b = new TransportHarness(c -> c.nativeTransport(false)
                        .listen(TransportType.UDP, loopback()).listen(TransportType.TCP, loopback()))) {
            assertThat(a.transport.ioFlavour()).isEqualTo("nio");
            for (TransportType t : List.of(TransportType.UDP, TransportType.TCP)) {
                a.transport.sendRequest(options(null), b.destination(t)).get(10, TimeUnit.SECONDS);
                assertThat(b.next(TransportEvent.MessageReceived.class).transport()).isEqualTo(t);
            }
        }
    }

    @Test
    void pkcs12Certificates(@TempDir Path dir) throws Exception {
        TestCertificates ca = new TestCertificates("p12 CA");
        TestCertificates.Issued cert = ca.issue("localhost", List.of("localhost"), List.of("127.0.0.1"));
        char[] password = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("sip", cert.key(), password, new Certificate[] {cert.certificate(), ca.ca});
        Path file = dir.resolve("server.p12");
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TLS, loopback())
                .tls(TlsConfig.builder().pkcs12(file, password).build()));
                TransportHarness a = new TransportHarness(c -> c.listen(TransportType.UDP, loopback())
                        .tls(TlsConfig.builder().trust(ca.ca).build()))) {
            // a has no TLS listening point: a client-only TLS user
            a.transport.sendRequest(options(null), b.destination(TransportType.TLS)).get(10, TimeUnit.SECONDS);
            TransportEvent.MessageReceived got = b.next(TransportEvent.MessageReceived.class);
            assertThat(got.transport()).isEqualTo(TransportType.TLS);
            assertThat(got.message().via().port()).as("no port to offer").isEqualTo(-1);
            b.transport.sendResponse(io.rvoip.sip.message.SipResponse.forRequest(
                    (io.rvoip.sip.message.SipRequest) got.message(), io.rvoip.sip.message.StatusCode.OK).build(),
                    got.connection()).get(10, TimeUnit.SECONDS);
            assertThat(a.next(TransportEvent.MessageReceived.class).message().isRequest()).isFalse();
        }
    }

    @Test
    void binaryWebSocketFramesCarrySipToo() throws Exception {
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.WS, loopback()));
                Socket s = new Socket("127.0.0.1", b.point(TransportType.WS).port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: sip\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                head.write(in.read());
            }
            assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
            byte[] payload = options(null).toByteArray();
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x82); // FIN, binary
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xff);
            byte[] mask = {1, 2, 3, 4};
            f.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i & 3]);
            }
            out.write(f.toByteArray());
            assertThat(b.next(TransportEvent.MessageReceived.class).transport()).isEqualTo(TransportType.WS);
        }
    }

    @Test
    void theTotalConnectionLimitIsEnforced() throws Exception {
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TCP, loopback()).maxConnections(2))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket("127.0.0.1", b.point(TransportType.TCP).port());
                    s.setSoTimeout(10_000);
                    sockets.add(s);
                }
                java.util.Set<Integer> admitted = new java.util.HashSet<>();
                for (int i = 0; i < 2; i++) {
                    admitted.add(b.next(TransportEvent.ConnectionOpened.class).remote().getPort());
                }
                Socket refused = sockets.stream().filter(s -> !admitted.contains(s.getLocalPort())).findFirst()
                        .orElseThrow();
                assertThat(refused.getInputStream().read()).isEqualTo(-1);
                assertThat(b.transport.metrics().connectionsRefused()).isEqualTo(1);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            // outbound connections count too: with the slots free again a new one is accepted
            for (int i = 0; i < 2; i++) {
                b.next(TransportEvent.ConnectionClosed.class);
            }
            assertThat(b.transport.metrics().openConnections()).isZero();
        }
    }

}
