package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transport.TransportType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two stacks (transport + transaction layer) talking over real loopback sockets. */
class TransactionsOverLoopbackIT {

    private final List<LoopbackStack> stacks = new ArrayList<>();
    private final LoopbackStack uac = stack(false);
    private final LoopbackStack uas = stack(false);

    private LoopbackStack stack(boolean onEventLoops) {
        LoopbackStack s = new LoopbackStack(onEventLoops, TransactionTimers.DEFAULT, Duration.ofMillis(10),
                TransportType.UDP, TransportType.TCP);
        stacks.add(s);
        return s;
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (LoopbackStack s : stacks) {
            assertThat(s.stopAndAwait()).isTrue();
        }
    }

    @Test
    void theTransactionLayerRunsOnTheTransportsEventLoopsToo() throws Exception {
        LoopbackStack client = stack(true);
        LoopbackStack server = stack(true);
        List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        server.bus.subscribe(TransactionEvent.RequestReceived.class).onShard().handle(e -> {
            threads.add(Thread.currentThread().getName());
            assertThat(server.shards.inShardOf(e.request().callId())).isTrue();
            e.transaction().respond(SipResponse.forRequest(e.request(),
                    e.request().method().equals(SipMethod.INVITE) ? StatusCode.BUSY_HERE : StatusCode.OK, "uas").build());
        });
        List<CompletableFuture<SipResponse>> finals = new ArrayList<>();
        for (TransportType t : List.of(TransportType.UDP, TransportType.TCP)) {
            for (int i = 0; i < 50; i++) {
                finals.add(client.layer.sendRequest(Fixture.request(SipMethod.OPTIONS), server.at(t))
                        .thenCompose(ClientTransaction::finalResponse));
                finals.add(client.layer.sendRequest(Fixture.request(SipMethod.INVITE), server.at(t))
                        .thenCompose(ClientTransaction::finalResponse));
            }
        }
        for (int i = 0; i < finals.size(); i++) {
            assertThat(finals.get(i).get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(i % 2 == 0 ? 200 : 486);
        }
        assertThat(threads).hasSize(200).allMatch(n -> n.startsWith("rvoip-sip-loop"));
        assertThat(server.layer.lingeringCount()).as("the UDP OPTIONS, kept as bytes").isEqualTo(50);
        assertThat(client.layer.lingeringCount()).as("their 200s' keys, until Timer K").isEqualTo(50);
        assertThat(client.loops.rejectedCount()).isZero();
        assertThat(server.loops.rejectedCount()).isZero();
        client.transport.stop();
        assertThat(client.loops.isTerminated()).as("the transport leaves shared loops running").isFalse();
    }

    @Test
    void inviteAndNonInviteTransactionsOverUdpAndTcp() throws Exception {
        // The UAS answers OPTIONS with 200 and INVITE with 180 then 486, on the call's shard.
        uas.bus.subscribe(TransactionEvent.RequestReceived.class).onShard().handle(e -> {
            ServerTransaction tx = e.transaction();
            if (e.request().method().equals(SipMethod.INVITE)) {
                tx.respond(SipResponse.forRequest(e.request(), StatusCode.RINGING, "uas").build());
                tx.respond(SipResponse.forRequest(e.request(), StatusCode.BUSY_HERE, "uas").build());
            } else {
                tx.respond(SipResponse.forRequest(e.request(), StatusCode.OK, "uas").build());
            }
        });
        List<CompletableFuture<SipResponse>> finals = new ArrayList<>();
        for (TransportType t : List.of(TransportType.UDP, TransportType.TCP)) {
            for (int i = 0; i < 50; i++) {
                finals.add(uac.layer.sendRequest(Fixture.request(SipMethod.OPTIONS), uas.at(t))
                        .thenCompose(ClientTransaction::finalResponse));
                finals.add(uac.layer.sendRequest(Fixture.request(SipMethod.INVITE), uas.at(t))
                        .thenCompose(ClientTransaction::finalResponse));
            }
        }
        for (int i = 0; i < finals.size(); i++) {
            SipResponse r = finals.get(i).get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(i % 2 == 0 ? 200 : 486);
        }
        assertThat(uas.layer.transactionCount()).as("UAS server transactions linger in Completed").isPositive();
        assertThat(uac.layer.droppedCount()).isZero();
    }

    /**
     * A transport at {@link io.rvoip.sip.parser.SipParser.Depth#FULL} refuses an INVITE whose
     * Contact is malformed, and the transaction layer answers 400 naming the fault; at the
     * default depth the same INVITE reaches the application (which finds out on reading it).
     */
    @Test
    void aFullDepthStackAnswers400ToARequestWithAMalformedContact() throws Exception {
        LoopbackStack strict = new LoopbackStack(c -> c.parseDepth(io.rvoip.sip.parser.SipParser.Depth.FULL), false,
                TransactionTimers.DEFAULT, Duration.ofMillis(10), TransportType.UDP);
        stacks.add(strict);
        java.util.concurrent.BlockingQueue<SipRequest> delivered = new java.util.concurrent.LinkedBlockingQueue<>();
        uas.bus.subscribe(TransactionEvent.RequestReceived.class).handle(e -> delivered.add(e.request()));
        strict.bus.subscribe(TransactionEvent.RequestReceived.class).handle(e -> delivered.add(e.request()));
        try (java.net.DatagramSocket peer = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(20_000);
            String invite = "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.getLocalPort() + ";rport;branch=z9hG4bKbadcontact\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:alice@example.com>;tag=a1\r\n"
                    + "To: <sip:bob@example.com>\r\n"
                    + "Call-ID: bad-contact-1\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:alice@127.0.0.1\r\n"
                    + "Content-Length: 0\r\n\r\n";
            byte[] out = invite.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

            peer.send(new java.net.DatagramPacket(out, out.length, uas.at(TransportType.UDP).address()));
            SipRequest got = delivered.poll(20, TimeUnit.SECONDS);
            assertThat(got).as("the default depth delivers it").isNotNull();
            assertThat(got.callId()).isEqualTo("bad-contact-1");
            assertThat(uas.layer.statelessRejections()).isZero();

            SipResponse r = exchange(peer, out, strict);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.reasonPhrase()).contains("missing '>'");
            assertThat(r.callId()).isEqualTo("bad-contact-1");
            assertThat(r.via().branch()).isEqualTo("z9hG4bKbadcontact");
            assertThat(strict.layer.statelessRejections()).isEqualTo(1);
            assertThat(strict.layer.transactionCount()).isZero();
            assertThat(strict.transport.metrics().rejected()).isEqualTo(1);
            assertThat(delivered).as("the full-depth stack delivers nothing").isEmpty();
        }
    }

