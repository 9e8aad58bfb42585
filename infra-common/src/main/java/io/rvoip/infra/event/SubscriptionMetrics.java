package io.rvoip.infra.event;

/**
 * A snapshot of one subscription's counters.
 *
 * @param name the subscription's name
 * @param delivered events its handler returned from normally
 * @param failed events its handler threw on
 * @param dropped events lost to backpressure, eviction, a rejecting executor or unsubscribe
 * @param rejected events refused under {@link BackpressurePolicy#FAIL}
 * @param queued events waiting in its queue now (asynchronous subscriptions)
 */
public record SubscriptionMetrics(
        String name, long delivered, long failed, long dropped, long rejected, int queued) {
}
