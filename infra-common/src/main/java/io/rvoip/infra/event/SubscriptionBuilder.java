package io.rvoip.infra.event;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Describes a subscription; obtained from {@link EventBus#subscribe(Class)} and completed by
 * {@link #handle(EventHandler)} or {@link #handleBatch(BatchEventHandler)}.
 *
 * <pre>{@code
 * Subscription s = bus.subscribe(DialogEvent.class)
 *         .name("ui")
 *         .filter(e -> e instanceof DialogEvent.Terminated)
 *         .async(uiExecutor)
 *         .queueCapacity(4096)
 *         .backpressure(BackpressurePolicy.DROP_OLDEST)
 *         .handle(e -> ui.show(e));
 * }</pre>
 *
 * <p>Filters and priority functions run on the publisher's thread: they must be cheap,
 * non-blocking and thread-safe. Not thread-safe itself: build on one thread.
 *
 * @param <E> the subscribed event type
 */
public final class SubscriptionBuilder<E extends Event> {
    final EventBus bus;
    final Class<E> type;
    String name;
    Predicate<? super E> filter;
    Function<? super E, EventPriority> priorityOf;
    DeliveryMode mode = DeliveryMode.INLINE;
    Executor executor;
    int queueCapacity = 1024;
    BackpressurePolicy policy = BackpressurePolicy.DROP_OLDEST;
    Duration blockTimeout = Duration.ofMillis(10);
    int lanes = 1;
    int maxBatch = 256;

    SubscriptionBuilder(EventBus bus, Class<E> type) {
        this.bus = bus;
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A name for logs and metrics; default: the event type and a number. */
    public SubscriptionBuilder<E> name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Delivers only the events this accepts. */
    public SubscriptionBuilder<E> filter(Predicate<? super E> filter) {
        this.filter = Objects.requireNonNull(filter, "filter");
        return this;
    }

    /**
     * How urgent each event is for this subscriber's queue (asynchronous mode only); default:
     * {@link Event#priority()}.
     */
    public SubscriptionBuilder<E> priority(Function<? super E, EventPriority> priorityOf) {
        this.priorityOf = Objects.requireNonNull(priorityOf, "priorityOf");
        return this;
    }

    /** Runs the handler on the publisher's thread (the default). */
    public SubscriptionBuilder<E> inline() {
        this.mode = DeliveryMode.INLINE;
        return this;
    }

    /** Runs the handler on the shard of each event's routing key; the bus needs a shard executor. */
    public SubscriptionBuilder<E> onShard() {
        this.mode = DeliveryMode.SHARD;
        return this;
    }

    /** Runs the handler on {@code executor} through a bounded queue. */
    public SubscriptionBuilder<E> async(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.mode = DeliveryMode.ASYNC;
        return this;
    }

    /** The most events one lane holds (asynchronous mode); default 1024. */
    public SubscriptionBuilder<E> queueCapacity(int capacity) {
        if (capacity < 1 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("queueCapacity: " + capacity);
        }
        this.queueCapacity = capacity;
        return this;
    }

    /** What to do when a lane is full; default {@link BackpressurePolicy#DROP_OLDEST}. */
    public SubscriptionBuilder<E> backpressure(BackpressurePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** How long {@link BackpressurePolicy#BLOCK} may hold the publisher; default 10 ms. */
    public SubscriptionBuilder<E> blockTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("blockTimeout: " + timeout);
        }
        this.blockTimeout = timeout;
        return this;
    }

    /**
     * The number of lanes (asynchronous mode); keys are spread over lanes, and lanes may be
     * handled in parallel by the executor. Default 1.
     */
    public SubscriptionBuilder<E> lanes(int lanes) {
        if (lanes < 1 || lanes > 1024) {
            throw new IllegalArgumentException("lanes: " + lanes);
        }
        this.lanes = lanes;
        return this;
    }

    /** The most events handed out per wake-up (asynchronous mode); default 256. */
    public SubscriptionBuilder<E> maxBatch(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch: " + maxBatch);
        }
        this.maxBatch = maxBatch;
        return this;
    }

    /** Completes the subscription with a per-event handler; delivery starts at once. */
    public Subscription handle(EventHandler<? super E> handler) {
        Objects.requireNonNull(handler, "handler");
        return bus.add(switch (mode) {
            case INLINE -> new InlineSubscription<>(bus, name(), type, filter, handler);
            case SHARD -> new ShardSubscription<>(bus, name(), type, filter, handler, bus.shards());
            case ASYNC -> new AsyncSubscription<>(bus, named(), handler, null);
        });
    }

    /** Completes an asynchronous subscription with a batch handler; delivery starts at once. */
    public Subscription handleBatch(BatchEventHandler<? super E> handler) {
        Objects.requireNonNull(handler, "handler");
        if (mode != DeliveryMode.ASYNC) {
            throw new IllegalStateException("batch delivery needs async(executor)");
        }
        return bus.add(new AsyncSubscription<>(bus, named(), null, handler));
    }

    private String name() {
        return name != null ? name : bus.defaultName(type);
    }

    private SubscriptionBuilder<E> named() {
        name = name();
        return this;
    }
}
