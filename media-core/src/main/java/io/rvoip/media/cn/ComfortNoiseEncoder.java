package io.rvoip.media.cn;

/**
 * Estimates the background noise from frames the caller judges inactive (see {@link
 * io.rvoip.media.processing.VoiceActivityDetector}) and describes it as an RFC 3389 payload: its level and an all-pole
 * spectral envelope of up to {@link ComfortNoise#MAX_ORDER} reflection coefficients, from
 * Levinson–Durbin on the smoothed autocorrelation.
 *
 * <p>Not thread-safe; nothing is allocated after construction.
 *
 * <pre>{@code
 * ComfortNoiseEncoder cn = new ComfortNoiseEncoder(10);
 * if (!vad.isActive(pcm, 0, 160)) { cn.analyse(pcm, 0, 160); int len = cn.encode(buf, 0); send(13, buf, len); }
 * }</pre>
 */
public final class ComfortNoiseEncoder {
    private static final double SMOOTHING = 0.9; // weight of the previous estimate per frame

    private final int order;
    private final double[] r;      // smoothed autocorrelation per sample, lags 0..order
    private final double[] frameR;
    private final double[] a;
    private final double[] tmp;
    private final double[] k;
    private boolean primed;

    /**
     * An encoder with this model order (0 sends the level only).
     *
     * @throws IllegalArgumentException unless 0 ≤ order ≤ {@link ComfortNoise#MAX_ORDER}
     */
    public ComfortNoiseEncoder(int order) {
        if (order < 0 || order > ComfortNoise.MAX_ORDER) {
            throw new IllegalArgumentException("order " + order + " not in 0.." + ComfortNoise.MAX_ORDER);
        }
        this.order = order;
        this.r = new double[order + 1];
        this.frameR = new double[order + 1];
        this.a = new double[order + 1];
        this.tmp = new double[order + 1];
        this.k = new double[order];
    }

    /** The model order. */
    public int order() {
        return order;
    }

    /** Adds an inactive frame to the noise estimate (exponentially smoothed over frames). */
    public void analyse(short[] pcm, int off, int n) {
        if (n <= order) {
            return;
        }
        for (int lag = 0; lag <= order; lag++) {
            double s = 0;
            for (int i = off + lag; i < off + n; i++) {
                s += (double) pcm[i] * pcm[i - lag];
            }
            frameR[lag] = s / n;
        }
        for (int lag = 0; lag <= order; lag++) {
            r[lag] = primed ? SMOOTHING * r[lag] + (1 - SMOOTHING) * frameR[lag] : frameR[lag];
        }
        primed = true;
    }

    /** Forgets the estimate. */
    public void reset() {
        primed = false;
        java.util.Arrays.fill(r, 0);
    }

    /** The level byte of the current estimate (−dBov), {@link ComfortNoise#SILENT_LEVEL} before any frame. */
    public int level() {
        return primed ? ComfortNoise.level(Math.sqrt(r[0])) : ComfortNoise.SILENT_LEVEL;
    }

    /**
     * Writes the payload describing the current estimate.
     *
     * @return its length: 1 + order bytes
     */
    public int encode(byte[] out, int off) {
        int level = level();
        out[off] = (byte) level;
        reflection();
        for (int i = 0; i < order; i++) {
            out[off + 1 + i] = (byte) ComfortNoise.quantize(k[i]);
        }
        return 1 + order;
    }

    /** Levinson–Durbin: the reflection coefficients of the estimate (zeros when it is silent). */
    private void reflection() {
        java.util.Arrays.fill(k, 0);
        double err = r[0] * (1 + 1e-4) + 1e-9; // a little white noise keeps the recursion stable
        if (!primed || r[0] <= 0) {
            return;
        }
        java.util.Arrays.fill(a, 0);
        a[0] = 1;
        for (int m = 1; m <= order; m++) {
            double acc = r[m];
            for (int i = 1; i < m; i++) {
                acc += a[i] * r[m - i];
            }
            double km = -acc / err;
            if (km >= 1 || km <= -1 || Double.isNaN(km)) {
                return; // numerically singular: keep the lower-order model
            }
            for (int i = 1; i < m; i++) {
                tmp[i] = a[i] + km * a[m - i];
            }
            for (int i = 1; i < m; i++) {
                a[i] = tmp[i];
            }
            a[m] = km;
            k[m - 1] = km;
            err *= 1 - km * km;
        }
    }
}
