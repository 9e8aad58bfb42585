package io.rvoip.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.uri.Uri;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two complete transaction + dialog stacks wired back to back on one manual clock: 10,000 calls
 * (INVITE, 180, 200, ACK, BYE, 200) leave no dialogs, transactions or timers once the RFC's
 * linger times have passed; both sides re-INVITE at once (glare) and both succeed after the
 * random waits of §14.1.
 */
class BackToBackTest {
    private final ManualPair pair = new ManualPair();
    private final io.rvoip.infra.time.ManualClock clock = pair.clock;
    private final io.rvoip.infra.concurrent.ManualShardedExecutor shards = pair.shards;
    private final TimerService timers = pair.timers;

    @Test
    void tenThousandCallsLeaveNothingBehind() {
        pair.start(c -> c, c -> c);
        ManualPair.Side a = pair.a;
        ManualPair.Side b = pair.b;
        b.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
            if (e.request().method().equals(SipMethod.INVITE) && e.dialog() == null) {
                b.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.RINGING, "b").build());
                b.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "b").build());
            }
        });
        int calls = 10_000;
        List<CompletableFuture<SipResponse>> byes = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:b@127.0.0.1:5070"))
                    .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                    .from(Address.of(Uri.parse("sip:a@127.0.0.1")).withTag("a" + i))
                    .to(Address.of(Uri.parse("sip:b@127.0.0.1"))).callId("leak-" + i).cseq(1).build();
            OutgoingInvite out = a.dialogs.invite(invite);
            byes.add(out.dialog().thenCompose(a.dialogs::bye));
            if (i % 100 == 99) {
                shards.runPending();
            }
        }
        shards.runPending();
        for (CompletableFuture<SipResponse> bye : byes) {
            assertThat(bye).isCompleted();
            assertThat(bye.join().statusCode()).isEqualTo(200);
        }
        assertThat(a.dialogs.dialogCount()).isZero();
        assertThat(b.dialogs.dialogCount()).isZero();
        // transactions linger for their RFC timers (K, J, L, M: up to 64·T1 = 32 s); then all is gone
        for (int s = 0; s < 40; s++) {
            clock.advanceMillis(1000);
            shards.runPending();
        }
        assertThat(a.transactions.transactionCount()).isZero();
        assertThat(b.transactions.transactionCount()).isZero();
        assertThat(timers.activeCount()).isZero();
    }

    @Test
    void glareBothSidesReinviteAtOnceAndBothSucceedAfterTheirRandomWaits() {
        pair.start(c -> c, c -> c);
        ManualPair.Side a = pair.a;
        ManualPair.Side b = pair.b;
        List<Long> reinvitesAnsweredAt = new ArrayList<>();
        for (ManualPair.Side s : List.of(a, b)) {
            s.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
                if (e.request().method().equals(SipMethod.INVITE)) {
                    if (e.dialog() != null) {
                        reinvitesAnsweredAt.add(clock.nanoTime() / 1_000_000);
                    }
                    s.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "b").build());
                }
            });
        }
        SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:b@127.0.0.1:5070"))
                .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:a@127.0.0.1")).withTag("a"))
                .to(Address.of(Uri.parse("sip:b@127.0.0.1"))).callId("glare").cseq(1).build();
        OutgoingInvite out = a.dialogs.invite(invite);
        shards.runPending();
        Dialog da = out.dialog().join();
        Dialog db = b.dialogs.dialog(new DialogId("glare", "b", "a"));
        assertThat(db).isNotNull();
        // both re-INVITE in the same instant: each gets 491
        CompletableFuture<SipResponse> fromA = a.dialogs.send(da, a.dialogs.createRequest(da, SipMethod.INVITE).build());
        CompletableFuture<SipResponse> fromB = b.dialogs.send(db, b.dialogs.createRequest(db, SipMethod.INVITE).build());
        shards.runPending();
        assertThat(fromA).isNotDone();
        assertThat(fromB).isNotDone();
        assertThat(reinvitesAnsweredAt).isEmpty();
        // B (not the Call-ID's owner) retries within 2 s, A (the owner) after 2.1–4 s
        for (int ms = 0; ms < 4100; ms++) {
            clock.advanceMillis(1);
            shards.runPending();
        }
        assertThat(fromB).isCompleted();
        assertThat(fromA).isCompleted();
        assertThat(fromA.join().statusCode()).isEqualTo(200);
        assertThat(fromB.join().statusCode()).isEqualTo(200);
        assertThat(reinvitesAnsweredAt).hasSize(2);
        assertThat(reinvitesAnsweredAt.get(0)).isLessThanOrEqualTo(2000);
        assertThat(reinvitesAnsweredAt.get(1)).isBetween(2100L, 4000L);
    }

    @Test
    void aLostAckIsRepairedByThe2xxRetransmissionAndTheSameAck() {
        pair.start(c -> c, c -> c);
        ManualPair.Side a = pair.a;
        ManualPair.Side b = pair.b;
        List<Long> acksAt = new ArrayList<>();
        b.bus.subscribe(DialogEvent.class).onShard().handle(e -> {
            if (e instanceof DialogEvent.RequestReceived r && r.request().method().equals(SipMethod.INVITE)) {
                b.dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.OK, "b").build());
            } else if (e instanceof DialogEvent.AckReceived) {
                acksAt.add(clock.nanoTime() / 1_000_000);
            }
        });
        a.drop = ManualPair.dropFirst(m -> m instanceof SipRequest r && r.method().equals(SipMethod.ACK));
        SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:b@127.0.0.1:5070"))
                .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:a@127.0.0.1")).withTag("a"))
                .to(Address.of(Uri.parse("sip:b@127.0.0.1"))).callId("lost-ack").cseq(1).build();
        long start = clock.nanoTime() / 1_000_000;
        OutgoingInvite out = a.dialogs.invite(invite);
        shards.runPending();
        assertThat(out.dialog()).isCompleted();
        assertThat(acksAt).isEmpty(); // the first ACK was lost
        for (int ms = 0; ms < 600; ms++) {
            clock.advanceMillis(1);
            shards.runPending();
        }
        // B retransmitted its 2xx at T1; A answered it with the same ACK, which arrived
        assertThat(acksAt).hasSize(1);
        assertThat(acksAt.get(0) - start).isBetween(500L, 501L);
        Dialog db = b.dialogs.dialog(new DialogId("lost-ack", "b", "a"));
        assertThat(db.state()).isEqualTo(DialogState.CONFIRMED);
        for (int s = 0; s < 40; s++) {
            clock.advanceMillis(1000);
            shards.runPending();
        }
        assertThat(db.state()).as("no BYE for a missing ACK").isEqualTo(DialogState.CONFIRMED);
    }

    private void advanceSeconds(int seconds) {
        for (int i = 0; i < seconds * 10; i++) {
            clock.advanceMillis(100);
            shards.runPending();
        }
    }

    private Dialog[] timedCall(ManualPair.Side a, ManualPair.Side b, String callId) {
        b.bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
            if (e.request().method().equals(SipMethod.INVITE) || e.request().method().equals(SipMethod.UPDATE)) {
                b.dialogs.respond(e.transaction(), SipResponse.forRequest(e.request(), StatusCode.OK, "b").build());
            }
        });
        SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:b@127.0.0.1:5070"))
                .via(Via.of("UDP", "127.0.0.1", 5060, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:a@127.0.0.1")).withTag("a"))
                .to(Address.of(Uri.parse("sip:b@127.0.0.1"))).callId(callId).cseq(1)
                .setAll(io.rvoip.sip.header.SipHeaders.ALLOW, List.of("INVITE", "ACK", "BYE", "UPDATE")).build();
        OutgoingInvite out = a.dialogs.invite(invite);
        shards.runPending();
        assertThat(out.dialog()).isCompleted();
        return new Dialog[] {out.dialog().join(), b.dialogs.dialog(new DialogId(callId, "b", "a"))};
    }

    @Test
    void sessionTimersRefreshWithUpdateAndExpireWithoutRefreshes() {
        java.time.Duration two = java.time.Duration.ofSeconds(120);
        java.time.Duration min = java.time.Duration.ofSeconds(90);
        pair.start(c -> c.sessionTimers(two, min), c -> c.sessionTimers(two, min));
        ManualPair.Side a = pair.a;
        ManualPair.Side b = pair.b;
        Dialog[] d = timedCall(a, b, "timer-1");
        Dialog da = d[0];
        Dialog db = d[1];
        assertThat(da.sessionInterval()).isEqualTo(120);
        assertThat(da.isRefresher()).as("the UAS picks the UAC when it supports timers").isTrue();
        assertThat(db.isRefresher()).isFalse();
        // ten minutes: A refreshes with UPDATE every 60 s, B's expiry is pushed back each time
        advanceSeconds(600);
        assertThat(da.state()).as("a: %s / b: %s", da.terminationReason(), db.terminationReason())
                .isEqualTo(DialogState.CONFIRMED);
        assertThat(db.state()).isEqualTo(DialogState.CONFIRMED);
        // A's refreshes are lost from now on: B ends the call min(32, 120/3) = 32 s before expiry
        a.drop = m -> m instanceof SipRequest r && r.method().equals(SipMethod.UPDATE);
        advanceSeconds(60 + 88);
        assertThat(db.state()).isEqualTo(DialogState.TERMINATED);
        assertThat(db.terminationReason()).isEqualTo("session expired");
        assertThat(da.state()).isEqualTo(DialogState.TERMINATED);
    }

    @Test
    void aTooSmallIntervalGets422AndTheRetryUsesTheMinSe() {
        pair.start(c -> c.sessionTimers(java.time.Duration.ofSeconds(120), java.time.Duration.ofSeconds(90)),
                c -> c.sessionTimers(java.time.Duration.ofSeconds(1800), java.time.Duration.ofSeconds(300)));
        ManualPair.Side a = pair.a;
        ManualPair.Side b = pair.b;
        Dialog[] d = timedCall(a, b, "timer-2");
        assertThat(d[0].sessionInterval()).isEqualTo(300);
        assertThat(d[1].sessionInterval()).isEqualTo(300);
    }
}
