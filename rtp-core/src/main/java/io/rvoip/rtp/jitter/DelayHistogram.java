package io.rvoip.rtp.jitter;

/**
 * Histogram of relative packet delays in 1 ms buckets with exponential forgetting, in O(1)
 * per sample: instead of decaying every bucket, each new sample weighs 1/λ more than the last;
 * weights are rescaled before they overflow. Buckets are {@code float} (half the memory of a
 * call's two histograms: 16 KB instead of 32 KB at the default 2 s range); sums and the total
 * stay {@code double}.
 */
final class DelayHistogram {
    private final float[] buckets;
    private final double forgetting;
    private double weight = 1.0;
    private double total;
    /** Every bucket below this one is empty ({@code buckets.length}: all are), so scans start here. */
    private int lo;

    DelayHistogram(int maxMs, double forgetting) {
        this.buckets = new float[maxMs + 1];
        this.forgetting = forgetting;
        this.lo = buckets.length;
    }

    void add(int ms) {
        int b = Math.min(ms, buckets.length - 1);
        if (b < lo) {
            lo = b;
        }
        weight /= forgetting;
        buckets[b] += (float) weight;
        total += weight;
        if (weight > 1e25) { // a bucket holds at most ~1/(1 − forgetting) weights: far below float's 3e38
            double scale = 1.0 / weight;
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = (float) (buckets[i] * scale);
            }
            total *= scale;
            weight = 1.0;
        }
    }

    /** Smallest delay (ms) with at least {@code q} of the weight at or below it. */
    int quantile(double q) {
        if (total <= 0) {
            return 0;
        }
        double need = q * total;
        double acc = 0;
        for (int i = lo; i < buckets.length; i++) {
            acc += buckets[i];
            if (acc >= need) {
                return i;
            }
        }
        return buckets.length - 1;
    }

    /** {@link #quantile} scanning every bucket from 0: what the test compares against. */
    int quantileFromZeroForTest(double q) {
        if (total <= 0) {
            return 0;
        }
        double need = q * total;
        double acc = 0;
        for (int i = 0; i < buckets.length; i++) {
            acc += buckets[i];
            if (acc >= need) {
                return i;
            }
        }
        return buckets.length - 1;
    }

        int size() {
        return buckets.length;
    }

    /** Moves the contents down by {@code by} buckets (up when negative); what falls off is lost. */
    void shift(int by) {
        float[] b = buckets;
        if (Math.abs(by) >= b.length) {
            clear();
            return;
        }
        if (by > 0) {
            double dropped = 0;
            for (int i = 0; i < by; i++) {
                dropped += b[i];
            }
            System.arraycopy(b, by, b, 0, b.length - by);
            java.util.Arrays.fill(b, b.length - by, b.length, 0);
            total -= dropped;
            if (lo < b.length) {
                lo = Math.max(0, lo - by);
            }
        } else if (by < 0) {
            int n = -by;
            double dropped = 0;
            for (int i = b.length - n; i < b.length; i++) {
                dropped += b[i];
            }
            System.arraycopy(b, 0, b, n, b.length - n);
            java.util.Arrays.fill(b, 0, n, 0);
            total -= dropped;
            lo = Math.min(b.length, lo + n);
        }
    }

    void copyFrom(DelayHistogram other) {
        System.arraycopy(other.buckets, 0, buckets, 0, buckets.length);
        total = other.total;
        weight = other.weight;
        lo = other.lo;
    }

    void clear() {
        java.util.Arrays.fill(buckets, 0);
        total = 0;
        weight = 1.0;
        lo = buckets.length;
    }
}
