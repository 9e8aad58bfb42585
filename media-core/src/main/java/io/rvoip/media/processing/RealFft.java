package io.rvoip.media.processing;

/**
 * A real-input FFT of any even length {@code n} whose half {@code n/2} factors into 2, 3, 4, 5 and 8
 * (so 10 ms frames work at every telephony rate: 160 and 320 points at 8 and 16 kHz, 640 at 32 kHz,
 * 960 at 48 kHz).
 *
 * <p>The real transform is a complex transform of half the length (even samples as real parts,
 * odd samples as imaginary parts) followed by the usual split step. The complex transform is a
 * Stockham autosort over the factors, so no bit reversal is needed. Twiddles are computed once.
 *
 * <p>Spectra are interleaved {@code re0, im0, re1, im1, …, re(n/2), im(n/2)}: {@code n + 2}
 * floats, bins 0 to n/2. {@link #forward} is unscaled; {@link #inverse} is the exact inverse
 * (it divides by {@code n}).
 *
 * <p>Not thread-safe (one scratch area per instance); nothing is allocated after construction.
 */
public final class RealFft {
    private final int n;
    private final int h;
    private final int[] factors;
    private final float[][] stageTwiddles;   // per stage, for j in [0, m) and k in [1, p): w^(jk)
    private final float[] split;             // e^(-2πik/n), k in [0, h]
    private final float[] bufA;
    private final float[] bufB;

    /**
     * A transform of {@code n} real points.
     *
     * @throws IllegalArgumentException when n is odd or n/2 has a prime factor above 5
     */
    public RealFft(int n) {
        if (n < 2 || (n & 1) != 0) {
            throw new IllegalArgumentException("n must be even: " + n);
        }
        this.n = n;
        this.h = n / 2;
        int rest = h;
        int[] f = new int[32];
        int count = 0;
        for (int p : new int[] {8, 4, 2, 3, 5}) {
            while (rest % p == 0) {
                f[count++] = p;
                rest /= p;
            }
        }
        if (rest != 1) {
            throw new IllegalArgumentException("n/2 must factor into 2, 3, 4 and 5: " + n);
        }
        this.factors = java.util.Arrays.copyOf(f, count);
        this.stageTwiddles = new float[count][];
        int cur = h;
        for (int s = 0; s < count; s++) {
            int p = factors[s];
            int m = cur / p;
            float[] tw = new float[2 * m * (p - 1)];
            for (int j = 0; j < m; j++) {
                for (int k = 1; k < p; k++) {
                    double a = -2 * Math.PI * j * k / cur;
                    tw[2 * (j * (p - 1) + k - 1)] = (float) Math.cos(a);
                    tw[2 * (j * (p - 1) + k - 1) + 1] = (float) Math.sin(a);
                }
            }
            stageTwiddles[s] = tw;
            cur = m;
        }
        this.split = new float[2 * (h + 1)];
        for (int k = 0; k <= h; k++) {
            double a = -2 * Math.PI * k / n;
            split[2 * k] = (float) Math.cos(a);
            split[2 * k + 1] = (float) Math.sin(a);
        }
        this.bufA = new float[2 * h];
        this.bufB = new float[2 * h];
    }

    /** The number of real points. */
    public int size() {
        return n;
    }

    /** The number of bins, {@code n/2 + 1}. */
    public int bins() {
        return h + 1;
    }

    /** Transforms {@code n} real samples into {@code n + 2} interleaved floats (bins 0…n/2). */
    public void forward(float[] in, float[] out) {
        float[] z = bufA;
        System.arraycopy(in, 0, z, 0, n);
        float[] r = complexForward(z, bufB);
        // split: X[k] = E[k] + w^k O[k], E = (Z[k] + conj Z[h-k]) / 2, O = (Z[k] - conj Z[h-k]) / 2i
        for (int k = 0; k <= h; k++) {
            int a = k == h ? 0 : k;
            int b = k == 0 ? 0 : h - k;
            float zr = r[2 * a];
            float zi = r[2 * a + 1];
            float cr = r[2 * b];
            float ci = -r[2 * b + 1];
            float er = 0.5f * (zr + cr);
            float ei = 0.5f * (zi + ci);
            // (z - c) / 2i = (dr + i di) / 2i = (di - i dr) / 2
            float or = 0.5f * (zi - ci);
            float oi = -0.5f * (zr - cr);
            float wr = split[2 * k];
            float wi = split[2 * k + 1];
            out[2 * k] = er + wr * or - wi * oi;
            out[2 * k + 1] = ei + wr * oi + wi * or;
        }
    }

