package io.rvoip.media.dtmf;

import java.util.function.Consumer;

/**
 * In-band DTMF detection on 8 kHz audio with Goertzel filters over blocks of 102 samples
 * (12.75 ms). A block holds a digit when one row and one column tone stand out: the pair
 * carries 80 % of the block's energy (talk-off resistance: speech spreads its energy), each
 * tone is at least 6 dB above the others of its group, the twist (column against row) is
 * within −8 … +4 dB, and the level is above −45 dBFS. A digit is reported after two
 * consecutive blocks agree (≥ 25.5 ms of tone) and ends after two blocks without it. Frequency
 * tolerance is the Goertzel bin width at this block length (about ±30 Hz at −1 dB).
 * Not thread-safe: one per stream.
 */
public final class DtmfDetector {
    /** A detected digit: its start and length in samples since the detector began. */
    public record Digit(char digit, long startSample, long samples) {
    }

    private static final int N = 102;
    private static final double MIN_PAIR_FRACTION = 0.8;
    private static final double GROUP_MARGIN = 4.0;            // 6 dB
    private static final double MAX_NORMAL_TWIST = Math.pow(10, -8 / 10.0);
    private static final double MAX_REVERSE_TWIST = Math.pow(10, 4 / 10.0);
    private static final double MIN_ENERGY = N * Math.pow(32767 * Math.pow(10, -45 / 20.0), 2);

    private final double[] rowCoef = new double[4];
    private final double[] colCoef = new double[4];
    private final double[] block = new double[N];
    private final double[] row = new double[4];
    private final double[] col = new double[4];
    private final Consumer<Digit> listener;
    private int filled;
    private long samples;
    private char candidate;
    private int candidateBlocks;
    private char current;
    private long currentStart;
    private int misses;

    /** @param listener gets each digit when it ends, on the caller's thread */
    public DtmfDetector(Consumer<Digit> listener) {
        this.listener = listener;
        for (int i = 0; i < 4; i++) {
            rowCoef[i] = 2 * Math.cos(2 * Math.PI * Dtmf.ROWS[i] / 8000);
            colCoef[i] = 2 * Math.cos(2 * Math.PI * Dtmf.COLS[i] / 8000);
        }
    }

    /** Feeds 8 kHz samples. */
    public void process(short[] pcm, int off, int len) {
        for (int i = 0; i < len; i++) {
            block[filled++] = pcm[off + i];
            if (filled == N) {
                filled = 0;
                samples += N;
                decide(analyse());
            }
        }
    }

    /** Ends a digit in progress (end of the stream). */
    public void flush() {
        if (current != 0) {
            listener.accept(new Digit(current, currentStart, samples - currentStart - misses * (long) N));
            current = 0;
        }
        candidate = 0;
        candidateBlocks = 0;
    }

    private static double goertzel(double[] x, double coef) {
        double s1 = 0;
        double s2 = 0;
        for (double v : x) {
            double s0 = v + coef * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coef * s1 * s2;
    }

    /** The digit this block holds, or 0. */
    private char analyse() {
        double energy = 0;
        for (double v : block) {
            energy += v * v;
        }
        if (energy < MIN_ENERGY) {
            return 0;
        }
        int r = 0;
        int c = 0;
        for (int i = 0; i < 4; i++) {
            row[i] = goertzel(block, rowCoef[i]);
            col[i] = goertzel(block, colCoef[i]);
            if (row[i] > row[r]) {
                r = i;
            }
            if (col[i] > col[c]) {
                c = i;
            }
        }
        for (int i = 0; i < 4; i++) {
            if (i != r && row[i] * GROUP_MARGIN > row[r] || i != c && col[i] * GROUP_MARGIN > col[c]) {
                return 0;
            }
        }
        double twist = col[c] / row[r];
        if (twist < MAX_NORMAL_TWIST || twist > MAX_REVERSE_TWIST) {
            return 0;
        }
        // a sinusoid of block energy E shows a Goertzel power of about E·N/2
        double pair = 2 * (row[r] + col[c]) / (N * energy);
        if (pair < MIN_PAIR_FRACTION) {
            return 0;
        }
        return Dtmf.KEYPAD.charAt(r * 4 + c);
    }

    private void decide(char d) {
        if (d != 0 && d == current) {
            misses = 0;
            return;
        }
        if (current != 0) {
            if (++misses >= 2) {
                listener.accept(new Digit(current, currentStart, samples - currentStart - misses * (long) N));
                current = 0;
                misses = 0;
            } else {
                return;
            }
        }
        if (d == 0) {
            candidate = 0;
            candidateBlocks = 0;
            return;
        }
        if (d == candidate) {
            if (++candidateBlocks >= 2) {
                current = d;
                currentStart = samples - 2L * N;
                misses = 0;
                candidate = 0;
                candidateBlocks = 0;
            }
        } else {
            candidate = d;
            candidateBlocks = 1;
        }
    }
}
