package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.parser.ParserLimits;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IPv6, hostile input over TCP, TLS record chunking and versions, response re-routing, oversize datagrams. */
class TransportEdgeCasesIT {

    @Test
    void ipv6LoopbackOverUdpAndTcp() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress("::1", 0);
        try (TransportHarness a = new TransportHarness(c -> c.listen(TransportType.UDP, v6).listen(TransportType.TCP, v6));
                TransportHarness b = new TransportHarness(c -> c.listen(TransportType.UDP, v6)
                        .listen(TransportType.TCP, v6))) {
            for (TransportType t : List.of(TransportType.UDP, TransportType.TCP)) {
                Destination to = Destination.of(t, new InetSocketAddress("::1", b.point(t).port()));
                a.transport.sendRequest(options(null), to).get(10, TimeUnit.SECONDS);
                TransportEvent.MessageReceived got = b.next(TransportEvent.MessageReceived.class);
                assertThat(got.message().via().host()).isEqualTo("[0:0:0:0:0:0:0:1]");
                assertThat(got.message().via().received()).as("same address, rport asked").isNotNull();
                b.transport.sendResponse(SipResponse.forRequest((SipRequest) got.message(), StatusCode.OK).build(),
                        got.connection()).get(10, TimeUnit.SECONDS);
                assertThat(((SipResponse) a.next(TransportEvent.MessageReceived.class).message()).statusCode())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void invalidTortureMessagesOverTcpAreRejectedAndTheServerKeepsWorking() throws Exception {
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TCP, loopback()))) {
            List<String> invalid = List.of("badinv01", "clerr", "ncl", "scalar02", "quotbal", "ltgtruri", "lwsruri",
                    "bigcode", "mcl01");
            for (String name : invalid) {
                try (Socket s = new Socket("127.0.0.1", b.point(TransportType.TCP).port())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(Files.readAllBytes(SharedFiles.rfc4475().resolve(name + ".dat")));
                    s.shutdownOutput();
                    s.getInputStream().read(); // the server either closes (framing lost) or keeps quiet
                }
            }
            try (Socket s = new Socket("127.0.0.1", b.point(TransportType.TCP).port())) {
                s.getOutputStream().write(options(null).toByteArray());
                assertThat(b.next(TransportEvent.MessageReceived.class).message().isRequest()).isTrue();
            }
            assertThat(b.transport.metrics().rejected()).isGreaterThanOrEqualTo(invalid.size() - 1);
        }
    }

    @Test
    void aBigMessageInManySmallTlsRecordsAndTls12() throws Exception {
        TestCertificates ca = new TestCertificates("chunk CA");
        TestCertificates.Issued cert = ca.issue("localhost", List.of("localhost"), List.of("127.0.0.1"));
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TLS, loopback())
                .tls(TlsConfig.builder().certificate(cert.key(), cert.certificate()).protocols("TLSv1.2").build()))) {
            SSLContext ctx = ca.clientContext();
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1",
                    b.point(TransportType.TLS).port())) {
                s.startHandshake();
                assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
                byte[] big = options("z".repeat(5000)).toByteArray();
                OutputStream out = s.getOutputStream();
                for (int i = 0; i < big.length; i += 11) {
                    out.write(big, i, Math.min(11, big.length - i)); // one TLS record per write
                    out.flush();
                }
                assertThat(b.next(TransportEvent.MessageReceived.class).message().bodyLength()).isEqualTo(5000);
            }
        }
    }

    @Test
    void aResponseWhoseConnectionIsGoneOpensANewOneToTheSentByPort() throws Exception {
        try (TransportHarness a = new TransportHarness(c -> c.listen(TransportType.TCP, loopback()));
                TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TCP, loopback()))) {
            a.transport.sendRequest(options(null), b.destination(TransportType.TCP)).get(10, TimeUnit.SECONDS);
            TransportEvent.MessageReceived got = b.next(TransportEvent.MessageReceived.class);
            b.transport.close(got.connection());
            b.next(TransportEvent.ConnectionClosed.class);
            a.next(TransportEvent.ConnectionClosed.class);
            b.transport.sendResponse(SipResponse.forRequest((SipRequest) got.message(), StatusCode.OK).build(),
                    got.connection()).get(10, TimeUnit.SECONDS);
            TransportEvent.MessageReceived answer = a.next(TransportEvent.MessageReceived.class);
            assertThat(((SipResponse) answer.message()).statusCode()).isEqualTo(200);
            assertThat(answer.connection()).isNotEqualTo(got.connection());
        }
    }

    @ParameterizedTest(name = "native transport {0}")
    @ValueSource(booleans = {true, false})
    void oversizeDatagramsAreDroppedAndCountedNotCutShort(boolean nativeTransport) throws Exception {
        ParserLimits small = new ParserLimits(4096, 64, 1024, 512, 4096, 16, 16);
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.UDP, loopback()).limits(small)
                .nativeTransport(nativeTransport));
                DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", b.point(TransportType.UDP).port());
            // over UDP a body without Content-Length runs to the end of the datagram (RFC 3261
            // §18.3): cut short at the limit (or at NIO's default 2,048-byte slot), these would
            // parse as valid, shorter messages
            String head = "MESSAGE sip:b@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKbig\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: big@127.0.0.1\r\n"
                    + "CSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Type: text/plain\r\n\r\n";
            for (int size : new int[] {4097, 5000, 9000, 20000}) {
                byte[] big = (head + "w".repeat(size - head.length())).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(big).hasSize(size);
                s.send(new DatagramPacket(big, big.length, to));
            }
            byte[] ok = options(null).toByteArray();
            s.send(new DatagramPacket(ok, ok.length, to));
            assertThat(b.next(TransportEvent.MessageReceived.class).message().bodyLength()).isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (b.transport.metrics().oversize() < 4 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(b.transport.metrics().oversize()).isEqualTo(4);
            assertThat(b.transport.metrics().rejected()).isZero();
            assertThat(b.transport.metrics().received()).isEqualTo(1);
            // at the limit a message is taken
            byte[] atLimit = (head + "w".repeat(4096 - head.length())).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(atLimit, atLimit.length, to));
            assertThat(b.next(TransportEvent.MessageReceived.class).message().bodyLength()).isEqualTo(4096 - head.length());
        }
    }
}
