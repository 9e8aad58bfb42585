package io.rvoip.media.processing;

/**
 * Decides, for each 10 ms frame, whether someone is talking: a statistical model detector
 * (after Sohn, Kim and Sung) on the frame's spectrum, robust to stationary noise.
 *
 * <p>Every frame is windowed and transformed; a {@linkplain NoiseEstimator minima-controlled}
 * noise estimate per bin adapts while speech comes and goes (so the detector follows the noise
 * floor, whatever its level and colour). Each bin in the speech band (150 Hz to 4 kHz, or to
 * 7 kHz at 16 kHz) gives the log-likelihood ratio of "speech plus noise" against "noise" under
 * Gaussian models, with the a-priori SNR estimated by the decision-directed rule. The frame's
 * score is a leaky average of these means (so weak frames next to strong ones — onsets, word
 * endings — still count); the frame is speech when the score passes the threshold (half of it to
 * stay in speech) and its speech level, the frame's level less the noise estimate, is above an
 * absolute floor. An optional hangover holds the decision after a run of 40 ms or more.
 *
 * <p>Used by {@link io.rvoip.media.session.MediaSession} for discontinuous transmission with
 * comfort noise, and by anyone measuring talk time. One instance per stream; not thread-safe;
 * nothing is allocated per frame.
 */
public final class VoiceActivityDetector {
    /** Decision-directed smoothing of the a-priori SNR: low, so the score follows onsets and offsets. */
    private static final float DD_ALPHA = 0.5f;
    /** Once in speech, the frame stays speech while the score is above this fraction of the threshold. */
    private static final double RELEASE_RATIO = 0.5;
    /** The score is a leaky sum of frame scores: weak frames next to strong ones (word onsets and endings) count as speech. */
    private static final double RHO = 0.7;
    /** Noise averaging in frames believed to be speech (slow: weak speech must not raise the noise estimate). */
    private static final float SPEECH_NOISE_SMOOTH = 0.98f;

    private final int sampleRate;
    private final int frame;
    private final SpectralFrames stft;
    private final float[] spec;
    private final int lowBin;
    private final int highBin;
    private final double threshold;
    private final double absoluteFloorDb;
    private final PriorSnr snr;
    private final int hangoverFrames;
    private int run;
    private int hangover;
    private boolean raw;     // the last decision before the hangover
    private double lastLevelDb = -127;
    private double lastScore;
    private double memory;

    /** A detector at {@code sampleRate} Hz (10 ms frames) with the default threshold. */
    public VoiceActivityDetector(int sampleRate) {
        this(sampleRate, 0.2, -45, 0);
    }

    /**
     * A detector.
     *
     * @param sampleRate      Hz, 8000 or more, a multiple of 100
     * @param threshold       mean log-likelihood ratio above which a frame is speech (lower is more
     *                        sensitive; 0.2…1 is sensible)
     * @param absoluteFloorDb frames whose speech (their level less the noise estimate) is quieter
     *                        than this, dBFS, are not speech
     * @param hangoverMs      how long a decision is held after a run of at least 40 ms of speech
     */
    public VoiceActivityDetector(int sampleRate, double threshold, double absoluteFloorDb, int hangoverMs) {
        this.sampleRate = sampleRate;
        this.frame = SpectralFrames.tenMillis(sampleRate);
        this.stft = new SpectralFrames(frame);
        int bins = stft.bins();
        this.spec = new float[2 * bins];
        double hzPerBin = sampleRate / (2.0 * frame);
        this.lowBin = (int) Math.ceil(150 / hzPerBin);
        this.highBin = Math.min(bins - 1, (int) Math.floor(Math.min(7000, sampleRate / 2.0 - 200) / hzPerBin));
        this.threshold = threshold;
        this.absoluteFloorDb = absoluteFloorDb;
        if (hangoverMs < 0) {
            throw new IllegalArgumentException("hangover " + hangoverMs);
        }
        this.hangoverFrames = hangoverMs / 10;
        // the power of one bin of noise at -80 dBFS: the model never divides by digital silence
        double rms = 32768 / Math.sqrt(2) * 1e-4;
        this.snr = new PriorSnr(bins, DD_ALPHA, (float) (rms * rms * 2 * frame * 0.5), 0.003f, 0f);
    }

    /** Samples per frame (10 ms). */
    public int frameSamples() {
        return frame;
    }

    /** The sample rate, Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Classifies one frame of {@link #frameSamples()} samples: true while speech is active (including the hangover). */
    public boolean isSpeech(short[] pcm, int off) {
        double sum = 0;
        for (int i = off; i < off + frame; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        lastLevelDb = sum == 0 ? -127 : 10 * Math.log10(sum / frame / (32768.0 * 32768.0 / 2));
        stft.analyse(pcm, off, spec);
        snr.update(spec, raw && snr.estimator().frames() > 50 ? SPEECH_NOISE_SMOOTH : NoiseEstimator.NOISE_SMOOTH);
        double llr = 0;
        for (int k = lowBin; k <= highBin; k++) {
            float prior = snr.prior[k];
            llr += snr.post[k] * prior / (1 + prior) - FastMath.ln(1 + prior);
        }
        lastScore = llr / (highBin - lowBin + 1);   // the mean log-likelihood ratio over the speech band
        double speechPower = sum / frame - snr.estimator().meanSquare(frame);
        double speechDb = speechPower <= 0 ? -127 : 10 * Math.log10(speechPower / (32768.0 * 32768.0 / 2));
        memory = lastScore + RHO * memory;
        double v = memory * (1 - RHO);   // normalised: a steady score gives itself
        raw = speechDb > absoluteFloorDb && v > (raw ? threshold * RELEASE_RATIO : threshold);
        if (raw) {
            run++;
            if (run >= 4) {
                hangover = hangoverFrames;
            }
            return true;
        }
        run = 0;
        if (hangover > 0) {
            hangover--;
            return true;
        }
        return false;
    }

    /** Whether the last frame itself was speech, before the hangover (inactive frames are noise to learn from). */
    public boolean lastFrameWasNoise() {
        return !raw;
    }

    /** The level of the last frame, dBFS (a full-scale sine is 0). */
    public double lastLevelDb() {
        return lastLevelDb;
    }

    /** The detector's score for the last frame: the mean log-likelihood ratio of speech. */
    public double lastScore() {
        return lastScore;
    }

    /** The estimated noise level, dBFS, over the whole band. */
    public double noiseLevelDb() {
        return snr.estimator().levelDb(frame);
    }
}
