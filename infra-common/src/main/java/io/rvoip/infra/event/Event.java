package io.rvoip.infra.event;

/**
 * An immutable fact published on the {@link EventBus}. Each layer declares one sealed
 * interface of record types that extends this one ({@code TransportEvent},
 * {@code TransactionEvent}, ...).
 *
 * <p>The routing key decides ordering and placement: events with equal keys reach each
 * subscriber in publish order, and shard-mode subscribers receive them on the key's shard.
 * For SIP the key is the Call-ID; for media, the session id.
 */
public interface Event {

    /** The key that orders this event relative to others; never {@code null}. */
    Object routingKey();

    /**
     * How urgent the event is for a subscriber that is behind: critical events are taken
     * from a queue before normal ones, and low ones are the first to be dropped.
     */
    default EventPriority priority() {
        return EventPriority.NORMAL;
    }
}
