package io.rvoip.infra.event;

/**
 * What an asynchronous subscription does when its queue is full. Every outcome other than
 * delivery is counted in {@link SubscriptionMetrics}.
 */
public enum BackpressurePolicy {
    /**
     * The publisher waits for room up to the subscription's block timeout; if there is still
     * none, the event is dropped for this subscriber. Never use it for a subscriber fed from a
     * Netty event loop or a shard.
     */
    BLOCK,
    /**
     * Evicts the oldest queued event of the lowest priority not above the new event's
     * (low first, then normal; critical events are never evicted). If nothing can be evicted,
     * the new event is dropped.
     */
    DROP_OLDEST,
    /**
     * The event is not queued for this subscriber, the other subscribers still receive it,
     * and {@link EventBus#publish(Event)} then throws {@link EventRejectedException}.
     */
    FAIL
}