    @Test
    void aTortureRequestTheParserRefusesIsAnswered400OverRealUdp() throws Exception {
        try (java.net.DatagramSocket peer = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(20_000);
            // RFC 4475 §3.1.2.7 ltgtruri (Request-URI in <>), its Via pointed at this socket with rport.
            String raw = new String(java.nio.file.Files.readAllBytes(
                    io.rvoip.sip.testing.SharedFiles.rfc4475().resolve("ltgtruri.dat")),
                    java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replace("Via: SIP/2.0/UDP 192.0.2.5", "Via: SIP/2.0/UDP 192.0.2.5;rport;branch=z9hG4bKltgt");
            SipResponse r = exchange(peer, raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), uas);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.callId()).isEqualTo("ltgtruri.1@192.0.2.5");
            assertThat(r.via().branch()).isEqualTo("z9hG4bKltgt");
            assertThat(r.via().received()).isEqualTo("127.0.0.1");
            assertThat(r.via().rport()).isEqualTo(peer.getLocalPort());
            assertThat(uas.layer.statelessRejections()).isEqualTo(1);
            assertThat(uas.layer.transactionCount()).isZero();
        }
    }

    /** Sends {@code request} from {@code peer} to {@code stack}'s UDP point; the response that comes back. */
    private static SipResponse exchange(java.net.DatagramSocket peer, byte[] request, LoopbackStack stack)
            throws java.io.IOException {
        peer.send(new java.net.DatagramPacket(request, request.length, stack.at(TransportType.UDP).address()));
        byte[] in = new byte[4096];
        java.net.DatagramPacket p = new java.net.DatagramPacket(in, in.length);
        peer.receive(p);
        return (SipResponse) io.rvoip.sip.parser.SipParser.defaults().parseDatagram(java.util.Arrays.copyOf(in,
                p.getLength()));
    }
}
