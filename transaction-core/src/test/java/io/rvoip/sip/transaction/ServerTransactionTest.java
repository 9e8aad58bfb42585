package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.testing.SharedFiles;
import io.rvoip.sip.transport.TransportType;
import java.nio.file.Files;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** RFC 3261 Figures 7 and 8 (with RFC 6026), on a manual clock. */
class ServerTransactionTest {
    private final Fixture f = new Fixture();

    private static Predicate<SipMessage> status(int code) {
        return m -> m instanceof SipResponse r && r.statusCode() == code;
    }

    private ServerTransaction arrive(SipRequest r, TransportType t) {
        f.receive(r, t);
        return f.events(TransactionEvent.RequestReceived.class).get(0).transaction();
    }

    private static SipRequest ackFor(SipRequest invite, SipResponse response) {
        return SipRequest.builder(SipMethod.ACK, invite.requestUri()).via(invite.via()).maxForwards(70)
                .from(invite.from()).to(response.to()).callId(invite.callId()).cseq(invite.cseq().seq()).build();
    }

    @Test
    void inviteServerSends100TryingAfter200msAndReplaysItForRetransmissions() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ServerTransaction tx = arrive(invite, TransportType.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
        f.runFor(199);
        assertThat(f.sent).isEmpty();
        f.runFor(1);
        assertThat(f.times(status(100))).containsExactly(200L);
        f.receive(invite, TransportType.UDP);
        assertThat(f.times(status(100))).hasSize(2);
        assertThat(f.events(TransactionEvent.RequestReceived.class)).as("retransmissions absorbed").hasSize(1);
    }

