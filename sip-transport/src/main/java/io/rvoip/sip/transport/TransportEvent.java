package io.rvoip.sip.transport;

import io.rvoip.infra.event.Event;
import io.rvoip.infra.event.EventPriority;
import io.rvoip.sip.message.SipMessage;
import java.net.InetSocketAddress;

/**
 * What the transport layer tells the layers above, on the {@link io.rvoip.infra.event.EventBus}.
 * Messages are routed by Call-ID (so one call's messages stay in order on one shard);
 * connection events by connection.
 */
public sealed interface TransportEvent extends Event {

    /** The transport the event happened on. */
    TransportType transport();

    /**
     * A message arrived and parsed. Requests already carry {@code received}/{@code rport} in
     * their top Via (RFC 3261 §18.2.1, RFC 3581 §4).
     *
     * @param message the message
     * @param transport the transport
     * @param local the local address it arrived on
     * @param remote the source address
     * @param connection the stream connection, or null for UDP
     */
    record MessageReceived(SipMessage message, TransportType transport, InetSocketAddress local,
            InetSocketAddress remote, ConnectionId connection) implements TransportEvent {
        @Override
        public Object routingKey() {
            String callId = message.callId();
            return callId != null ? callId : remote.toString();
        }
    }

    /**
     * Bytes arrived that are not a valid SIP message (dropped and counted). The bytes (at most
     * one message) let the transaction layer answer 400 when enough of a request survives
     * (RFC 3261 §18.3).
     *
     * @param transport the transport
     * @param local the local address
     * @param remote the source address
     * @param connection the stream connection, or null for UDP
     * @param reason why it was refused
     * @param bytes the offending bytes (bounded by the parser limits)
     */
    record MessageRejected(TransportType transport, InetSocketAddress local, InetSocketAddress remote,
            ConnectionId connection, String reason, byte[] bytes) implements TransportEvent {
        @Override
        public Object routingKey() {
            return remote.toString();
        }

        @Override
        public EventPriority priority() {
            return EventPriority.LOW;
        }
    }

    /**
     * A stream connection opened.
     *
     * @param connection the connection
     * @param transport the transport
     * @param local the local address
     * @param remote the peer address
     * @param inbound true if the peer connected to us
     */
    record ConnectionOpened(ConnectionId connection, TransportType transport, InetSocketAddress local,
            InetSocketAddress remote, boolean inbound) implements TransportEvent {
        @Override
        public Object routingKey() {
            return connection;
        }
    }

    /**
     * A stream connection closed (by either side, idle, limit, framing error or shutdown).
     * Transactions using it fail fast (RFC 3261 §17.1.4).
     *
     * @param connection the connection
     * @param transport the transport
     * @param remote the peer address
     * @param reason why
     */
    record ConnectionClosed(ConnectionId connection, TransportType transport, InetSocketAddress remote,
            String reason) implements TransportEvent {
        @Override
        public Object routingKey() {
            return connection;
        }

        @Override
        public EventPriority priority() {
            return EventPriority.CRITICAL;
        }
    }

    /**
     * An outbound connection could not be made (refused, unreachable, TLS handshake failed).
     *
     * @param transport the transport
     * @param remote the peer address
     * @param reason why
     */
    record ConnectionFailed(TransportType transport, InetSocketAddress remote, String reason)
            implements TransportEvent {
        @Override
        public Object routingKey() {
            return remote.toString();
        }

        @Override
        public EventPriority priority() {
            return EventPriority.CRITICAL;
        }
    }
}
