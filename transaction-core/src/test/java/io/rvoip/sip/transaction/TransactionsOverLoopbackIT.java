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

    @Test
    void aTortureRequestTheParserRefusesIsAnswered400OverRealUdp() throws Exception {
        try (java.net.DatagramSocket peer = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(20_000);
            // RFC 4475 §3.1.2.7 ltgtruri (Request-URI in <>), its Via pointed at this socket with rport.
            String raw = new String(java.nio.file.Files.readAllBytes(
                    io.rvoip.sip.testing.SharedFiles.rfc4475().resolve("ltgtruri.dat")),
                    java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replace("Via: SIP/2.0/UDP 192.0.2.5", "Via: SIP/2.0/UDP 192.0.2.5;rport;branch=z9hG4bKltgt");
            byte[] out = raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            peer.send(new java.net.DatagramPacket(out, out.length, uas.at(TransportType.UDP).address()));

            byte[] in = new byte[4096];
            java.net.DatagramPacket p = new java.net.DatagramPacket(in, in.length);
            peer.receive(p);
            SipResponse r = (SipResponse) io.rvoip.sip.parser.SipParser.defaults()
                    .parseDatagram(java.util.Arrays.copyOf(in, p.getLength()));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.callId()).isEqualTo("ltgtruri.1@192.0.2.5");
            assertThat(r.via().branch()).isEqualTo("z9hG4bKltgt");
            assertThat(r.via().received()).isEqualTo("127.0.0.1");
            assertThat(r.via().rport()).isEqualTo(peer.getLocalPort());
            assertThat(uas.layer.statelessRejections()).isEqualTo(1);
            assertThat(uas.layer.transactionCount()).isZero();
        }
    }
}
