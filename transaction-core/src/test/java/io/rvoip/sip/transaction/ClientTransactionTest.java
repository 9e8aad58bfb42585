package io.rvoip.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.TransportType;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** RFC 3261 Figures 5 and 6 (with RFC 6026), on a manual clock. */
class ClientTransactionTest {
    private final Fixture f = new Fixture();

    private static Predicate<SipMessage> method(SipMethod m) {
        return msg -> msg instanceof SipRequest r && r.method().equals(m);
    }

    @Test
    void inviteOverUdpRetransmitsWithTimerADoublingUntilTimerB() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ClientTransaction tx = f.send(invite, TransportType.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.CALLING);
        f.runFor(32_000);
        // Timer A: T1, 2·T1, 4·T1 ... after each send; Timer B at 64·T1 = 32 s
        assertThat(f.times(method(SipMethod.INVITE))).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(f.events(TransactionEvent.TimedOut.class)).extracting(TransactionEvent.TimedOut::timer)
                .containsExactly("Timer B");
        assertThat(tx.finalResponse()).isCompletedExceptionally();
        assertThat(f.layer.transactionCount()).isZero();
    }

    @Test
    void aProvisionalStopsRetransmissionsAndANon2xxIsAckedAndAbsorbed() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ClientTransaction tx = f.send(invite, TransportType.UDP);
        f.runFor(600);
        f.receive(Fixture.response(invite, 180), TransportType.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.PROCEEDING);
        f.runFor(10_000);
        assertThat(f.times(method(SipMethod.INVITE))).containsExactly(0L, 500L);
        f.receive(Fixture.response(invite, 486), TransportType.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        assertThat(tx.finalResponse().join().statusCode()).isEqualTo(486);
        SipRequest ack = (SipRequest) f.sent.get(f.sent.size() - 1).message();
        assertThat(ack.method()).isEqualTo(SipMethod.ACK);
        assertThat(ack.cseq().seq()).isEqualTo(invite.cseq().seq());
        assertThat(ack.cseq().method()).isEqualTo(SipMethod.ACK);
        assertThat(ack.via().branch()).isEqualTo(invite.via().branch());
        assertThat(ack.to().tag()).isEqualTo("totag1");
        assertThat(ack.requestUri()).isEqualTo(invite.requestUri());
        f.receive(Fixture.response(invite, 486), TransportType.UDP);
        assertThat(f.times(method(SipMethod.ACK))).hasSize(2);
        assertThat(f.events(TransactionEvent.ResponseReceived.class)).hasSize(2); // 180 and one 486
        f.runFor(31_999);
        assertThat(tx.state()).isEqualTo(TransactionState.COMPLETED);
        f.runFor(2);
        assertThat(tx.state()).as("Timer D: 32 s").isEqualTo(TransactionState.TERMINATED);
        assertThat(f.layer.transactionCount()).isZero();
    }

    @Test
    void a2xxEntersAcceptedPassesRetransmissionsUpAndEndsOnTimerM() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ClientTransaction tx = f.send(invite, TransportType.UDP);
        f.receive(Fixture.response(invite, 200), TransportType.UDP);
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        f.receive(Fixture.response(invite, 200), TransportType.UDP);
        assertThat(f.events(TransactionEvent.ResponseReceived.class)).hasSize(2);
        assertThat(f.times(method(SipMethod.ACK))).as("the 2xx ACK is the TU's").isEmpty();
        f.runFor(31_999);
        assertThat(tx.state()).isEqualTo(TransactionState.ACCEPTED);
        f.runFor(2);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        f.receive(Fixture.response(invite, 200), TransportType.UDP);
        assertThat(f.events(TransactionEvent.StrayResponse.class)).hasSize(1);
    }

    @Test
    void overReliableTransportsNothingIsRetransmittedAndTimerDIsZero() {
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ClientTransaction tx = f.send(invite, TransportType.TCP);
        f.runFor(20_000);
        assertThat(f.times(method(SipMethod.INVITE))).containsExactly(0L);
        f.receive(Fixture.response(invite, 603), TransportType.TCP);
        f.runFor(2);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
    }

    @Test
    void aRequestTheTransportSentOverTcpInsteadIsNotRetransmitted() {
        // RFC 3261 §18.1.1: the transport took a large request over TCP; the transaction learns
        // it from the send's outcome and stops Timer E
        f.sendsSwitchTo = TransportType.TCP;
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ClientTransaction tx = f.send(options, TransportType.UDP);
        f.runFor(10_000);
        assertThat(f.times(method(SipMethod.OPTIONS))).containsExactly(0L);
        assertThat(tx.destination().transport()).isEqualTo(TransportType.TCP);
    }

    @Test
    void aRequestSentWhereAskedKeepsItsDestination() {
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ClientTransaction tx = f.send(options, TransportType.UDP);
        f.runFor(600);
        assertThat(f.times(method(SipMethod.OPTIONS))).containsExactly(0L, 500L);
        assertThat(tx.destination().transport()).isEqualTo(TransportType.UDP);
    }

    @Test
    void nonInviteRetransmitsWithTimerECappedAtT2UntilTimerF() {
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ClientTransaction tx = f.send(options, TransportType.UDP);
        f.runFor(32_000);
        assertThat(f.times(method(SipMethod.OPTIONS))).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L,
                19500L, 23500L, 27500L, 31500L);
        assertThat(f.events(TransactionEvent.TimedOut.class)).extracting(TransactionEvent.TimedOut::timer)
                .containsExactly("Timer F");
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
    }

    @Test
    void nonInviteProceedingRetransmitsEveryT2AndCompletedAbsorbsUntilTimerK() {
        SipRequest options = Fixture.request(SipMethod.OPTIONS);
        ClientTransaction tx = f.send(options, TransportType.UDP);
        f.runFor(100);
        f.receive(Fixture.response(options, 100), TransportType.UDP);
        f.runFor(9_000);
        // E went off at 500 (Trying), then every T2 once Proceeding: 500+4000, 8500
        assertThat(f.times(method(SipMethod.OPTIONS))).containsExactly(0L, 500L, 4500L, 8500L);
        f.receive(Fixture.response(options, 200), TransportType.UDP);
        // Completed is kept by the layer as the key alone: the transaction is over for the TU at once
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(tx.finalResponse()).isCompleted();
        assertThat(f.layer.transactionCount()).isZero();
        assertThat(f.layer.lingeringCount()).isEqualTo(1);
        f.receive(Fixture.response(options, 200), TransportType.UDP);
        f.runFor(4_999);
        f.receive(Fixture.response(options, 200), TransportType.UDP);
        assertThat(f.events(TransactionEvent.ResponseReceived.class)).hasSize(2); // 100, one 200
        assertThat(f.events(TransactionEvent.StrayResponse.class)).as("absorbed until Timer K").isEmpty();
        f.runFor(2);
        f.receive(Fixture.response(options, 200), TransportType.UDP);
        assertThat(f.events(TransactionEvent.StrayResponse.class)).as("Timer K (T4) has fired").hasSize(1);
        f.runFor(200);
        assertThat(f.layer.lingeringCount()).isZero();
    }

    @Test
    void aResponseWithoutCallIdFromOrToIsDropped() {
        SipResponse bare = (SipResponse) io.rvoip.sip.parser.SipParser.defaults().parseDatagram((
                "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnocallid\r\nCSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(bare.callId()).isNull();
        f.receive(bare, TransportType.UDP);
        assertThat(f.events(TransactionEvent.StrayResponse.class)).isEmpty();
        assertThat(f.layer.droppedCount()).isEqualTo(1);
        // the same to our INVITE: no transaction takes it (its ACK would need a To), the call goes on
        SipRequest invite = Fixture.request(SipMethod.INVITE);
        ClientTransaction ct = f.send(invite, TransportType.UDP);
        String noTo = new String(Fixture.response(invite, 486).toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replaceAll("(?m)^To: .*\r\n", "");
        f.receive(io.rvoip.sip.parser.SipParser.defaults().parseDatagram(noTo.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)),
                TransportType.UDP);
        assertThat(f.layer.droppedCount()).isEqualTo(2);
        assertThat(ct.state()).isEqualTo(TransactionState.CALLING);
        assertThat(f.events(TransactionEvent.ResponseReceived.class)).isEmpty();
    }

    @Test
    void aTransportErrorEndsTheTransaction() {
        f.failSends = true;
        ClientTransaction tx = f.send(Fixture.request(SipMethod.OPTIONS), TransportType.TCP);
        f.runFor(1);
        assertThat(tx.state()).isEqualTo(TransactionState.TERMINATED);
        assertThat(f.events(TransactionEvent.TransportError.class)).hasSize(1);
        assertThat(tx.finalResponse()).isCompletedExceptionally();
    }

    @Test
    void aHundredThousandTransactionsLeaveNothingBehind() {
        for (int i = 0; i < 100_000; i++) {
            SipRequest r = Fixture.request(SipMethod.OPTIONS);
            f.send(r, TransportType.UDP);
            f.receive(Fixture.response(r, 200), TransportType.UDP);
        }
        assertThat(f.layer.transactionCount()).as("over for the TU").isZero();
        assertThat(f.layer.lingeringCount()).as("Timer K's duty kept as keys").isEqualTo(100_000);
        f.runFor(5_200);
        assertThat(f.layer.transactionCount()).isZero();
        assertThat(f.layer.lingeringCount()).isZero();
        assertThat(f.layer.lingeringBytes()).as("per shard: the emptied chunk and two spare ones").isLessThanOrEqualTo(3L * CompletedStore.CHUNK * f.shards.shardCount());
        assertThat(f.timers.activeCount()).isZero();
        assertThat(f.events(TransactionEvent.Terminated.class)).hasSize(100_000);
        assertThat(f.events(TransactionEvent.ResponseReceived.class)).allMatch(e -> e.response().statusCode() == 200);
    }
}
