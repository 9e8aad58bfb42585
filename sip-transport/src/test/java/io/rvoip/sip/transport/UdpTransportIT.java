package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpTransportIT {
    private final TransportHarness a = new TransportHarness(b -> b.listen(TransportType.UDP, loopback())
            .listen(TransportType.TCP, loopback()));
    private final int bPort = freePort();
    private final TransportHarness b = new TransportHarness(c -> c
            .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", bPort))
            .listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", bPort)));

    private static int freePort() {
        try {
            return TransportHarness.freePortForBoth();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
    }

    @Test
    void requestAndResponseRoundTripWithRport() throws Exception {
        SipRequest request = options(null);
        Destination used = a.transport.sendRequest(request, b.destination(TransportType.UDP)).get(10, TimeUnit.SECONDS);
        assertThat(used.transport()).isEqualTo(TransportType.UDP);

        TransportEvent.MessageReceived got = b.next(TransportEvent.MessageReceived.class);
        assertThat(got.transport()).isEqualTo(TransportType.UDP);
        assertThat(got.connection()).isNull();
        assertThat(got.remote().getPort()).isEqualTo(a.point(TransportType.UDP).port());
        SipRequest received = (SipRequest) got.message();
        Via top = received.via();
        assertThat(top.transport()).isEqualTo("UDP");
        assertThat(top.host()).isEqualTo("127.0.0.1");
        assertThat(top.port()).isEqualTo(a.point(TransportType.UDP).port());
        assertThat(top.received()).as("RFC 3581: received added when rport is asked for").isEqualTo("127.0.0.1");
        assertThat(top.rport()).isEqualTo(got.remote().getPort());
        assertThat(received.callId()).isEqualTo(request.callId());
        assertThat(got.routingKey()).isEqualTo(request.callId());

        SipResponse ok = SipResponse.forRequest(received, StatusCode.OK).build();
        b.transport.sendResponse(ok, null).get(10, TimeUnit.SECONDS);
        TransportEvent.MessageReceived answer = a.next(TransportEvent.MessageReceived.class);
        assertThat(((SipResponse) answer.message()).statusCode()).isEqualTo(200);
        assertThat(answer.message().via().branch()).isEqualTo(request.via().branch());
        assertThat(b.transport.metrics().received()).isEqualTo(1);
        assertThat(b.transport.metrics().sent()).isEqualTo(1);
    }

    @Test
    void largeRequestsSwitchToTcp() throws Exception {
        SipRequest big = options("x".repeat(2000));
        Destination used = a.transport.sendRequest(big, b.destination(TransportType.UDP)).get(10, TimeUnit.SECONDS);
        assertThat(used.transport()).isEqualTo(TransportType.TCP);
        TransportEvent.MessageReceived got = b.next(TransportEvent.MessageReceived.class);
        assertThat(got.transport()).isEqualTo(TransportType.TCP);
        assertThat(got.connection()).isNotNull();
        assertThat(got.message().via().transport()).isEqualTo("TCP");
        assertThat(got.message().bodyLength()).isEqualTo(2000);
        // the response goes back on the same connection
        SipResponse ok = SipResponse.forRequest((SipRequest) got.message(), StatusCode.OK).build();
        b.transport.sendResponse(ok, got.connection()).get(10, TimeUnit.SECONDS);
        assertThat(((SipResponse) a.next(TransportEvent.MessageReceived.class).message()).statusCode()).isEqualTo(200);
    }

    @Test
    void garbageAndInvalidTortureMessagesAreDroppedAndCounted() throws Exception {
        Path dir = io.rvoip.sip.transport.SharedFiles.rfc4475();
        List<String> invalid = List.of("badinv01", "clerr", "ncl", "scalar02", "scalarlg", "quotbal", "ltgtruri",
                "lwsruri", "bigcode", "lwsstart", "trws", "badaspec", "baddn", "mcl01");
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", b.point(TransportType.UDP).port());
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (String name : invalid) {
                byte[] bytes = Files.readAllBytes(dir.resolve(name + ".dat"));
                s.send(new DatagramPacket(bytes, bytes.length, to));
            }
            byte[] junk = new byte[1200];
            new java.util.Random(7).nextBytes(junk);
            s.send(new DatagramPacket(junk, junk.length, to));
            byte[] keepAlive = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(keepAlive, keepAlive.length, to));
            byte[] valid = options(null).toByteArray();
            s.send(new DatagramPacket(valid, valid.length, to));
        }
        TransportEvent.MessageReceived ok = b.next(TransportEvent.MessageReceived.class);
        assertThat(ok.message().isRequest()).isTrue();
        TransportEvent.MessageRejected rejected = b.next(TransportEvent.MessageRejected.class);
        assertThat(rejected.bytes()).isNotEmpty();
        assertThat(rejected.reason()).isNotBlank();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (b.transport.metrics().rejected() < invalid.size() + 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(b.transport.metrics().rejected()).isEqualTo(invalid.size() + 1);
        assertThat(b.transport.metrics().keepAlives()).isEqualTo(1);
        assertThat(b.transport.metrics().received()).isEqualTo(1);
    }

    @Test
    void aFailedConnectionFailsTheSendAndIsCounted() throws Exception {
        TransportHarness udpOnly = new TransportHarness(c -> c.listen(TransportType.UDP, loopback()));
        try {
            int dead;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                dead = s.getLocalPort();
            }
            var f = udpOnly.transport.sendRequest(options(null),
                    Destination.of(TransportType.TLS, new InetSocketAddress("127.0.0.1", dead)));
            TransportHarness.assertFails(f);
            assertThat(udpOnly.transport.metrics().sendFailures()).isEqualTo(1);
        } finally {
            udpOnly.close();
        }
    }
}
