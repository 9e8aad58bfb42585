package io.rvoip.media.cn;

/**
 * Plays comfort noise from RFC 3389 payloads: white noise shaped by the all-pole filter the
 * reflection coefficients describe, scaled so its RMS is the payload's level. A new payload is
 * approached over a few frames (level and coefficients interpolated) so updates do not click.
 *
 * <p>The gain is exact for the model: an all-pole filter driven by white noise of variance
 * σ² outputs variance σ² / Π(1 − k_i²).
 *
 * <p>Not thread-safe; nothing is allocated after construction. A payload that does not parse
 * (empty) is refused with {@link IllegalArgumentException}; coefficients beyond
 * {@link ComfortNoise#MAX_ORDER} are ignored (RFC 3389 §3 lets the decoder reduce the order).
 */
public final class ComfortNoiseGenerator {
    private static final double APPROACH = 0.5; // share of the remaining distance covered per frame

    private final double[] targetK = new double[ComfortNoise.MAX_ORDER];
    private final double[] k = new double[ComfortNoise.MAX_ORDER];
    private final double[] a = new double[ComfortNoise.MAX_ORDER + 1];
    private final double[] tmp = new double[ComfortNoise.MAX_ORDER + 1];
    private final double[] history = new double[ComfortNoise.MAX_ORDER];
    private double targetRms;
    private double rms;
    private boolean started;
    private long seed;

    /** A generator with a fixed noise seed (deterministic output). */
    public ComfortNoiseGenerator(long seed) {
        this.seed = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    /** A generator seeded from the clock. */
    public ComfortNoiseGenerator() {
        this(System.nanoTime());
    }

    /** Takes a new description of the noise. */
    public void update(byte[] payload, int off, int len) {
        if (len < 1) {
            throw new IllegalArgumentException("empty comfort-noise payload");
        }
        targetRms = ComfortNoise.rms(payload[off] & 0x7F);
        java.util.Arrays.fill(targetK, 0);
        int m = Math.min(len - 1, ComfortNoise.MAX_ORDER);
        for (int i = 0; i < m; i++) {
            targetK[i] = ComfortNoise.dequantize(payload[off + 1 + i] & 0xFF);
        }
        if (!started) {
            System.arraycopy(targetK, 0, k, 0, k.length);
            rms = targetRms;
            started = true;
        }
    }

    /** True once a payload arrived. */
    public boolean started() {
        return started;
    }

    /** The level (RMS on the 16-bit scale) being generated. */
    public double rms() {
        return rms;
    }

    /** Writes {@code n} samples of comfort noise (silence before the first payload). */
    public void generate(short[] out, int off, int n) {
        if (!started) {
            java.util.Arrays.fill(out, off, off + n, (short) 0);
            return;
        }
        rms += APPROACH * (targetRms - rms);
        double prod = 1;
        for (int i = 0; i < k.length; i++) {
            k[i] += APPROACH * (targetK[i] - k[i]);
            prod *= 1 - k[i] * k[i];
        }
        // step-up recursion: reflection coefficients to the direct-form predictor a[1..p]
        java.util.Arrays.fill(a, 0);
        for (int m = 1; m <= k.length; m++) {
            for (int i = 1; i < m; i++) {
                tmp[i] = a[i] + k[m - 1] * a[m - i];
            }
            for (int i = 1; i < m; i++) {
                a[i] = tmp[i];
            }
            a[m] = k[m - 1];
        }
        double gain = rms * Math.sqrt(prod) * Math.sqrt(3); // uniform noise in [-1, 1) has variance 1/3
        for (int j = 0; j < n; j++) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            double e = ((seed >>> 11) * 0x1.0p-53 * 2 - 1) * gain;
            double y = e;
            for (int i = 0; i < history.length; i++) {
                y -= a[i + 1] * history[i];
            }
            System.arraycopy(history, 0, history, 1, history.length - 1);
            history[0] = y;
            long s = Math.round(y);
            out[off + j] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, s));
        }
    }
}