    /** The exact inverse of {@link #forward}: {@code n + 2} interleaved floats into {@code n} real samples. */
    public void inverse(float[] in, float[] out) {
        float[] z = bufA;
        for (int k = 0; k < h; k++) {
            float xr = in[2 * k];
            float xi = in[2 * k + 1];
            float cr = in[2 * (h - k)];
            float ci = -in[2 * (h - k) + 1];
            float er = 0.5f * (xr + cr);
            float ei = 0.5f * (xi + ci);
            float dr = 0.5f * (xr - cr);
            float di = 0.5f * (xi - ci);
            // O = d * conj(w^k); Z = E + i O
            float wr = split[2 * k];
            float wi = -split[2 * k + 1];
            float or = dr * wr - di * wi;
            float oi = dr * wi + di * wr;
            // conjugated for the inverse-by-conjugation trick
            z[2 * k] = er - oi;
            z[2 * k + 1] = -(ei + or);
        }
        float[] r = complexForward(z, bufB);
        float scale = 1f / h;
        for (int i = 0; i < h; i++) {
            out[2 * i] = r[2 * i] * scale;
            out[2 * i + 1] = -r[2 * i + 1] * scale;
        }
    }

    /** Stockham autosort, decimation in frequency; returns the buffer holding the result. */
    private float[] complexForward(float[] x, float[] y) {
        int cur = h;
        int s = 1;
        for (int st = 0; st < factors.length; st++) {
            int p = factors[st];
            int m = cur / p;
            float[] tw = stageTwiddles[st];
            switch (p) {
                case 2 -> radix2(x, y, m, s, tw);
                case 4 -> radix4(x, y, m, s, tw);
                case 8 -> radix8(x, y, m, s, tw);
                case 3 -> radix3(x, y, m, s, tw);
                default -> radix5(x, y, m, s, tw);
            }
            float[] t = x;
            x = y;
            y = t;
            cur = m;
            s *= p;
        }
        return x;
    }

    private static void radix2(float[] x, float[] y, int m, int s, float[] tw) {
        for (int j = 0; j < m; j++) {
            float wr = tw[2 * j];
            float wi = tw[2 * j + 1];
            for (int q = 0; q < s; q++) {
                int a = 2 * (q + s * j);
                int b = 2 * (q + s * (j + m));
                float ar = x[a];
                float ai = x[a + 1];
                float br = x[b];
                float bi = x[b + 1];
                int o0 = 2 * (q + s * (2 * j));
                int o1 = 2 * (q + s * (2 * j + 1));
                y[o0] = ar + br;
                y[o0 + 1] = ai + bi;
                float dr = ar - br;
                float di = ai - bi;
                y[o1] = dr * wr - di * wi;
                y[o1 + 1] = dr * wi + di * wr;
            }
        }
    }

    private static void radix4(float[] x, float[] y, int m, int s, float[] tw) {
        for (int j = 0; j < m; j++) {
            int t = 6 * j;
            float w1r = tw[t];
            float w1i = tw[t + 1];
            float w2r = tw[t + 2];
            float w2i = tw[t + 3];
            float w3r = tw[t + 4];
            float w3i = tw[t + 5];
            for (int q = 0; q < s; q++) {
                int i0 = 2 * (q + s * j);
                int i1 = 2 * (q + s * (j + m));
                int i2 = 2 * (q + s * (j + 2 * m));
                int i3 = 2 * (q + s * (j + 3 * m));
                float s02r = x[i0] + x[i2];
                float s02i = x[i0 + 1] + x[i2 + 1];
                float d02r = x[i0] - x[i2];
                float d02i = x[i0 + 1] - x[i2 + 1];
                float s13r = x[i1] + x[i3];
                float s13i = x[i1 + 1] + x[i3 + 1];
                float d13r = x[i1] - x[i3];
                float d13i = x[i1 + 1] - x[i3 + 1];
                // b0 = s02 + s13; b2 = s02 - s13; b1 = d02 - i d13; b3 = d02 + i d13
                int o = 2 * (q + s * (4 * j));
                int step = 2 * s;
                y[o] = s02r + s13r;
                y[o + 1] = s02i + s13i;
                float b1r = d02r + d13i;
                float b1i = d02i - d13r;
                float b2r = s02r - s13r;
                float b2i = s02i - s13i;
                float b3r = d02r - d13i;
                float b3i = d02i + d13r;
                y[o + step] = b1r * w1r - b1i * w1i;
                y[o + step + 1] = b1r * w1i + b1i * w1r;
                y[o + 2 * step] = b2r * w2r - b2i * w2i;
                y[o + 2 * step + 1] = b2r * w2i + b2i * w2r;
                y[o + 3 * step] = b3r * w3r - b3i * w3i;
                y[o + 3 * step + 1] = b3r * w3i + b3i * w3r;
            }
        }
    }

