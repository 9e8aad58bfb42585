package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.testing.SharedFiles;
import io.rvoip.sip.transport.TransportType;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** CANCEL (RFC 3261 §9) in both directions, and stateless answers to unfit requests. */
class CancelAndStatelessTest {
    private final Fixture f = new Fixture();

    private List<SipMessage> sentOf(SipMethod m) {
        return f.sent.stream().map(Fixture.Sent::message)
                .filter(x -> x instanceof SipRequest r && r.method().equals(m)).toList();
    }

    @Test
    void aCancelWaitsForAProvisionalResponse() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ClientTransaction tx = f.send(invite, TransportType.UDP);
        CompletableFuture<ClientTransaction> cancel = f.layer.cancel(tx);
        f.shards.runPending();
        assertThat(sentOf(SipMethod.CANCEL)).as("no provisional yet").isEmpty();
        f.receive(Fixture.response(invite, 180), TransportType.UDP);
        f.shards.runPending();
        List<SipMessage> cancels = sentOf(SipMethod.CANCEL);
        assertThat(cancels).hasSize(1);
        SipRequest c = (SipRequest) cancels.get(0);
        assertThat(c.via().branch()).isEqualTo(invite.via().branch());
        assertThat(c.cseq().seq()).isEqualTo(invite.cseq().seq());
        assertThat(c.cseq().method()).isEqualTo(SipMethod.CANCEL);
        assertThat(c.to()).isEqualTo(invite.to());
        assertThat(cancel.join().request().method()).isEqualTo(SipMethod.CANCEL);
        // the CANCEL's own transaction gets its 200, the INVITE its 487
        f.receive(Fixture.response(c, 200), TransportType.UDP);
        f.receive(Fixture.response(invite, 487), TransportType.UDP);
        assertThat(cancel.join().finalResponse().join().statusCode()).isEqualTo(200);
        assertThat(tx.finalResponse().join().statusCode()).isEqualTo(487);
    }

    @Test
    void anInviteThatGetsNoFinalResponseAfterItsCancelEndsAfter64T1() {
        // RFC 3261 §9.1: with no final response 64·T1 after the CANCEL, the INVITE is taken as
        // cancelled and its transaction destroyed (a peer that answers the CANCEL but never
        // sends the 487 once kept a call "terminating" for good)
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ClientTransaction tx = f.send(invite, TransportType.UDP);
        f.receive(Fixture.response(invite, 183), TransportType.UDP);
        f.layer.cancel(tx);
        f.shards.runPending();
        SipRequest c = (SipRequest) sentOf(SipMethod.CANCEL).get(0);
        f.receive(Fixture.response(c, 200), TransportType.UDP);
        f.runFor(31_999);
        assertThat(tx.finalResponse()).isNotDone();
        f.runFor(2);
        assertThat(tx.finalResponse()).isCompletedExceptionally();
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(f.events(TransactionEvent.TimedOut.class)).hasSize(1);
        // without a CANCEL, a ringing INVITE waits: the TU decides how long it rings
        SipRequest ringing = Fixture.request(SipMethod.INVITE);
        ClientTransaction waits = f.send(ringing, TransportType.UDP);
        f.receive(Fixture.response(ringing, 180), TransportType.UDP);
        f.runFor(200_000);
        assertThat(waits.finalResponse()).isNotDone();
    }

    @Test
    void aCancelAfterTheFinalResponseIsNotSent() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ClientTransaction tx = f.send(invite, TransportType.UDP);
        f.receive(Fixture.response(invite, 200), TransportType.UDP);
        CompletableFuture<ClientTransaction> cancel = f.layer.cancel(tx);
        f.shards.runPending();
        assertThat(cancel.join()).isNull();
        assertThat(sentOf(SipMethod.CANCEL)).isEmpty();
    }

    @Test
    void aReceivedCancelGets200AndItsInvite487() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        f.receive(invite, TransportType.UDP);
        ServerTransaction inviteTx = f.events(TransactionEvent.RequestReceived.class).get(0).transaction();
        inviteTx.respond(Fixture.response(invite, 180));
        SipRequest cancel = SipRequest.builder(SipMethod.CANCEL, invite.requestUri()).via(invite.via()).maxForwards(70)
                .from(invite.from()).to(invite.to()).callId(invite.callId()).cseq(invite.cseq().seq()).build();
        f.receive(cancel, TransportType.UDP);
        ServerTransaction cancelTx = f.events(TransactionEvent.RequestReceived.class).get(1).transaction();
        assertThat(f.layer.findInviteFor(cancel)).isSameAs(inviteTx);
        assertThat(f.layer.acceptCancel(cancelTx)).isSameAs(inviteTx);
        List<Integer> codes = f.sent.stream().map(Fixture.Sent::message).filter(m -> m instanceof SipResponse)
                .map(m -> ((SipResponse) m).statusCode()).toList();
        assertThat(codes).containsExactly(180, 200, 487);
        SipResponse terminated = (SipResponse) f.sent.get(f.sent.size() - 1).message();
        assertThat(terminated.to().tag()).as("same tag as the 180").isEqualTo("totag1");
        assertThat(inviteTx.state()).isEqualTo(TransactionState.COMPLETED);
    }

    @Test
    void aCancelForNothingGets481() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        SipRequest cancel = SipRequest.builder(SipMethod.CANCEL, invite.requestUri()).via(invite.via()).maxForwards(70)
                .from(invite.from()).to(invite.to()).callId(invite.callId()).cseq(invite.cseq().seq()).build();
        f.receive(cancel, TransportType.UDP);
        ServerTransaction cancelTx = f.events(TransactionEvent.RequestReceived.class).get(0).transaction();
        assertThat(f.layer.acceptCancel(cancelTx)).isNull();
        assertThat(((SipResponse) f.sent.get(0).message()).statusCode()).isEqualTo(481);
    }

    @Test
    void requestsUnfitForATransactionAreAnsweredStatelessly() throws Exception {
        for (String name : List.of("insuf", "badvers", "mismatch01")) {
            f.receive(SipParser.defaults().parseDatagram(Files.readAllBytes(SharedFiles.rfc4475().resolve(name + ".dat"))),
                    TransportType.UDP);
        }
        List<Integer> codes = f.sent.stream().map(m -> ((SipResponse) m.message()).statusCode()).toList();
        assertThat(codes).containsExactly(400, 505, 400);
        assertThat(f.layer.statelessRejections()).isEqualTo(3);
        assertThat(f.layer.transactionCount()).isZero();
        assertThat(f.events(TransactionEvent.RequestReceived.class)).isEmpty();
    }

    @Test
    void requestsTheParserRefusedAreAnswered400WithTheirViaStampedAndResponsesAreDropped() throws Exception {
        List<String> requests = List.of("badinv01", "clerr", "ncl", "scalar02", "quotbal", "ltgtruri", "lwsruri");
        for (String name : requests) {
            byte[] raw = Files.readAllBytes(SharedFiles.rfc4475().resolve(name + ".dat"));
            String reason = null;
            try {
                SipParser.defaults().parseDatagram(raw);
            } catch (io.rvoip.sip.parser.SipParseException e) {
                reason = e.getMessage();
            }
            assertThat(reason).as("%s is refused by the parser", name).isNotNull();
            f.refused(raw, reason, TransportType.UDP);
        }
        for (String name : List.of("scalarlg", "bigcode")) {
            f.refused(Files.readAllBytes(SharedFiles.rfc4475().resolve(name + ".dat")), "refused", TransportType.UDP);
        }
        f.refused("ACK <sip:a@b> SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII), "refused", TransportType.UDP);

        assertThat(f.sent).hasSize(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            SipResponse r = (SipResponse) f.sent.get(i).message();
            assertThat(r.statusCode()).as(requests.get(i)).isEqualTo(400);
            assertThat(r.callId()).startsWith(requests.get(i) + ".");
            assertThat(r.via().received()).as("routed back to the packet's source (§18.2.1)").isEqualTo("127.0.0.1");
        }
        assertThat(f.layer.statelessRejections()).isEqualTo(requests.size());
        assertThat(f.layer.droppedCount()).isEqualTo(3);
        assertThat(f.layer.transactionCount()).isZero();
        assertThat(f.events).isEmpty();
    }
}
