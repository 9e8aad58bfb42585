package io.rvoip.media.processing;

/**
 * Estimates how many frames the echo of the far end lags behind it in the microphone signal, so
 * an echo canceller does not need to know the device latency.
 *
 * <p>Each frame's spectrum is reduced to a 32-bit binary spectrum: bit b is set when band b's
 * log energy is above that band's running mean. For every candidate lag, the Hamming distance
 * between the near end's binary spectrum and the far end's of that many frames before is
 * averaged over time (only while the far end is active); the lag with the smallest mean distance
 * wins once it is clearly better than the average lag and has led for a while. Binary spectra
 * make the comparison insensitive to the echo path's gain and colour.
 */
final class DelayEstimator {
    private static final int BANDS = 32;
    private static final float MEAN_SMOOTH = 0.02f;
    private static final float DISTANCE_SMOOTH = 0.03f;
    private static final int CONFIRM = 15;        // updates a new best lag must lead before it is taken

    private final int maxLag;
    private final int[] bandStart;
    private final int[] farBits;                 // ring of far binary spectra, maxLag + 1 entries
    private final float[] farMean = new float[BANDS];
    private final float[] nearMean = new float[BANDS];
    private final float[] distance;
    private final boolean[] farActive;
    private int farPos = -1;
    private int farFrames;
    private int updates;
    private int delay = -1;
    private int candidate = -1;
    private int candidateRuns;

    /**
     * @param bins   bins per spectrum (frame + 1)
     * @param hzPerBin frequency step of a bin
     * @param maxLag the largest lag considered, frames
     */
    DelayEstimator(int bins, double hzPerBin, int maxLag) {
        this.maxLag = maxLag;
        this.bandStart = new int[BANDS + 1];
        double lo = Math.log(150);
        double hi = Math.log(Math.min(3800, hzPerBin * (bins - 1)));
        for (int b = 0; b <= BANDS; b++) {
            int k = (int) Math.round(Math.exp(lo + (hi - lo) * b / BANDS) / hzPerBin);
            bandStart[b] = Math.max(b == 0 ? 1 : bandStart[b - 1] + 1, k);
        }
        this.farBits = new int[maxLag + 1];
        this.farActive = new boolean[maxLag + 1];
        this.distance = new float[maxLag + 1];
        java.util.Arrays.fill(distance, BANDS / 2f);
    }

    /** Adds the far end's next frame (its spectrum, interleaved) and whether it carries signal. */
    void far(float[] spec, boolean active) {
        farPos = (farPos + 1) % farBits.length;
        farBits[farPos] = bits(spec, farMean, active);
        farActive[farPos] = active;
        farFrames++;
    }

    /** Adds the near end's next frame; updates the estimate when the far end was recently active. */
    void near(float[] spec, boolean active) {
        int nb = bits(spec, nearMean, active);
        if (!active || farFrames == 0) {
            return;
        }
        boolean any = false;
        for (int lag = 0; lag <= maxLag && lag < farFrames; lag++) {
            int i = Math.floorMod(farPos - lag, farBits.length);
            if (farActive[i]) {
                any = true;
                float d = Integer.bitCount(nb ^ farBits[i]);
                distance[lag] += DISTANCE_SMOOTH * (d - distance[lag]);
            }
        }
        if (!any) {
            return;
        }
        updates++;
        int best = 0;
        float mean = 0;
        for (int lag = 0; lag <= maxLag; lag++) {
            mean += distance[lag];
            if (distance[lag] < distance[best]) {
                best = lag;
            }
        }
        mean /= maxLag + 1;
        if (updates < 30 || distance[best] > 0.8f * mean) {
            return; // not yet confident
        }
        if (best == delay) {
            candidate = -1;
            return;
        }
        if (delay >= 0 && distance[best] > distance[delay] - 0.5f) {
            return; // not clearly better than the lag in use
        }
        if (best != candidate) {
            candidate = best;
            candidateRuns = 0;
        }
        if (++candidateRuns >= CONFIRM) {
            delay = best;
            candidate = -1;
        }
    }

    /** The estimated lag in frames, or -1 before the first confident estimate. */
    int delay() {
        return delay;
    }

    private int bits(float[] spec, float[] mean, boolean active) {
        int out = 0;
        for (int b = 0; b < BANDS; b++) {
            float e = 1e-3f;
            for (int k = bandStart[b]; k < bandStart[b + 1]; k++) {
                e += spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1];
            }
            float l = FastMath.ln(e);
            if (active) {
                mean[b] = mean[b] == 0 ? l : mean[b] + MEAN_SMOOTH * (l - mean[b]);
            }
            if (l > mean[b]) {
                out |= 1 << b;
            }
        }
        return out;
    }

    void reset() {
        farPos = -1;
        farFrames = 0;
        updates = 0;
        delay = -1;
        candidate = -1;
        java.util.Arrays.fill(distance, BANDS / 2f);
        java.util.Arrays.fill(farMean, 0);
        java.util.Arrays.fill(nearMean, 0);
    }
}
