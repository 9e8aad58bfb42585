package io.rvoip.media.dsp;

/**
 * A gain stage for 16-bit PCM in place: a level in dB, saturated at full scale (never wraps),
 * and ramped linearly across one block when it changes so there is no click. Not thread-safe,
 * except {@link #setDb}, which may be called from any thread and takes effect on the next block.
 */
public final class Gain {
    private volatile double targetDb;
    private double current;

    /** A gain of {@code db} decibels (0: unity; {@link Double#NEGATIVE_INFINITY}: silence). */
    public Gain(double db) {
        this.targetDb = db;
        this.current = linear(db);
    }

    private static double linear(double db) {
        return db == Double.NEGATIVE_INFINITY ? 0 : Math.pow(10, db / 20);
    }

    /** Sets the gain, dB. */
    public void setDb(double db) {
        if (Double.isNaN(db) || db == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("gain " + db);
        }
        this.targetDb = db;
    }

    /** The gain set, dB. */
    public double db() {
        return targetDb;
    }

    /** Applies the gain to {@code pcm[off..off+n)}. */
    public void process(short[] pcm, int off, int n) {
        double target = linear(targetDb);
        if (target == 1 && current == 1) {
            return;
        }
        double g = current;
        double step = n == 0 ? 0 : (target - current) / n;
        for (int i = off; i < off + n; i++) {
            g += step;
            long v = Math.round(pcm[i] * g);
            pcm[i] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : v < Short.MIN_VALUE ? Short.MIN_VALUE : v);
        }
        current = target;
    }
}
