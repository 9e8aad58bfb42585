package io.rvoip.sip.transaction;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.TransportEvent;
import java.util.Objects;

/**
 * A server transaction: absorbs retransmitted requests, sends the TU's responses and
 * retransmits the last one when asked (RFC 3261 §17.2). The TU answers with
 * {@link #respond(SipResponse)} on the transaction's shard.
 */
public abstract sealed class ServerTransaction extends Transaction
        permits InviteServerTransaction, NonInviteServerTransaction {
    final TransportEvent.MessageReceived source;
    SipResponse lastResponse;

    ServerTransaction(TransactionLayer layer, TransactionKey key, SipRequest request,
            TransportEvent.MessageReceived source, TransactionState initial) {
        super(layer, key, request, source.transport().isReliable(), initial);
        this.source = source;
    }

    /** How the request arrived (transport, addresses, connection). */
    public final TransportEvent.MessageReceived source() {
        return source;
    }

    /** The connection the request came on, or null (UDP). */
    public final ConnectionId connection() {
        return source.connection();
    }

    /** The last response sent, or null. */
    public final SipResponse lastResponse() {
        return lastResponse;
    }

    /**
     * Sends the TU's response through this transaction. Call on the transaction's shard (the
     * layer's {@link TransactionLayer#respond} hops there for you).
     *
     * @throws IllegalStateException if the transaction cannot take it in its state
     */
    public final void respond(SipResponse response) {
        Objects.requireNonNull(response, "response");
        if (!response.cseq().method().equals(request().method())
                && !(request().method().equals(io.rvoip.sip.message.SipMethod.ACK))) {
            throw new IllegalArgumentException("response CSeq method does not match the request");
        }
        tuResponse(response);
    }

    abstract void tuResponse(SipResponse response);

    /** A retransmission of the request (or, for INVITE, an ACK) matched this transaction. */
    abstract void receive(SipRequest request);

    final void transmit(SipResponse response) {
        lastResponse = response;
        layer.sender().sendResponse(response, connection()).whenComplete((v, e) -> {
            if (e != null) {
                layer.onShard(callId, () -> transportError(e));
            }
        });
    }

    @Override
    final void transportError(Throwable cause) {
        // RFC 6026 §8.8: inform the TU and stay in the current state.
        layer.publish(new TransactionEvent.TransportError(this, String.valueOf(cause.getMessage())));
    }
}
