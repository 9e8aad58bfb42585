package io.rvoip.infra.event;

import io.rvoip.infra.concurrent.ShardedExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Typed publish/subscribe for immutable {@link Event}s: how each layer tells the layer above
 * what happened.
 *
 * <p>A subscriber names a type and receives events of it and of its subtypes, optionally
 * filtered, in one of three {@link DeliveryMode}s. Events with equal routing keys reach each
 * subscriber in publish order (for asynchronous subscribers: per priority). A handler that
 * throws never keeps the event from other subscribers. Every queue is bounded and every loss
 * is counted ({@link #metrics()}).
 *
 * <pre>{@code
 * EventBus bus = EventBus.builder().shards(shardPool).build();
 * bus.subscribe(TransportEvent.class).onShard().handle(transactions::onTransportEvent);
 * bus.publish(new MessageReceived(callId, message));
 * }</pre>
 *
 * <p>Thread safety: all methods may be called from any thread. Publishing costs a type lookup,
 * one counter increment and one call per matching subscriber; the subscriber list per event
 * class is cached and rebuilt when subscriptions change. Counters are exact whenever no
 * publish is in flight; while events are being published they may lag by those in flight.
 */
public final class EventBus implements AutoCloseable {
    private static final AbstractSubscription<?>[] NONE = new AbstractSubscription<?>[0];

    private final ShardedExecutor shards;
    private final CopyOnWriteArrayList<AbstractSubscription<?>> subscriptions = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Class<?>, Route> routes = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final LongAdder refusedClosed = new LongAdder();
    private final AtomicInteger names = new AtomicInteger();
    private volatile boolean closed;

    private EventBus(ShardedExecutor shards) {
        this.shards = shards;
    }

    /** A bus without shards: inline and asynchronous subscriptions only. */
    public static EventBus create() {
        return new EventBus(null);
    }

    /** A builder for a bus. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a subscription to {@code type} and its subtypes. */
    public <E extends Event> SubscriptionBuilder<E> subscribe(Class<E> type) {
        return new SubscriptionBuilder<>(this, type);
    }

    /**
     * Delivers {@code event} to every matching subscriber.
     *
     * @return {@code true} if every matching subscriber accepted it; {@code false} if any
     *     dropped it, or if the bus is closed (then nobody receives it)
     * @throws EventRejectedException after delivering to the others, if a subscriber with
     *     {@link BackpressurePolicy#FAIL} was full
     */
    public boolean publish(Event event) {
        Objects.requireNonNull(event, "event");
        if (closed) {
            refusedClosed.increment();
            return false;
        }
        Class<?> cls = event.getClass();
        Route route = routes.get(cls);
        if (route == null) {
            route = newRoute(cls);
        }
        route.count.increment(); // the only counter touched per publish
        AbstractSubscription<?>[] targets = route.subscribers;
        boolean all = true;
        AbstractSubscription<?> refused = null;
        for (AbstractSubscription<?> s : targets) {
            int r = s.offer(event);
            if (r != AbstractSubscription.ACCEPTED) {
                all = false;
                if (r == AbstractSubscription.REJECTED && refused == null) {
                    refused = s;
                }
            }
        }
        if (refused != null) {
            throw new EventRejectedException(refused.name());
        }
        return all;
    }

    /** A snapshot of all counters. */
    public EventBusMetrics metrics() {
        List<SubscriptionMetrics> list = new ArrayList<>();
        for (AbstractSubscription<?> s : subscriptions) {
            list.add(s.metrics());
        }
        long published = 0;
        for (Route r : routes.values()) {
            published += r.count.sum();
        }
        return new EventBusMetrics(published, refusedClosed.sum(), list);
    }

    /** The live subscriptions, in subscription order. */
    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    /** True after {@link #close()}. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Refuses further events. Events already queued for asynchronous subscribers are still
     * delivered; call {@link Subscription#unsubscribe()} to discard them instead.
     */
    @Override
    public void close() {
        closed = true;
    }

    ShardedExecutor shards() {
        if (shards == null) {
            throw new IllegalStateException("this bus has no ShardedExecutor: use EventBus.builder().shards(...)");
        }
        return shards;
    }

    String defaultName(Class<?> type) {
        return type.getSimpleName() + "#" + names.incrementAndGet();
    }

    Subscription add(AbstractSubscription<?> s) {
        synchronized (lock) {
            subscriptions.add(s);
            for (Route r : routes.values()) {
                if (s.type.isAssignableFrom(r.type)) {
                    s.joined.put(r, r.count.sum());
                    r.subscribers = resolve(r.type);
                }
            }
        }
        return s;
    }

    void remove(AbstractSubscription<?> s) {
        synchronized (lock) {
            subscriptions.remove(s);
            for (Route r : routes.values()) {
                Long base = s.joined.remove(r);
                if (base != null) {
                    s.offeredRetired += r.count.sum() - base;
                    r.subscribers = resolve(r.type);
                }
            }
        }
    }

    /** Events offered to {@code s} so far (see {@link AbstractSubscription#offeredCount()}). */
    long offeredTo(AbstractSubscription<?> s) {
        synchronized (lock) {
            return s.offeredCount();
        }
    }

    private Route newRoute(Class<?> cls) {
        synchronized (lock) {
            Route r = routes.get(cls);
            if (r == null) {
                r = new Route(cls, resolve(cls));
                for (AbstractSubscription<?> s : r.subscribers) {
                    s.joined.put(r, 0L);
                }
                routes.put(cls, r);
            }
            return r;
        }
    }

    private AbstractSubscription<?>[] resolve(Class<?> cls) {
        List<AbstractSubscription<?>> matching = new ArrayList<>();
        for (AbstractSubscription<?> s : subscriptions) {
            if (s.type.isAssignableFrom(cls)) {
                matching.add(s);
            }
        }
        return matching.isEmpty() ? NONE : matching.toArray(NONE);
    }

    /**
     * The subscribers of one concrete event class and the number of events of that class
     * published. Routes live as long as the bus; subscription changes replace their arrays.
     */
    static final class Route {
        final Class<?> type;
        final LongAdder count = new LongAdder();
        volatile AbstractSubscription<?>[] subscribers;

        Route(Class<?> type, AbstractSubscription<?>[] subscribers) {
            this.type = type;
            this.subscribers = subscribers;
        }
    }

    /** Settings for an {@link EventBus}. */
    public static final class Builder {
        private ShardedExecutor shards;

        private Builder() {
        }

        /** The shards on which {@link SubscriptionBuilder#onShard()} subscribers run. */
        public Builder shards(ShardedExecutor shards) {
            this.shards = Objects.requireNonNull(shards, "shards");
            return this;
        }

        /** Creates the bus. */
        public EventBus build() {
            return new EventBus(shards);
        }
    }
}
