package io.rvoip.infra.event;

/** Where a subscriber's handler runs. */
public enum DeliveryMode {
    /** On the publisher's thread, before {@code publish} returns. */
    INLINE,
    /**
     * On the shard that owns the event's routing key (the bus's
     * {@link io.rvoip.infra.concurrent.ShardedExecutor}); how protocol layers subscribe.
     */
    SHARD,
    /** On an executor of the subscriber's choice, through a bounded queue; how applications subscribe. */
    ASYNC
}
