package io.rvoip.rtp.net;

import java.util.BitSet;

/**
 * Hands out RTP ports from a configured range: an even port for RTP and, unless RTCP is
 * multiplexed, the odd port above it for RTCP (RFC 3550 §11). Ports come back with
 * {@link #release}. Thread-safe; allocation is round-robin so a just-released port is not
 * reused at once (late packets of the old call do not reach the new one).
 */
public final class PortAllocator {
    private final int min;
    private final int max;
    private final BitSet used = new BitSet();
    private int next;
    private int inUse;

    /**
     * A range of ports, both ends included; {@code min} is rounded up to an even number.
     *
     * @throws IllegalArgumentException when the range holds no port pair
     */
    public PortAllocator(int min, int max) {
        int lo = (min + 1) & ~1;
        if (lo < 1024 || max > 65535 || max < lo + 1) {
            throw new IllegalArgumentException("RTP port range must hold a pair within 1024..65535: " + min + "-" + max);
        }
        this.min = lo;
        this.max = max;
        this.next = lo;
    }

    /**
     * Reserves an even port (and the next one when {@code pair}).
     *
     * @throws PortsExhaustedException when every candidate is taken
     */
    public synchronized int reserve(boolean pair) {
        int span = (max - min + 1) / 2;
        for (int i = 0; i < span; i++) {
            int p = next;
            next += 2;
            if (next + 1 > max) {
                next = min;
            }
            if (!used.get(p) && (!pair || !used.get(p + 1))) {
                used.set(p);
                inUse++;
                if (pair) {
                    used.set(p + 1);
                    inUse++;
                }
                return p;
            }
        }
        throw new PortsExhaustedException("RTP port range " + min + "-" + max + " exhausted (" + inUse + " ports in use)");
    }

    /** Marks a port as unusable for now (another process holds it); it is freed by {@link #release}. */
    public synchronized void release(int port, boolean pair) {
        if (used.get(port)) {
            used.clear(port);
            inUse--;
        }
        if (pair && used.get(port + 1)) {
            used.clear(port + 1);
            inUse--;
        }
    }

    /** Ports currently reserved. */
    public synchronized int inUse() {
        return inUse;
    }

    /** Lowest port of the range. */
    public int min() {
        return min;
    }

    /** Highest port of the range. */
    public int max() {
        return max;
    }

    /** Thrown when no RTP port is left in the range. */
    public static final class PortsExhaustedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortsExhaustedException(String message) {
            super(message);
        }
    }
}
