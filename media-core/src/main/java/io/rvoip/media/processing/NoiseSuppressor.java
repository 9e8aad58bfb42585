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
    private final float[] spec;
    private final PriorSnr snr;

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
        if (maxAttenuationDb < 6 || maxAttenuationDb > 40) {
            throw new IllegalArgumentException("max attenuation " + maxAttenuationDb + " dB: 6…40");
        }
        this.sampleRate = sampleRate;
        this.frame = SpectralFrames.tenMillis(sampleRate);
        this.stft = new SpectralFrames(frame);
        int bins = stft.bins();
        this.spec = new float[2 * bins];
        this.snr = new PriorSnr(bins, DD_ALPHA, 1e-3f, 0f, (float) Math.pow(10, -maxAttenuationDb / 20));
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
        snr.update(spec, NoiseEstimator.NOISE_SMOOTH);
        float[] g = snr.gain;
        for (int k = 0; k < g.length; k++) {
            spec[2 * k] *= g[k];
            spec[2 * k + 1] *= g[k];
        }
    }

    /** The gains applied to the last frame, one per bin from 0 Hz to half the sample rate (live array: read only). */
    float[] gains() {
        return snr.gain;
    }

    /** The estimated noise level, dBFS (full-scale sine at 0), over the whole band. */
    public double noiseLevelDb() {
        return snr.estimator().levelDb(frame);
    }

    /** Forgets the noise estimate and the signal history (for a new stream). */
    public void reset() {
        stft.reset();
        snr.reset();
    }
}
