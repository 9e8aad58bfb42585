package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.time.ManualClock;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.session.MediaClock;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The calls we place meet a peer that answers anything that parses: provisional and final
 * responses in any order and number, forked 2xx with other tags, early and final SDP that is
 * mutated or missing, redirects back to itself, challenges we cannot answer, silence; then
 * in-dialog requests of its own (re-INVITEs with odd SDP, UPDATE, INFO, NOTIFY, BYE). Every call
 * must end, nothing may fail with an exception, and once the timers run out everything is
 * released. Seeded; real UDP; the manual clock drives every timer.
 */
class HostilePeerIT {
    private final ManualClock clock = new ManualClock();
    private final MediaClock media = MediaClock.manual(clock);
    private final Random random = new Random(6026);
    private SessionCoordinator alice;

    @AfterEach
    void tearDown() {
        if (alice != null) {
            alice.stop();
        }
    }

    @Test
    void everyCallToAHostilePeerEndsAndLeavesNothingBehind() throws Exception {
        try (HostileTesting.FailureLog log = new HostileTesting.FailureLog();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int base = 20000 + 1000 * new Random().nextInt(12); // under the ephemeral range; 300 calls hold up to 600
            alice = alice(base);
            peer.setSoTimeout(100);
            Thread answering = new Thread(() -> answer(peer), "hostile-peer");
            answering.setDaemon(true);
            answering.start();
            Uri target = Uri.parse("sip:peer@127.0.0.1:" + peer.getLocalPort());
            List<CallSession> calls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                calls.add(alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), target, null, null));
                if (i % 10 == 9) {
                    Thread.sleep(20); // the peer answers in its own time
                    clock.advanceMillis(random.nextInt(2000));
                    media.runDue(clock.nanoTime());
                }
            }
            // the timers run out: unanswered calls time out, answered ones without RTP hit the media
            // timeout; a call put on hold (inactive) by the peer stays up until it is hung up
            for (int s = 0; s < 300 && !(calls.stream().allMatch(c -> c.ended().isDone()) && HostileTesting.released(alice)); s++) {
                clock.advanceMillis(1000);
                media.runDue(clock.nanoTime());
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
            calls.stream().filter(c -> !c.ended().isDone()).forEach(CallSession::hangup);
            HostileTesting.stepUntil(clock, media, () -> calls.stream().allMatch(c -> c.ended().isDone())
                    && HostileTesting.released(alice));
            for (CallSession c : calls) {
                assertThat(c.ended()).as("call %s ends (it is %s; its INVITE's final response: %s)", c.id(), c.state(),
                        c.outgoing == null ? null : c.outgoing.finalResponse()).succeedsWithin(1, TimeUnit.SECONDS);
            }
            assertThat(alice.events().metrics().subscriptions()).allSatisfy(m -> assertThat(m.failed()).as(m.name()).isZero());
            assertCleanEnd(log, peer, answering);
        }
    }

    @Test
    void anAnswerThatPointsOurMediaAtOurOwnPortsStillEndsTheCall() throws Exception {
        // the peer answers with our own offer's address and port, without rtcp-mux, and goes
        // silent: all we send comes back to us. Our own RTP and RTCP reports are not the peer's,
        // so the media timeout still ends the call with a BYE, and everything is released. (Our
        // looped-back RTCP once kept such a call up for good, ports and all.)
        try (HostileTesting.FailureLog log = new HostileTesting.FailureLog();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int base = 20000 + 1000 * new Random().nextInt(12);
            alice = alice(base);
            peer.setSoTimeout(100);
            java.util.concurrent.atomic.AtomicInteger byes = new java.util.concurrent.atomic.AtomicInteger();
            Thread answering = new Thread(() -> HostileTesting.readMessages(peer, (m, from) -> {
                if (m instanceof SipRequest req && req.method().name().equals("INVITE")) {
                    io.rvoip.sip.sdp.SessionDescription offer = io.rvoip.sip.sdp.SessionDescription.parse(req.body());
                    String ours = "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 "
                            + offer.connection().host() + "\r\nt=0 0\r\nm=audio " + offer.media().get(0).port()
                            + " RTP/AVP 0\r\na=sendrecv\r\n";
                    send(peer, from, ok(req, ";tag=t1", "Contact: <sip:peer@" + local(peer) + ">\r\n", ours));
                } else if (m instanceof SipRequest req && req.method().name().equals("BYE")) {
                    byes.incrementAndGet();
                    send(peer, from, ok(req, "", "", ""));
                }
            }), "self-pointing-peer");
            answering.setDaemon(true);
            answering.start();
            CallSession call = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")),
                    Uri.parse("sip:peer@127.0.0.1:" + peer.getLocalPort()), null, null);
            call.answered().get(10, TimeUnit.SECONDS);
            HostileTesting.stepUntil(clock, media, () -> call.ended().isDone() && HostileTesting.released(alice));
            assertThat(call.ended()).succeedsWithin(1, TimeUnit.SECONDS)
                    .satisfies(r -> assertThat(r.cause()).isEqualTo(EndReason.Cause.MEDIA_TIMEOUT));
            assertThat(call.rtp.counters().rtcpSent()).as("reports went out and came back").isPositive();
            assertThat(call.rtp.counters().rtcpReceived()).isZero();
            assertThat(call.rtp.counters().sourceDropped()).isPositive();
            assertThat(byes.get()).as("the peer got a BYE (the manual clock may retransmit it)").isPositive();
            assertCleanEnd(log, peer, answering);
        }
    }

    @Test
    void anAnswerWhoseDialogCannotBeReadEndsTheCall() throws Exception {
        // the peer answers 200 with a Record-Route that does not parse: no dialog can be made of
        // it, so dialog-core ACKs it, ends it with BYE and fails the dialog. The call must end
        // with that reason (it once waited for the dialog for good) and release everything
        try (HostileTesting.FailureLog log = new HostileTesting.FailureLog();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int base = 20000 + 1000 * new Random().nextInt(12);
            alice = alice(base);
            peer.setSoTimeout(100);
            java.util.concurrent.atomic.AtomicInteger acks = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger byes = new java.util.concurrent.atomic.AtomicInteger();
            Thread answering = new Thread(() -> HostileTesting.readMessages(peer, (m, from) -> {
                if (m instanceof SipRequest req && req.method().name().equals("INVITE")) {
                    String ours = "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                            + "m=audio 4000 RTP/AVP 0\r\na=sendrecv\r\n";
                    send(peer, from, ok(req, ";tag=t1", "Record-Route: <sip:127.0.0.1:1;lr\r\nContact: <sip:peer@"
                            + local(peer) + ">\r\n", ours));
                } else if (m instanceof SipRequest req && req.method().name().equals("ACK")) {
                    acks.incrementAndGet();
                } else if (m instanceof SipRequest req && req.method().name().equals("BYE")) {
                    byes.incrementAndGet();
                    send(peer, from, ok(req, "", "", ""));
                }
            }), "unreadable-answer-peer");
            answering.setDaemon(true);
            answering.start();
            CallSession call = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")),
                    Uri.parse("sip:peer@127.0.0.1:" + peer.getLocalPort()), null, null);
            assertThat(call.ended()).succeedsWithin(10, TimeUnit.SECONDS)
                    .satisfies(r -> assertThat(r.cause()).isEqualTo(EndReason.Cause.ERROR))
                    .satisfies(r -> assertThat(r.toString()).contains("Record-Route"));
            HostileTesting.stepUntil(clock, media, () -> HostileTesting.released(alice) && acks.get() > 0 && byes.get() > 0);
            assertThat(acks.get()).as("the 2xx was ACKed").isPositive();
            assertThat(byes.get()).as("and ended with BYE").isPositive();
            assertCleanEnd(log, peer, answering);
        }
    }

    @Test
    void aCallHungUpWhileRingingEndsEvenIfThePeerNeverSendsThe487() throws Exception {
        // the peer rings, answers our CANCEL 200, and never ends the INVITE: RFC 3261 §9.1 takes
        // the INVITE as cancelled 64*T1 after the CANCEL (the call once stayed "terminating")
        try (HostileTesting.FailureLog log = new HostileTesting.FailureLog();
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            alice = alice(20000 + 1000 * new Random().nextInt(12));
            peer.setSoTimeout(100);
            java.util.concurrent.atomic.AtomicInteger cancels = new java.util.concurrent.atomic.AtomicInteger();
            Thread answering = new Thread(() -> HostileTesting.readMessages(peer, (m, from) -> {
                if (m instanceof SipRequest req && req.method().name().equals("INVITE")) {
                    send(peer, from, ok(req, ";tag=r1", "", "").replace("200 OK", "180 Ringing"));
                } else if (m instanceof SipRequest req && req.method().name().equals("CANCEL")) {
                    cancels.incrementAndGet();
                    send(peer, from, ok(req, "", "", ""));
                }
            }), "never-487-peer");
            answering.setDaemon(true);
            answering.start();
            CallSession call = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")),
                    Uri.parse("sip:peer@127.0.0.1:" + peer.getLocalPort()), null, null);
            HostileTesting.stepUntil(clock, media, () -> call.state() == CallState.RINGING);
            call.hangup();
            HostileTesting.stepUntil(clock, media, () -> call.ended().isDone() && HostileTesting.released(alice));
            assertThat(call.ended()).succeedsWithin(1, TimeUnit.SECONDS)
                    .satisfies(r -> assertThat(r.cause()).isEqualTo(EndReason.Cause.CANCELLED));
            assertThat(cancels.get()).isPositive();
            assertCleanEnd(log, peer, answering);
        }
    }

    /** How every test here ends: Alice holds nothing, nothing failed, and the peer is gone. */
    private void assertCleanEnd(HostileTesting.FailureLog log, DatagramSocket peer, Thread answering)
            throws InterruptedException {
        assertThat(alice.resourceCounts()).as("dialogs, transactions, ports, calls, timers").containsOnly(0);
        assertThat(log.failures()).as("nothing failed with an exception").isEmpty();
        peer.close();
        answering.join(5000);
    }

    /** Alice: a coordinator on the manual clocks, G.711 only, RTP ports from {@code base}. */
    private SessionCoordinator alice(int base) {
        return SessionCoordinator.builder().listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .rtpPorts(base, base + 999).codecs(CodecRegistry.of(true, G711.PCMU)).shards(2).clock(clock)
                .mediaClock(media).build();
    }

    /** A 200 to {@code req}: {@code toTag} (";tag=…" or ""), extra header lines, an SDP body or "". */
    private static String ok(SipRequest req, String toTag, String extra, String sdp) {
        return "SIP/2.0 200 OK\r\nVia: " + req.via() + "\r\nFrom: " + req.from() + "\r\nTo: " + req.to() + toTag
                + "\r\nCall-ID: " + req.callId() + "\r\nCSeq: " + req.cseq() + "\r\n" + extra
                + (sdp.isEmpty() ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: " + sdp.length()
                + "\r\n\r\n" + sdp;
    }

    /** The peer: answers Alice's requests with whatever the dice say, and starts some of its own. */
    private void answer(DatagramSocket peer) {
        Random dice = new Random(3262);
        HostileTesting.readMessages(peer, (m, from) -> {
            if (m instanceof SipRequest req) {
                switch (req.method().name()) {
                    case "INVITE" -> onInvite(peer, from, req, dice);
                    case "ACK" -> {
                        if (dice.nextInt(4) == 0) {
                            inDialog(peer, from, req, dice);
                        }
                    }
                    default -> send(peer, from, response(req, dice.nextInt(6) == 0 ? 481 : 200, "t1", null, dice));
                }
            }
        });
    }

    private void onInvite(DatagramSocket peer, SocketAddress to, SipRequest invite, Random dice) throws java.io.IOException {
        if (invite.to().tag() != null) { // a re-INVITE or a refresh
            send(peer, to, response(invite, dice.nextBoolean() ? 200 : 491, invite.to().tag(), sdp(dice), dice));
            return;
        }
        switch (dice.nextInt(9)) {
            case 0 -> { } // silence: Timer B
            case 1 -> send(peer, to, response(invite, 302, null, null, dice, "Contact: <sip:peer@" + local(peer) + ">\r\n"));
            case 2 -> send(peer, to, response(invite, 401, null, null, dice,
                    "WWW-Authenticate: Digest realm=\"x\", nonce=\"" + dice.nextInt() + "\", qop=\"auth\", algorithm=SHA-256\r\n"));
            case 3 -> {
                send(peer, to, response(invite, 183, "t1", sdp(dice), dice));
                send(peer, to, response(invite, 486 + dice.nextInt(120), "t1", null, dice));
            }
            case 4 -> { // forked: two 2xx with different tags
                send(peer, to, response(invite, 200, "t1", sdp(dice), dice));
                send(peer, to, response(invite, 200, "t2", sdp(dice), dice));
            }
            case 5 -> send(peer, to, response(invite, 200, "t1", null, dice)); // no SDP in the answer
            case 6 -> {
                send(peer, to, response(invite, 180, "t" + dice.nextInt(3), null, dice));
                send(peer, to, response(invite, 200, "t1", sdp(dice), dice));
                send(peer, to, response(invite, 200, "t1", sdp(dice), dice)); // a retransmission
            }
            case 7 -> send(peer, to, response(invite, 500, null, null, dice, "Retry-After: " + dice.nextInt(100) + "\r\n"));
            default -> send(peer, to, response(invite, 200, "t1", sdp(dice), dice));
        }
    }

    /** After the ACK: a request of the peer's own in the dialog (a re-INVITE, UPDATE, INFO, NOTIFY, BYE). */
    private void inDialog(DatagramSocket peer, SocketAddress to, SipRequest ack, Random dice) throws java.io.IOException {
        String[] methods = {"INVITE", "UPDATE", "INFO", "NOTIFY", "BYE", "OPTIONS"};
        String method = methods[dice.nextInt(methods.length)];
        String body = method.equals("INVITE") || method.equals("UPDATE") && dice.nextBoolean() ? sdp(dice) : null;
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(ack.from().uri().toString().startsWith("sip:") ? "sip:alice@" + local(peer) : "sip:x")
                .append(" SIP/2.0\r\n");
        sb.append("Via: SIP/2.0/UDP ").append(local(peer)).append(";branch=z9hG4bK").append(Long.toHexString(dice.nextLong()))
                .append("\r\nMax-Forwards: 70\r\n");
        sb.append("From: ").append(ack.to()).append("\r\n");
        sb.append("To: ").append(ack.from()).append("\r\n");
        sb.append("Call-ID: ").append(ack.callId()).append("\r\n");
        sb.append("CSeq: ").append(dice.nextInt(1000)).append(' ').append(method).append("\r\n");
        sb.append("Contact: <sip:peer@").append(local(peer)).append(">\r\n");
        if (method.equals("NOTIFY")) {
            sb.append("Event: refer\r\nSubscription-State: terminated\r\n");
        }
        if (body != null) {
            sb.append("Content-Type: application/sdp\r\n");
        }
        String b = body == null ? "" : body;
        sb.append("Content-Length: ").append(b.length()).append("\r\n\r\n").append(b);
        send(peer, to, damaged(sb.toString(), dice));
    }

    /** One text in five damaged byte by byte (malformed headers, cut bodies, splices); the rest as they are. */
    private static String damaged(String text, Random dice) {
        if (dice.nextInt(5) != 0) {
            return text;
        }
        byte[] b = io.rvoip.sip.testing.Corpus.mutate(List.of(text.getBytes(StandardCharsets.UTF_8)),
                new java.util.SplittableRandom(dice.nextLong()));
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String local(DatagramSocket peer) {
        return "127.0.0.1:" + peer.getLocalPort();
    }

    private static String response(SipRequest req, int code, String toTag, String sdp, Random dice, String... extra) {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(code).append(" Whatever\r\n");
        sb.append("Via: ").append(req.via()).append("\r\n");
        sb.append("From: ").append(req.from()).append("\r\n");
        sb.append("To: ").append(req.to());
        if (toTag != null && req.to().tag() == null) {
            sb.append(";tag=").append(toTag);
        }
        sb.append("\r\n");
        sb.append("Call-ID: ").append(req.callId()).append("\r\n");
        sb.append("CSeq: ").append(req.cseq()).append("\r\n");
        if (code >= 180 && code < 300 && dice.nextInt(8) != 0) {
            sb.append("Contact: <sip:peer@127.0.0.1:").append(1 + dice.nextInt(65535)).append(">\r\n");
        }
        for (String e : extra) {
            sb.append(e);
        }
        if (sdp != null) {
            sb.append("Content-Type: application/sdp\r\n");
        }
        String b = sdp == null ? "" : sdp;
        sb.append("Content-Length: ").append(b.length()).append("\r\n\r\n").append(b);
        return damaged(sb.toString(), dice);
    }

    private static String sdp(Random dice) {
        List<String> lines = new ArrayList<>(List.of("v=0", "o=peer 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
                "m=audio " + (4000 + 2 * dice.nextInt(100)) + " RTP/AVP 0 101", "a=rtpmap:101 telephone-event/8000",
                dice.nextBoolean() ? "a=sendrecv" : "a=inactive"));
        for (int e = dice.nextInt(3); e > 0; e--) {
            int at = dice.nextInt(lines.size());
            switch (dice.nextInt(4)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, lines.get(dice.nextInt(lines.size())));
                case 2 -> lines.set(at, lines.get(at).replaceFirst("\\d+", String.valueOf(dice.nextInt(70000))));
                default -> lines.set(at, lines.get(at).replace("RTP/AVP 0", "RTP/AVP 18"));
            }
            if (lines.isEmpty()) {
                lines.add("v=0");
            }
        }
        return String.join("\r\n", lines) + "\r\n";
    }

    private static void send(DatagramSocket peer, SocketAddress to, String text) throws java.io.IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(b, b.length, to));
    }
}
