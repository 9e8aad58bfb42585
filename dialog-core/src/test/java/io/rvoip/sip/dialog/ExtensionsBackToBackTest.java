package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.uri.Uri;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * REFER's implicit subscription as an event package (refresh, expiry), Supported on every
 * message, and the leak check: many subscriptions and refers leave no dialog, subscription,
 * transaction or timer behind.
 */
class ExtensionsBackToBackTest {
    private final ManualPair p = new ManualPair();
    private final List<DialogEvent.ReferProgress> progress = new CopyOnWriteArrayList<>();
    private final List<DialogEvent.ReferReceived> refers = new CopyOnWriteArrayList<>();

    private void start() {
        p.start(c -> c, c -> c.eventPackages(new MessageSummaryPackage()));
        p.b.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
            if (e.request().method().equals(SipMethod.INVITE)) {
                p.b.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "b" + e.callId()).build());
            }
        });
        p.b.bus.subscribe(DialogEvent.ReferReceived.class).onShard().handle(refers::add);
        p.a.bus.subscribe(DialogEvent.ReferProgress.class).onShard().handle(progress::add);
    }

    private Dialog call(String callId) {
        SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse(p.b.uri("b")))
                .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:a@127.0.0.1")).withTag("a" + callId))
                .to(Address.of(Uri.parse("sip:b@127.0.0.1"))).callId(callId).cseq(1).build();
        OutgoingInvite out = p.a.dialogs.invite(invite);
        p.run();
        return out.dialog().join();
    }

    @Test
    void theReferSubscriptionCanBeRefreshedAndExpiresWithoutAFinalStatus() {
        start();
        Dialog a = call("refer-sub");
        CompletableFuture<SipResponse> referred = p.a.dialogs.refer(a, Address.parse("<sip:carol@example.com>"), null, true);
        p.run();
        assertThat(referred.join().statusCode()).isEqualTo(202);
        assertThat(progress).hasSize(1);
        assertThat(progress.get(0).status()).isEqualTo(100);
        refers.get(0).subscription().notify(180, "Ringing");
        p.run();
        assertThat(progress).hasSize(2);
        long id = refers.get(0).refer().cseq().seq();

        // the referrer refreshes the implicit subscription: 200 and a NOTIFY with the latest status
        List<SipMessage> seen = new ArrayList<>();
        p.b.drop = m -> {
            seen.add(m);
            return false;
        };
        CompletableFuture<SipResponse> refreshed = p.a.dialogs.send(a, p.a.dialogs.createRequest(a, SipMethod.SUBSCRIBE)
                .set("Event", "refer;id=" + id).set(SipHeaders.EXPIRES, 60L).build());
        p.run();
        assertThat(refreshed.join().statusCode()).isEqualTo(200);
        assertThat(refreshed.join().get(SipHeaders.EXPIRES)).isEqualTo(60L);
        assertThat(progress).hasSize(3);
        assertThat(progress.get(2).status()).isEqualTo(180);
        SipRequest notify = (SipRequest) seen.stream().filter(m -> m instanceof SipRequest r && r.method().equals(SipMethod.NOTIFY))
                .findFirst().orElseThrow();
        assertThat(notify.header("Subscription-State")).isEqualTo("active;expires=60");

        // no final status within the 60 s: terminated;reason=timeout, and the call stays up
        p.advanceSeconds(59.5);
        assertThat(progress).hasSize(3);
        p.advanceSeconds(1);
        assertThat(progress).hasSize(4);
        assertThat(progress.get(3).terminated()).isTrue();
        assertThat(progress.get(3).status()).isEqualTo(180);
        assertThat(a.state()).isEqualTo(DialogState.CONFIRMED);
        refers.get(0).subscription().notify(200, "OK");
        p.run();
        assertThat(progress).as("nothing after the subscription ended").hasSize(4);

        // a SUBSCRIBE for an id that is gone is refused without touching the call
        CompletableFuture<SipResponse> gone = p.a.dialogs.send(a, p.a.dialogs.createRequest(a, SipMethod.SUBSCRIBE)
                .set("Event", "refer;id=" + id).build());
        p.run();
        assertThat(gone.join().statusCode()).isEqualTo(403);
        assertThat(a.state()).isEqualTo(DialogState.CONFIRMED);
    }

    @Test
    void everyRequestAndResponseListsTheSupportedOptions() {
        List<SipMessage> sent = new CopyOnWriteArrayList<>();
        p.start(c -> c.supported("100rel"), c -> c.eventPackages(new MessageSummaryPackage()));
        p.a.drop = m -> !sent.add(m);
        p.b.drop = m -> !sent.add(m);
        p.b.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
            if (e.request().method().equals(SipMethod.INVITE)) {
                p.b.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "b").build());
            } else if (!e.request().method().equals(SipMethod.ACK)) {
                p.b.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK).build());
            }
        });
        Dialog a = call("supported");
        p.a.dialogs.send(a, p.a.dialogs.createRequest(a, SipMethod.INFO).build());
        p.a.dialogs.send(a, p.a.dialogs.createRequest(a, SipMethod.OPTIONS).build());
        p.a.dialogs.send(a, p.a.dialogs.createRequest(a, SipMethod.MESSAGE).build());
        p.run();
        OutgoingSubscription sub = p.a.dialogs.subscribe(SipRequest.builder(SipMethod.SUBSCRIBE, Uri.parse(p.b.uri("b")))
                .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:a@127.0.0.1")).withTag("s")).to(Address.of(Uri.parse("sip:b@127.0.0.1")))
                .callId("supported-sub").cseq(1).set("Event", "message-summary").build());
        p.run();
        p.a.dialogs.unsubscribe(sub.established().join());
        p.a.dialogs.bye(a);
        p.run();
        // B answers an unknown method with 501
        p.a.transactions.sendRequest(SipRequest.builder(io.rvoip.sip.message.SipMethod.valueOf("FOO"), Uri.parse(p.b.uri("b")))
                .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:a@127.0.0.1")).withTag("x")).to(Address.of(Uri.parse("sip:b@127.0.0.1")))
                .callId("foo").cseq(1).build(), io.rvoip.sip.transport.Destination.of(
                        io.rvoip.sip.transport.TransportType.UDP, p.b.self));
        p.run();
        List<String> kinds = new ArrayList<>();
        for (SipMessage m : sent) {
            String kind = m instanceof SipRequest r ? r.method().name() : ((SipResponse) m).statusCode() + " " + m.cseq().method();
            if (m instanceof SipRequest r && (r.method().equals(SipMethod.ACK) || r.method().name().equals("FOO"))) {
                continue; // ACK is exempt; FOO was sent by hand below the dialog layer
            }
            kinds.add(kind);
            assertThat(m.getAll(SipHeaders.SUPPORTED)).as(kind).contains("replaces", "norefersub");
        }
        assertThat(kinds).contains("INVITE", "200 INVITE", "INFO", "200 INFO", "OPTIONS", "MESSAGE", "SUBSCRIBE",
                "200 SUBSCRIBE", "NOTIFY", "200 NOTIFY", "BYE", "200 BYE", "501 FOO");
        assertThat(sent).filteredOn(m -> m instanceof SipRequest r && r.method().equals(SipMethod.INVITE))
                .allSatisfy(m -> assertThat(m.getAll(SipHeaders.SUPPORTED)).contains("100rel"));
    }

    @Test
    void manySubscriptionsAndRefersLeaveNothingBehind() {
        start();
        int n = 1000;
        List<CompletableFuture<SipResponse>> ends = new CopyOnWriteArrayList<>();
        p.b.bus.subscribe(DialogEvent.ReferReceived.class).onShard().handle(e -> e.subscription().notify(200, "OK"));
        // the transferor hangs up once the transfer's final NOTIFY came
        p.a.bus.subscribe(DialogEvent.ReferProgress.class).onShard().handle(e -> {
            if (e.terminated()) {
                ends.add(p.a.dialogs.bye(e.dialog()));
            }
        });
        for (int i = 0; i < n; i++) {
            OutgoingSubscription sub = p.a.dialogs.subscribe(SipRequest.builder(SipMethod.SUBSCRIBE, Uri.parse(p.b.uri("mbox" + i)))
                    .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                    .from(Address.of(Uri.parse("sip:a@127.0.0.1")).withTag("s" + i))
                    .to(Address.of(Uri.parse("sip:mbox" + i + "@127.0.0.1"))).callId("sub-" + i).cseq(1)
                    .set("Event", "message-summary").set(SipHeaders.EXPIRES, 600L).build());
            ends.add(sub.established().thenCompose(p.a.dialogs::unsubscribe));
            Dialog call = call("call-" + i);
            ends.add(p.a.dialogs.refer(call, Address.parse("<sip:carol@example.com>"), null, true));
            if (i % 50 == 49) {
                p.run();
            }
        }
        p.run();
        for (CompletableFuture<SipResponse> end : ends) {
            assertThat(end).isCompleted();
            assertThat(end.join().statusCode()).isIn(200, 202);
        }
        assertThat(ends).hasSize(3 * n);
        assertThat(refers).hasSize(n);
        assertThat(progress).filteredOn(DialogEvent.ReferProgress::terminated).hasSize(n);
        p.assertNothingLeft();
    }
}
