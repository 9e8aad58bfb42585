package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.event.SubscriptionMetrics;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.uri.Uri;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Events (RFC 6665, RFC 3515) against a peer that damages what it sends, and an application
 * that acts on dialogs that have just ended. Each case was found by
 * {@code DialogLayerFuzzTest.mutatedNotifiesAndAnswersNeverFailASubscriberOrAReferrer}.
 */
class DialogEventsHostileTest {
    private final DialogFixture f = new DialogFixture(b -> b.eventPackages(new MessageSummaryPackage()));

    private OutgoingSubscription subscribe() {
        OutgoingSubscription sub = f.dialogs.subscribe(SipRequest.builder(SipMethod.SUBSCRIBE,
                        Uri.parse("sip:mailbox@127.0.0.1:5070"))
                .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:me@example.com")).withTag("subtag"))
                .to(Address.of(Uri.parse("sip:mailbox@example.com"))).callId("sub-1").cseq(1)
                .set("Event", "message-summary").set(SipHeaders.EXPIRES, 600L).build());
        f.shards.runPending();
        return sub;
    }

    private SipRequest notifyFor(SipRequest subscribe, Address from) {
        return SipRequest.builder(SipMethod.NOTIFY, Uri.parse("sip:me@127.0.0.1:5060"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch())).maxForwards(70)
                .from(from).to(subscribe.from()).callId(subscribe.callId()).cseq(1)
                .contact(Address.parse("<sip:mailbox@127.0.0.1:5070>"))
                .set("Event", "message-summary").set("Subscription-State", "active;expires=600")
                .body(MessageSummaryPackage.TYPE, "Messages-Waiting: no\r\n".getBytes()).build();
    }

    @Test
    void aSubscribe2xxWhoseFromLostItsTagStillSchedulesTheRefresh() {
        OutgoingSubscription sub = subscribe();
        SipRequest sent = (SipRequest) f.sent(request(SipMethod.SUBSCRIBE)).get(0).message();
        // the NOTIFY makes the dialog without saying for how long; the 200 grants 120 s
        f.receive(notifyFor(sent, Address.parse("<sip:mailbox@example.com>;tag=n1")).toBuilder()
                .set("Subscription-State", "active").build());
        SipResponse ok = DialogFixture.withRaw(SipResponse.forRequest(sent, StatusCode.OK, "n1")
                .set(SipHeaders.EXPIRES, 120L).build(), "From: <sip:me@example.com>;tga=subtag");
        f.receive(ok); // threw a NullPointerException on the shard before
        assertThat(sub.response().join().statusCode()).isEqualTo(200);
        f.runFor(61_000); // refreshed at half of the 200's 120 s
        assertThat(f.times(request(SipMethod.SUBSCRIBE))).startsWith(0L, 60_000L);
        assertNoHandlerFailed();
    }

    @Test
    void aNotifyWithoutFromTagMakesNoSubscriptionDialog() {
        OutgoingSubscription sub = subscribe();
        SipRequest sent = (SipRequest) f.sent(request(SipMethod.SUBSCRIBE)).get(0).message();
        f.receive(notifyFor(sent, Address.parse("<sip:mailbox@example.com>")));
        assertThat(f.lastResponse().statusCode()).isEqualTo(400);
        assertThat(f.lastResponse().reasonPhrase()).isEqualTo("Missing From tag");
        assertThat(sub.dialogs()).isEmpty();
        assertThat(f.events(DialogEvent.NotifyReceived.class)).isEmpty();
        // the notifier's next, well-formed NOTIFY makes it
        f.receive(notifyFor(sent, Address.parse("<sip:mailbox@example.com>;tag=n1")));
        assertThat(f.lastResponse().statusCode()).isEqualTo(200);
        assertThat(sub.dialogs()).hasSize(1);
        assertNoHandlerFailed();
    }

    @Test
    void aNotifyWithoutEventInAnInviteDialogIsRefusedNotPassedUp() {
        Dialog d = f.confirmedUas("call-1");
        int before = f.events(DialogEvent.RequestReceived.class).size();
        f.receive(DialogFixture.inDialog(SipMethod.NOTIFY, "call-1", "bobtag", 2).toBuilder()
                .set("Subscription-State", "active").body(MediaType.MESSAGE_SIPFRAG, "SIP/2.0 200 OK\r\n".getBytes()).build());
        assertThat(f.lastResponse().statusCode()).isEqualTo(400);
        assertThat(f.lastResponse().reasonPhrase()).isEqualTo("Missing Event");
        assertThat(f.events(DialogEvent.RequestReceived.class)).hasSize(before);
        assertThat(d.state()).isEqualTo(DialogState.CONFIRMED);
    }

    @Test
    void actingOnADialogThatHasEndedGivesAFailedFutureNotAnException() {
        Dialog d = f.confirmedUas("call-2");
        f.receive(DialogFixture.inDialog(SipMethod.BYE, "call-2", "bobtag", 2));
        assertThat(d.state()).isEqualTo(DialogState.TERMINATED);
        for (CompletableFuture<SipResponse> r : java.util.List.of(
                f.dialogs.refer(d, Address.parse("<sip:carol@example.com>"), null, true),
                f.dialogs.unsubscribe(d), f.dialogs.refreshSubscription(d, 60), f.dialogs.bye(d))) {
            assertThat(r).isCompletedExceptionally();
        }
        OutgoingSubscription sub = subscribe();
        SipRequest sent = (SipRequest) f.sent(request(SipMethod.SUBSCRIBE)).get(0).message();
        f.receive(notifyFor(sent, Address.parse("<sip:mailbox@example.com>;tag=n1")).toBuilder()
                .set("Subscription-State", "terminated;reason=probation").build());
        f.receive(notifyFor(sent, Address.parse("<sip:mailbox@example.com>;tag=n2")));
        Dialog live = sub.dialogs().get(0);
        f.receive(notifyFor(sent, Address.parse("<sip:mailbox@example.com>;tag=n2")).toBuilder().cseq(2)
                .set("Subscription-State", "terminated;reason=noresource").build());
        assertThat(live.state()).isEqualTo(DialogState.TERMINATED);
        assertThat(f.dialogs.unsubscribe(live)).isCompletedExceptionally(); // threw IllegalStateException before
        assertNoHandlerFailed();
    }

    private void assertNoHandlerFailed() {
        for (SubscriptionMetrics s : f.bus.metrics().subscriptions()) {
            assertThat(s.failed()).as("handler %s", s.name()).isZero();
        }
    }
}
