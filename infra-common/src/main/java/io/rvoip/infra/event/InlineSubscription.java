package io.rvoip.infra.event;

import java.util.function.Predicate;

/** Runs the handler on the publisher's thread. */
final class InlineSubscription<E extends Event> extends AbstractSubscription<E> {
    private final EventHandler<? super E> handler;

    InlineSubscription(EventBus bus, String name, Class<E> type, Predicate<? super E> filter,
            EventHandler<? super E> handler) {
        super(bus, name, type, filter);
        this.handler = handler;
    }

    @Override
    int enqueue(E e) {
        invoke(handler, e);
        return ACCEPTED;
    }

    /** Offered minus refused by the filter minus failed: no counter on the hot path. */
    @Override
    long deliveredCount() {
        return Math.max(0, bus.offeredTo(this) - filtered.sum() - failed.sum());
    }

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.INLINE;
    }
}
