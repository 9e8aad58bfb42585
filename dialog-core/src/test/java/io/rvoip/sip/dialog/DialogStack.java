package io.rvoip.sip.dialog;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.transaction.MessageSender;
import io.rvoip.sip.transaction.TransactionLayer;
import io.rvoip.sip.transaction.TransactionTimers;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;

/** One full stack on loopback: transport (UDP + TCP), transactions, dialogs. */
final class DialogStack implements AutoCloseable {
    final ShardPool shards = ShardPool.builder().shards(2).build();
    final TimerService timers = TimerService.builder(shards).build();
    final EventBus bus = EventBus.builder().shards(shards).build();
    final SipTransport transport;
    final TransactionLayer transactions;
    final DialogLayer dialogs;
    final int udpPort;

    DialogStack(int port) {
        this(port, b -> b);
    }

    DialogStack(int port, java.util.function.UnaryOperator<DialogConfig.Builder> config) {
        transport = SipTransport.create(SipTransportConfig.builder(timers)
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", port))
                .listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", port)).build(), bus);
        transport.start();
        udpPort = transport.listeningPoint(TransportType.UDP).port();
        transactions = TransactionLayer.create(bus, shards, timers, MessageSender.of(transport), TransactionTimers.DEFAULT);
        transactions.start();
        dialogs = DialogLayer.create(transactions, bus, shards, timers,
                config.apply(DialogConfig.builder(Address.of(Uri.parse("sip:ua@127.0.0.1:" + udpPort)))).build());
        dialogs.start();
    }

    DialogStack() {
        this(0);
    }

    /** An INVITE from this stack to {@code target}. */
    SipRequest invite(String target) {
        return SipRequest.builder(SipMethod.INVITE, Uri.parse(target))
                .via(Via.of("UDP", "127.0.0.1", udpPort, SipIds.newBranch()))
                .maxForwards(70)
                .from(Address.of(Uri.parse("sip:caller@127.0.0.1")).withTag(SipIds.newTag()))
                .to(Address.of(Uri.parse("sip:callee@127.0.0.1")))
                .callId(SipIds.newCallId())
                .cseq(1)
                .build();
    }

    @Override
    public void close() {
        dialogs.stop();
        transactions.stop();
        transport.stop();
        timers.stop();
        shards.shutdownNow();
    }
}
