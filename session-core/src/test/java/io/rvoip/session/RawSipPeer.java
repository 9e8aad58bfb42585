package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.LossyUdpRelay;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.uri.SipUri;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A SIP peer on a raw UDP socket, for tests: one call to the coordinator with the media
 * direction, offer and Contact it chooses, requests in its dialog (re-INVITE, REFER, BYE) and
 * answers to the coordinator's. It sends no media itself (neither RTP nor RTCP); a test that
 * needs media sends it from a socket of its own, named in {@link #offer}.
 */
final class RawSipPeer implements AutoCloseable {
    /** The offer the peer makes: PCMU and telephone-event on port 4000 (where nothing listens), rtcp-mux, sendrecv. */
    static final String SDP = """
            v=0
            o=peer 1 1 IN IP4 127.0.0.1
            s=-
            c=IN IP4 127.0.0.1
            t=0 0
            m=audio 4000 RTP/AVP 0 8 101
            a=rtpmap:101 telephone-event/8000
            a=rtcp-mux
            a=sendrecv
            """.replace("\n", "\r\n");

    private final SessionCoordinator target;
    private final DatagramSocket socket;
    private final String callId;
    private final InetSocketAddress to;
    private final String head;
    private String toTag;
    private int cseq = 7;
    /** The Contact URI our INVITEs carry; null for our own SIP address. */
    String contact;
    /**
     * The offer our INVITEs carry; its {@code a=sendrecv} line becomes the direction asked for,
     * and its {@code o=peer 1 1} line a new version each time.
     */
    String offer = SDP;
    /** The body of the last 2xx to one of our INVITEs. */
    String lastAnswer;
    /** The final status of our last INVITE. */
    int lastStatus;
    /** The reason phrase of that final response. */
    String lastReason;
    /** Header lines (each ending in CRLF) our INVITEs carry besides the usual ones. */
    String extraHeaders = "";

    /** ACKs of this call the coordinator's dialog layer has taken in. */
    private final java.util.concurrent.atomic.AtomicInteger acks = new java.util.concurrent.atomic.AtomicInteger();
    private final io.rvoip.infra.event.Subscription ackWatch;
    /** Exchanges the coordinator has applied to this call's media ({@code MediaNegotiated}). */
    private final java.util.concurrent.atomic.AtomicInteger negotiations = new java.util.concurrent.atomic.AtomicInteger();
    private final io.rvoip.infra.event.Subscription negotiationWatch;

    RawSipPeer(SessionCoordinator target, String callId) throws java.io.IOException {
        this.target = target;
        this.callId = callId + "@127.0.0.1";
        String id = this.callId;
        this.ackWatch = target.events().subscribe(io.rvoip.sip.dialog.DialogEvent.AckReceived.class).inline()
                .handle(a -> {
                    if (a.dialog().callId().equals(id)) {
                        acks.incrementAndGet();
                    }
                });
        this.negotiationWatch = target.events().subscribe(SessionEvent.MediaNegotiated.class).inline()
                .handle(m -> {
                    if (m.sessionId().equals(id)) {
                        negotiations.incrementAndGet();
                    }
                });
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setSoTimeout(10_000);
        SipUri contact = (SipUri) target.contact().uri();
        this.to = new InetSocketAddress(contact.host(), contact.port());
        this.head = "sip:bob@" + contact.host() + ":" + contact.port() + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                + socket.getLocalPort() + ";branch=z9hG4bK";
    }

    /** Places the call with this direction line, ACKs the 200, and returns the call once up. */
    CallSession call(String direction) throws java.io.IOException {
        toTag = invite(direction, "");
        LossyUdpRelay.await(() -> target.calls().stream().anyMatch(c -> c.id().equals(callId)
                && (c.state() == CallState.ACTIVE)), "the call up");
        return target.calls().stream().filter(c -> c.id().equals(callId)).findFirst().orElseThrow();
    }

    /** Sends the INVITE of a call (ACKing its final response) and returns the final status. */
    int offer() throws java.io.IOException {
        toTag = invite("a=sendrecv", "");
        return lastStatus;
    }

    /**
     * A re-INVITE in the dialog with this direction line, ACKed once answered; its final status.
     * A 2xx returns once the coordinator has applied its answer to the call's media.
     */
    int reInvite(String direction) throws java.io.IOException {
        int applied = negotiations.get();
        invite(direction, ";tag=" + toTag);
        if (lastStatus < 300) {
            LossyUdpRelay.await(() -> negotiations.get() > applied, "the answer applied to the call's media");
        }
        return lastStatus;
    }

    /**
     * A re-INVITE without an offer: returns the offer in the 200, after ACKing it with
     * {@code answer} as its body (none when null).
     */
    String reInviteWithoutOffer(String answer) throws java.io.IOException {
        int n = ++cseq;
        String dialog = "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\nCall-ID: " + callId + "\r\n"
                + "To: <sip:bob@127.0.0.1>;tag=" + toTag;
        send("INVITE " + head + "inv" + n + "\r\n" + dialog + "\r\nCSeq: " + n + " INVITE\r\n"
                + "Contact: <sip:alice@127.0.0.1:" + socket.getLocalPort() + ">\r\nContent-Length: 0\r\n\r\n");
        SipResponse ok = finalResponse(n);
        assertThat(ok.statusCode()).as("an offerless re-INVITE is answered with an offer").isEqualTo(200);
        int acked = acks.get();
        send("ACK " + head + "ack" + n + "\r\n" + dialog + "\r\nCSeq: " + n + " ACK\r\n"
                + (answer == null ? "Content-Length: 0\r\n\r\n" : "Content-Type: application/sdp\r\nContent-Length: "
                + answer.length() + "\r\n\r\n" + answer));
        LossyUdpRelay.await(() -> acks.get() > acked, "the coordinator to take the ACK");
        return new String(ok.body(), StandardCharsets.UTF_8);
    }

    private String invite(String direction, String toParams) throws java.io.IOException {
        int n = ++cseq;
        String sdp = offer.replace("a=sendrecv", direction).replace("o=peer 1 1", "o=peer 1 " + n);
        String dialog = "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\nCall-ID: " + callId + "\r\n"
                + "To: <sip:bob@127.0.0.1>";
        send("INVITE " + head + "inv" + n + "\r\n" + dialog + toParams + "\r\nCSeq: " + n + " INVITE\r\n"
                + "Contact: <" + (contact != null ? contact : "sip:alice@127.0.0.1:" + socket.getLocalPort())
                + ">\r\nContent-Type: application/sdp\r\n" + extraHeaders
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp);
        SipResponse last = finalResponse(n);
        lastStatus = last.statusCode();
        lastReason = last.reasonPhrase();
        String tag = last.to().tag();
        if (lastStatus >= 300) { // the ACK of a failure is part of the INVITE's transaction: its branch
            send("ACK " + head + "inv" + n + "\r\n" + dialog + (toParams.isEmpty() ? ";tag=" + tag : toParams)
                    + "\r\nCSeq: " + n + " ACK\r\nContent-Length: 0\r\n\r\n");
            return tag;
        }
        lastAnswer = new String(last.body(), StandardCharsets.UTF_8);
        int acked = acks.get();
        send("ACK " + head + "ack" + n + "\r\n" + dialog + ";tag=" + tag + "\r\nCSeq: " + n
                + " ACK\r\nContent-Length: 0\r\n\r\n");
        // in before a test moves the clock: 32 s without it, and the coordinator gives up the call
        LossyUdpRelay.await(() -> acks.get() > acked, "the coordinator to take the ACK");
        return tag;
    }

    /** Sends a REFER in the dialog to this target and returns the final status of the REFER. */
    int refer(String referTo) throws java.io.IOException {
        int n = ++cseq;
        send("REFER " + head + "refer" + n + "\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\nCall-ID: "
                + callId + "\r\nTo: <sip:bob@127.0.0.1>;tag=" + toTag + "\r\nCSeq: " + n + " REFER\r\n"
                + "Contact: <sip:alice@127.0.0.1:" + socket.getLocalPort() + ">\r\nRefer-To: " + referTo + "\r\n"
                + "Content-Length: 0\r\n\r\n");
        return finalResponse(n).statusCode();
    }

    /**
     * Answers NOTIFYs with 200 until one says the subscription is terminated, and returns
     * that one's sipfrag status line.
     */
    String finalNotify() throws java.io.IOException {
        for (;;) {
            io.rvoip.sip.message.SipRequest notify = receive("NOTIFY");
            respond(notify, 200);
            String state = String.valueOf(notify.get(io.rvoip.sip.header.SipHeaders.SUBSCRIPTION_STATE));
            if (state.contains("terminated")) {
                return new String(notify.body(), StandardCharsets.UTF_8).trim();
            }
        }
    }

    /** Sends a BYE in the dialog and waits for its 200. */
    void bye() throws java.io.IOException {
        int n = ++cseq;
        send("BYE " + head + "bye" + n + "\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\nCall-ID: "
                + callId + "\r\nTo: <sip:bob@127.0.0.1>;tag=" + toTag + "\r\nCSeq: " + n + " BYE\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(finalResponse(n).statusCode()).isEqualTo(200);
    }

    /** Reads until the final response to our request with this CSeq number arrives. */
    private SipResponse finalResponse(int cseqNumber) throws java.io.IOException {
        byte[] buf = new byte[65536];
        for (;;) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            socket.receive(d);
            if (io.rvoip.sip.parser.SipParser.defaults().parseDatagram(buf, 0, d.getLength()) instanceof SipResponse r
                    && r.cseq().seq() == cseqNumber && r.statusCode() >= 200) {
                return r;
            }
        }
    }

    /** Reads until a request of this method arrives and answers it with this status. */
    void answer(String method, int status) throws java.io.IOException {
        respond(receive(method), status);
    }

    /** Reads until a request of this method arrives (answering nothing) and returns it. */
    io.rvoip.sip.message.SipRequest receive(String method) throws java.io.IOException {
        byte[] buf = new byte[65536];
        for (;;) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            socket.receive(d);
            if (io.rvoip.sip.parser.SipParser.defaults().parseDatagram(buf, 0, d.getLength())
                    instanceof io.rvoip.sip.message.SipRequest r && r.method().name().equals(method)) {
                return r;
            }
        }
    }

    /** Answers a request received earlier (to the coordinator's listening point). */
    void respond(io.rvoip.sip.message.SipRequest request, int status) throws java.io.IOException {
        send(new String(SipResponse.forRequest(request, io.rvoip.sip.message.StatusCode.valueOf(status)).build().toByteArray(),
                StandardCharsets.UTF_8));
    }

    /** Reads until a request of this method arrives (answering nothing); false after 10 s. */
    boolean awaitRequest(String method) throws java.io.IOException {
        byte[] buf = new byte[65536];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            DatagramPacket d = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(d);
            } catch (java.net.SocketTimeoutException e) {
                return false;
            }
            if (new String(buf, 0, d.getLength(), StandardCharsets.UTF_8).startsWith(method + " ")) {
                return true;
            }
        }
        return false;
    }

    private void send(String text) throws java.io.IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, to));
    }

    @Override
    public void close() {
        ackWatch.unsubscribe();
        negotiationWatch.unsubscribe();
        socket.close();
    }
}
