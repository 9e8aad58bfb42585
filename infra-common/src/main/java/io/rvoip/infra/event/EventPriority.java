package io.rvoip.infra.event;

/**
 * Urgency of an event for a queued subscriber. Within one priority, events of one routing key
 * keep their publish order; a critical event may overtake queued normal and low ones.
 */
public enum EventPriority {
    /** Taken first from a backlog and never evicted by {@link BackpressurePolicy#DROP_OLDEST}. */
    CRITICAL,
    /** The default. */
    NORMAL,
    /** Statistics and the like: the first to be evicted from a full queue. */
    LOW
}
