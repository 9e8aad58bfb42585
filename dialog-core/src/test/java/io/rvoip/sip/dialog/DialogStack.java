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
    final TimerService timers;
    final EventBus bus = EventBus.builder().shards(shards).build();
    /** Messages this stack sends that are lost before they reach the socket. */
    volatile java.util.function.Predicate<io.rvoip.sip.message.SipMessage> drop = m -> false;
    /** Messages handed to the sockets, and messages received from them. */
    final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    final SipTransport transport;
    final TransactionLayer transactions;
    final DialogLayer dialogs;
    final int udpPort;

    DialogStack(int port) {
        this(port, b -> b);
    }

    DialogStack(int port, java.util.function.UnaryOperator<DialogConfig.Builder> config) {
        this(port, null, config);
    }

    /** A stack on loopback whose timers run on {@code clock} (the sockets are real). */
    DialogStack(io.rvoip.infra.time.ManualClock clock, java.util.function.UnaryOperator<DialogConfig.Builder> config) {
        this(0, clock, config);
    }

    private DialogStack(int port, io.rvoip.infra.time.ManualClock clock,
                        java.util.function.UnaryOperator<DialogConfig.Builder> config) {
        timers = clock == null ? TimerService.builder(shards).build() : TimerService.builder(shards).clock(clock).build();
        transport = SipTransport.create(SipTransportConfig.builder(timers)
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", port))
                .listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", port)).build(), bus);
        bus.subscribe(io.rvoip.sip.transport.TransportEvent.MessageReceived.class).inline().handle(e -> received.incrementAndGet());
        transport.start();
        udpPort = transport.listeningPoint(TransportType.UDP).port();
        MessageSender wire = MessageSender.of(transport);
        MessageSender lossy = new MessageSender() {
            @Override
            public java.util.concurrent.CompletableFuture<io.rvoip.sip.transport.Destination> sendRequest(
                    SipRequest request, io.rvoip.sip.transport.Destination destination) {
                if (drop.test(request)) {
                    return java.util.concurrent.CompletableFuture.completedFuture(destination);
                }
                sent.incrementAndGet();
                return wire.sendRequest(request, destination);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> sendResponse(io.rvoip.sip.message.SipResponse response,
                                                                          io.rvoip.sip.transport.ConnectionId connection) {
                if (drop.test(response)) {
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }
                sent.incrementAndGet();
                return wire.sendResponse(response, connection);
            }
        };
        transactions = TransactionLayer.create(bus, shards, timers, lossy, TransactionTimers.DEFAULT);
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

    /** Waits until every task queued on this stack's shards so far has run. */
    void barrier() {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(shards.shardCount());
        for (int i = 0; i < shards.shardCount(); i++) {
            if (!shards.tryExecuteOn(i, done::countDown)) {
                throw new IllegalStateException("shard " + i + " refused the barrier");
            }
        }
        try {
            if (!done.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("a shard did not drain in 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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
