package io.rvoip.sip.transaction;

import io.rvoip.infra.event.Event;
import io.rvoip.infra.event.EventPriority;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.TransportEvent;

/**
 * What the transaction layer tells the TU (dialog-core, or an application) on the event bus,
 * routed by Call-ID: delivered on the shard that owns the call, in order.
 */
public sealed interface TransactionEvent extends Event {

    /** The Call-ID (the routing key). */
    String callId();

    @Override
    default Object routingKey() {
        return callId();
    }

    /**
     * A new request created a server transaction; answer through it.
     *
     * @param transaction the new server transaction
     * @param request the request
     */
    record RequestReceived(ServerTransaction transaction, SipRequest request) implements TransactionEvent {
        @Override
        public String callId() {
            return transaction.callId();
        }
    }

    /**
     * A response for a client transaction (provisional, final, or a 2xx retransmission in
     * Accepted, which the TU must ACK again).
     *
     * @param transaction the client transaction
     * @param response the response
     */
    record ResponseReceived(ClientTransaction transaction, SipResponse response) implements TransactionEvent {
        @Override
        public String callId() {
            return transaction.callId();
        }
    }

    /**
     * An ACK for a 2xx: it belongs to the dialog, not to a transaction (RFC 3261 §17.1.1.1,
     * RFC 6026).
     *
     * @param ack the ACK
     * @param transaction the INVITE server transaction in Accepted it matched, or null
     * @param source how it arrived
     */
    record AckReceived(SipRequest ack, ServerTransaction transaction, TransportEvent.MessageReceived source)
            implements TransactionEvent {
        @Override
        public String callId() {
            return ack.callId();
        }
    }

    /**
     * A response that matches no client transaction (e.g. a 2xx retransmitted after Timer M):
     * passed up for the dialog layer, which may need to ACK it again.
     *
     * @param response the response
     * @param source how it arrived
     */
    record StrayResponse(SipResponse response, TransportEvent.MessageReceived source) implements TransactionEvent {
        @Override
        public String callId() {
            String id = response.callId();
            return id != null ? id : source.remote().toString();
        }
    }

    /**
     * A timer ended the transaction without the expected message: Timer B or F (no final
     * response), Timer H (no ACK for a non-2xx final response).
     *
     * @param transaction the transaction
     * @param timer the timer's name
     */
    record TimedOut(Transaction transaction, String timer) implements TransactionEvent {
        @Override
        public String callId() {
            return transaction.callId();
        }

        @Override
        public EventPriority priority() {
            return EventPriority.CRITICAL;
        }
    }

    /**
     * The transport could not send for the transaction (RFC 3261 §17.1.4, §17.2.4).
     *
     * @param transaction the transaction
     * @param reason what failed
     */
    record TransportError(Transaction transaction, String reason) implements TransactionEvent {
        @Override
        public String callId() {
            return transaction.callId();
        }

        @Override
        public EventPriority priority() {
            return EventPriority.CRITICAL;
        }
    }

    /**
     * The transaction ended and was removed from every table.
     *
     * @param transaction the transaction
     */
    record Terminated(Transaction transaction) implements TransactionEvent {
        @Override
        public String callId() {
            return transaction.callId();
        }
    }
}
