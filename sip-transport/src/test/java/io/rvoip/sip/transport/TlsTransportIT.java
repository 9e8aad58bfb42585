package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with certificates made by a CA created at test time (Bouncy Castle). */
class TlsTransportIT {
    static TestCertificates ca;
    static TestCertificates otherCa;
    static TestCertificates.Issued server;
    static TestCertificates.Issued client;
    static TestCertificates.Issued rogue;

    @BeforeAll
    static void certificates() throws Exception {
        ca = new TestCertificates("rvoip test CA");
        otherCa = new TestCertificates("untrusted CA");
        server = ca.issue("sip.example.test", List.of("localhost", "sip.example.test"), List.of("127.0.0.1"));
        client = ca.issue("alice", List.of("alice.example.test"), List.of());
        rogue = otherCa.issue("localhost", List.of("localhost"), List.of("127.0.0.1"));
    }

    static TransportHarness tlsServer(TestCertificates.Issued cert, TlsConfig.ClientAuthMode auth) {
        return new TransportHarness(c -> c.listen(TransportType.TLS, loopback())
                .tls(TlsConfig.builder().certificate(cert.key(), cert.certificate()).trust(ca.ca).clientAuth(auth).build()));
    }

    static TransportHarness tlsClient(TestCertificates.Issued cert) {
        TlsConfig.Builder tls = TlsConfig.builder().trust(ca.ca);
        if (cert != null) {
            tls.certificate(cert.key(), cert.certificate());
        }
        return new TransportHarness(c -> c.listen(TransportType.TLS, loopback()).tls(cert != null ? tls.build()
                : tls.certificate(client.key(), client.certificate()).build()));
    }

    static Destination to(TransportHarness h, String name) {
        return new Destination(TransportType.TLS, new InetSocketAddress("127.0.0.1",
                h.point(TransportType.TLS).port()), name);
    }

    @Test
    void aTrustedServerIsReachedAndAnswersOnTheSameConnection() throws Exception {
        try (TransportHarness b = tlsServer(server, TlsConfig.ClientAuthMode.NONE);
                TransportHarness a = tlsClient(client)) {
            a.transport.sendRequest(options(null), to(b, "localhost")).get(10, TimeUnit.SECONDS);
            TransportEvent.MessageReceived got = b.next(TransportEvent.MessageReceived.class);
            assertThat(got.transport()).isEqualTo(TransportType.TLS);
            assertThat(got.message().via().transport()).isEqualTo("TLS");
            b.transport.sendResponse(SipResponse.forRequest((SipRequest) got.message(), StatusCode.OK).build(),
                    got.connection()).get(10, TimeUnit.SECONDS);
            assertThat(((SipResponse) a.next(TransportEvent.MessageReceived.class).message()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        try (TransportHarness b = tlsServer(server, TlsConfig.ClientAuthMode.NONE);
                TransportHarness a = tlsClient(client)) {
            var f = a.transport.sendRequest(options(null), to(b, "evil.example.com"));
            TransportHarness.assertFails(f);
            assertThat(a.next(TransportEvent.ConnectionFailed.class).reason()).isNotBlank();
            b.assertNone(TransportEvent.MessageReceived.class);
        }
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefused() throws Exception {
        try (TransportHarness b = tlsServer(rogue, TlsConfig.ClientAuthMode.NONE);
                TransportHarness a = tlsClient(client)) {
            var f = a.transport.sendRequest(options(null), to(b, "localhost"));
            TransportHarness.assertFails(f);
            a.next(TransportEvent.ConnectionFailed.class);
            b.assertNone(TransportEvent.MessageReceived.class);
        }
    }

    @Test
    void mutualTlsRequiresTheClientCertificate() throws Exception {
        try (TransportHarness b = tlsServer(server, TlsConfig.ClientAuthMode.REQUIRE);
                TransportHarness withCert = tlsClient(client);
                TransportHarness noCert = new TransportHarness(c -> c.listen(TransportType.UDP, loopback())
                        .tls(TlsConfig.builder().trust(ca.ca).build()))) {
            withCert.transport.sendRequest(options(null), to(b, "localhost")).get(10, TimeUnit.SECONDS);
            assertThat(b.next(TransportEvent.MessageReceived.class).transport()).isEqualTo(TransportType.TLS);

            SipRequest r = options(null);
            var f = noCert.transport.send(r, to(b, "localhost"));
            // the client's handshake may finish before the server refuses it; the server never takes the message
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (Exception expected) {
                // refused during the handshake
            }
            // TLS 1.3: the client's handshake completes first, then the server's alert closes it
            TransportEvent end = noCert.events.isEmpty() ? null : null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (end == null && System.nanoTime() < deadline) {
                synchronized (noCert.events) {
                    end = noCert.events.stream().filter(e -> e instanceof TransportEvent.ConnectionClosed
                            || e instanceof TransportEvent.ConnectionFailed).findFirst().orElse(null);
                    if (end == null) {
                        noCert.events.wait(100);
                    }
                }
            }
            assertThat(end).as("the client's connection ended").isNotNull();
            b.assertNone(TransportEvent.MessageReceived.class);
        }
    }

    @Test
    void pemFilesWork(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Files.writeString(cert, pem("CERTIFICATE", server.certificate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(key, pem("PRIVATE KEY", server.key().getEncoded()), StandardCharsets.US_ASCII);
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TLS, loopback())
                .tls(TlsConfig.builder().certificate(cert, key).build()));
                TransportHarness a = tlsClient(client)) {
            a.transport.sendRequest(options(null), to(b, "sip.example.test")).get(10, TimeUnit.SECONDS);
            assertThat(b.next(TransportEvent.MessageReceived.class).transport()).isEqualTo(TransportType.TLS);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
