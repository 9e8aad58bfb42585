package io.rvoip.infra.event;

/**
 * A live registration of a handler on an {@link EventBus}, returned by
 * {@link SubscriptionBuilder#handle(EventHandler)}.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public interface Subscription {

    /** The name given at subscription (or a generated one), used in logs and metrics. */
    String name();

    /** The subscribed type: events of it and of its subtypes are delivered. */
    Class<?> eventType();

    /** Where the handler runs. */
    DeliveryMode mode();

    /** A snapshot of the counters. */
    SubscriptionMetrics metrics();

    /** True until {@link #unsubscribe()} or the bus's close. */
    boolean isActive();

    /**
     * Stops delivery. Events still queued for an asynchronous subscription are discarded and
     * counted as dropped; a handler already running finishes.
     *
     * @return {@code false} if it was already inactive
     */
    boolean unsubscribe();
}
