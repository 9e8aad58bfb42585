package io.rvoip.sip.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Immutable JDK lists made from a parser's work array with as few copies as the JDK allows.
 *
 * <p>The value records keep their lists through {@link List#copyOf}, which keeps a
 * {@code List.of} list as it is but copies anything else twice (an {@code ArrayList} once into an
 * array and once more into the new list). So the parsers collect into an array and make the list
 * here: the fixed-size {@code List.of} overloads, up to ten elements, build the list on the one
 * array of their arguments; longer lists copy the work array once.
 */
public final class Lists {
    private Lists() {
    }

    /** The first {@code n} elements of {@code a} (none null) as an immutable list; {@code a} may be reused. */
    @SuppressWarnings("unchecked")
    public static <T> List<T> of(Object[] a, int n) {
        return (List<T>) switch (n) {
            case 0 -> List.of();
            case 1 -> List.of(a[0]);
            case 2 -> List.of(a[0], a[1]);
            case 3 -> List.of(a[0], a[1], a[2]);
            case 4 -> List.of(a[0], a[1], a[2], a[3]);
            case 5 -> List.of(a[0], a[1], a[2], a[3], a[4]);
            case 6 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5]);
            case 7 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            case 8 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
            case 9 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
            case 10 -> List.of(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
            default -> List.of(Arrays.copyOf(a, n));
        };
    }

    /** {@code a} with {@code item} at index {@code n}, grown (doubled) when full. */
    public static Object[] put(Object[] a, int n, Object item) {
        Object[] out = n < a.length ? a : Arrays.copyOf(a, Math.max(4, n * 2));
        out[n] = item;
        return out;
    }
}
