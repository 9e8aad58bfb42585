package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.io.AudioSink;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.sdp.SessionDescription;
import io.rvoip.sip.uri.Uri;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A phone on raw UDP that a coordinator calls: it reads the INVITE, and the test answers it with
 * the responses and SDP it wants (a 183 from a media server, a 200 from another fork, Opus...),
 * as carriers and call centers' phones do. The counterpart of {@link RawSipPeer}, which calls.
 */
final class CalledPeer implements AutoCloseable {
    private final DatagramSocket sip;
    /** The coordinator's end of the call. */
    final CallSession call;
    /** The coordinator's INVITE. */
    final SipRequest invite;
    private final InetSocketAddress coordinator;
    private final String contact;

    /** {@code from} calls a new peer; its call records into {@code sink} (may be null). */
    CalledPeer(SessionCoordinator from, AudioSink sink) throws IOException {
        this.sip = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        sip.setSoTimeout(10_000);
        this.contact = "<sip:peer@127.0.0.1:" + sip.getLocalPort() + ">";
        this.call = from.call(Address.of(Uri.parse("sip:caller@127.0.0.1")),
                Uri.parse("sip:peer@127.0.0.1:" + sip.getLocalPort()), null, sink);
        this.invite = receive("INVITE");
        this.coordinator = new InetSocketAddress("127.0.0.1", invite.via().port());
    }

    /** A socket on 127.0.0.1 for a peer's RTP, reads giving up after 200 ms. */
    static DatagramSocket rtpSocket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        s.setSoTimeout(200);
        return s;
    }

    /** The SDP offer in the INVITE. */
    String offer() {
        return new String(invite.body(), StandardCharsets.UTF_8);
    }

    /** Where the coordinator's RTP for this call is (its offer's audio port). */
    InetSocketAddress offeredRtp() {
        return new InetSocketAddress("127.0.0.1", SessionDescription.parse(offer()).media().get(0).port());
    }

    /** The payload type the offer gives Opus. */
    int opusPayloadType() {
        Matcher m = Pattern.compile("a=rtpmap:(\\d+) opus/48000/2").matcher(offer());
        assertThat(m.find()).as("Opus offered").isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** A plain-RTP answer to {@code rtpPort}: these static payload types and telephone-event 101. */
    static String answer(int rtpPort, String payloadTypes) {
        return RawSipPeer.SDP.replace("m=audio 4000 RTP/AVP 0 8 101", "m=audio " + rtpPort + " RTP/AVP " + payloadTypes + " 101");
    }

    /** An answer in Opus only (payload type {@code pt}), with this packet time (0: none said). */
    static String opusAnswer(int rtpPort, int pt, int ptime) {
        return RawSipPeer.SDP.replace("m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000",
                "m=audio " + rtpPort + " RTP/AVP " + pt + "\r\na=rtpmap:" + pt + " opus/48000/2"
                        + (ptime > 0 ? "\r\na=ptime:" + ptime : ""));
    }

    /** A 183 with this SDP, To tag {@code tag}; returns once the call is in early media. */
    void earlyMedia(String tag, String sdp) throws IOException {
        respond(183, tag, sdp);
        LossyUdpRelay.await(() -> call.state() == CallState.EARLY_MEDIA, "early media");
    }

    /** A 200 with this SDP, To tag {@code tag} (another one than the 183's: another fork); reads the ACK. */
    void answer(String tag, String sdp) throws IOException {
        respond(200, tag, sdp);
        receive("ACK");
        LossyUdpRelay.await(() -> call.state() == CallState.ACTIVE, "answered");
    }

    /** Hangs up the coordinator's end and answers its BYE. */
    void hangUp() throws IOException {
        call.hangup();
        SipRequest bye = receive("BYE");
        byte[] ok = SipResponse.forRequest(bye, StatusCode.OK).build().toByteArray();
        sip.send(new DatagramPacket(ok, ok.length, coordinator));
    }

    private void respond(int status, String tag, String sdp) throws IOException {
        byte[] bytes = SipResponse.forRequest(invite, StatusCode.valueOf(status), tag).set("Contact", contact)
                .body(MediaType.APPLICATION_SDP, sdp.getBytes(StandardCharsets.UTF_8)).build().toByteArray();
        sip.send(new DatagramPacket(bytes, bytes.length, coordinator));
    }

    /** Reads until a request of this method arrives. */
    private SipRequest receive(String method) throws IOException {
        byte[] buf = new byte[65536];
        for (;;) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            sip.receive(d);
            if (SipParser.defaults().parseDatagram(buf, 0, d.getLength()) instanceof SipRequest r
                    && r.method().name().equals(method)) {
                return r;
            }
        }
    }

    @Override
    public void close() {
        sip.close();
    }
}
