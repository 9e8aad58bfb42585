package io.rvoip.sip.transaction;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.Destination;
import java.util.concurrent.CompletableFuture;

/**
 * A client transaction: sends a request, retransmits it over unreliable transports, and
 * passes responses up (RFC 3261 §17.1). {@link #finalResponse()} completes with the first final
 * response (or fails on timeout or transport error); every response also arrives as a
 * {@link TransactionEvent.ResponseReceived}.
 */
public abstract sealed class ClientTransaction extends Transaction
        permits InviteClientTransaction, NonInviteClientTransaction {
    Destination destination;
    final CompletableFuture<SipResponse> finalResponse = new CompletableFuture<>();

    ClientTransaction(TransactionLayer layer, TransactionKey key, SipRequest request, Destination destination,
            TransactionState initial) {
        super(layer, key, request, destination.transport().isReliable(), initial);
        this.destination = destination;
    }

    /** Where the request went (after any RFC 3261 §18.1.1 switch to TCP). */
    public final Destination destination() {
        return destination;
    }

    /** The first final response; fails with {@link TransactionTimeoutException} or a transport error. */
    public final CompletableFuture<SipResponse> finalResponse() {
        return finalResponse;
    }

    /** Sends the request (first copy or retransmission), reporting transport errors. */
    final void send() {
        Destination to = destination;
        layer.sender().sendRequest(request(), to).whenComplete((used, e) -> {
            if (e == null && (used == null || used.equals(to))) {
                return; // sent where asked: nothing to tell the transaction, no hop to its shard
            }
            layer.onShard(callId, () -> {
                if (e != null) {
                    transportError(e);
                } else if (!used.equals(destination)) {
                    destination = used;
                    if (used.transport().isReliable() && !reliable) {
                        reliable = true;
                        switchedToReliable();
                    }
                }
            });
        });
    }

    /** The request went over a reliable transport after all (§18.1.1): stop retransmitting. */
    abstract void switchedToReliable();

    /** A response matched this transaction. */
    abstract void receive(SipResponse response);

    final void passUp(SipResponse response) {
        layer.publish(new TransactionEvent.ResponseReceived(this, response));
        if (response.statusCode() >= 200) {
            finalResponse.complete(response);
        }
    }

    final void timedOut(String timer) {
        finalResponse.completeExceptionally(new TransactionTimeoutException(timer + " fired for " + key));
        layer.publish(new TransactionEvent.TimedOut(this, timer));
        terminate();
    }

    @Override
    final void transportError(Throwable cause) {
        if (isTerminated()) {
            return;
        }
        finalResponse.completeExceptionally(cause);
        layer.publish(new TransactionEvent.TransportError(this, String.valueOf(cause.getMessage())));
        terminate();
    }
}
