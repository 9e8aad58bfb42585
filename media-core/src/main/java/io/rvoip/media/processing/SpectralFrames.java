package io.rvoip.media.processing;

/**
 * Short-time spectra of a stream of frames: each call windows the last two frames with a sine
 * window and transforms them; synthesis inverts, windows again and overlaps-adds, so a spectrum
 * left unchanged gives the input back delayed by one frame (the sine window squared sums to one
 * at 50 % overlap).
 */
final class SpectralFrames {
    private final int frame;
    private final RealFft fft;
    private final float[] window;
    private final float[] history;     // the last 2 frames of input
    private final float[] timeBuf;
    private final float[] overlap;     // the second half of the previous synthesis

    /**
     * The samples in a 10 ms frame at {@code sampleRate}.
     *
     * @throws IllegalArgumentException unless the rate is at least 8000 Hz and a multiple of 100
     */
    static int tenMillis(int sampleRate) {
        if (sampleRate < 8000 || sampleRate % 100 != 0) {
            throw new IllegalArgumentException("sample rate " + sampleRate + ": 8000 Hz or more, a multiple of 100");
        }
        return sampleRate / 100;
    }

    SpectralFrames(int frame) {
        this.frame = frame;
        this.fft = new RealFft(2 * frame);
        this.window = new float[2 * frame];
        for (int i = 0; i < 2 * frame; i++) {
            window[i] = (float) Math.sin(Math.PI * (i + 0.5) / (2 * frame));
        }
        this.history = new float[2 * frame];
        this.timeBuf = new float[2 * frame];
        this.overlap = new float[frame];
    }

    int bins() {
        return frame + 1;
    }

    int frame() {
        return frame;
    }

    /** Takes the next frame and writes the spectrum of the last two, windowed ({@code 2·frame + 2} floats). */
    void analyse(short[] in, int off, float[] spec) {
        System.arraycopy(history, frame, history, 0, frame);
        for (int i = 0; i < frame; i++) {
            history[frame + i] = in[off + i];
        }
        analyseHistory(spec);
    }

    /** As {@link #analyse(short[], int, float[])} for float input. */
    void analyse(float[] in, int off, float[] spec) {
        System.arraycopy(history, frame, history, 0, frame);
        System.arraycopy(in, off, history, frame, frame);
        analyseHistory(spec);
    }

    private void analyseHistory(float[] spec) {
        for (int i = 0; i < 2 * frame; i++) {
            timeBuf[i] = history[i] * window[i];
        }
        fft.forward(timeBuf, spec);
    }

    /** Inverts {@code spec} and writes the next frame of output (one frame behind the input). */
    void synthesise(float[] spec, short[] out, int off) {
        fft.inverse(spec, timeBuf);
        for (int i = 0; i < frame; i++) {
            float v = overlap[i] + timeBuf[i] * window[i];
            out[off + i] = v >= 32767f ? 32767 : v <= -32768f ? -32768 : (short) Math.round(v);
            overlap[i] = timeBuf[frame + i] * window[frame + i];
        }
    }

    /** Clears the history. */
    void reset() {
        java.util.Arrays.fill(history, 0);
        java.util.Arrays.fill(overlap, 0);
    }
}
