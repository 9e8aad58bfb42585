package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogsOverLoopbackIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.time.ManualClock;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transport.TransportEvent;
import io.rvoip.sip.uri.Uri;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each extension of issue 7 between full stacks over real loopback UDP sockets, their timers on
 * one manual clock: PRACK retransmission and a lost PRACK; UPDATE glare; session refresh and
 * expiry; REFER with NOTIFY progress to the final status (the transferee really calls a third
 * stack); Replaces for confirmed and early dialogs and the 481 case; a subscription's
 * lifecycle with refresh and termination. Loss is made by dropping a message before it reaches
 * the socket.
 */
class ExtensionsOverLoopbackIT {
    private final ManualClock clock = new ManualClock();
    private final List<DialogStack> stacks = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        stacks.forEach(DialogStack::close);
    }

    /** A stack whose received messages and dialog events are recorded. */
    private final class Ua {
        final DialogStack stack;
        final List<SipMessage> received = new CopyOnWriteArrayList<>();
        final List<DialogEvent> events = new CopyOnWriteArrayList<>();

        Ua(UnaryOperator<DialogConfig.Builder> config) {
            stack = new DialogStack(clock, config);
            stacks.add(stack);
            stack.bus.subscribe(TransportEvent.MessageReceived.class).handle(e -> received.add(e.message()));
            stack.bus.subscribe(DialogEvent.class).onShard().handle(events::add);
        }

        DialogLayer dialogs() {
            return stack.dialogs;
        }

        String uri(String user) {
            return "sip:" + user + "@127.0.0.1:" + stack.udpPort;
        }

        long count(Predicate<SipMessage> p) {
            return received.stream().filter(p).count();
        }

        <E extends DialogEvent> List<E> events(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        /** Answers requests outside dialogs (INVITE after {@code provisional}, when not null). */
        void answers(StatusCode provisional, StatusCode answer) {
            stack.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
                SipRequest r = e.request();
                if (r.method().equals(SipMethod.INVITE) && e.dialog() == null) {
                    String tag = "t" + r.callId().hashCode();
                    if (provisional != null) {
                        dialogs().respond(e.transaction(), SipResponse.forRequest(r, provisional, tag).build());
                    }
                    if (answer != null) {
                        dialogs().respond(e.transaction(), SipResponse.forRequest(r, answer, tag).build());
                    }
                } else if (!r.method().equals(SipMethod.ACK) && !r.method().equals(SipMethod.CANCEL)
                        && !r.method().equals(SipMethod.INVITE)) {
                    dialogs().respond(e.transaction(), SipResponse.forRequest(r, StatusCode.OK).build());
                }
            });
        }

        OutgoingInvite call(Ua callee) {
            SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse(callee.uri("callee")))
                    .via(Via.of("UDP", "127.0.0.1", stack.udpPort, SipIds.newBranch())).maxForwards(70)
                    .from(Address.of(Uri.parse(uri("caller"))).withTag(SipIds.newTag()))
                    .to(Address.of(Uri.parse(callee.uri("callee")))).callId(SipIds.newCallId()).cseq(1)
                    .setAll(SipHeaders.ALLOW, List.of("INVITE", "ACK", "BYE", "CANCEL", "UPDATE", "REFER", "NOTIFY"))
                    .build();
            return dialogs().invite(invite);
        }

        /** This side's dialog of the same call as {@code other}'s. */
        Dialog peerOf(Dialog other) {
            await(() -> dialogs().dialog(new DialogId(other.callId(), other.id().remoteTag(), other.id().localTag())) != null,
                    "the peer's dialog");
            return dialogs().dialog(new DialogId(other.callId(), other.id().remoteTag(), other.id().localTag()));
        }
    }

    private static Predicate<SipMessage> request(SipMethod m) {
        return x -> x instanceof SipRequest r && r.method().equals(m);
    }

    private static Predicate<SipMessage> response(int code, SipMethod m) {
        return x -> x instanceof SipResponse r && r.statusCode() == code && r.cseq().method().equals(m);
    }

    /** Advances the manual clock in 100 ms steps, letting every exchange finish after each. */
    private void advance(Duration d) {
        settle();
        for (long ms = 0; ms < d.toMillis(); ms += 100) {
            clock.advanceMillis(100);
            settle();
        }
    }

    /**
     * Waits until the stacks are quiet: every datagram sent was received, and every shard has run
     * what was queued — twice in a row with nothing new in between.
     */
    private void settle() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int quiet = 0;
        while (quiet < 2) {
            long sent = stacks.stream().mapToLong(s -> s.sent.get()).sum();
            long received = stacks.stream().mapToLong(s -> s.received.get()).sum();
            stacks.forEach(DialogStack::barrier);
            long sentAfter = stacks.stream().mapToLong(s -> s.sent.get()).sum();
            long receivedAfter = stacks.stream().mapToLong(s -> s.received.get()).sum();
            quiet = sent == sentAfter && received == receivedAfter && sentAfter == receivedAfter ? quiet + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the stacks did not settle: sent " + sentAfter + ", received " + receivedAfter);
            }
        }
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void reliable183IsRetransmittedUntilALostPrackIsRetransmittedToo() throws Exception {
        Ua caller = new Ua(c -> c.supported("100rel"));
        Ua callee = new Ua(c -> c.supported("100rel"));
        callee.stack.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
            if (e.request().method().equals(SipMethod.INVITE)) {
                callee.dialogs().respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.SESSION_PROGRESS, "rel")
                        .body(MediaType.APPLICATION_SDP, "v=0\r\n".getBytes()).build());
            }
        });
        callee.stack.bus.subscribe(DialogEvent.PrackReceived.class).onShard().handle(e -> {
            var invite = callee.events(DialogEvent.RequestReceived.class).get(0);
            callee.dialogs().respond(invite.transaction(), SipResponse.forRequest(invite.request(), StatusCode.OK, "rel").build());
        });
        // the 183 carries the offer (the INVITE had none): the caller answers it in the PRACK
        caller.stack.bus.subscribe(DialogEvent.Early.class).onShard().handle(e -> {
            if (e.response().bodyLength() > 0) {
                caller.dialogs().prack(e.dialog(), e.response(), MediaType.APPLICATION_SDP, "v=0\r\n".getBytes());
            }
        });
        boolean[] lossy = {true};
        java.util.concurrent.atomic.AtomicInteger prackLost = new java.util.concurrent.atomic.AtomicInteger();
        caller.stack.drop = m -> lossy[0] && request(SipMethod.PRACK).test(m) && prackLost.incrementAndGet() > 0;
        OutgoingInvite out = caller.call(callee);
        await(() -> caller.count(response(183, SipMethod.INVITE)) == 1, "the reliable 183");
        await(() -> prackLost.get() == 1, "the PRACK (its first copy lost)");
        advance(Duration.ofMillis(500)); // T1: the callee repeats its 183; the PRACK's retransmission is lost too
        await(() -> caller.count(response(183, SipMethod.INVITE)) == 2, "the 183 retransmitted at T1");
        assertThat(caller.events(DialogEvent.Early.class)).as("a retransmission is not a new 1xx").hasSize(1);
        lossy[0] = false;
        advance(Duration.ofMillis(1000)); // 1.5 s: the PRACK's second retransmission gets through
        Dialog d = get(out.dialog());
        assertThat(d.state()).isEqualTo(DialogState.CONFIRMED);
        assertThat(callee.events(DialogEvent.PrackReceived.class)).hasSize(1);
        assertThat(callee.events(DialogEvent.PrackReceived.class).get(0).prack().bodyText()).isEqualTo("v=0\r\n");

        // every PRACK lost: after 64·T1 the callee gives up with 504 and the call fails
        lossy[0] = true;
        settle();
        long before = caller.count(response(183, SipMethod.INVITE)); // 3 when the 183 at 1.5 s beat the PRACK
        OutgoingInvite unlucky = caller.call(callee);
        await(() -> caller.count(response(183, SipMethod.INVITE)) == before + 1, "the second call's 183");
        advance(Duration.ofSeconds(33));
        assertThat(get(unlucky.finalResponse()).statusCode()).isEqualTo(504);
        await(() -> callee.dialogs().dialogCount() == 1 && caller.dialogs().dialogCount() == 1, "only the first call left");
    }

    @Test
    void updateGlareIsResolvedByRandomRetries() throws Exception {
        Ua a = new Ua(c -> c);
        Ua b = new Ua(c -> c);
        a.answers(null, StatusCode.OK);
        b.answers(null, StatusCode.OK);
        Dialog da = get(a.call(b).dialog());
        Dialog db = b.peerOf(da);
        // both UPDATEs lose their first copy, so their retransmissions cross: each side gets 491
        a.stack.drop = ManualPair.dropFirst(request(SipMethod.UPDATE));
        b.stack.drop = ManualPair.dropFirst(request(SipMethod.UPDATE));
        var fromA = a.dialogs().send(da, a.dialogs().createRequest(da, SipMethod.UPDATE).build());
        var fromB = b.dialogs().send(db, b.dialogs().createRequest(db, SipMethod.UPDATE).build());
        await(() -> a.stack.transactions.transactionCount() >= 2 && b.stack.transactions.transactionCount() >= 2,
                "both UPDATEs sent");
        advance(Duration.ofMillis(500));
        // the retransmissions left together; each side that got its UPDATE while its own was
        // pending said 491 (both, unless one round trip finished before the other side's timer ran)
        assertThat(a.count(response(491, SipMethod.UPDATE)) + b.count(response(491, SipMethod.UPDATE))).isPositive();
        advance(Duration.ofMillis(4100)); // B retries within 2 s, A (the Call-ID's owner) within 2.1–4 s
        assertThat(get(fromA).statusCode()).isEqualTo(200);
        assertThat(get(fromB).statusCode()).isEqualTo(200);
    }

    @Test
    void sessionRefreshesKeepTheCallAndTheirLossEndsIt() throws Exception {
        UnaryOperator<DialogConfig.Builder> timers = c -> c.sessionTimers(Duration.ofSeconds(90), Duration.ofSeconds(90));
        Ua a = new Ua(timers);
        Ua b = new Ua(timers);
        a.answers(null, StatusCode.OK);
        b.answers(null, StatusCode.OK);
        Dialog da = get(a.call(b).dialog());
        Dialog db = b.peerOf(da);
        assertThat(da.isRefresher()).isTrue();
        for (int i = 1; i <= 3; i++) {
            advance(Duration.ofSeconds(45));
            int n = i;
            await(() -> b.count(request(SipMethod.UPDATE)) == n, "refresh " + n);
            await(() -> a.count(response(200, SipMethod.UPDATE)) == n, "its 200");
        }
        assertThat(db.state()).isEqualTo(DialogState.CONFIRMED);
        a.stack.drop = request(SipMethod.UPDATE);
        advance(Duration.ofSeconds(59)); // B ends the session min(32, 90/3) = 30 s before it expires
        assertThat(db.state()).isEqualTo(DialogState.CONFIRMED);
        advance(Duration.ofSeconds(2));
        await(() -> db.state() == DialogState.TERMINATED, "B to end the call");
        assertThat(db.terminationReason()).isEqualTo("session expired");
        await(() -> da.state() == DialogState.TERMINATED, "A to get the BYE");
    }

    @Test
    void referReportsTheTransfereesCallToItsFinalStatus() throws Exception {
        Ua transferor = new Ua(c -> c);
        Ua transferee = new Ua(c -> c);
        Ua target = new Ua(c -> c);
        transferee.answers(null, StatusCode.OK);
        target.answers(StatusCode.RINGING, StatusCode.OK);
        transferee.stack.bus.subscribe(DialogEvent.ReferReceived.class).onShard().handle(e -> {
            // blind transfer: call the Refer-To target and report how it goes
            SipRequest invite = SipRequest.builder(SipMethod.INVITE, e.referTo().uri())
                    .via(Via.of("UDP", "127.0.0.1", transferee.stack.udpPort, SipIds.newBranch())).maxForwards(70)
                    .from(Address.of(Uri.parse(transferee.uri("transferee"))).withTag(SipIds.newTag()))
                    .to(Address.of(e.referTo().uri())).callId(SipIds.newCallId()).cseq(1).build();
            OutgoingInvite out = transferee.dialogs().invite(invite);
            out.finalResponse().thenAccept(r -> e.subscription().notify(r.statusCode(), r.reasonPhrase()));
        });
        Dialog call = get(transferor.call(transferee).dialog());
        SipResponse accepted = get(transferor.dialogs().refer(call, Address.of(Uri.parse(target.uri("target"))),
                Address.of(Uri.parse(transferor.uri("transferor"))), true));
        assertThat(accepted.statusCode()).isEqualTo(202);
        await(() -> transferor.events(DialogEvent.ReferProgress.class).stream().anyMatch(DialogEvent.ReferProgress::terminated),
                "the final NOTIFY");
        List<DialogEvent.ReferProgress> progress = transferor.events(DialogEvent.ReferProgress.class);
        assertThat(progress.get(0).status()).isEqualTo(100);
        assertThat(progress.get(progress.size() - 1).status()).isEqualTo(200);
        assertThat(target.dialogs().dialogCount()).isEqualTo(1);
        SipRequest referAtTransferee = transferee.events(DialogEvent.ReferReceived.class).get(0).refer();
        assertThat(referAtTransferee.get(SipHeaders.REFERRED_BY).uri().toString()).isEqualTo(transferor.uri("transferor"));
    }

    private SipRequest replacingInvite(Ua from, Ua to, Dialog replaced, boolean earlyOnly) {
        // the Replaces header names the dialog as the recipient knows it: to-tag is the recipient's own tag
        String replaces = replaced.callId() + ";to-tag=" + replaced.id().localTag() + ";from-tag=" + replaced.id().remoteTag()
                + (earlyOnly ? ";early-only" : "");
        return SipRequest.builder(SipMethod.INVITE, Uri.parse(to.uri("callee")))
                .via(Via.of("UDP", "127.0.0.1", from.stack.udpPort, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse(from.uri("carol"))).withTag(SipIds.newTag()))
                .to(Address.of(Uri.parse(to.uri("callee")))).callId(SipIds.newCallId()).cseq(1)
                .set("Replaces", replaces).build();
    }

    @Test
    void replacesTakesOverConfirmedAndEarlyDialogsAndUnknownOnesGet481() throws Exception {
        Ua alice = new Ua(c -> c);
        Ua bob = new Ua(c -> c);
        Ua carol = new Ua(c -> c);
        alice.answers(StatusCode.RINGING, null); // alice only rings
        bob.answers(null, StatusCode.OK);

        // confirmed: alice calls bob; carol replaces alice; bob ends alice's call with BYE
        Dialog aliceSide = get(alice.call(bob).dialog());
        Dialog bobSide = bob.peerOf(aliceSide);
        SipResponse earlyOnly = get(carol.dialogs().invite(replacingInvite(carol, bob, bobSide, true)).finalResponse());
        assertThat(earlyOnly.statusCode()).as("early-only for a confirmed dialog").isEqualTo(486);
        assertThat(bobSide.state()).isEqualTo(DialogState.CONFIRMED);
        OutgoingInvite replacing = carol.dialogs().invite(replacingInvite(carol, bob, bobSide, false));
        assertThat(get(replacing.finalResponse()).statusCode()).isEqualTo(200);
        await(() -> aliceSide.state() == DialogState.TERMINATED, "alice's call to end");
        assertThat(aliceSide.terminationReason()).isEqualTo("BYE received");
        assertThat(bobSide.terminationReason()).isEqualTo("replaced");

        // early: bob calls alice, who rings; carol replaces that early dialog; bob CANCELs his INVITE
        OutgoingInvite bobCallsAlice = bob.call(alice);
        await(() -> !bobCallsAlice.dialogs().isEmpty(), "bob's early dialog");
        Dialog early = bobCallsAlice.dialogs().get(0);
        assertThat(early.state()).isEqualTo(DialogState.EARLY);
        OutgoingInvite pickup = carol.dialogs().invite(replacingInvite(carol, bob, early, true));
        assertThat(get(pickup.finalResponse()).statusCode()).isEqualTo(200);
        assertThat(get(bobCallsAlice.finalResponse()).statusCode()).isEqualTo(487);
        assertThat(early.state()).isEqualTo(DialogState.TERMINATED);

        // a dialog bob does not have
        SipRequest unknown = replacingInvite(carol, bob, early, false).toBuilder()
                .set("Replaces", "no-such-call;to-tag=x;from-tag=y").build();
        assertThat(get(carol.dialogs().invite(unknown).finalResponse()).statusCode()).isEqualTo(481);
    }

    @Test
    void aSubscriptionLivesThroughNotifiesRefreshesAndEndsByUnsubscribeOrByTheNotifier() throws Exception {
        MessageSummaryPackage mwi = new MessageSummaryPackage();
        Ua watcher = new Ua(c -> c);
        Ua voicemail = new Ua(c -> c.eventPackages(mwi));
        Uri box = Uri.parse(voicemail.uri("alice"));
        java.util.function.Supplier<SipRequest> subscribe = () -> SipRequest.builder(SipMethod.SUBSCRIBE, box)
                .via(Via.of("UDP", "127.0.0.1", watcher.stack.udpPort, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse(watcher.uri("alice"))).withTag(SipIds.newTag()))
                .to(Address.of(box)).callId(SipIds.newCallId()).cseq(1)
                .set("Event", "message-summary").set(SipHeaders.EXPIRES, 120L).build();
        OutgoingSubscription sub = watcher.dialogs().subscribe(subscribe.get());
        Dialog d = get(sub.established());
        assertThat(get(sub.response()).statusCode()).isEqualTo(200);
        await(() -> watcher.events(DialogEvent.NotifyReceived.class).size() == 1, "the first NOTIFY");
        mwi.set(box, 2, 0);
        voicemail.dialogs().notifyChanged("message-summary", box);
        await(() -> watcher.events(DialogEvent.NotifyReceived.class).size() == 2, "the NOTIFY of the change");
        assertThat(watcher.events(DialogEvent.NotifyReceived.class).get(1).request().bodyText())
                .contains("Messages-Waiting: yes");
        advance(Duration.ofSeconds(61)); // the watcher refreshes at half the 120 s
        await(() -> voicemail.events(DialogEvent.SubscriptionReceived.class).size() == 2, "the refresh");
        await(() -> watcher.events(DialogEvent.NotifyReceived.class).size() == 3, "the NOTIFY after the refresh");
        assertThat(get(watcher.dialogs().unsubscribe(d)).statusCode()).isEqualTo(200);
        await(() -> d.state() == DialogState.TERMINATED, "the end of the subscription");
        assertThat(d.terminationReason()).isEqualTo("subscription terminated: timeout");

        // the notifier ends the second one
        OutgoingSubscription second = watcher.dialogs().subscribe(subscribe.get());
        Dialog d2 = get(second.established());
        await(() -> voicemail.dialogs().subscriptionCount() == 1, "the notifier's side");
        List<DialogEvent.SubscriptionReceived> subscribes = voicemail.events(DialogEvent.SubscriptionReceived.class);
        Dialog served = subscribes.get(subscribes.size() - 1).dialog();
        voicemail.dialogs().terminateSubscription(served, "noresource");
        await(() -> d2.state() == DialogState.TERMINATED, "the watcher's side to end");
        assertThat(d2.terminationReason()).isEqualTo("subscription terminated: noresource");
        advance(Duration.ofSeconds(40));
        await(() -> watcher.dialogs().subscriptionCount() == 0 && voicemail.dialogs().subscriptionCount() == 0
                && watcher.dialogs().pendingSubscribeCount() == 0 && watcher.dialogs().dialogCount() == 0
                && voicemail.dialogs().dialogCount() == 0, "nothing left");
    }
}