    @Test
    void aNon2xxIsRetransmittedByTimerGUntilTheAckThenConfirmedUntilTimerI() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ServerTransaction tx = arrive(invite, TransportType.UDP);
        SipResponse busy = Fixture.response(invite, 486);
        f.layer.respond(tx, busy);
        f.shards.runPending();
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        f.runFor(12_000);
        // Timer G: T1, 2·T1, 4·T1, then capped at T2 = 4 s
        assertThat(f.times(status(486))).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 11500L);
        f.receive(invite, TransportType.UDP);
        assertThat(f.times(status(486))).as("a retransmitted INVITE gets the final response").hasSize(7);
        f.receive(ackFor(invite, busy), TransportType.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        f.runFor(4_999);
        assertThat(f.times(status(486))).hasSize(7);
        assertThat(tx.state()).isEqualTo(TransactionState.CONFIRMED);
        f.runFor(2);
        assertThat(tx.state()).as("Timer I: T4").isEqualTo(TransactionState.TERMINATED);
        assertThat(f.events(TransactionEvent.AckReceived.class)).as("the non-2xx ACK stays in the transaction").isEmpty();
    }

    @Test
    void withoutAnAckTimerHEndsTheTransaction() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ServerTransaction tx = arrive(invite, TransportType.UDP);
        f.layer.respond(tx, Fixture.response(invite, 480));
        f.runFor(32_001);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(f.events(TransactionEvent.TimedOut.class)).extracting(TransactionEvent.TimedOut::timer)
                .containsExactly("Timer H");
    }

    @Test
    void a2xxEntersAcceptedAbsorbsRetransmissionsPassesTheAckUpAndEndsOnTimerL() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ServerTransaction tx = arrive(invite, TransportType.UDP);
        SipResponse ok = Fixture.response(invite, 200);
        f.layer.respond(tx, ok);
        f.shards.runPending();
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        f.receive(invite, TransportType.UDP);
        assertThat(f.times(status(200))).as("INVITE retransmissions are absorbed").hasSize(1);
        f.layer.respond(tx, ok); // the TU retransmits its 2xx
        f.shards.runPending();
        assertThat(f.times(status(200))).hasSize(2);
        f.receive(ackFor(invite, ok), TransportType.UDP);
        assertThat(f.events(TransactionEvent.AckReceived.class)).hasSize(1);
        f.runFor(32_001);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(f.layer.transactionCount()).isZero();
    }

    @Test
    void nonInviteServerAbsorbsReplaysAndEndsOnTimerJ() {
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ServerTransaction tx = arrive(options, TransportType.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.TRYING);
        f.receive(options, TransportType.UDP);
        assertThat(f.sent).as("absorbed while there is no response").isEmpty();
        f.layer.respond(tx, Fixture.response(options, 100));
        f.shards.runPending();
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
        f.receive(options, TransportType.UDP);
        assertThat(f.times(status(100))).hasSize(2);
        f.layer.respond(tx, Fixture.response(options, 200));
        f.shards.runPending();
        // Completed is kept by the layer as bytes: the transaction is over for the TU at once
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(f.events(TransactionEvent.Terminated.class)).hasSize(1);
        assertThat(f.layer.transactionCount()).isZero();
        assertThat(f.layer.lingeringCount()).isEqualTo(1);
        assertThatThrownBy(() -> tx.respond(Fixture.response(options, 500))).isInstanceOf(IllegalStateException.class);
        f.receive(options, TransportType.UDP);
        assertThat(f.times(status(200))).as("a retransmission gets the final response again").hasSize(2);
        f.runFor(31_999);
        f.receive(options, TransportType.UDP);
        assertThat(f.times(status(200))).as("until Timer J").hasSize(3);
        assertThat(f.events(TransactionEvent.RequestReceived.class)).as("the TU saw one request").hasSize(1);
        f.runFor(2);
        f.receive(options, TransportType.UDP);
        assertThat(f.times(status(200))).as("Timer J (64·T1) has fired").hasSize(3);
        assertThat(f.events(TransactionEvent.RequestReceived.class)).as("after Timer J: a new transaction")
                .hasSize(2);
        f.runFor(200);
        assertThat(f.layer.lingeringCount()).as("swept").isZero();
    }

    @Test
    void aCompletedNonInviteServerTransactionOverTcpEndsAtOnceAndKeepsNothing() {
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ServerTransaction tx = arrive(options, TransportType.TCP);
        f.layer.respond(tx, Fixture.response(options, 200));
        f.shards.runPending();
        f.runFor(1);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(f.layer.lingeringCount()).isZero();
        assertThat(f.layer.transactionCount()).isZero();
    }

    @Test
    void overReliableTransportsTimerJIsZeroAndNothingIsRetransmitted() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ServerTransaction tx = arrive(invite, TransportType.TCP);
        f.layer.respond(tx, Fixture.response(invite, 404));
        f.runFor(20_000);
        assertThat(f.times(status(404))).containsExactly(0L);
        f.receive(ackFor(invite, Fixture.response(invite, 404)), TransportType.TCP);
        f.runFor(1);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
    }

    @Test
    void strayAcksAndResponsesGoToTheTu() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        f.receive(ackFor(invite, Fixture.response(invite, 200)), TransportType.UDP);
        assertThat(f.events(TransactionEvent.AckReceived.class)).singleElement()
                .satisfies(e -> assertThat(e.transaction()).isNull());
        f.receive(Fixture.response(invite, 200), TransportType.UDP);
        assertThat(f.events(TransactionEvent.StrayResponse.class)).hasSize(1);
    }

    @Test
    void rfc2543RequestsMatchTheirRetransmissions() throws Exception {
        SipRequest old = (SipRequest) SipParser.defaults().parseDatagram(Files.readAllBytes(
                SharedFiles.rfc4475().resolve("inv2543.dat")));
        f.receive(old, TransportType.UDP);
        f.receive(old, TransportType.UDP);
        assertThat(f.events(TransactionEvent.RequestReceived.class)).hasSize(1);
        SipRequest badBranch = (SipRequest) SipParser.defaults().parseDatagram(Files.readAllBytes(
                SharedFiles.rfc4475().resolve("badbranch.dat")));
        f.receive(badBranch, TransportType.UDP);
        f.receive(badBranch, TransportType.UDP);
        assertThat(f.events(TransactionEvent.RequestReceived.class)).hasSize(2);
    }

    @Test
    void aCompletedNonInviteServerTransactionIsKeptAsBytesYetStillAnswersForIt() {
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ServerTransaction tx = arrive(options, TransportType.UDP);
        assertThat(tx.request()).isSameAs(options);
        SipResponse ok = Fixture.response(options, 200);
        f.layer.respond(tx, ok);
        f.shards.runPending();
        assertThat(f.layer.lingeringCount()).isEqualTo(1);
        assertThat(f.layer.lingeringBytes()).isEqualTo(CompletedStore.CHUNK);
        assertThat(tx.lastResponse()).isSameAs(ok); // whoever holds the transaction still sees it whole
        f.receive(options, TransportType.UDP);
        assertThat(f.times(status(200))).as("a retransmission still gets the 200").hasSize(2);
        assertThat(f.sent.get(1).message().toByteArray()).as("byte for byte").isEqualTo(ok.toByteArray());
        f.runFor(32_200);
        assertThat(f.layer.lingeringCount()).isZero();
        assertThat(f.layer.transactionCount()).isZero();
    }

    @Test
    void aResponseTooBigForTheStoreKeepsTheTransactionAsAnObjectUntilTimerJ() {
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ServerTransaction tx = arrive(options, TransportType.UDP);
        SipResponse huge = Fixture.response(options, 200).toBuilder()
                .body(new byte[CompletedStore.MAX_RECORD]).build();
        f.layer.respond(tx, huge);
        f.shards.runPending();
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(f.layer.lingeringCount()).isZero();
        assertThat(f.layer.transactionCount()).isEqualTo(1);
        f.receive(options, TransportType.UDP);
        assertThat(f.times(status(200))).hasSize(2);
        assertThat(tx.request()).as("compacted to bytes, parsed again on demand").isNotSameAs(options);
        assertThat(tx.request().toByteArray()).isEqualTo(options.toByteArray());
        assertThat(tx.source().remote()).isEqualTo(f.remote);
        f.runFor(31_999);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        f.runFor(2);
        assertThat(tx.state()).as("Timer J: 64·T1").isEqualTo(TransactionState.TERMINATED);
        assertThat(f.layer.transactionCount()).isZero();
    }

    @Test
    void anRfc2543RequestIsAnsweredFromTheStoreToo() throws Exception {
        // badbranch: branch "z9hG4bK" alone, so the RFC 2543 key (Call-ID, CSeq, From tag, sent-by) applies
        SipRequest badBranch = (SipRequest) SipParser.defaults().parseDatagram(Files.readAllBytes(
                SharedFiles.rfc4475().resolve("badbranch.dat")));
        ServerTransaction tx = arrive(badBranch, TransportType.UDP);
        f.layer.respond(tx, Fixture.response(badBranch, 200));
        f.shards.runPending();
        assertThat(f.layer.lingeringCount()).isEqualTo(1);
        f.receive(badBranch, TransportType.UDP);
        assertThat(f.times(status(200))).as("the retransmission gets the 200 from the bytes").hasSize(2);
        assertThat(f.events(TransactionEvent.RequestReceived.class)).hasSize(1);
    }

    @Test
    void aLayerThatKeepsNoBytesKeepsTheCompletedTransactionAsAnObjectUntilTimerJ() {
        Fixture none = new Fixture(0);
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        none.receive(options, TransportType.UDP);
        ServerTransaction tx = none.events(TransactionEvent.RequestReceived.class).get(0).transaction();
        none.layer.respond(tx, Fixture.response(options, 200));
        none.shards.runPending();
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(none.layer.lingeringCount()).isZero();
        none.receive(options, TransportType.UDP);
        assertThat(none.times(status(200))).hasSize(2);
        none.runFor(32_001);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(none.layer.transactionCount()).isZero();
    }

    @Test
    void aCompactedRequestBeyondTheDefaultLimitsStillParsesAgain() {
        // A transport configured with larger limits accepted a request with 300 header fields.
        StringBuilder raw = new StringBuilder(new String(Fixture.request(SipMethod.INVITE).toByteArray(),
                java.nio.charset.StandardCharsets.UTF_8));
        int end = raw.indexOf("\r\n\r\n") + 2;
        for (int k = 0; k < 300; k++) {
            raw.insert(end, "X-Filler-" + k + ": " + k + "\r\n");
        }
        byte[] bytes = raw.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SipParser.defaults().parseDatagram(bytes))
                .isInstanceOf(io.rvoip.sip.parser.SipParseException.class);
        SipRequest big = (SipRequest) new SipParser(new io.rvoip.sip.parser.ParserLimits(1 << 20, 1024, 16_384, 8_192,
                65_536, 128, 128)).parseDatagram(bytes);
        ServerTransaction tx = arrive(big, TransportType.UDP);
        f.layer.respond(tx, Fixture.response(big, 200));
        f.shards.runPending();
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        assertThat(tx.request()).isNotSameAs(big);
        assertThat(tx.request().headerCount()).isEqualTo(big.headerCount());
    }

    @Test
    void aResponseForAnotherMethodIsRefused() {
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ServerTransaction tx = arrive(options, TransportType.UDP);
        SipResponse forInvite = Fixture.response(Fixture.request(SipMethod.INVITE), 200);
        assertThatThrownBy(() -> tx.respond(forInvite)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CSeq method");
        assertThat(f.sent).isEmpty();
        assertThat(tx.state()).isEqualTo(TransactionState.TRYING);
    }

    @Test
    void acceptsSaysWhichResponsesTheTuMayStillSend() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ServerTransaction tx = arrive(invite, TransportType.UDP);
        assertThat(tx.accepts(180)).isTrue();
        assertThat(tx.accepts(486)).isTrue();
        f.layer.respond(tx, Fixture.response(invite, 200));
        f.shards.runPending();
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        assertThat(tx.accepts(200)).as("2xx retransmissions (RFC 6026)").isTrue();
        assertThat(tx.accepts(486)).isFalse();

        SipRequest busy = Fixture.request(SipMethod.INVITE);
        f.receive(busy, TransportType.UDP);
        ServerTransaction other = f.events(TransactionEvent.RequestReceived.class).get(1).transaction();
        f.layer.respond(other, Fixture.response(busy, 486));
        f.shards.runPending();
        assertThat(other.accepts(200)).as("a final non-2xx ended what the TU may say").isFalse();
        assertThatThrownBy(() -> other.respond(Fixture.response(busy, 200))).isInstanceOf(IllegalStateException.class);

        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        f.receive(options, TransportType.UDP);
        ServerTransaction nonInvite = f.events(TransactionEvent.RequestReceived.class).get(2).transaction();
        assertThat(nonInvite.accepts(200)).isTrue();
        f.layer.respond(nonInvite, Fixture.response(options, 200));
        f.shards.runPending();
        assertThat(nonInvite.accepts(200)).isFalse();
    }
}
