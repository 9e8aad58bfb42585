package io.rvoip.infra.event;

/**
 * Receives events one at a time. Handlers of shard-mode subscriptions run on the event's shard
 * and must not block; an exception thrown here is logged (once per burst) and counted, and
 * never stops delivery to other subscribers.
 *
 * @param <E> event type
 */
@FunctionalInterface
public interface EventHandler<E> {

    /** Handles one event. */
    void onEvent(E event);
}
