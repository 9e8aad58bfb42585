package io.rvoip.media.quality;

/**
 * How alike two recordings are, for checking that audio went through a path (loopback tests,
 * the demo's echo check). Not a perceptual quality measure.
 */
public final class Similarity {
    private Similarity() {
    }

    /**
     * Cross-correlation of {@code out} with {@code ref} in windows of {@code window} samples, each
     * at its own best lag in 0..maxLag (an adaptive jitter buffer may drop or insert a frame to
     * change its delay, which moves the alignment), averaged with the windows' energy as weight.
     */
    public static double crossCorrelation(short[] ref, short[] out, int maxLag, int window) {
        double weighted = 0;
        double energy = 0;
        for (int w = 0; w + window <= ref.length; w += window) {
            double best = 0;
            double e = 0;
            for (int i = w; i < w + window; i++) {
                e += (double) ref[i] * ref[i];
            }
            for (int lag = 0; lag <= maxLag; lag++) {
                if (w + window + lag > out.length) {
                    break;
                }
                double xy = 0;
                double yy = 0;
                for (int i = w; i < w + window; i++) {
                    double y = out[i + lag];
                    xy += ref[i] * y;
                    yy += y * y;
                }
                best = Math.max(best, xy / Math.sqrt(e * yy + 1e-9));
            }
            weighted += best * e;
            energy += e;
        }
        return weighted / energy;
    }
}
