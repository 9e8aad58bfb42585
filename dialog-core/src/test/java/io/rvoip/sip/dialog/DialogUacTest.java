package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.uri.Uri;
import java.util.List;
import org.junit.jupiter.api.Test;

class DialogUacTest {
    private final DialogFixture f = new DialogFixture();

    private SipRequest newInvite(String callId) {
        return SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@127.0.0.1:5070"))
                .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch()))
                .maxForwards(70)
                .from(Address.of(Uri.parse("sip:me@example.com")).withTag("metag"))
                .to(Address.of(Uri.parse("sip:bob@example.com")))
                .callId(callId)
                .cseq(10)
                .build();
    }

    /** A call out, answered 200 by {@code tag} at 127.0.0.1:5070: its confirmed dialog. */
    private Dialog confirmed(String callId, String tag) {
        OutgoingInvite out = f.dialogs.invite(newInvite(callId));
        f.shards.runPending();
        f.receive(reply(sentInvite(), StatusCode.OK, tag, "sip:bob@127.0.0.1:5070"));
        return out.dialog().join();
    }

    /** The re-INVITE just handed to the layer, as sent (the call's second INVITE). */
    private SipRequest sentReinvite() {
        f.shards.runPending();
        return (SipRequest) f.sent(request(SipMethod.INVITE)).get(1).message();
    }

    private SipRequest sentInvite() {
        return (SipRequest) f.sent(request(SipMethod.INVITE)).get(0).message();
    }

    private SipResponse reply(SipRequest invite, StatusCode code, String tag, String contact, String... recordRoutes) {
        SipResponse.Builder b = SipResponse.forRequest(invite, code, tag);
        if (contact != null) {
            b.contact(Address.of(Uri.parse(contact)));
        }
        for (String rr : recordRoutes) {
            b.add(SipHeaders.RECORD_ROUTE, Address.parse(rr));
        }
        return b.build();
    }

    @Test
    void forkedEarlyDialogsThenTwo2xxAckBothAndByeTheSecond() {
        OutgoingInvite out = f.dialogs.invite(newInvite("uac-1"));
        f.shards.runPending();
        SipRequest invite = sentInvite();
        assertThat(invite.contact().uri().toString()).isEqualTo("sip:me@127.0.0.1:5060");
        f.receive(reply(invite, StatusCode.RINGING, "fork-a", "sip:bob@127.0.0.1:5071"));
        f.receive(reply(invite, StatusCode.SESSION_PROGRESS, "fork-b", "sip:bob@127.0.0.1:5072"));
        assertThat(f.events(DialogEvent.Early.class)).hasSize(2);
        assertThat(out.dialogs()).hasSize(2);

        // fork a answers through two record-routing proxies (loose routing)
        f.receive(reply(invite, StatusCode.OK, "fork-a", "sip:bob@192.0.2.71:5071",
                "<sip:p2.example.com;lr>", "<sip:127.0.0.1:5090;lr>"));
        assertThat(out.finalResponse()).isCompleted();
        Dialog a = out.dialog().join();
        assertThat(a.state()).isEqualTo(DialogState.CONFIRMED);
        assertThat(a.routeSet()).extracting(r -> r.uri().toString())
                .containsExactly("sip:127.0.0.1:5090;lr", "sip:p2.example.com;lr");
        List<DialogFixture.Sent> acks = f.sent(request(SipMethod.ACK));
        assertThat(acks).hasSize(1);
        SipRequest ack = (SipRequest) acks.get(0).message();
        assertThat(ack.requestUri().toString()).isEqualTo("sip:bob@192.0.2.71:5071");
        assertThat(ack.getAll(SipHeaders.ROUTE)).extracting(r -> r.uri().toString())
                .containsExactly("sip:127.0.0.1:5090;lr", "sip:p2.example.com;lr");
        assertThat(ack.cseq().seq()).isEqualTo(10);
        assertThat(ack.cseq().method()).isEqualTo(SipMethod.ACK);
        assertThat(acks.get(0).to().address().getPort()).as("sent to the first route").isEqualTo(5090);

        // the 2xx retransmitted: the same ACK again
        f.receive(reply(invite, StatusCode.OK, "fork-a", "sip:bob@192.0.2.71:5071",
                "<sip:p2.example.com;lr>", "<sip:127.0.0.1:5090;lr>"));
        assertThat(f.sent(request(SipMethod.ACK))).hasSize(2);
        assertThat(f.sent(request(SipMethod.ACK)).get(1).message()).isEqualTo(ack);

        // fork b answers 2xx too: ACK it, then BYE it (§13.2.2.4)
        f.receive(reply(invite, StatusCode.OK, "fork-b", "sip:bob@127.0.0.1:5072"));
        assertThat(f.sent(request(SipMethod.ACK))).hasSize(3);
        List<DialogFixture.Sent> byes = f.sent(request(SipMethod.BYE));
        assertThat(byes).hasSize(1);
        SipRequest bye = (SipRequest) byes.get(0).message();
        assertThat(bye.to().tag()).isEqualTo("fork-b");
        assertThat(bye.cseq().seq()).isEqualTo(11);
        assertThat(f.dialogs.dialogCount()).isEqualTo(1);
        assertThat(a.state()).isEqualTo(DialogState.CONFIRMED);
        // fork b's 2xx retransmitted: ACKed again, not ended again
        f.receive(reply(invite, StatusCode.OK, "fork-b", "sip:bob@127.0.0.1:5072"));
        assertThat(f.sent(request(SipMethod.ACK))).hasSize(4);
        assertThat(f.sent(request(SipMethod.ACK)).get(3).message()).isEqualTo(f.sent(request(SipMethod.ACK)).get(2).message());
        assertThat(f.sent(request(SipMethod.BYE))).hasSize(1);
        assertThat(f.dialogs.dialogCount()).isEqualTo(1);

        // our BYE in dialog a
        f.dialogs.bye(a);
        f.shards.runPending();
        SipRequest byeA = (SipRequest) f.sent(request(SipMethod.BYE)).get(1).message();
        assertThat(byeA.requestUri().toString()).isEqualTo("sip:bob@192.0.2.71:5071");
        assertThat(byeA.cseq().seq()).isEqualTo(11);
        assertThat(f.dialogs.dialogCount()).isZero();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Contact: <sip:bob@127.0.0.1:5071",
        "Record-Route: <sip:127.0.0.1:5090;lr"})
    void aTwoHundredWhoseDialogCannotBeReadIsAckedEndedAndFailsTheCall(String header) {
        OutgoingInvite out = f.dialogs.invite(newInvite("uac-bad"));
        f.shards.runPending();
        SipRequest invite = sentInvite();
        // a 183 with the same fault makes no early dialog
        f.receive(DialogFixture.withRaw(reply(invite, StatusCode.SESSION_PROGRESS, "t1", "sip:bob@127.0.0.1:5071"), header));
        assertThat(f.events(DialogEvent.Early.class)).isEmpty();
        SipResponse ok = DialogFixture.withRaw(reply(invite, StatusCode.OK, "t1", "sip:bob@127.0.0.1:5071"), header);
        f.receive(ok);
        // settled, not left waiting: the final response is the 2xx, the dialog fails with the reason
        assertThat(out.finalResponse()).isCompleted();
        assertThat(out.finalResponse().join().statusCode()).isEqualTo(200);
        assertThat(out.dialog()).isCompletedExceptionally();
        assertThatThrownBy(() -> out.dialog().join()).hasMessageContaining(header.substring(0, header.indexOf(':')));
        // ACKed (else the UAS retransmits it) and ended, the way the INVITE went
        SipRequest ack = (SipRequest) f.sent(request(SipMethod.ACK)).get(0).message();
        assertThat(ack.requestUri()).isEqualTo(invite.requestUri());
        assertThat(ack.to().tag()).isEqualTo("t1");
        assertThat(f.sent(request(SipMethod.BYE))).hasSize(1);
        assertThat(f.dialogs.dialogCount()).isZero();
        // a retransmission of the 2xx gets the same ACK again, nothing else
        f.receive(ok);
        assertThat(f.sent(request(SipMethod.ACK))).hasSize(2);
        assertThat(f.sent(request(SipMethod.BYE))).hasSize(1);
    }

    @Test
    void aReliableProvisionalWithAnUnreadableRSeqIsTakenAsUnreliable() {
        OutgoingInvite out = f.dialogs.invite(newInvite("uac-rseq"));
        f.shards.runPending();
        SipRequest invite = sentInvite();
        f.receive(DialogFixture.withRaw(DialogFixture.withRaw(reply(invite, StatusCode.SESSION_PROGRESS, "t1", "sip:bob@127.0.0.1:5071"),
                "Require: 100rel"), "RSeq: x"));
        assertThat(f.events(DialogEvent.Early.class)).hasSize(1);
        assertThat(f.sent(request(SipMethod.PRACK))).isEmpty();
        f.receive(reply(invite, StatusCode.OK, "t1", "sip:bob@127.0.0.1:5071"));
        assertThat(out.dialog().join().state()).isEqualTo(DialogState.CONFIRMED);
    }

    @Test
    void aRejectedInviteEndsItsEarlyDialogs() {
        OutgoingInvite out = f.dialogs.invite(newInvite("uac-2"));
        f.shards.runPending();
        SipRequest invite = sentInvite();
        f.receive(reply(invite, StatusCode.RINGING, "t1", "sip:bob@127.0.0.1:5071"));
        f.receive(reply(invite, StatusCode.BUSY_HERE, "t1", null));
        assertThat(out.finalResponse().join().statusCode()).isEqualTo(486);
        assertThat(out.dialog()).isCompletedExceptionally();
        assertThat(f.events(DialogEvent.Terminated.class)).hasSize(1);
        assertThat(f.dialogs.dialogCount()).isZero();
        // the transaction layer ACKs the 486 itself; the dialog layer sends none
        assertThat(f.sent(request(SipMethod.ACK))).hasSize(1);
    }

    @Test
    void noAnswerTimesOut() {
        OutgoingInvite out = f.dialogs.invite(newInvite("uac-3"));
        f.runFor(32_001);
        assertThat(out.finalResponse()).isCompletedExceptionally();
        assertThat(f.dialogs.dialogCount()).isZero();
    }

    @Test
    void strictRoutingPutsTheFirstRouteInTheRequestUri() {
        OutgoingInvite out = f.dialogs.invite(newInvite("uac-4"));
        f.shards.runPending();
        SipRequest invite = sentInvite();
        f.receive(reply(invite, StatusCode.OK, "s1", "sip:bob@192.0.2.7", "<sip:strict.example.com>", "<sip:127.0.0.1:5099>"));
        Dialog d = out.dialog().join();
        SipRequest info = f.dialogs.createRequest(d, SipMethod.INFO).build();
        // route set (reversed): 127.0.0.1:5099 (strict), strict.example.com
        assertThat(info.requestUri().toString()).isEqualTo("sip:127.0.0.1:5099");
        assertThat(info.getAll(SipHeaders.ROUTE)).extracting(r -> r.uri().toString())
                .containsExactly("sip:strict.example.com", "sip:bob@192.0.2.7");
        assertThat(info.cseq().seq()).isEqualTo(11);
        assertThat(info.contact()).as("INFO is not a target refresh").isNull();
    }

    @Test
    void aReinviteRefreshesTheTargetAndIsAcked() {
        OutgoingInvite out = f.dialogs.invite(newInvite("uac-5"));
        f.shards.runPending();
        SipRequest invite = sentInvite();
        f.receive(reply(invite, StatusCode.OK, "r1", "sip:bob@127.0.0.1:5070"));
        Dialog d = out.dialog().join();
        SipRequest reinvite = f.dialogs.createRequest(d, SipMethod.INVITE).build();
        assertThat(reinvite.contact()).isNotNull();
        var result = f.dialogs.send(d, reinvite);
        f.shards.runPending();
        SipRequest sentRe = (SipRequest) f.sent(request(SipMethod.INVITE)).get(1).message();
        // a second re-INVITE while this one is pending is refused locally
        var second = f.dialogs.send(d, f.dialogs.createRequest(d, SipMethod.INVITE).build());
        f.shards.runPending();
        assertThat(second).isCompletedExceptionally();
        f.receive(SipResponse.forRequest(sentRe, StatusCode.OK).contact(Address.of(Uri.parse("sip:bob@127.0.0.1:5080"))).build());
        assertThat(result.join().statusCode()).isEqualTo(200);
        assertThat(d.remoteTarget().toString()).isEqualTo("sip:bob@127.0.0.1:5080");
        assertThat(f.events(DialogEvent.TargetRefreshed.class)).hasSize(1);
        SipRequest ack = (SipRequest) f.sent(request(SipMethod.ACK)).get(1).message();
        assertThat(ack.cseq().seq()).isEqualTo(sentRe.cseq().seq());
        assertThat(ack.requestUri().toString()).isEqualTo("sip:bob@127.0.0.1:5080");
    }

    @Test
    void aReinviteAnsweredWithAnUnreadableContactIsAckedAndKeepsTheTarget() {
        Dialog d = confirmed("uac-5b", "r1");
        var result = f.dialogs.send(d, f.dialogs.createRequest(d, SipMethod.INVITE).build());
        SipRequest sentRe = sentReinvite();
        f.receive(DialogFixture.withRaw(SipResponse.forRequest(sentRe, StatusCode.OK)
                .contact(Address.of(Uri.parse("sip:bob@127.0.0.1:5080"))).build(), "Contact: <sip:bob@127.0.0.1:5080"));
        assertThat(result.join().statusCode()).isEqualTo(200);
        assertThat(d.remoteTarget().toString()).isEqualTo("sip:bob@127.0.0.1:5070");
        assertThat(f.events(DialogEvent.TargetRefreshed.class)).isEmpty();
        SipRequest ack = (SipRequest) f.sent(request(SipMethod.ACK)).get(1).message();
        assertThat(ack.cseq().seq()).isEqualTo(sentRe.cseq().seq());
        assertThat(d.state()).isEqualTo(DialogState.CONFIRMED);
    }

    @Test
    void aReinviteRefusedWith491IsRetriedAfterTheRandomWaitOfTheCallIdOwner() {
        Dialog d = confirmed("uac-6", "g1");
        var result = f.dialogs.send(d, f.dialogs.createRequest(d, SipMethod.INVITE).build());
        SipRequest first = sentReinvite();
        long refusedAt = f.now();
        f.receive(SipResponse.forRequest(first, StatusCode.REQUEST_PENDING).build());
        assertThat(result).isNotDone();
        f.runFor(2099);
        assertThat(f.sent(request(SipMethod.INVITE))).hasSize(2);
        f.runFor(1901);
        // the retry, and maybe its Timer A retransmission 500 ms later: one new CSeq
        List<DialogFixture.Sent> invites = f.sent(request(SipMethod.INVITE));
        assertThat(invites.stream().map(x -> ((SipRequest) x.message()).cseq().seq()).distinct()).hasSize(3);
        assertThat(invites.get(2).atMillis() - refusedAt).isBetween(2100L, 4000L);
        SipRequest retry = (SipRequest) invites.get(2).message();
        assertThat(retry.cseq().seq()).isEqualTo(first.cseq().seq() + 1);
        assertThat(retry.via().branch()).isNotEqualTo(first.via().branch());
        f.receive(SipResponse.forRequest(retry, StatusCode.OK).build());
        assertThat(result).isCompleted();
        assertThat(result.join().statusCode()).isEqualTo(200);
    }
}
