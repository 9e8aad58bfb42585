package io.rvoip.sip.dialog;

import static io.rvoip.sip.dialog.DialogFixture.request;
import static io.rvoip.sip.dialog.DialogFixture.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.RAck;
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

/** Reliable provisional responses (RFC 3262) on both sides, on a manual clock. */
class DialogPrackTest {
    private final DialogFixture f = new DialogFixture(b -> b.supported("100rel"));

    private SipRequest inviteWith100rel(String callId) {
        return DialogFixture.incomingInvite(callId).toBuilder().set(SipHeaders.SUPPORTED, "100rel").build();
    }

    private SipRequest prack(String callId, long cseq, long rseq, long inviteCseq) {
        return DialogFixture.inDialog(SipMethod.PRACK, callId, "bobtag", cseq).toBuilder()
                .set(SipHeaders.RACK, new RAck(rseq, inviteCseq, SipMethod.INVITE)).build();
    }

    private List<SipResponse> sent183() {
        return f.sent(response(183)).stream().map(s -> (SipResponse) s.message()).toList();
    }

    @Test
    void aReliable183IsRetransmittedUntilItsPrackThenTheQueuedOneGoes() {
        SipRequest invite = inviteWith100rel("rel-1");
        f.receive(invite);
        ServerTransaction tx = f.events(DialogEvent.RequestReceived.class).get(0).transaction();
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.SESSION_PROGRESS, "bobtag")
                .body(MediaType.APPLICATION_SDP, "v=0\r\n".getBytes()).build());
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.RINGING, "bobtag").build());
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.OK, "bobtag").build());
        f.shards.runPending();
        SipResponse first = sent183().get(0);
        assertThat(first.getAll(SipHeaders.REQUIRE)).contains("100rel");
        long rseq = first.get(SipHeaders.RSEQ);
        assertThat(rseq).isBetween(1L, (1L << 31) - 1);
        assertThat(f.sent(response(180))).as("the second waits for the PRACK").isEmpty();
        assertThat(f.sent(response(200))).as("no 2xx before an SDP 1xx is PRACKed").isEmpty();

        // T1, 2·T1, 4·T1 … without the 2xx cap
        f.runFor(7600);
        assertThat(f.times(response(183))).containsExactly(0L, 500L, 1500L, 3500L, 7500L);

        // a PRACK for another RSeq: 481; the right one: 200, then the 180 goes with RSeq + 1
        f.receive(prack("rel-1", 2, rseq + 5, 1));
        assertThat(f.lastResponse().statusCode()).isEqualTo(481);
        f.receive(prack("rel-1", 3, rseq, 1));
        assertThat(f.sent(response(200))).hasSize(1);
        assertThat(((SipResponse) f.sent(response(200)).get(0).message()).cseq().method()).isEqualTo(SipMethod.PRACK);
        assertThat(f.events(DialogEvent.PrackReceived.class)).hasSize(1);
        SipResponse ringing = (SipResponse) f.sent(response(180)).get(0).message();
        assertThat(ringing.get(SipHeaders.RSEQ)).isEqualTo(rseq + 1);
        f.runFor(20_000);
        assertThat(f.times(response(183))).hasSize(5);
        // the 180 has no body: its PRACK releases the queued 2xx
        f.receive(prack("rel-1", 4, rseq + 1, 1));
        List<DialogFixture.Sent> oks = f.sent(response(200));
        assertThat(oks.stream().filter(s -> ((SipResponse) s.message()).cseq().method().equals(SipMethod.INVITE))).hasSize(1);
        assertThat(f.dialogs.dialog(new DialogId("rel-1", "bobtag", "alicetag")).state()).isEqualTo(DialogState.CONFIRMED);
    }

    @Test
    void noPrackWithin64T1Gives504() {
        SipRequest invite = inviteWith100rel("rel-2");
        f.receive(invite);
        ServerTransaction tx = f.events(DialogEvent.RequestReceived.class).get(0).transaction();
        f.dialogs.respond(tx, SipResponse.forRequest(invite, StatusCode.RINGING, "bobtag").build());
        f.runFor(32_001);
        assertThat(f.sent(response(504))).hasSize(1);
        assertThat(f.events(DialogEvent.Terminated.class).get(0).reason()).isEqualTo("no PRACK");
        assertThat(f.dialogs.dialogCount()).isZero();
    }

    @Test
    void withoutSupportedTheProvisionalIsUnreliableAndRequireWithoutSupportIs420() {
        SipRequest plain = DialogFixture.incomingInvite("rel-3");
        f.receive(plain);
        ServerTransaction tx = f.events(DialogEvent.RequestReceived.class).get(0).transaction();
        f.dialogs.respond(tx, SipResponse.forRequest(plain, StatusCode.RINGING, "bobtag").build());
        f.shards.runPending();
        assertThat(((SipResponse) f.sent(response(180)).get(0).message()).get(SipHeaders.RSEQ)).isNull();

        DialogFixture without = new DialogFixture();
        without.receive(DialogFixture.incomingInvite("rel-4").toBuilder().set(SipHeaders.REQUIRE, "100rel").build());
        assertThat(without.lastResponse().statusCode()).isEqualTo(420);
        assertThat(without.lastResponse().getAll(SipHeaders.UNSUPPORTED)).containsExactly("100rel");
    }

    @Test
    void theUacPracksEachNewReliableProvisionalOnce() {
        SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@127.0.0.1:5070"))
                .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:me@example.com")).withTag("metag"))
                .to(Address.of(Uri.parse("sip:bob@example.com"))).callId("rel-5").cseq(1).build();
        f.dialogs.invite(invite);
        f.shards.runPending();
        SipRequest sent = (SipRequest) f.sent(request(SipMethod.INVITE)).get(0).message();
        assertThat(sent.getAll(SipHeaders.SUPPORTED)).contains("100rel");
        SipResponse r183 = SipResponse.forRequest(sent, StatusCode.SESSION_PROGRESS, "b1")
                .contact(Address.of(Uri.parse("sip:bob@127.0.0.1:5070")))
                .set(SipHeaders.REQUIRE, "100rel").set(SipHeaders.RSEQ, 7L).build();
        f.receive(r183);
        f.receive(r183); // a retransmission: no second PRACK
        List<DialogFixture.Sent> pracks = f.sent(request(SipMethod.PRACK));
        assertThat(pracks).hasSize(1);
        SipRequest prack = (SipRequest) pracks.get(0).message();
        assertThat(prack.get(SipHeaders.RACK)).isEqualTo(new RAck(7, 1, SipMethod.INVITE));
        assertThat(prack.cseq().seq()).isEqualTo(2);
        assertThat(prack.to().tag()).isEqualTo("b1");
        SipResponse r180 = SipResponse.forRequest(sent, StatusCode.RINGING, "b1")
                .set(SipHeaders.REQUIRE, "100rel").set(SipHeaders.RSEQ, 9L).build();
        f.receive(r180); // out of order (8 missing): discarded
        assertThat(f.sent(request(SipMethod.PRACK))).hasSize(1);
        f.receive(SipResponse.forRequest(sent, StatusCode.RINGING, "b1")
                .set(SipHeaders.REQUIRE, "100rel").set(SipHeaders.RSEQ, 8L).build());
        assertThat(f.sent(request(SipMethod.PRACK))).hasSize(2);
        assertThat(((SipRequest) f.sent(request(SipMethod.PRACK)).get(1).message()).get(SipHeaders.RACK).rseq()).isEqualTo(8);
    }

    @Test
    void anOfferInAReliable1xxIsAnsweredInThePrackTheApplicationSends() {
        SipRequest invite = SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@127.0.0.1:5070"))
                .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch())).maxForwards(70)
                .from(Address.of(Uri.parse("sip:me@example.com")).withTag("metag"))
                .to(Address.of(Uri.parse("sip:bob@example.com"))).callId("rel-6").cseq(1).build(); // no offer
        f.dialogs.invite(invite);
        f.shards.runPending();
        SipRequest sent = (SipRequest) f.sent(request(SipMethod.INVITE)).get(0).message();
        SipResponse offer = SipResponse.forRequest(sent, StatusCode.SESSION_PROGRESS, "b1")
                .contact(Address.of(Uri.parse("sip:bob@127.0.0.1:5070")))
                .set(SipHeaders.REQUIRE, "100rel").set(SipHeaders.RSEQ, 3L)
                .body(MediaType.APPLICATION_SDP, "v=0\r\no=offer\r\n".getBytes()).build();
        f.receive(offer);
        assertThat(f.sent(request(SipMethod.PRACK))).as("the answer is the application's").isEmpty();
        DialogEvent.Early early = f.events(DialogEvent.Early.class).get(0);
        assertThat(early.response().bodyText()).contains("o=offer");
        f.receive(offer); // a retransmission changes nothing
        assertThat(f.events(DialogEvent.Early.class)).hasSize(1);
        f.dialogs.prack(early.dialog(), early.response(), MediaType.APPLICATION_SDP, "v=0\r\no=answer\r\n".getBytes());
        f.shards.runPending();
        SipRequest prack = (SipRequest) f.sent(request(SipMethod.PRACK)).get(0).message();
        assertThat(prack.get(SipHeaders.RACK)).isEqualTo(new RAck(3, 1, SipMethod.INVITE));
        assertThat(prack.bodyText()).contains("o=answer");
        assertThat(prack.contentType()).isEqualTo(MediaType.APPLICATION_SDP);
        // the next reliable 1xx (no new offer) is PRACKed by the layer
        f.receive(SipResponse.forRequest(sent, StatusCode.RINGING, "b1")
                .set(SipHeaders.REQUIRE, "100rel").set(SipHeaders.RSEQ, 4L).build());
        assertThat(f.sent(request(SipMethod.PRACK))).hasSize(2);
        assertThat(((SipRequest) f.sent(request(SipMethod.PRACK)).get(1).message()).bodyLength()).isZero();
    }
}
