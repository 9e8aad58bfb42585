package io.rvoip.sip.transaction;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.TransportEvent;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A transaction layer on a manual clock and manual shards, with a recording sender below it
 * (the transport is below the layer under test). Every send is logged with its time.
 */
final class Fixture {
    /** One message handed to the transport, and when. */
    record Sent(long atMillis, SipMessage message) {
    }

    final ManualClock clock = new ManualClock();
    final ManualShardedExecutor shards = new ManualShardedExecutor(2);
    final TimerService timers = TimerService.builder(shards).clock(clock).build();
    final EventBus bus = EventBus.builder().shards(shards).build();
    final List<Sent> sent = new ArrayList<>();
    final List<TransactionEvent> events = new ArrayList<>();
    final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 5060);
    final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 5070);
    boolean failSends;
    /** When set, requests are reported sent over this transport instead (RFC 3261 §18.1.1). */
    TransportType sendsSwitchTo;
    final TransactionLayer layer;

    Fixture() {
        this(TransactionLayer.DEFAULT_MAX_LINGERING_BYTES);
    }

    /** A layer that keeps at most {@code maxLingeringBytes} for completed transactions. */
    Fixture(long maxLingeringBytes) {
        MessageSender sender = new MessageSender() {
            @Override
            public CompletableFuture<Destination> sendRequest(SipRequest request, Destination destination) {
                sent.add(new Sent(now(), request));
                return failSends ? CompletableFuture.failedFuture(new IllegalStateException("connection refused"))
                        : CompletableFuture.completedFuture(sendsSwitchTo == null ? destination
                                : destination.withTransport(sendsSwitchTo));
            }

            @Override
            public CompletableFuture<Void> sendResponse(SipResponse response, ConnectionId connection) {
                sent.add(new Sent(now(), response));
                return failSends ? CompletableFuture.failedFuture(new IllegalStateException("gone"))
                        : CompletableFuture.completedFuture(null);
            }
        };
        layer = TransactionLayer.create(bus, shards, timers, sender, TransactionTimers.DEFAULT, maxLingeringBytes);
        layer.start();
        bus.subscribe(TransactionEvent.class).handle(events::add);
    }

    long now() {
        return clock.nanoTime() / 1_000_000;
    }

    /** Moves time forward one millisecond at a time, running whatever becomes due. */
    void runFor(long millis) {
        shards.runPending();
        for (long i = 0; i < millis; i++) {
            clock.advanceMillis(1);
            shards.runPending();
        }
    }

    /** A message arriving from the network. */
    void receive(SipMessage m, TransportType t) {
        bus.publish(new TransportEvent.MessageReceived(m, t, local, remote,
                t.isReliable() ? new ConnectionId(1) : null));
        shards.runPending();
    }

    /** Bytes the transport's parser refused. */
    void refused(byte[] bytes, String reason, TransportType t) {
        bus.publish(new TransportEvent.MessageRejected(t, local, remote, t.isReliable() ? new ConnectionId(1) : null,
                reason, bytes));
        shards.runPending();
    }

    Destination to(TransportType t) {
        return Destination.of(t, remote);
    }

    ClientTransaction send(SipRequest r, TransportType t) {
        CompletableFuture<ClientTransaction> f = layer.sendRequest(r, to(t));
        shards.runPending();
        return f.join();
    }

    /** The times at which messages for which {@code filter} holds were sent. */
    List<Long> times(java.util.function.Predicate<SipMessage> filter) {
        List<Long> out = new ArrayList<>();
        for (Sent s : sent) {
            if (filter.test(s.message())) {
                out.add(s.atMillis());
            }
        }
        return out;
    }

    <E extends TransactionEvent> List<E> events(Class<E> type) {
        List<E> out = new ArrayList<>();
        for (TransactionEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    static SipRequest request(SipMethod method) {
        return SipRequest.builder(method, Uri.parse("sip:bob@biloxi.example.com"))
                .via(Via.of("UDP", "192.0.2.1", 5060, SipIds.newBranch()))
                .maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@atlanta.example.com")).withTag(SipIds.newTag()))
                .to(Address.of(Uri.parse("sip:bob@biloxi.example.com")))
                .callId(SipIds.newCallId())
                .cseq(1)
                .build();
    }

    static SipResponse response(SipRequest r, int code) {
        return SipResponse.forRequest(r, io.rvoip.sip.message.StatusCode.valueOf(code), "totag1").build();
    }
}
