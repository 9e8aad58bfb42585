package io.rvoip.sip.transaction;

import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.Destination;

/**
 * The INVITE client transaction (RFC 3261 §17.1.1, Figure 5, with RFC 6026's Accepted state):
 * Calling → Proceeding → Accepted (2xx, Timer M) or Completed (300–699, ACK sent, Timer D) →
 * Terminated. Timer A retransmits with doubling intervals over unreliable transports; Timer B
 * (64·T1) gives up. Once a CANCEL has been sent, a final response must come within 64·T1, else
 * the transaction times out (§9.1).
 */
public final class InviteClientTransaction extends ClientTransaction {
    private long intervalA;
    private Timeout timerA;
    private Timeout timerB;
    private SipRequest ack;
    private Runnable pendingCancel;

    InviteClientTransaction(TransactionLayer layer, TransactionKey key, SipRequest invite, Destination destination) {
        super(layer, key, invite, destination, TransactionState.CALLING);
    }

    void start() {
        send();
        if (!reliable) {
            intervalA = layer.timers().t1().toNanos();
            timerA = timer(intervalA, this::timerA);
        }
        timerB = timer(layer.timers().sixtyFourT1Nanos(), () -> {
            if (state == TransactionState.CALLING) {
                timedOut("Timer B");
            }
        });
    }

    private void timerA() {
        if (state != TransactionState.CALLING) {
            return;
        }
        send();
        intervalA *= 2;
        timerA = timer(intervalA, this::timerA);
    }

    @Override
    void switchedToReliable() {
        cancel(timerA);
    }

    @Override
    void receive(SipResponse response) {
        int code = response.statusCode();
        switch (state) {
            case CALLING, PROCEEDING -> {
                cancel(timerA);
                if (code < 200) {
                    state = TransactionState.PROCEEDING;
                    cancel(timerB);
                    passUp(response);
                    if (pendingCancel != null) {
                        Runnable c = pendingCancel;
                        pendingCancel = null;
                        c.run(); // RFC 3261 §9.1: a CANCEL waits for a provisional response
                    }
                } else if (code < 300) {
                    state = TransactionState.ACCEPTED;
                    cancel(timerB);
                    passUp(response);
                    timer(layer.timers().sixtyFourT1Nanos(), this::terminate); // Timer M
                } else {
                    state = TransactionState.COMPLETED;
                    cancel(timerB);
                    ack = ackFor(response);
                    sendAck();
                    passUp(response);
                    timer(layer.timers().timerDNanos(reliable), this::terminate); // Timer D
                }
            }
            case ACCEPTED -> {
                if (code >= 200 && code < 300) {
                    passUp(response); // 2xx retransmissions go to the TU, which ACKs them (RFC 6026)
                }
            }
            case COMPLETED -> {
                if (code >= 300) {
                    sendAck(); // retransmitted final response: ACK again, not to the TU
                }
            }
            default -> {
            }
        }
    }

    /**
     * Sends {@code cancel} now if a provisional response has arrived, later when one does, or
     * never if a final response comes first (RFC 3261 §9.1). Returns false if it is too late.
     */
    boolean cancelWhenProceeding(Runnable cancel) {
        Runnable cancelThenWait = () -> {
            cancel.run();
            // §9.1: no final response 64·T1 after the CANCEL, and the INVITE counts as cancelled:
            // its transaction is destroyed (the TU sees a timeout), not left in Proceeding
            timer(layer.timers().sixtyFourT1Nanos(), () -> {
                if (state == TransactionState.PROCEEDING) {
                    timedOut("no final response 64*T1 after the CANCEL");
                }
            });
        };
        if (state == TransactionState.PROCEEDING) {
            cancelThenWait.run();
            return true;
        }
        if (state == TransactionState.CALLING) {
            pendingCancel = cancelThenWait;
            return true;
        }
        return false;
    }

    /**
     * The CANCEL for this INVITE (RFC 3261 §9.1): same Request-URI, Call-ID, To, From, CSeq
     * number, top Via (so the same branch) and Route fields; method CANCEL.
     */
    SipRequest cancelRequest() {
        SipRequest r = request();
        SipRequest.Builder b = SipRequest.builder(SipMethod.CANCEL, r.requestUri())
                .via(r.via())
                .maxForwards(70)
                .from(r.from())
                .to(r.to())
                .callId(r.callId())
                .cseq(r.cseq().seq());
        for (var route : r.getAll(SipHeaders.ROUTE)) {
            b.add(SipHeaders.ROUTE, route);
        }
        return b.build();
    }

    private void sendAck() {
        layer.sender().sendRequest(ack, destination);
    }

    /**
     * The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): Request-URI, Call-ID, From and
     * top Via of the INVITE, To of the response, CSeq number of the INVITE with method ACK, and
     * the INVITE's Route fields.
     */
    SipRequest ackFor(SipResponse response) {
        SipRequest r = request();
        SipRequest.Builder b = SipRequest.builder(SipMethod.ACK, r.requestUri())
                .via(r.via())
                .maxForwards(70)
                .from(r.from())
                .to(response.to())
                .callId(r.callId())
                .cseq(r.cseq().seq());
        for (var route : r.getAll(SipHeaders.ROUTE)) {
            b.add(SipHeaders.ROUTE, route);
        }
        return b.build();
    }
}
