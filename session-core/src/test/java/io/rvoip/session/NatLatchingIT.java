package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.time.ManualClock;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.session.MediaClock;
import io.rvoip.rtp.RtpHeader;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A phone behind NAT: its SDP names the address and port it has inside (here a port nobody
 * listens on), while its RTP reaches us from the address the NAT gave it (another socket). With
 * symmetric RTP (the default) our audio goes back to where the phone's comes from, so the call
 * is two-way; with latching off it goes to the dead SDP port and the phone hears nothing.
 */
class NatLatchingIT {
    private final ManualClock clock = new ManualClock();
    private final MediaClock media = MediaClock.manual(clock);
    private SessionCoordinator alice;

    @AfterEach
    void tearDown() {
        if (alice != null) {
            alice.stop();
        }
    }

    @ParameterizedTest(name = "latching {0}")
    @ValueSource(booleans = {true, false})
    void ourRtpGoesWhereTheNattedPhonesComesFrom(boolean latching) throws Exception {
        int base = 20000 + 1000 * new Random().nextInt(12);
        alice = SessionCoordinator.builder().listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .rtpPorts(base, base + 99).codecs(CodecRegistry.of(true, G711.PCMU)).clock(clock).mediaClock(media)
                .rtpLatching(latching).build();
        try (DatagramSocket sip = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket rtp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             DatagramSocket inside = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int deadPort = inside.getLocalPort(); // what the phone's SDP says; nothing reads it
            CallSession call = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")),
                    Uri.parse("sip:phone@127.0.0.1:" + sip.getLocalPort()), null, null);
            // the phone answers the INVITE with its inside port
            SipRequest invite = receive(sip);
            String sdp = "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + deadPort + " RTP/AVP 0\r\na=sendrecv\r\n";
            String ok = "SIP/2.0 200 OK\r\nVia: " + invite.via() + "\r\nFrom: " + invite.from() + "\r\nTo: " + invite.to()
                    + ";tag=nat\r\nCall-ID: " + invite.callId() + "\r\nCSeq: " + invite.cseq() + "\r\nContact: <sip:phone@127.0.0.1:"
                    + sip.getLocalPort() + ">\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            send(sip, ok, new InetSocketAddress("127.0.0.1", ((io.rvoip.sip.uri.SipUri) alice.contact().uri()).port()));
            call.answered().get(10, TimeUnit.SECONDS);
            int aliceRtp = call.rtp.localRtpPort();
            // the phone's RTP arrives from the NAT's port
            rtp.setSoTimeout(5);
            inside.setSoTimeout(5);
            int heard = 0;
            int heardInside = 0;
            for (int i = 0; i < 50; i++) {
                byte[] packet = new byte[172];
                new RtpHeader().payloadType(0).ssrc(0x4E415421).sequenceNumber(i).timestamp(i * 160L)
                        .encodeTo(packet, 0, new byte[160], 0, 160);
                rtp.send(new DatagramPacket(packet, packet.length, new InetSocketAddress("127.0.0.1", aliceRtp)));
                clock.advanceMillis(20);
                media.runDue(clock.nanoTime());
                heard += drain(rtp);
                heardInside += drain(inside);
            }
            rtp.setSoTimeout(200);
            inside.setSoTimeout(200);
            heard += drain(rtp);        // what was still on its way
            heardInside += drain(inside);
            if (latching) {
                assertThat(heard).as("our RTP reaches the phone through its NAT").isGreaterThan(40);
                assertThat(call.rtp.remoteRtp().getPort()).isEqualTo(rtp.getLocalPort());
            } else {
                assertThat(heard).as("without latching our RTP goes to the SDP port").isZero();
                assertThat(heardInside).isGreaterThan(40);
            }
            call.hangup();
            send(sip, "SIP/2.0 200 OK\r\n" + headersOf(receive(sip)), new InetSocketAddress("127.0.0.1",
                    ((io.rvoip.sip.uri.SipUri) alice.contact().uri()).port()));
            call.ended().get(10, TimeUnit.SECONDS);
        }
    }

    /** The next request (ACKs skipped). */
    private static SipRequest receive(DatagramSocket sip) throws Exception {
        sip.setSoTimeout(10_000);
        byte[] buf = new byte[65536];
        while (true) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            sip.receive(d);
            SipMessage m = SipParser.defaults().parseDatagram(java.util.Arrays.copyOf(buf, d.getLength()));
            if (m instanceof SipRequest r && !r.method().name().equals("ACK")) {
                return r;
            }
        }
    }

    private static String headersOf(SipRequest r) {
        return "Via: " + r.via() + "\r\nFrom: " + r.from() + "\r\nTo: " + r.to() + "\r\nCall-ID: " + r.callId() + "\r\nCSeq: "
                + r.cseq() + "\r\nContent-Length: 0\r\n\r\n";
    }

    private static int drain(DatagramSocket s) throws Exception {
        int n = 0;
        byte[] buf = new byte[2048];
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(s.getSoTimeout() > 5 ? 300 : 5);
        while (System.nanoTime() < until) {
            try {
                s.receive(new DatagramPacket(buf, buf.length));
                n++;
            } catch (SocketTimeoutException none) {
                break;
            }
        }
        return n;
    }

    private static void send(DatagramSocket s, String text, InetSocketAddress to) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, to));
    }
}
