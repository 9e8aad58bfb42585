package io.rvoip.media.dsp;

/**
 * Sample-rate conversion by a rational factor L/M (8, 16, 32, 48 kHz and any other pair) with a
 * polyphase Kaiser-windowed sinc filter: passband to 85 % of the lower Nyquist frequency,
 * stopband from that Nyquist frequency on, attenuated by at least 70 dB (β 6.76); the state
 * is kept across calls, so a stream may be fed in frames of any size. One instance per stream
 * and direction; not thread-safe. Delay: half the filter length, {@link #delayInputSamples()}.
 */
public final class Resampler {
    private static final double STOPBAND_DB = 70;
    private static final double PASSBAND_FRACTION = 0.85;

    private final int inRate;
    private final int outRate;
    private final int up;
    private final int down;
    private final int taps;          // per phase
    private final float[][] phases;  // [phase][tap], tap j multiplies x[i - j]
    private final float[] hist;      // the last taps - 1 inputs, oldest first
    private float[] work = new float[0];
    private int phase;               // of the next output
    private int pos;                 // input index of the next output, relative to the chunk

    /** A converter from {@code inRate} to {@code outRate} Hz (mono; one per channel). */
    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException(inRate + " → " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        if (up > 480 || down > 480) {
            throw new IllegalArgumentException("ratio too fine: " + inRate + " → " + outRate);
        }
        double upRate = (double) inRate * up;
        double nyquist = Math.min(inRate, outRate) / 2.0;
        double passEdge = PASSBAND_FRACTION * nyquist;
        double cutoff = (passEdge + nyquist) / 2;
        double transition = 2 * Math.PI * (nyquist - passEdge) / upRate;
        int length = (int) Math.ceil((STOPBAND_DB - 7.95) / (2.285 * transition)) + 1;
        int perPhase = (length + up - 1) / up;
        this.taps = Math.max(perPhase, 1);
        int total = taps * up;
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        double center = (total - 1) / 2.0;
        double i0Beta = besselI0(beta);
        this.phases = new float[up][taps];
        for (int n = 0; n < total; n++) {
            double t = n - center;
            double x = 2 * cutoff / upRate * t;
            double sinc = t == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
            double r = 2 * t / (total - 1);
            double w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            double h = up * 2 * cutoff / upRate * sinc * w;
            phases[n % up][n / up] = (float) h;
        }
        this.hist = new float[taps - 1];
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }

    /** The input rate. */
    public int inRate() {
        return inRate;
    }

    /** The output rate. */
    public int outRate() {
        return outRate;
    }

    /** The filter's delay, in input samples. */
    public double delayInputSamples() {
        return (taps * up - 1) / 2.0 / up;
    }

    /** The most outputs {@link #process} writes for {@code inputs} inputs. */
    public int maxOutput(int inputs) {
        return (int) (((long) inputs * up + down - 1) / down) + 1;
    }

    /**
     * Converts {@code len} input samples; writes the outputs they complete.
     *
     * @return the number of output samples written (at most {@link #maxOutput(int)})
     */
    public int process(short[] in, int off, int len, short[] out, int outOff) {
        int h = taps - 1;
        if (work.length < h + len) {
            work = new float[h + len];
        }
        System.arraycopy(hist, 0, work, 0, h);
        for (int i = 0; i < len; i++) {
            work[h + i] = in[off + i];
        }
        int n = outOff;
        int p = pos;
        int ph = phase;
        while (p < len) {
            float[] c = phases[ph];
            int x = h + p;
            float acc = 0;
            for (int j = 0; j < taps; j++) {
                acc += c[j] * work[x - j];
            }
            int v = Math.round(acc);
            out[n++] = (short) (v > 32767 ? 32767 : Math.max(v, -32768));
            ph += down;
            while (ph >= up) {
                ph -= up;
                p++;
            }
        }
        pos = p - len;
        phase = ph;
        // keep the last taps - 1 inputs (from the history when the chunk is shorter)
        System.arraycopy(work, len, hist, 0, h);
        return n - outOff;
    }

    /** Forgets the history (a new stream). */
    public void reset() {
        java.util.Arrays.fill(hist, 0);
        phase = 0;
        pos = 0;
    }
}
