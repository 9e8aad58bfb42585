package io.rvoip.rtp.srtp;

/**
 * A sliding replay window over packet indices (RFC 3711 §3.3.2): a bitmap of the last
 * {@code size} indices below the highest one accepted.
 */
final class ReplayWindow {
    private final long[] bits;
    private final int size;
    private long top = -1;

    ReplayWindow(int size) {
        this.size = size;
        this.bits = new long[size >>> 6];
    }

    /** True when {@code index} is new: above the top, or inside the window and unseen. */
    boolean check(long index) {
        if (index > top) {
            return true;
        }
        long delta = top - index;
        if (delta >= size) {
            return false;
        }
        int bit = (int) (index % size);
        return (bits[bit >>> 6] & (1L << bit)) == 0;
    }

    /** Records {@code index} as received (after authentication succeeded). */
    void accept(long index) {
        if (index > top) {
            long delta = top < 0 ? size : index - top;
            if (delta >= size) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long j = top + 1; j < index; j++) {
                    int bit = (int) (j % size);
                    bits[bit >>> 6] &= ~(1L << bit);
                }
            }
            top = index;
        }
        int bit = (int) (index % size);
        bits[bit >>> 6] |= 1L << bit;
    }

    long top() {
        return top;
    }

    void reset() {
        top = -1;
        java.util.Arrays.fill(bits, 0L);
    }
}
