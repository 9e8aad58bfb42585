package io.rvoip.sip.transaction;

import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transport.TransportEvent;

/**
 * The INVITE server transaction (RFC 3261 §17.2.1, Figure 7, with RFC 6026's Accepted state):
 * Proceeding (100 Trying sent if the TU is silent for 200 ms) → Accepted (2xx, Timer L) or
 * Completed (300–699; Timer G retransmits, Timer H gives up) → Confirmed (ACK, Timer I) →
 * Terminated.
 */
public final class InviteServerTransaction extends ServerTransaction {
    private Timeout trying;
    private Timeout timerG;
    private long intervalG;

    InviteServerTransaction(TransactionLayer layer, TransactionKey key, SipRequest invite,
            TransportEvent.MessageReceived source) {
        super(layer, key, invite, source, TransactionState.PROCEEDING);
    }

    void start() {
        trying = timer(layer.timers().trying100().toNanos(), () -> {
            if (state == TransactionState.PROCEEDING && !answered()) {
                transmit(SipResponse.forRequest(request(), StatusCode.TRYING).build());
            }
        });
    }

    @Override
    void receive(SipRequest req) {
        if (req.method().equals(SipMethod.ACK)) {
            switch (state) {
                case COMPLETED -> {
                    state = TransactionState.CONFIRMED;
                    cancel(timerG);
                    long i = layer.timers().t4Nanos(reliable);
                    if (i > 0) {
                        compact(); // Confirmed only absorbs ACKs
                    }
                    timer(i, this::terminate); // Timer I
                }
                case ACCEPTED -> layer.publish(new TransactionEvent.AckReceived(req, this, source()));
                default -> {
                }
            }
            return;
        }
        // a retransmitted INVITE
        if ((state == TransactionState.PROCEEDING || state == TransactionState.COMPLETED) && answered()) {
            resend();
        }
    }

    @Override
    public boolean accepts(int statusCode) {
        return state == TransactionState.PROCEEDING
                || state == TransactionState.ACCEPTED && statusCode >= 200 && statusCode < 300;
    }

    @Override
    void tuResponse(SipResponse response) {
        int code = response.statusCode();
        switch (state) {
            case PROCEEDING -> {
                cancel(trying);
                transmit(response);
                if (code >= 200 && code < 300) {
                    state = TransactionState.ACCEPTED;
                    compact(); // Accepted absorbs retransmitted INVITEs for 64·T1; the TU resends its 2xx
                    timer(layer.timers().sixtyFourT1Nanos(), this::terminate); // Timer L
                } else if (code >= 300) {
                    state = TransactionState.COMPLETED;
                    if (!reliable) {
                        intervalG = layer.timers().t1().toNanos();
                        timerG = timer(intervalG, this::timerG);
                    }
                    timer(layer.timers().sixtyFourT1Nanos(), () -> { // Timer H
                        if (state == TransactionState.COMPLETED) {
                            layer.publish(new TransactionEvent.TimedOut(this, "Timer H"));
                            terminate();
                        }
                    });
                }
            }
            case ACCEPTED -> {
                if (code >= 200 && code < 300) {
                    transmit(response); // the TU's 2xx retransmissions (RFC 6026)
                } else {
                    throw new IllegalStateException("only 2xx may follow a 2xx: " + code);
                }
            }
            default -> throw new IllegalStateException("no response can be sent in " + state);
        }
    }

    private void timerG() {
        if (state != TransactionState.COMPLETED) {
            return;
        }
        resend();
        intervalG = Math.min(2 * intervalG, layer.timers().t2().toNanos());
        timerG = timer(intervalG, this::timerG);
    }
}
