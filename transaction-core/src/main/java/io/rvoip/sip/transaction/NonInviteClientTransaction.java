package io.rvoip.sip.transaction;

import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.Destination;

/**
 * The non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6): Trying → Proceeding →
 * Completed (Timer K) → Terminated. Timer E retransmits (doubling up to T2, then every T2 once
 * Proceeding) over unreliable transports; Timer F (64·T1) gives up.
 */
public final class NonInviteClientTransaction extends ClientTransaction {
    private long intervalE;
    private Timeout timerE;
    private Timeout timerF;

    NonInviteClientTransaction(TransactionLayer layer, TransactionKey key, SipRequest request, Destination destination) {
        super(layer, key, request, destination, TransactionState.TRYING);
    }

    void start() {
        send();
        if (!reliable) {
            intervalE = layer.timers().t1().toNanos();
            timerE = timer(intervalE, this::timerE);
        }
        timerF = timer(layer.timers().sixtyFourT1Nanos(), () -> {
            if (state == TransactionState.TRYING || state == TransactionState.PROCEEDING) {
                timedOut("Timer F");
            }
        });
    }

    private void timerE() {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            return;
        }
        send();
        long t2 = layer.timers().t2().toNanos();
        intervalE = state == TransactionState.TRYING ? Math.min(2 * intervalE, t2) : t2;
        timerE = timer(intervalE, this::timerE);
    }

    @Override
    void switchedToReliable() {
        cancel(timerE);
    }

    @Override
    void receive(SipResponse response) {
        if (state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            return; // Completed absorbs retransmitted final responses
        }
        if (response.statusCode() < 200) {
            state = TransactionState.PROCEEDING;
            passUp(response);
            return;
        }
        state = TransactionState.COMPLETED;
        cancel(timerE);
        cancel(timerF);
        passUp(response);
        long k = layer.timers().t4Nanos(reliable);
        if (k > 0 && layer.linger(this, CompletedStore.CLIENT, null, k)) {
            terminate(); // the layer absorbs retransmitted responses until Timer K, from bytes
            return;
        }
        if (k > 0) {
            compact(); // T4 of absorbing retransmitted responses needs the key only
        }
        timer(k, this::terminate); // Timer K
    }
}
