package io.rvoip.media.dtmf;

/**
 * Generates in-band DTMF (ITU-T Q.23 dual tones) and pauses into 16-bit PCM at any rate, with
 * the phase kept across calls. Not thread-safe.
 */
public final class DtmfGenerator {
    private final int rate;
    private final double amplitude;
    private double lowStep;
    private double highStep;
    private double phaseLow;
    private double phaseHigh;
    private long toneLeft;
    private long pauseLeft;

    /**
     * @param rate samples per second
     * @param levelDbfs the level of each tone, dBFS of a full-scale sine (−10 is a typical level)
     */
    public DtmfGenerator(int rate, double levelDbfs) {
        this.rate = rate;
        this.amplitude = 32767 * Math.pow(10, levelDbfs / 20);
    }

    /** Queues a digit: {@code toneMillis} of tone, then {@code pauseMillis} of silence. */
    public void play(char digit, int toneMillis, int pauseMillis) {
        double[] f = Dtmf.frequencies(digit);
        lowStep = 2 * Math.PI * f[0] / rate;
        highStep = 2 * Math.PI * f[1] / rate;
        phaseLow = 0;
        phaseHigh = 0;
        toneLeft = (long) rate * toneMillis / 1000;
        pauseLeft = (long) rate * pauseMillis / 1000;
    }

    /** True while tone or pause remains. */
    public boolean active() {
        return toneLeft > 0 || pauseLeft > 0;
    }

    /** Writes {@code len} samples (silence once the digit and its pause are done). */
    public void fill(short[] out, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (toneLeft > 0) {
                out[off + i] = (short) Math.round(amplitude * (Math.sin(phaseLow) + Math.sin(phaseHigh)));
                phaseLow += lowStep;
                phaseHigh += highStep;
                toneLeft--;
            } else {
                out[off + i] = 0;
                if (pauseLeft > 0) {
                    pauseLeft--;
                }
            }
        }
    }
}
