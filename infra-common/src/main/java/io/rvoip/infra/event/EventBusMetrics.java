package io.rvoip.infra.event;

import java.util.List;

/**
 * A snapshot of the bus's counters.
 *
 * @param published events accepted by {@link EventBus#publish(Event)}
 * @param refusedClosed publish calls made after {@link EventBus#close()}
 * @param subscriptions one entry per live subscription, in subscription order
 */
public record EventBusMetrics(long published, long refusedClosed, List<SubscriptionMetrics> subscriptions) {

    /** Makes a defensive copy of the subscription list. */
    public EventBusMetrics {
        subscriptions = List.copyOf(subscriptions);
    }
}
