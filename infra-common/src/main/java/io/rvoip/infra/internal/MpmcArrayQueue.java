package io.rvoip.infra.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded, lock-free multi-producer multi-consumer queue (Dmitry Vyukov's array queue).
 *
 * <p>Every slot carries a sequence number that says whether it is ready to be written or
 * read, so producers and consumers only contend on one CAS each. {@link #offer} fails
 * instead of blocking when the queue is full; {@link #poll} returns {@code null} when it is
 * empty. Null elements are not allowed.
 *
 * <p>Thread safety: every method may be called from any thread.
 *
 * @param <E> element type
 */
public final class MpmcArrayQueue<E> {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(MpmcArrayQueue.class, "head", long.class);
            TAIL = lookup.findVarHandle(MpmcArrayQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] elements;
    private final AtomicLongArray sequences;
    private final int mask;
    private final int capacity;

    // Padding keeps head and tail on different cache lines.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long tail;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
    private volatile long head;
    @SuppressWarnings("unused")
    private long p21, p22, p23, p24, p25, p26, p27;

    /**
     * @param requestedCapacity at least this many elements fit; rounded up to a power of two
     */
    public MpmcArrayQueue(int requestedCapacity) {
        if (requestedCapacity < 1 || requestedCapacity > (1 << 30)) {
            throw new IllegalArgumentException("capacity: " + requestedCapacity);
        }
        int size = Integer.highestOneBit(requestedCapacity);
        if (size < requestedCapacity) {
            size <<= 1;
        }
        size = Math.max(size, 2);
        this.capacity = size;
        this.mask = size - 1;
        this.elements = new Object[size];
        this.sequences = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            sequences.lazySet(i, i);
        }
    }

    /** The number of slots (a power of two, at least the requested capacity). */
    public int capacity() {
        return capacity;
    }

    /** Adds {@code e} at the tail; returns {@code false} if the queue is full. */
    public boolean offer(E e) {
        if (e == null) {
            throw new NullPointerException("e");
        }
        long pos = (long) TAIL.getVolatile(this);
        for (;;) {
            int index = (int) pos & mask;
            long seq = sequences.get(index);
            long diff = seq - pos;
            if (diff == 0) {
                if (TAIL.compareAndSet(this, pos, pos + 1)) {
                    ELEMENTS.setRelease(elements, index, e);
                    sequences.set(index, pos + 1);
                    return true;
                }
                pos = (long) TAIL.getVolatile(this);
            } else if (diff < 0) {
                return false;
            } else {
                pos = (long) TAIL.getVolatile(this);
            }
        }
    }

    /** Removes and returns the head, or {@code null} if the queue is empty. */
    @SuppressWarnings("unchecked")
    public E poll() {
        long pos = (long) HEAD.getVolatile(this);
        for (;;) {
            int index = (int) pos & mask;
            long seq = sequences.get(index);
            long diff = seq - (pos + 1);
            if (diff == 0) {
                if (HEAD.compareAndSet(this, pos, pos + 1)) {
                    Object e = ELEMENTS.getAcquire(elements, index);
                    ELEMENTS.setRelease(elements, index, null);
                    sequences.set(index, pos + mask + 1);
                    return (E) e;
                }
                pos = (long) HEAD.getVolatile(this);
            } else if (diff < 0) {
                return null;
            } else {
                pos = (long) HEAD.getVolatile(this);
            }
        }
    }

    /** The number of elements ever claimed by producers (the tail index). */
    public long producerIndex() {
        return (long) TAIL.getVolatile(this);
    }

    /** The number of elements ever claimed by consumers (the head index). */
    public long consumerIndex() {
        return (long) HEAD.getVolatile(this);
    }

    /** True if no element has been offered that was not yet claimed by a consumer. */
    public boolean isEmpty() {
        return (long) HEAD.getVolatile(this) >= (long) TAIL.getVolatile(this);
    }

    /** An estimate of the number of elements; exact when no other thread is active. */
    public int size() {
        long h = (long) HEAD.getVolatile(this);
        long t = (long) TAIL.getVolatile(this);
        return (int) Math.max(0, Math.min(capacity, t - h));
    }
}
