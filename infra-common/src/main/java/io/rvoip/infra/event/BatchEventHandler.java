package io.rvoip.infra.event;

import java.util.List;

/**
 * Receives the events an asynchronous subscription has queued, several per wake-up, for
 * subscribers whose cost is per call rather than per event (writing to a socket or a
 * database). The list is read-only and valid only during the call: copy what you keep.
 *
 * @param <E> event type
 */
@FunctionalInterface
public interface BatchEventHandler<E> {

    /** Handles a non-empty batch in queue order (per routing key and priority). */
    void onEvents(List<E> batch);
}
