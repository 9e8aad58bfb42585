package io.rvoip.infra.event;

import io.rvoip.infra.concurrent.ShardedExecutor;
import java.util.function.Predicate;

/**
 * Runs the handler on the shard that owns the event's routing key. Ordering per key follows
 * from the shard being serial; a full shard queue drops the event and counts it.
 */
final class ShardSubscription<E extends Event> extends AbstractSubscription<E> {
    private final EventHandler<? super E> handler;
    private final ShardedExecutor shards;

    ShardSubscription(EventBus bus, String name, Class<E> type, Predicate<? super E> filter,
            EventHandler<? super E> handler, ShardedExecutor shards) {
        super(bus, name, type, filter);
        this.handler = handler;
        this.shards = shards;
    }

    @Override
    int enqueue(E e) {
        if (shards.tryExecute(e.routingKey(), () -> {
            if (active) {
                if (invoke(handler, e)) {
                    delivered.increment();
                }
            } else {
                dropped.increment();
            }
        })) {
            clearDropBurst();
            return ACCEPTED;
        }
        onDropped(1, "shard queue full or shut down");
        return DROPPED;
    }

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.SHARD;
    }
}
