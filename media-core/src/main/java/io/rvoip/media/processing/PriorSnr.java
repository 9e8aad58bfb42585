package io.rvoip.media.processing;

/**
 * The per-bin SNR estimates both the noise suppressor and the voice activity detector work
 * from: from each short-time spectrum, the power per bin, a {@link NoiseEstimator} update, the
 * a-posteriori SNR (power over noise) and the a-priori SNR by the decision-directed rule
 * (Ephraim–Malah: a weighted mix of the last frame's clean-speech estimate and the current
 * excess power), and the Wiener gain whose output is fed back as the next clean-speech estimate.
 */
final class PriorSnr {
    private final NoiseEstimator estimator;
    private final float alpha;
    private final float minNoise;
    private final float minPrior;
    private final float gainFloor;
    final float[] power;
    final float[] post;
    final float[] prior;
    final float[] gain;
    private final float[] prevClean;

    /**
     * @param bins      bins per spectrum
     * @param alpha     the decision-directed weight of the last frame (close to 1: smooth, slow)
     * @param minNoise  the noise power assumed at least, per bin (no division by silence)
     * @param minPrior  the a-priori SNR floor
     * @param gainFloor the Wiener gain floor (also what the clean-speech estimate is fed back with)
     */
    PriorSnr(int bins, float alpha, float minNoise, float minPrior, float gainFloor) {
        this.estimator = new NoiseEstimator(bins);
        this.alpha = alpha;
        this.minNoise = minNoise;
        this.minPrior = minPrior;
        this.gainFloor = gainFloor;
        this.power = new float[bins];
        this.post = new float[bins];
        this.prior = new float[bins];
        this.gain = new float[bins];
        this.prevClean = new float[bins];
        java.util.Arrays.fill(gain, 1f);
    }

    /** Updates every estimate from one interleaved spectrum; the noise averages no faster than {@code smoothing}. */
    void update(float[] spec, float smoothing) {
        int bins = power.length;
        for (int k = 0; k < bins; k++) {
            float re = spec[2 * k];
            float im = spec[2 * k + 1];
            power[k] = re * re + im * im;
        }
        estimator.update(power, smoothing);
        float[] noise = estimator.noise();
        for (int k = 0; k < bins; k++) {
            float n = Math.max(noise[k], minNoise);
            float a = power[k] / n;
            float p = Math.max(minPrior, alpha * prevClean[k] / n + (1 - alpha) * Math.max(a - 1, 0f));
            float g = Math.max(gainFloor, p / (1 + p));
            post[k] = a;
            prior[k] = p;
            gain[k] = g;
            prevClean[k] = g * g * power[k];
        }
    }

    NoiseEstimator estimator() {
        return estimator;
    }

    void reset() {
        estimator.reset();
        java.util.Arrays.fill(prevClean, 0);
        java.util.Arrays.fill(gain, 1f);
    }
}