    private static final float SQRT_HALF = (float) Math.sqrt(0.5);

    /** Radix 8 as two radix-4 transforms of the even and odd inputs, combined with the eighth roots. */
    private static void radix8(float[] x, float[] y, int m, int s, float[] tw) {
        for (int j = 0; j < m; j++) {
            int t = 14 * j;
            for (int q = 0; q < s; q++) {
                int base = 2 * (q + s * j);
                int stride = 2 * s * m;
                // even inputs a0, a2, a4, a6
                float a0r = x[base];
                float a0i = x[base + 1];
                float a2r = x[base + 2 * stride];
                float a2i = x[base + 2 * stride + 1];
                float a4r = x[base + 4 * stride];
                float a4i = x[base + 4 * stride + 1];
                float a6r = x[base + 6 * stride];
                float a6i = x[base + 6 * stride + 1];
                float s04r = a0r + a4r;
                float s04i = a0i + a4i;
                float d04r = a0r - a4r;
                float d04i = a0i - a4i;
                float s26r = a2r + a6r;
                float s26i = a2i + a6i;
                float d26r = a2r - a6r;
                float d26i = a2i - a6i;
                float e0r = s04r + s26r;
                float e0i = s04i + s26i;
                float e2r = s04r - s26r;
                float e2i = s04i - s26i;
                float e1r = d04r + d26i;   // d04 − i·d26
                float e1i = d04i - d26r;
                float e3r = d04r - d26i;   // d04 + i·d26
                float e3i = d04i + d26r;
                // odd inputs a1, a3, a5, a7
                float a1r = x[base + stride];
                float a1i = x[base + stride + 1];
                float a3r = x[base + 3 * stride];
                float a3i = x[base + 3 * stride + 1];
                float a5r = x[base + 5 * stride];
                float a5i = x[base + 5 * stride + 1];
                float a7r = x[base + 7 * stride];
                float a7i = x[base + 7 * stride + 1];
                float s15r = a1r + a5r;
                float s15i = a1i + a5i;
                float d15r = a1r - a5r;
                float d15i = a1i - a5i;
                float s37r = a3r + a7r;
                float s37i = a3i + a7i;
                float d37r = a3r - a7r;
                float d37i = a3i - a7i;
                float o0r = s15r + s37r;
                float o0i = s15i + s37i;
                float o2r = s15r - s37r;
                float o2i = s15i - s37i;
                float o1r = d15r + d37i;
                float o1i = d15i - d37r;
                float o3r = d15r - d37i;
                float o3i = d15i + d37r;
                // ω8^k · O_k: ω8 = (1 − i)/√2, ω8² = −i, ω8³ = −(1 + i)/√2
                float w1r = SQRT_HALF * (o1r + o1i);
                float w1i = SQRT_HALF * (o1i - o1r);
                float w2r = o2i;
                float w2i = -o2r;
                float w3r = SQRT_HALF * (o3i - o3r);
                float w3i = -SQRT_HALF * (o3r + o3i);
                int o = 2 * (q + s * (8 * j));
                int step = 2 * s;
                y[o] = e0r + o0r;
                y[o + 1] = e0i + o0i;
                twiddle(y, o + step, e1r + w1r, e1i + w1i, tw[t], tw[t + 1]);
                twiddle(y, o + 2 * step, e2r + w2r, e2i + w2i, tw[t + 2], tw[t + 3]);
                twiddle(y, o + 3 * step, e3r + w3r, e3i + w3i, tw[t + 4], tw[t + 5]);
                twiddle(y, o + 4 * step, e0r - o0r, e0i - o0i, tw[t + 6], tw[t + 7]);
                twiddle(y, o + 5 * step, e1r - w1r, e1i - w1i, tw[t + 8], tw[t + 9]);
                twiddle(y, o + 6 * step, e2r - w2r, e2i - w2i, tw[t + 10], tw[t + 11]);
                twiddle(y, o + 7 * step, e3r - w3r, e3i - w3i, tw[t + 12], tw[t + 13]);
            }
        }
    }

