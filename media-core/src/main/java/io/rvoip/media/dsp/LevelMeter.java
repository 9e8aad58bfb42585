package io.rvoip.media.dsp;

/**
 * Measures 16-bit PCM: the RMS level in dBov (0 dBov is a full-scale square wave, as in
 * RFC 3389; a full-scale sine is −3 dBov), the peak in dBFS, and a smoothed level for meters
 * (fast attack, slow release). Updated by {@link #process} on one thread; the getters may be
 * read from any thread.
 */
public final class LevelMeter {
    /** The level reported for digital silence. */
    public static final double SILENCE_DB = -127;

    private final double release;
    private volatile double rmsDb = SILENCE_DB;
    private volatile double peakDb = SILENCE_DB;
    private volatile double smoothedDb = SILENCE_DB;

    /** A meter whose smoothed level falls by about 20 dB per second when fed 20 ms blocks. */
    public LevelMeter() {
        this(0.4);
    }

    /** A meter whose smoothed level falls by {@code releaseDbPerBlock} per block. */
    public LevelMeter(double releaseDbPerBlock) {
        this.release = releaseDbPerBlock;
    }

    /** Measures a block. */
    public void process(short[] pcm, int off, int n) {
        // exact integer sums (each square ≤ 2^30, so a long holds 2^33 samples' worth): one cycle
        // per add where a double sum waits four, and no rounding
        long sum = 0;
        int peak = 0;
        for (int i = off; i < off + n; i++) {
            int v = pcm[i];
            sum += v * v;
            peak = Math.max(peak, Math.abs(v));
        }
        double rms = n == 0 || sum == 0 ? SILENCE_DB : Math.max(SILENCE_DB, 10 * Math.log10((double) sum / n / (32768.0 * 32768.0)));
        rmsDb = rms;
        peakDb = peak == 0 ? SILENCE_DB : 20 * Math.log10(peak / 32767.0);
        double s = smoothedDb;
        smoothedDb = rms >= s ? rms : Math.max(rms, s - release);
    }

    /** The RMS of the last block, dBov. */
    public double rmsDb() {
        return rmsDb;
    }

    /** The peak of the last block, dBFS. */
    public double peakDb() {
        return peakDb;
    }

    /** The smoothed level, dBov: rises at once, falls slowly. */
    public double smoothedDb() {
        return smoothedDb;
    }
}
