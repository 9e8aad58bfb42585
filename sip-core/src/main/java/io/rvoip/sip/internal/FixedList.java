package io.rvoip.sip.internal;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list over the first elements of an array the caller hands over: one object around
 * the array, where an {@code ArrayList} made unmodifiable takes three and {@code List.of(array)}
 * copies the array. For parsers that collect into an array of a likely size.
 *
 * @param <E> the element type
 */
public final class FixedList<E> extends AbstractList<E> implements RandomAccess {
    private final E[] elements;
    private final int size;

    private FixedList(E[] elements, int size) {
        this.elements = elements;
        this.size = size;
    }

    /**
     * A list of {@code owned[0..size)}, which the caller has filled (no nulls) and never touches
     * again.
     */
    public static <E> List<E> wrap(E[] owned, int size) {
        Objects.checkFromIndexSize(0, size, owned.length);
        return new FixedList<>(owned, size);
    }

    @Override
    public E get(int index) {
        Objects.checkIndex(index, size);
        return elements[index];
    }

    @Override
    public int size() {
        return size;
    }
}
