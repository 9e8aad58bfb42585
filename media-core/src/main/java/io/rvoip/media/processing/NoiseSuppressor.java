package io.rvoip.media.processing;

/**
 * Removes stationary background noise (fans, hum, line hiss) from 10 ms frames of 16-bit PCM.
 *
 * <p>Each frame is taken into the frequency domain (sine-windowed, 50 % overlap, so the output
 * is one frame — 10 ms — behind the input). A {@linkplain NoiseEstimator minima-controlled}
 * noise estimate follows the noise in every bin, also while speech is present. The gain of each
 * bin is a Wiener gain on the a-priori SNR estimated by the decision-directed rule
 * (Ephraim–Malah), which is what keeps "musical noise" low: isolated noise peaks do not open
 * the gain because the a-priori SNR moves slowly. The gain never falls below the configured
 * floor, so the remaining noise keeps its character instead of gating in and out.
 *
 * <p>One instance per stream; not thread-safe; nothing is allocated per frame.
 */
public final class NoiseSuppressor {
    private static final float DD_ALPHA = 0.98f;

    private final int sampleRate;
    private final int frame;
    private final SpectralFrames stft;
    private final NoiseEstimator estimator;
    private final float[] spec;
    private final float[] power;
    private final float[] gain;
    private final float[] prevClean;   // |G·Y|² of the previous frame, for the decision-directed rule
    private final float floor;

    /** A suppressor at {@code sampleRate} (8000 or 16000 Hz, or any rate with 10 ms frames) attenuating noise by up to 20 dB. */
    public NoiseSuppressor(int sampleRate) {
        this(sampleRate, 20);
    }

    /**
     * A suppressor.
     *
     * @param sampleRate         the sample rate, Hz (frames are 10 ms)
     * @param maxAttenuationDb   the most a bin is attenuated, dB (6…40; more suppresses more noise and
     *                           more of the speech's weak parts)
     */
    public NoiseSuppressor(int sampleRate, double maxAttenuationDb) {
        if (sampleRate < 8000 || sampleRate % 100 != 0) {
            throw new IllegalArgumentException("sample rate " + sampleRate);
        }
        if (maxAttenuationDb < 6 || maxAttenuationDb > 40) {
            throw new IllegalArgumentException("max attenuation " + maxAttenuationDb + " dB: 6…40");
        }
        this.sampleRate = sampleRate;
        this.frame = sampleRate / 100;
        this.stft = new SpectralFrames(frame);
        int bins = stft.bins();
        this.estimator = new NoiseEstimator(bins);
        this.spec = new float[2 * bins];
        this.power = new float[bins];
        this.gain = new float[bins];
        this.prevClean = new float[bins];
        this.floor = (float) Math.pow(10, -maxAttenuationDb / 20);
        java.util.Arrays.fill(gain, 1f);
    }

    /** Samples per frame (10 ms). */
    public int frameSamples() {
        return frame;
    }

    /** The sample rate, Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Processes one frame in place; the output is the input of one frame earlier, denoised. */
    public void process(short[] pcm, int off) {
        stft.analyse(pcm, off, spec);
        suppress(spec);
        stft.synthesise(spec, pcm, off);
    }

    /**
     * Suppresses the noise in one short-time spectrum in place (sine-windowed, 50 % overlap,
     * 10 ms hop, as {@link SpectralFrames} makes): for a stage that already holds the signal in
     * that form, such as the echo canceller's suppressor, so the two share one transform pair.
     */
    void suppress(float[] spec) {
        int bins = power.length;
        for (int k = 0; k < bins; k++) {
            float re = spec[2 * k];
            float im = spec[2 * k + 1];
            power[k] = re * re + im * im;
        }
        estimator.update(power);
        float[] noise = estimator.noise();
        for (int k = 0; k < bins; k++) {
            float n = Math.max(noise[k], 1e-3f);
            float post = power[k] / n;                              // a-posteriori SNR
            float prior = DD_ALPHA * prevClean[k] / n + (1 - DD_ALPHA) * Math.max(post - 1, 0f);
            float g = prior / (1 + prior);
            if (g < floor) {
                g = floor;
            }
            gain[k] = g;
            prevClean[k] = g * g * power[k];
            spec[2 * k] *= g;
            spec[2 * k + 1] *= g;
        }
    }

    /** The gains applied to the last frame, one per bin from 0 Hz to half the sample rate (live array: read only). */
    float[] gains() {
        return gain;
    }

    /** The estimated noise level, dBFS (full-scale sine at 0), over the whole band. */
    public double noiseLevelDb() {
        float[] noise = estimator.noise();
        double sum = 0;
        for (int k = 0; k < noise.length; k++) {
            sum += k == 0 || k == noise.length - 1 ? noise[k] : 2 * noise[k];
        }
        // Parseval with the sine window (mean square 1/2) over 2·frame points
        double meanSquare = sum / (2.0 * frame) / (2.0 * frame) / 0.5;
        return meanSquare <= 0 ? -127 : 10 * Math.log10(meanSquare / (32768.0 * 32768.0 / 2));
    }

    /** Forgets the noise estimate and the signal history (for a new stream). */
    public void reset() {
        stft.reset();
        estimator.reset();
        java.util.Arrays.fill(prevClean, 0);
        java.util.Arrays.fill(gain, 1f);
    }
}
