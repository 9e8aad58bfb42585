package io.rvoip.media.processing;

/**
 * Tracks the noise power of each frequency bin while speech comes and goes: minima-controlled
 * recursive averaging (after Cohen and Berdugo). The periodogram is smoothed; its minimum over
 * about 1.5 s, scaled for the bias of a minimum, tells in each bin whether speech is present;
 * the noise estimate is averaged only as fast as speech is absent. Stationary and slowly changing
 * noise is followed within a couple of seconds; speech never raises the estimate much.
 */
final class NoiseEstimator {
    private static final float SMOOTH = 0.7f;         // periodogram smoothing per 10 ms frame
    private static final float BIAS = 1.66f;           // minimum of a smoothed periodogram vs its mean
    private static final float PRESENCE_RATIO = 4.0f;  // smoothed / (bias · min) above this: speech
    private static final float PRESENCE_SMOOTH = 0.2f;
    /** The noise averaging per frame where speech is absent. */
    static final float NOISE_SMOOTH = 0.9f;
    private static final int WINDOW = 75;              // frames per half of the minimum search
    private static final float CEIL = 3f;
    private static final int INIT_FRAMES = 20;         // the first frames are averaged plainly

    private final int bins;
    private final float[] smoothed;
    private final float[] minCurrent;
    private final float[] minPrevious;
    private final float[] presence;
    private final float[] noise;
    private int inWindow;
    private int frames;

    NoiseEstimator(int bins) {
        this.bins = bins;
        this.smoothed = new float[bins];
        this.minCurrent = new float[bins];
        this.minPrevious = new float[bins];
        this.presence = new float[bins];
        this.noise = new float[bins];
    }

    /** Updates from one frame's power spectrum ({@code power[k]} = |X(k)|²). */
    void update(float[] power) {
        update(power, NOISE_SMOOTH);
    }

    /**
     * Updates from one frame's power spectrum, averaging noise no faster than {@code smoothing}
     * allows (a caller that believes the frame is speech passes a value close to 1).
     */
    void update(float[] power, float smoothing) {
        if (frames == 0) {
            for (int k = 0; k < bins; k++) {
                minCurrent[k] = Float.MAX_VALUE;
                minPrevious[k] = Float.MAX_VALUE;
                noise[k] = power[k];
            }
        }
        frames++;
        for (int k = 0; k < bins; k++) {
            float p = power[k];
            float s = frames == 1 ? p : SMOOTH * smoothed[k] + (1 - SMOOTH) * p;
            smoothed[k] = s;
            if (s < minCurrent[k] && frames > 5) {
                minCurrent[k] = s;   // (the first frames of the smoothed periodogram are too noisy to be minima)
            }
            float min = Math.min(minCurrent[k], minPrevious[k]);
            float present = min != Float.MAX_VALUE && s > PRESENCE_RATIO * BIAS * min ? 1f : 0f;
            float q = PRESENCE_SMOOTH * presence[k] + (1 - PRESENCE_SMOOTH) * present;
            presence[k] = q;
            float a = smoothing + (1 - smoothing) * q;
            float n = frames <= INIT_FRAMES ? noise[k] + (p - noise[k]) / frames : a * noise[k] + (1 - a) * p;
            // the estimate never rises far above the bias-corrected minimum (speech leaking in)
            float ceiling = CEIL * BIAS * min;
            // ... and while it is still a plain average, never above the bias-corrected minimum
            // itself: a call that opens with speech must not take the speech for noise
            float limit = frames > INIT_FRAMES ? ceiling : BIAS * min;
            noise[k] = n > limit ? limit : n;
        }
        if (++inWindow >= WINDOW) {
            inWindow = 0;
            for (int k = 0; k < bins; k++) {
                minPrevious[k] = minCurrent[k];
                minCurrent[k] = smoothed[k];
            }
        }
    }

    /** The noise power estimate per bin (live array: do not modify). */
    float[] noise() {
        return noise;
    }

    /** The speech presence probability per bin, 0…1 (live array: do not modify). */
    float[] presence() {
        return presence;
    }

    /**
     * The noise estimate as a level, dBFS (a full-scale sine is 0), for spectra of {@code 2·frame}
     * points under the sine window (Parseval, with the window's mean square of 1/2); −127 before any.
     */
    double levelDb(int frame) {
        double meanSquare = meanSquare(frame);
        return meanSquare <= 0 ? -127 : 10 * Math.log10(meanSquare / (32768.0 * 32768.0 / 2));
    }

    /** The mean square per sample of the estimated noise (same conventions as {@link #levelDb}). */
    double meanSquare(int frame) {
        double sum = 0;
        for (int k = 0; k < bins; k++) {
            sum += k == 0 || k == bins - 1 ? noise[k] : 2 * noise[k];
        }
        return sum / (2.0 * frame) / (2.0 * frame) / 0.5;
    }

    /** Frames seen. */
    int frames() {
        return frames;
    }

    void reset() {
        frames = 0;
        inWindow = 0;
        java.util.Arrays.fill(presence, 0);
    }
}
