package io.rvoip.rtp.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * An immutable snapshot of a shared port's routes from IPv4 sources, looked up by a primitive
 * key: one array probe per received packet where a {@code ConcurrentHashMap} lookup hashes the
 * sender's address and compares it with a stored one through four objects. Writers rebuild it
 * from the map that stays the truth (and still serves IPv6 sources); readers take the current
 * snapshot from a volatile field.
 */
final class Ipv4Routes<T> {
    private static final Ipv4Routes<?> EMPTY = new Ipv4Routes<>(new long[2], new Object[2]);

    private final long[] keys;          // 0: empty
    private final Object[] values;
    private final int mask;

    private Ipv4Routes(long[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
    }

    /** A table with no routes. */
    @SuppressWarnings("unchecked")
    static <T> Ipv4Routes<T> empty() {
        return (Ipv4Routes<T>) EMPTY;
    }

    /** The IPv4 routes of {@code routes}, in a table at most half full. */
    static <T> Ipv4Routes<T> of(Map<InetSocketAddress, T> routes) {
        int n = 0;
        for (InetSocketAddress a : routes.keySet()) {
            if (key(a) != 0) {
                n++;
            }
        }
        int size = Integer.highestOneBit(Math.max(2, n) * 2) * 2;
        long[] keys = new long[size];
        Object[] values = new Object[size];
        for (Map.Entry<InetSocketAddress, T> e : routes.entrySet()) {
            long k = key(e.getKey());
            if (k == 0) {
                continue;
            }
            int i = slot(k, size - 1);
            while (keys[i] != 0 && keys[i] != k) {
                i = (i + 1) & (size - 1);
            }
            keys[i] = k;
            values[i] = e.getValue();
        }
        return new Ipv4Routes<>(keys, values);
    }

    /**
     * The key of an IPv4 socket address (never 0: a marker bit is set above the 48 bits of
     * address and port), or 0 for any other address.
     */
    static long key(InetSocketAddress a) {
        InetAddress ia = a.getAddress();
        if (!(ia instanceof Inet4Address)) {
            return 0;
        }
        byte[] b = ia.getAddress();
        long ip = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return (1L << 48) | (ip << 16) | a.getPort();
    }

    /** What is routed from {@code key}, or null. */
    @SuppressWarnings("unchecked")
    T get(long key) {
        int i = slot(key, mask);
        long k;
        while ((k = keys[i]) != 0) {
            if (k == key) {
                return (T) values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
