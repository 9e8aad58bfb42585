package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
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

    /** One stack: shards, timers, bus, transport, transactions. */
    static final class Stack implements AutoCloseable {
        final ShardPool shards = ShardPool.builder().shards(2).build();
        final TimerService timers = TimerService.builder(shards).build();
        final EventBus bus = EventBus.builder().shards(shards).build();
        final SipTransport transport;
        final TransactionLayer layer;

        Stack() {
            transport = SipTransport.create(SipTransportConfig.builder(timers)
                    .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                    .listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", 0)).build(), bus);
            transport.start();
            layer = TransactionLayer.create(bus, shards, timers, MessageSender.of(transport), TransactionTimers.DEFAULT);
            layer.start();
        }

        Destination at(TransportType t) {
            return Destination.of(t, new InetSocketAddress("127.0.0.1", transport.listeningPoint(t).port()));
        }

        @Override
        public void close() {
            layer.stop();
            transport.stop();
            timers.stop();
            shards.shutdownNow();
        }
    }

    private final Stack uac = new Stack();
    private final Stack uas = new Stack();

    @AfterEach
    void tearDown() throws InterruptedException {
        uac.close();
        uas.close();
        assertThat(uac.shards.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(uas.shards.awaitTermination(Duration.ofSeconds(10))).isTrue();
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
