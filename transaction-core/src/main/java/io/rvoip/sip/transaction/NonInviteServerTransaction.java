package io.rvoip.sip.transaction;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.TransportEvent;

/**
 * The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8): Trying → Proceeding →
 * Completed (Timer J) → Terminated. A retransmitted request is answered with the last
 * response sent, or absorbed while there is none.
 */
public final class NonInviteServerTransaction extends ServerTransaction {

    NonInviteServerTransaction(TransactionLayer layer, TransactionKey key, SipRequest request,
            TransportEvent.MessageReceived source) {
        super(layer, key, request, source, TransactionState.TRYING);
    }

    @Override
    void receive(SipRequest retransmission) {
        if ((state == TransactionState.PROCEEDING || state == TransactionState.COMPLETED) && answered()) {
            resend();
        }
    }

    @Override
    public boolean accepts(int statusCode) {
        return state == TransactionState.TRYING || state == TransactionState.PROCEEDING;
    }

    @Override
    void tuResponse(SipResponse response) {
        switch (state) {
            case TRYING, PROCEEDING -> {
                transmit(response);
                if (response.statusCode() < 200) {
                    state = TransactionState.PROCEEDING;
                } else {
                    state = TransactionState.COMPLETED;
                    long j = layer.timers().timerJNanos(reliable);
                    if (j > 0 && layer.linger(this, CompletedStore.SERVER, response, j)) {
                        terminate(); // the layer answers retransmissions until Timer J, from bytes
                        return;
                    }
                    if (j > 0) {
                        compact(); // 64·T1 of absorbing retransmissions needs the key and the response only
                    }
                    timer(j, this::terminate); // Timer J
                }
            }
            default -> throw new IllegalStateException("no response can be sent in " + state);
        }
    }
}
