package io.rvoip.sip.dialog;

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
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.MessageSender;
import io.rvoip.sip.transaction.TransactionLayer;
import io.rvoip.sip.transaction.TransactionTimers;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.TransportEvent;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A dialog layer over a real transaction layer on a manual clock and manual shards, with a
 * recording sender below (the transport is below the layers under test).
 */
final class DialogFixture {
    record Sent(long atMillis, SipMessage message, Destination to) {
    }

    final ManualClock clock = new ManualClock();
    final ManualShardedExecutor shards = new ManualShardedExecutor(2);
    final TimerService timers = TimerService.builder(shards).clock(clock).build();
    final EventBus bus = EventBus.builder().shards(shards).build();
    final List<Sent> sent = new ArrayList<>();
    final List<DialogEvent> events = new ArrayList<>();
    final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 5060);
    final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 5070);
    final TransactionLayer transactions;
    final DialogLayer dialogs;

    DialogFixture() {
        this(b -> b);
    }

    DialogFixture(java.util.function.UnaryOperator<DialogConfig.Builder> config) {
        MessageSender sender = new MessageSender() {
            @Override
            public CompletableFuture<Destination> sendRequest(SipRequest request, Destination destination) {
                sent.add(new Sent(now(), request, destination));
                return CompletableFuture.completedFuture(destination);
            }

            @Override
            public CompletableFuture<Void> sendResponse(SipResponse response, ConnectionId connection) {
                sent.add(new Sent(now(), response, null));
                return CompletableFuture.completedFuture(null);
            }
        };
        transactions = TransactionLayer.create(bus, shards, timers, sender, TransactionTimers.DEFAULT);
        transactions.start();
        dialogs = DialogLayer.create(transactions, bus, shards, timers,
                config.apply(DialogConfig.builder(Address.of(Uri.parse("sip:me@127.0.0.1:5060")))).build());
        dialogs.start();
        bus.subscribe(DialogEvent.class).handle(events::add);
    }

    long now() {
        return clock.nanoTime() / 1_000_000;
    }

    void runFor(long millis) {
        shards.runPending();
        for (long i = 0; i < millis; i++) {
            clock.advanceMillis(1);
            shards.runPending();
        }
    }

    void receive(SipMessage m) {
        bus.publish(new TransportEvent.MessageReceived(m, TransportType.UDP, local, remote, null));
        shards.runPending();
    }

    List<Sent> sent(Predicate<SipMessage> filter) {
        List<Sent> out = new ArrayList<>();
        for (Sent s : sent) {
            if (filter.test(s.message())) {
                out.add(s);
            }
        }
        return out;
    }

    List<Long> times(Predicate<SipMessage> filter) {
        List<Long> out = new ArrayList<>();
        for (Sent s : sent(filter)) {
            out.add(s.atMillis());
        }
        return out;
    }

    SipResponse lastResponse() {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).message() instanceof SipResponse r) {
                return r;
            }
        }
        return null;
    }

    <E extends DialogEvent> List<E> events(Class<E> type) {
        List<E> out = new ArrayList<>();
        for (DialogEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    static Predicate<SipMessage> response(int code) {
        return m -> m instanceof SipResponse r && r.statusCode() == code;
    }

    static Predicate<SipMessage> request(SipMethod method) {
        return m -> m instanceof SipRequest r && r.method().equals(method);
    }

    /**
     * {@code m} as a peer could send it with {@code header} (a whole field, maybe malformed, which
     * the builders refuse to write) in place of the fields of its name, or added before
     * Content-Length: the wire text edited, then parsed at transaction depth as a transport would.
     */
    @SuppressWarnings("unchecked")
    static <M extends SipMessage> M withRaw(M m, String header) {
        String wire = new String(m.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
        String name = header.substring(0, header.indexOf(':'));
        wire = wire.replaceAll("(?m)^" + java.util.regex.Pattern.quote(name) + ": .*\r\n", "")
                .replace("Content-Length: ", header + "\r\nContent-Length: ");
        return (M) io.rvoip.sip.parser.SipParser.defaults()
                .parseDatagram(wire.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** A dialog we hold as UAS with alice (our tag "bobtag"), answered 200 and confirmed by her ACK. */
    Dialog confirmedUas(String callId) {
        SipRequest invite = incomingInvite(callId);
        receive(invite);
        List<DialogEvent.RequestReceived> got = events(DialogEvent.RequestReceived.class);
        dialogs.respond(got.get(got.size() - 1).transaction(), SipResponse.forRequest(invite, StatusCode.OK, "bobtag").build());
        shards.runPending();
        receive(SipRequest.builder(SipMethod.ACK, Uri.parse("sip:me@127.0.0.1:5060"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch())).maxForwards(70)
                .from(invite.from()).to(invite.to().withTag("bobtag")).callId(callId).cseq(1).build());
        return dialogs.dialog(new DialogId(callId, "bobtag", "alicetag"));
    }

    /** An INVITE from the peer (alice at 127.0.0.1:5070) to us. */
    static SipRequest incomingInvite(String callId) {
        return SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:me@127.0.0.1:5060"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch()))
                .maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag("alicetag"))
                .to(Address.of(Uri.parse("sip:me@example.com")))
                .callId(callId)
                .cseq(1)
                .contact(Address.of(Uri.parse("sip:alice@127.0.0.1:5070")))
                .build();
    }

    /** A request from the peer inside a dialog we hold as UAS (To tag ours). */
    static SipRequest inDialog(SipMethod method, String callId, String ourTag, long cseq) {
        return SipRequest.builder(method, Uri.parse("sip:me@127.0.0.1:5060"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch()))
                .maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag("alicetag"))
                .to(Address.of(Uri.parse("sip:me@example.com")).withTag(ourTag))
                .callId(callId)
                .cseq(cseq)
                .build();
    }
}
