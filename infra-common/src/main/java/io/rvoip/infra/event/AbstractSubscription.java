package io.rvoip.infra.event;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared state of the three delivery modes: filter, counters, and the failure accounting that
 * logs once per burst of handler exceptions.
 */
abstract class AbstractSubscription<E extends Event> implements Subscription {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    static final int ACCEPTED = 0;
    static final int DROPPED = 1;
    static final int REJECTED = 2;

    final EventBus bus;
    final String name;
    final Class<E> type;
    final Predicate<? super E> filter;
    /** Deliveries counted by the subscription itself (shard and async modes). */
    final LongAdder delivered = new LongAdder();
    final LongAdder failed = new LongAdder();
    /** Events the filter refused (inline mode derives its deliveries from the routes). */
    final LongAdder filtered = new LongAdder();
    /** Route counts at the time this subscription joined each route (guarded by the bus lock). */
    final java.util.IdentityHashMap<EventBus.Route, Long> joined = new java.util.IdentityHashMap<>();
    /** Events offered through routes this subscription has left (guarded by the bus lock). */
    long offeredRetired;
    final LongAdder dropped = new LongAdder();
    final LongAdder rejected = new LongAdder();
    volatile boolean active = true;
    private volatile boolean failing;
    private volatile boolean dropping;

    AbstractSubscription(EventBus bus, String name, Class<E> type, Predicate<? super E> filter) {
        this.bus = bus;
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.filter = filter;
    }

    /** Called by the bus on the publisher's thread for an event of {@link #type}. */
    final int offer(Event event) {
        if (!active) {
            return ACCEPTED;
        }
        @SuppressWarnings("unchecked")
        E e = (E) event;
        if (filter != null) {
            try {
                if (!filter.test(e)) {
                    filtered.increment();
                    return ACCEPTED;
                }
            } catch (RuntimeException ex) {
                filtered.increment();
                onFailure(ex);
                return ACCEPTED;
            }
        }
        return enqueue(e);
    }

    /** Hands a filtered event to the handler, directly or through a queue. */
    abstract int enqueue(E e);

    /**
     * Runs the handler for one event with failure accounting; returns whether it succeeded.
     * Successes are not counted here: each mode counts them in the cheapest place.
     */
    final boolean invoke(EventHandler<? super E> handler, E e) {
        try {
            handler.onEvent(e);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
            onFailure(t);
            return false;
        }
        if (failing) {
            recovered();
        }
        return true;
    }

    final void recovered() {
        if (failing) {
            failing = false;
            log.info("subscriber '{}' recovered after handler failures ({} so far)", name, failed.sum());
        }
    }

    final void onFailure(Throwable t) {
        failed.increment();
        if (!failing) {
            failing = true;
            log.warn("subscriber '{}' threw; further failures are counted, not logged, until it succeeds again",
                    name, t);
        }
    }

    /** Counts {@code n} lost events and logs the first loss of a burst. */
    final void onDropped(int n, String why) {
        dropped.add(n);
        if (!dropping) {
            dropping = true;
            log.warn("subscriber '{}' is dropping events: {}", name, why);
        }
    }

    /** Ends a drop burst (the next loss is logged again). */
    final void clearDropBurst() {
        if (dropping) {
            dropping = false;
        }
    }

    int queued() {
        return 0;
    }

    /** Events handled successfully so far. */
    long deliveredCount() {
        return delivered.sum();
    }

    /**
     * Events offered to this subscription through the bus's routes: exact when no publish
     * or subscription change is in flight. Caller holds the bus lock.
     */
    final long offeredCount() {
        long n = offeredRetired;
        for (var entry : joined.entrySet()) {
            n += entry.getKey().count.sum() - entry.getValue();
        }
        return n;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Class<?> eventType() {
        return type;
    }

    @Override
    public final boolean isActive() {
        return active;
    }

    @Override
    public final SubscriptionMetrics metrics() {
        return new SubscriptionMetrics(name, deliveredCount(), failed.sum(), dropped.sum(), rejected.sum(), queued());
    }

    @Override
    public boolean unsubscribe() {
        if (!active) {
            return false;
        }
        active = false;
        bus.remove(this);
        return true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + type.getSimpleName() + "]";
    }
}
