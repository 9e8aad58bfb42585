package io.rvoip.media.dsp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Measures 16-bit PCM: the RMS level in dBov (0 dBov is a full-scale square wave, as in
 * RFC 3389; a full-scale sine is −3 dBov), the peak in dBFS, and a smoothed level for meters
 * (fast attack, slow release). Updated by {@link #process} on one thread; the getters may be
 * read from any thread.
 */
public final class LevelMeter {
    /** The level reported for digital silence. */
    public static final double SILENCE_DB = -127;

    private static final VarHandle MEAN_SQUARE;
    private static final VarHandle PEAK;
    private static final VarHandle SMOOTHED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MEAN_SQUARE = l.findVarHandle(LevelMeter.class, "meanSquare", double.class);
            PEAK = l.findVarHandle(LevelMeter.class, "peak", int.class);
            SMOOTHED = l.findVarHandle(LevelMeter.class, "smoothed", double.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The smoothed level's fall per block, as a power ratio. */
    private final double releaseFactor;
    // Linear values, converted to dB only when read: a block costs no logarithm and no fence
    // (opaque stores: atomic and eventually visible, which is all a meter needs).
    private double meanSquare;   // of the last block, relative to full scale squared
    private int peak;            // of the last block, absolute sample value
    private double smoothed;     // a mean square that rises at once and falls by releaseFactor per block

    /** A meter whose smoothed level falls by about 20 dB per second when fed 20 ms blocks. */
    public LevelMeter() {
        this(0.4);
    }

    /** A meter whose smoothed level falls by {@code releaseDbPerBlock} per block. */
    public LevelMeter(double releaseDbPerBlock) {
        this.releaseFactor = Math.pow(10, -releaseDbPerBlock / 10);
    }

    /** Measures a block. */
    public void process(short[] pcm, int off, int n) {
        // exact integer sums (each square ≤ 2^30, so a long holds 2^33 samples' worth): one cycle
        // per add where a double sum waits four, and no rounding
        long sum = 0;
        int max = 0;
        for (int i = off; i < off + n; i++) {
            int v = pcm[i];
            sum += v * v;
            max = Math.max(max, Math.abs(v));
        }
        double ms = n == 0 ? 0 : (double) sum / n / (32768.0 * 32768.0);
        MEAN_SQUARE.setOpaque(this, ms);
        PEAK.setOpaque(this, max);
        // in dB this is max(rms, smoothed - release): the same order, on powers
        double s = (double) SMOOTHED.getOpaque(this) * releaseFactor;
        SMOOTHED.setOpaque(this, Math.max(ms, s));
    }

    /** The RMS of the last block, dBov. */
    public double rmsDb() {
        return db((double) MEAN_SQUARE.getOpaque(this));
    }

    /** The peak of the last block, dBFS. */
    public double peakDb() {
        int p = (int) PEAK.getOpaque(this);
        return p == 0 ? SILENCE_DB : 20 * Math.log10(p / 32767.0);
    }

    /** The smoothed level, dBov: rises at once, falls slowly. */
    public double smoothedDb() {
        return db((double) SMOOTHED.getOpaque(this));
    }

    private static double db(double meanSquare) {
        return meanSquare <= 0 ? SILENCE_DB : Math.max(SILENCE_DB, 10 * Math.log10(meanSquare));
    }
}
