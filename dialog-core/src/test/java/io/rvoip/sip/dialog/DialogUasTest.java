package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogFixture.request;
import static io.rvoip.sip.dialog.DialogFixture.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.ServerTransaction;
import io.rvoip.sip.uri.Uri;
import java.util.List;
import org.junit.jupiter.api.Test;

class DialogUasTest {
    private final DialogFixture f = new DialogFixture();

    private ServerTransaction received(SipRequest r) {
        f.receive(r);
        List<DialogEvent.RequestReceived> got = f.events(DialogEvent.RequestReceived.class);
        assertThat(got).isNotEmpty();
        return got.get(got.size() - 1).transaction();
    }

    private Dialog answer(SipRequest invite) {
        ServerTransaction tx = received(invite);
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.RINGING, "bobtag").build());
        f.shards.runPending();
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.OK, "bobtag").build());
        f.shards.runPending();
        return f.dialogs.dialog(new DialogId(invite.callId(), "bobtag", "alicetag"));
    }

    private SipRequest ackFor(SipRequest invite) {
        return SipRequest.builder(SipMethod.ACK, Uri.parse("sip:me@127.0.0.1:5060"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch()))
                .maxForwards(70)
                .from(invite.from())
                .to(invite.to().withTag("bobtag"))
                .callId(invite.callId())
                .cseq(1)
                .build();
    }

    @Test
    void inviteRingingOkAckByeMakesAndEndsADialog() {
        SipRequest invite = DialogFixture.incomingInvite("call-1");
        ServerTransaction tx = received(invite);
        assertThat(f.events(DialogEvent.RequestReceived.class).get(0).dialog()).isNull();
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.RINGING, "bobtag").build());
        f.shards.runPending();
        assertThat(f.events(DialogEvent.Early.class)).hasSize(1);
        SipResponse ringing = f.lastResponse();
        assertThat(ringing.contact().uri().toString()).isEqualTo("sip:me@127.0.0.1:5060");
        Dialog d = f.events(DialogEvent.Early.class).get(0).dialog();
        assertThat(d.state()).isEqualTo(DialogState.EARLY);
        assertThat(d.role()).isEqualTo(Dialog.Role.UAS);
        assertThat(d.remoteTarget().toString()).isEqualTo("sip:alice@127.0.0.1:5070");
        assertThat(d.remoteSeq()).isEqualTo(1);

        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.OK, "bobtag").build());
        f.shards.runPending();
        assertThat(d.state()).isEqualTo(DialogState.CONFIRMED);
        assertThat(f.events(DialogEvent.Confirmed.class)).hasSize(1);

        // §13.3.1.4: the 2xx again at T1, 2·T1, 4·T1, then every T2 until the ACK
        f.runFor(9000);
        assertThat(f.times(response(200))).containsExactly(0L, 500L, 1500L, 3500L, 7500L);
        f.receive(ackFor(invite));
        assertThat(f.events(DialogEvent.AckReceived.class)).hasSize(1);
        f.runFor(20000);
        assertThat(f.times(response(200))).hasSize(5);

        // BYE from the peer ends it
        f.receive(DialogFixture.inDialog(SipMethod.BYE, "call-1", "bobtag", 2));
        assertThat(f.lastResponse().statusCode()).isEqualTo(200);
        assertThat(d.state()).isEqualTo(DialogState.TERMINATED);
        assertThat(f.events(DialogEvent.Terminated.class).get(0).reason()).isEqualTo("BYE received");
        assertThat(f.dialogs.dialogCount()).isZero();
        // and a second BYE finds no dialog
        f.receive(DialogFixture.inDialog(SipMethod.BYE, "call-1", "bobtag", 3));
        assertThat(f.lastResponse().statusCode()).isEqualTo(481);
    }

    @Test
    void noAckWithin64T1EndsTheDialogWithBye() {
        Dialog d = answer(DialogFixture.incomingInvite("call-2"));
        f.runFor(32_000);
        assertThat(f.sent(request(SipMethod.BYE))).hasSize(1);
        assertThat(d.state()).isEqualTo(DialogState.TERMINATED);
        assertThat(d.terminationReason()).isEqualTo("no ACK for the 2xx");
        SipRequest bye = (SipRequest) f.sent(request(SipMethod.BYE)).get(0).message();
        assertThat(bye.requestUri().toString()).isEqualTo("sip:alice@127.0.0.1:5070");
        assertThat(bye.to().tag()).isEqualTo("alicetag");
        assertThat(bye.from().tag()).isEqualTo("bobtag");
        assertThat(bye.cseq().seq()).isEqualTo(1);
        assertThat(f.sent(request(SipMethod.BYE)).get(0).to().address().getPort()).isEqualTo(5070);
    }

    @Test
    void aPeerWhoseDisplayNameNoRequestCanCarryStillGetsItsBye() {
        // RFC 4475 §3.1.1.2 names a party "BEL:\<BEL> NUL:\<NUL> DEL:\<DEL>": valid quoted-pairs,
        // but no header we send may hold a NUL. The dialog's requests to that party must still
        // go out (the display name is not part of the dialog, RFC 3261 §12.2.1.1)
        SipRequest invite = DialogFixture.withRaw(DialogFixture.incomingInvite("call-nul"),
                "From: \"BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f\" <sip:alice@example.com>;tag=alicetag");
        assertThat(invite.from().displayName()).isEqualTo("BEL:\u0007 NUL:\u0000 DEL:\u007f");
        Dialog d = answer(invite);
        f.runFor(32_000); // no ACK: the dialog ends with a BYE to that party
        assertThat(f.sent(request(SipMethod.BYE))).hasSize(1);
        assertThat(d.state()).isEqualTo(DialogState.TERMINATED);
        SipRequest bye = (SipRequest) f.sent(request(SipMethod.BYE)).get(0).message();
        assertThat(bye.to().uri()).isEqualTo(invite.from().uri());
        assertThat(bye.to().tag()).isEqualTo("alicetag");
        assertThat(bye.to().displayName()).isNull(); // what cannot be sent is left out
        // a display name that can be sent is kept
        Dialog plain = answer(DialogFixture.incomingInvite("call-plain"));
        assertThat(plain.remoteUri().displayName()).isNull();
    }

    @Test
    void aRecordRouteHopNamedWithANulStillRoutesTheDialogsRequests() {
        SipRequest invite = DialogFixture.withRaw(DialogFixture.incomingInvite("call-rr"),
                "Record-Route: \"p\\\u0000\" <sip:127.0.0.1:5080;lr>");
        assertThat(invite.get(SipHeaders.RECORD_ROUTE).displayName()).isEqualTo("p\u0000");
        Dialog d = answer(invite);
        f.runFor(32_000); // no ACK: BYE, through the proxy
        SipRequest bye = (SipRequest) f.sent(request(SipMethod.BYE)).get(0).message();
        assertThat(bye.getAll(SipHeaders.ROUTE)).extracting(a -> a.uri().toString())
                .containsExactly("sip:127.0.0.1:5080;lr");
        assertThat(d.state()).isEqualTo(DialogState.TERMINATED);
    }

    @Test
    void anRfc2543PeerWithoutAFromTagGetsADialog() {
        // RFC 3261 §12.1.1: a UAS MUST take a request without a From tag (its tag counts as null)
        SipRequest invite = DialogFixture.incomingInvite("call-2543").toBuilder()
                .from(Address.of(Uri.parse("sip:alice@example.com"))).build();
        assertThat(invite.from().tag()).isNull();
        ServerTransaction tx = received(invite);
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.OK, "bobtag").build());
        f.shards.runPending();
        Dialog d = f.dialogs.dialog(new DialogId("call-2543", "bobtag", ""));
        assertThat(d).isNotNull();
        // its in-dialog BYE (no From tag either) finds the dialog and ends it
        SipRequest bye = SipRequest.builder(SipMethod.BYE, Uri.parse("sip:me@127.0.0.1:5060"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")))
                .to(Address.of(Uri.parse("sip:me@example.com")).withTag("bobtag"))
                .callId("call-2543").cseq(2).build();
        f.receive(bye);
        assertThat(f.lastResponse().statusCode()).isEqualTo(200);
        assertThat(d.state()).isEqualTo(DialogState.TERMINATED);
        // and our BYE to such a peer carries no empty tag: a fresh call, not ACKed
        SipRequest again = DialogFixture.incomingInvite("call-2543b").toBuilder()
                .from(Address.of(Uri.parse("sip:alice@example.com"))).build();
        ServerTransaction tx2 = received(again);
        f.dialogs.respond(tx2, SipResponse.forRequest(again, StatusCode.OK, "bobtag2").build());
        f.runFor(32_000);
        SipRequest ours = (SipRequest) f.sent(request(SipMethod.BYE)).get(0).message();
        assertThat(ours.to().tag()).isNull();
        assertThat(ours.toString()).doesNotContain("tag=\r\n").doesNotContain("tag=;");
    }

    @Test
    void inDialogCSeqGlareAndUnknownDialogs() {
        SipRequest invite = DialogFixture.incomingInvite("call-3");
        Dialog d = answer(invite);
        f.receive(ackFor(invite));
        // INFO with CSeq 5, then one with 4: 500
        f.receive(DialogFixture.inDialog(SipMethod.INFO, "call-3", "bobtag", 5));
        assertThat(f.events(DialogEvent.RequestReceived.class).get(1).dialog()).isSameAs(d);
        f.receive(DialogFixture.inDialog(SipMethod.INFO, "call-3", "bobtag", 4));
        assertThat(f.lastResponse().statusCode()).isEqualTo(500);
        // an unknown To tag: 481
        f.receive(DialogFixture.inDialog(SipMethod.INFO, "call-3", "othertag", 6));
        assertThat(f.lastResponse().statusCode()).isEqualTo(481);
        // a re-INVITE pending, then another: 500 with Retry-After (§14.2)
        f.receive(DialogFixture.inDialog(SipMethod.INVITE, "call-3", "bobtag", 7));
        ServerTransaction reinvite = f.events(DialogEvent.RequestReceived.class).get(2).transaction();
        f.receive(DialogFixture.inDialog(SipMethod.INVITE, "call-3", "bobtag", 8));
        assertThat(f.lastResponse().statusCode()).isEqualTo(500);
        assertThat(f.lastResponse().get(SipHeaders.RETRY_AFTER)).isNotNull();
        f.dialogs.respond(reinvite, SipResponse.forRequest(reinvite.request(), StatusCode.OK).build());
        f.shards.runPending();
        // our own re-INVITE pending, theirs arrives: 491 (glare)
        f.dialogs.send(d, f.dialogs.createRequest(d, SipMethod.INVITE).build());
        f.shards.runPending();
        f.receive(DialogFixture.inDialog(SipMethod.INVITE, "call-3", "bobtag", 9));
        assertThat(f.lastResponse().statusCode()).isEqualTo(491);
        assertThat(d.localSeq()).isEqualTo(1);
    }

    @Test
    void aMergedRequestGets482() {
        SipRequest first = DialogFixture.incomingInvite("call-4");
        f.receive(first);
        // the same request over another path: same From tag, Call-ID and CSeq, another branch
        SipRequest second = (SipRequest) first.withTopVia(Via.of("UDP", "192.0.2.9", 5060, SipIds.newBranch()));
        f.receive(second);
        assertThat(f.lastResponse().statusCode()).isEqualTo(482);
        assertThat(f.events(DialogEvent.RequestReceived.class)).hasSize(1);
    }

    @Test
    void cancelEndsTheEarlyDialog() {
        SipRequest invite = DialogFixture.incomingInvite("call-5");
        ServerTransaction tx = received(invite);
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.RINGING, "bobtag").build());
        f.shards.runPending();
        SipRequest cancel = SipRequest.builder(SipMethod.CANCEL, invite.requestUri())
                .via(invite.via()).maxForwards(70).from(invite.from()).to(invite.to()).callId(invite.callId())
                .cseq(1).build();
        f.receive(cancel);
        assertThat(f.sent(response(487))).hasSize(1);
        assertThat(f.events(DialogEvent.Terminated.class).get(0).reason()).isEqualTo("cancelled");
        assertThat(f.dialogs.dialogCount()).isZero();
    }

    @Test
    void anInviteWithoutToTagOutsideDialogsAndAnUnknownByeGet481() {
        SipRequest bye = SipRequest.builder(SipMethod.BYE, Uri.parse("sip:me@127.0.0.1:5060"))
                .via(Via.of("UDP", "127.0.0.1", 5070, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:alice@example.com")).withTag("x"))
                .to(Address.of(Uri.parse("sip:me@example.com"))).callId("nobye").cseq(1).build();
        f.receive(bye);
        assertThat(f.lastResponse().statusCode()).isEqualTo(481);
    }

    @Test
    void aCancelledReInviteDoesNotLeaveTheDialogRefusingTheNextOne() {
        SipRequest invite = DialogFixture.incomingInvite("call-6");
        answer(invite);
        f.receive(ackFor(invite));
        SipRequest reinvite = DialogFixture.inDialog(SipMethod.INVITE, "call-6", "bobtag", 7);
        f.receive(reinvite);
        ServerTransaction tx = f.events(DialogEvent.RequestReceived.class).get(1).transaction();
        // the peer cancels its re-INVITE before we answer: the transaction layer answers 487
        SipRequest cancel = SipRequest.builder(SipMethod.CANCEL, reinvite.requestUri()).via(reinvite.via()).maxForwards(70)
                .from(reinvite.from()).to(reinvite.to()).callId(reinvite.callId()).cseq(7).build();
        f.receive(cancel);
        assertThat(f.sent(response(487))).hasSize(1);
        // our answer, late, is dropped rather than thrown
        f.dialogs.respond(tx, SipResponse.forRequest(reinvite, StatusCode.OK).build());
        f.shards.runPending();
        assertThat(f.sent(response(200)).stream().filter(m -> ((SipResponse) m.message()).cseq().seq() == 7
                && ((SipResponse) m.message()).cseq().method().equals(SipMethod.INVITE))).isEmpty();
        // once that transaction is over, the next re-INVITE is passed up, not refused with 500
        f.runFor(40_000);
        assertThat(tx.isTerminated()).isTrue();
        f.receive(DialogFixture.inDialog(SipMethod.INVITE, "call-6", "bobtag", 8));
        List<DialogEvent.RequestReceived> up = f.events(DialogEvent.RequestReceived.class);
        assertThat(up.get(up.size() - 1).request().cseq().seq()).isEqualTo(8);
        assertThat(f.lastResponse().statusCode()).as("not 500 Retry-After").isNotEqualTo(500);
    }
}