    private static final float SIN60 = (float) Math.sin(Math.PI / 3);
    private static final float C1 = (float) Math.cos(2 * Math.PI / 5);
    private static final float C2 = (float) Math.cos(4 * Math.PI / 5);
    private static final float S1 = (float) Math.sin(2 * Math.PI / 5);
    private static final float S2 = (float) Math.sin(4 * Math.PI / 5);

    private static void radix3(float[] x, float[] y, int m, int s, float[] tw) {
        for (int j = 0; j < m; j++) {
            int t = 4 * j;
            float w1r = tw[t];
            float w1i = tw[t + 1];
            float w2r = tw[t + 2];
            float w2i = tw[t + 3];
            for (int q = 0; q < s; q++) {
                int i0 = 2 * (q + s * j);
                int i1 = 2 * (q + s * (j + m));
                int i2 = 2 * (q + s * (j + 2 * m));
                float tr = x[i1] + x[i2];
                float ti = x[i1 + 1] + x[i2 + 1];
                // −i·(√3/2)·(a1 − a2)
                float dr = SIN60 * (x[i1 + 1] - x[i2 + 1]);
                float di = -SIN60 * (x[i1] - x[i2]);
                float mr = x[i0] - 0.5f * tr;
                float mi = x[i0 + 1] - 0.5f * ti;
                int o = 2 * (q + s * (3 * j));
                int step = 2 * s;
                y[o] = x[i0] + tr;
                y[o + 1] = x[i0 + 1] + ti;
                float b1r = mr + dr;
                float b1i = mi + di;
                float b2r = mr - dr;
                float b2i = mi - di;
                y[o + step] = b1r * w1r - b1i * w1i;
                y[o + step + 1] = b1r * w1i + b1i * w1r;
                y[o + 2 * step] = b2r * w2r - b2i * w2i;
                y[o + 2 * step + 1] = b2r * w2i + b2i * w2r;
            }
        }
    }

    private static void radix5(float[] x, float[] y, int m, int s, float[] tw) {
        for (int j = 0; j < m; j++) {
            int t = 8 * j;
            for (int q = 0; q < s; q++) {
                int i0 = 2 * (q + s * j);
                int i1 = 2 * (q + s * (j + m));
                int i2 = 2 * (q + s * (j + 2 * m));
                int i3 = 2 * (q + s * (j + 3 * m));
                int i4 = 2 * (q + s * (j + 4 * m));
                float a0r = x[i0];
                float a0i = x[i0 + 1];
                float t1r = x[i1] + x[i4];
                float t1i = x[i1 + 1] + x[i4 + 1];
                float t2r = x[i2] + x[i3];
                float t2i = x[i2 + 1] + x[i3 + 1];
                float t3r = x[i1] - x[i4];
                float t3i = x[i1 + 1] - x[i4 + 1];
                float t4r = x[i2] - x[i3];
                float t4i = x[i2 + 1] - x[i3 + 1];
                float m1r = a0r + C1 * t1r + C2 * t2r;
                float m1i = a0i + C1 * t1i + C2 * t2i;
                float m2r = a0r + C2 * t1r + C1 * t2r;
                float m2i = a0i + C2 * t1i + C1 * t2i;
                // −i·u = (u.im, −u.re)
                float u1r = S1 * t3r + S2 * t4r;
                float u1i = S1 * t3i + S2 * t4i;
                float u2r = S2 * t3r - S1 * t4r;
                float u2i = S2 * t3i - S1 * t4i;
                int o = 2 * (q + s * (5 * j));
                int step = 2 * s;
                y[o] = a0r + t1r + t2r;
                y[o + 1] = a0i + t1i + t2i;
                twiddle(y, o + step, m1r + u1i, m1i - u1r, tw[t], tw[t + 1]);
                twiddle(y, o + 2 * step, m2r + u2i, m2i - u2r, tw[t + 2], tw[t + 3]);
                twiddle(y, o + 3 * step, m2r - u2i, m2i + u2r, tw[t + 4], tw[t + 5]);
                twiddle(y, o + 4 * step, m1r - u1i, m1i + u1r, tw[t + 6], tw[t + 7]);
            }
        }
    }

    private static void twiddle(float[] y, int o, float br, float bi, float wr, float wi) {
        y[o] = br * wr - bi * wi;
        y[o + 1] = br * wi + bi * wr;
    }
}
