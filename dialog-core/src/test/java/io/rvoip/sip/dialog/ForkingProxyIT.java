package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.ClientTransaction;
import io.rvoip.sip.transaction.MessageSender;
import io.rvoip.sip.transaction.ServerTransaction;
import io.rvoip.sip.transaction.TransactionEvent;
import io.rvoip.sip.transaction.TransactionLayer;
import io.rvoip.sip.transaction.TransactionTimers;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RFC 3261 §13.2.2.4 over real sockets: a tiny stateful forking proxy sends the caller's INVITE
 * to two user agents that both ring and both answer; the caller gets two early dialogs, ACKs
 * both 2xx and ends the second with BYE.
 */
class ForkingProxyIT {

    /** A forking proxy: transport + transactions, forwarding INVITEs to every target. */
    static final class ForkingProxy implements AutoCloseable {
        final ShardPool shards = ShardPool.builder().shards(1).build();
        final TimerService timers = TimerService.builder(shards).build();
        final EventBus bus = EventBus.builder().shards(shards).build();
        final SipTransport transport;
        final TransactionLayer transactions;
        final int port;
        final Map<ClientTransaction, ServerTransaction> forks = new ConcurrentHashMap<>();
        final Map<ServerTransaction, Boolean> answered2xx = new ConcurrentHashMap<>();

        ForkingProxy(List<InetSocketAddress> targets) {
            transport = SipTransport.create(SipTransportConfig.builder(timers)
                    .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0)).build(), bus);
            transport.start();
            port = transport.listeningPoint(TransportType.UDP).port();
            transactions = TransactionLayer.create(bus, shards, timers, MessageSender.of(transport), TransactionTimers.DEFAULT);
            transactions.start();
            bus.subscribe(TransactionEvent.RequestReceived.class).onShard().handle(e -> {
                SipRequest r = e.request();
                if (!r.method().equals(SipMethod.INVITE)) {
                    e.transaction().respond(SipResponse.forRequest(r, StatusCode.NOT_IMPLEMENTED).build());
                    return;
                }
                for (InetSocketAddress t : targets) {
                    SipRequest fwd = r.toBuilder()
                            .requestUri(Uri.parse("sip:callee@127.0.0.1:" + t.getPort()))
                            .maxForwards(r.maxForwards() - 1)
                            .addFirst(SipHeaders.VIA, Via.of("UDP", "127.0.0.1", port, SipIds.newBranch()))
                            .build();
                    transactions.sendRequest(fwd, Destination.of(TransportType.UDP, t))
                            .thenAccept(ct -> forks.put(ct, e.transaction()));
                }
            });
            bus.subscribe(TransactionEvent.ResponseReceived.class).onShard().handle(e -> {
                ServerTransaction st = forks.get(e.transaction());
                int code = e.response().statusCode();
                if (st == null || code == 100) {
                    return;
                }
                SipResponse back = e.response().toBuilder().removeFirst(HeaderName.VIA).build();
                if (code < 200 && answered2xx.containsKey(st)) {
                    return;
                }
                if (code >= 200 && code < 300) {
                    answered2xx.put(st, true);
                } else if (code >= 300 && answered2xx.containsKey(st)) {
                    return;
                }
                try {
                    st.respond(back);
                } catch (IllegalStateException late) {
                    // a provisional after the final answer: not forwarded
                }
            });
        }

        @Override
        public void close() {
            transactions.stop();
            transport.stop();
            timers.stop();
            shards.shutdownNow();
        }
    }

    @Test
    void twoForksRingAndAnswerTheSecond2xxIsAckedAndByed() throws Exception {
        try (DialogStack caller = new DialogStack();
             DialogStack uas1 = new DialogStack();
             DialogStack uas2 = new DialogStack()) {
            for (DialogStack uas : List.of(uas1, uas2)) {
                String tag = uas == uas1 ? "uas1" : "uas2";
                uas.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
                    if (e.request().method().equals(SipMethod.INVITE) && e.dialog() == null) {
                        uas.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.RINGING, tag).build());
                        uas.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, tag).build());
                    }
                });
            }
            try (ForkingProxy proxy = new ForkingProxy(List.of(new InetSocketAddress("127.0.0.1", uas1.udpPort),
                    new InetSocketAddress("127.0.0.1", uas2.udpPort)))) {
                OutgoingInvite out = caller.dialogs.invite(caller.invite("sip:callee@127.0.0.1:" + proxy.port));
                Dialog winner = out.dialog().get(20, TimeUnit.SECONDS);
                DialogsOverLoopbackIT.await(() -> out.dialogs().size() == 2, "a dialog per fork");
                Dialog loser = out.dialogs().stream().filter(d -> d != winner).findFirst().orElseThrow();
                DialogsOverLoopbackIT.await(() -> loser.state() == DialogState.TERMINATED, "the second fork ended");
                assertThat(winner.state()).isEqualTo(DialogState.CONFIRMED);
                DialogStack loserStack = loser.id().remoteTag().equals("uas1") ? uas1 : uas2;
                DialogStack winnerStack = loserStack == uas1 ? uas2 : uas1;
                // the losing UAS got its ACK and then our BYE; the winner keeps the call
                DialogsOverLoopbackIT.await(() -> loserStack.dialogs.dialogCount() == 0, "the losing UAS's dialog gone");
                assertThat(winnerStack.dialogs.dialogCount()).isEqualTo(1);
                assertThat(caller.dialogs.dialogCount()).isEqualTo(1);
                assertThat(caller.dialogs.bye(winner).get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                DialogsOverLoopbackIT.await(() -> winnerStack.dialogs.dialogCount() == 0, "the call ended");
            }
        }
    }
}
