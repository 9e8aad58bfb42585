package io.rvoip.media.codec;

/**
 * G.722 at 64 kbit/s (ITU-T G.722 SB-ADPCM, mode 1): 16 kHz audio split by the 24-tap QMF into
 * two 8 kHz sub-bands, the lower coded with 6 bits of ADPCM, the upper with 2; one octet per
 * two input samples (upper-band index in the high 2 bits, RFC 3551). Integer arithmetic as the
 * ITU-T algorithm defines it, so encoder and decoder are bit-exact with other implementations
 * of the standard (checked against ffmpeg's). RTP clock 8000, static payload type 9
 * (RFC 3551 §4.5.2). Lost frames are concealed by repeating the decoder's last output with a
 * fade (G.722 Appendix III/IV are not implemented).
 */
public final class G722 implements AudioCodec {
    /** The codec. */
    public static final G722 INSTANCE = new G722();

    static final int[] QMF = {3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11};
    private static final int[] Q6 = {0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
        786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0};
    /** BELOW[t] = how many of Q6[1..29] are ≤ t: the quantiser's decision as one table lookup. */
    private static final byte[] BELOW = new byte[4096];

    static {
        for (int t = 0; t < BELOW.length; t++) {
            int c = 0;
            for (int k = 1; k < 30; k++) {
                if (Q6[k] <= t) {
                    c++;
                }
            }
            BELOW[t] = (byte) c;
        }
    }

    /** The QMF delay lines hold this many sample pairs before they are moved back to the start. */
    private static final int QMF_PAIRS = 64;

    private static final int[] ILN = {0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15,
        14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0};
    private static final int[] ILP = {0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43,
        42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0};
    private static final int[] WL = {-60, -30, 58, 172, 334, 538, 1198, 3042};
    private static final int[] RL42 = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
    private static final int[] ILB = {2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656,
        2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922,
        4008};

    /**
     * LOW_RECIP[nb >> 6] = ⌊2^67 / det⌋ + 1, where det is the lower band's scale factor that
     * LOGSCL/SCALEL derive from nb (it depends on nb >> 6 only; 32 ≤ det < 2^15). For any
     * n < 2^28, multiplyHigh(n, LOW_RECIP[·]) >>> 3 is exactly ⌊n / det⌋ (the error is below
     * n / 2^67, far under 1 / det), so the quantiser multiplies instead of dividing.
     */
    private static final long[] LOW_RECIP = new long[18432 / 64 + 1];

    static {
        java.math.BigInteger two67 = java.math.BigInteger.ONE.shiftLeft(67);
        for (int i = 0; i < LOW_RECIP.length; i++) {
            int det = lowDet(i << 6);
            LOW_RECIP[i] = two67.divide(java.math.BigInteger.valueOf(det)).longValueExact() + 1;
        }
    }

    /** ⌊n / det⌋ for the lower band's det at {@code nb}, for 0 ≤ n < 2^28, without dividing. */
    static int lowQuotient(long n, int nb) {
        return (int) (Math.multiplyHigh(n, LOW_RECIP[nb >> 6]) >>> 3);
    }

    /** The lower band's det at {@code nb} (LOGSCL/SCALEL), as {@link Band#adaptScale} sets it. */
    static int lowDet(int nb) {
        int wd1 = (nb >> 6) & 31;
        int wd2 = 8 - (nb >> 11);
        return (wd2 < 0 ? ILB[wd1] << -wd2 : ILB[wd1] >> wd2) << 2;
    }

    private static final int[] QM4 = {0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288,
        4240, 2584, 1200, 0};
    private static final int[] QM6 = {-136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280,
        -11192, -10232, -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776,
        -2400, -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360,
        8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728,
        432, 136, -432, -136};
    private static final int[] QM2 = {-7408, -1616, 7408, 1616};
    private static final int[] IHN = {0, 1, 0};
    private static final int[] IHP = {0, 3, 2};
    private static final int[] WH = {0, -214, 798, 0};
    private static final int[] RH2 = {2, 1, 2, 1};

    private G722() {
    }

    @Override
    public String name() {
        return "G722";
    }

    @Override
    public int clockRate() {
        return 8000;
    }

    @Override
    public int sampleRate() {
        return 16000;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int staticPayloadType() {
        return 9;
    }

    @Override
    public int maxEncodedBytes(int samples) {
        return (samples + 1) / 2;
    }

    @Override
    public AudioEncoder newEncoder() {
        return new Encoder();
    }

    @Override
    public AudioDecoder newDecoder() {
        return new Decoder();
    }

    @Override
    public String toString() {
        return "G722/8000";
    }

    private static int saturate(int v) {
        return v > 32767 ? 32767 : Math.max(v, -32768);
    }

    /**
     * The adaptive predictor and quantiser state of one sub-band, in scalars (the ITU-T block 4
     * unrolled: no arrays, no bounds checks on the hot path).
     */
    static final class Band {
        int s;
        int sz;
        int r1;
        int r2;
        int a1;
        int a2;
        int p1;
        int p2;
        int d1;
        int d2;
        int d3;
        int d4;
        int d5;
        int d6;
        int b1;
        int b2;
        int b3;
        int b4;
        int b5;
        int b6;
        // saturate(2·x) of the delay-line values, computed once as each value enters
        int dd1;
        int dd2;
        int dd3;
        int dd4;
        int dd5;
        int dd6;
        int rr1;
        int rr2;
        int nb;
        int det;

        void reset(int initialDet) {
            s = sz = r1 = r2 = a1 = a2 = p1 = p2 = nb = 0;
            d1 = d2 = d3 = d4 = d5 = d6 = 0;
            dd1 = dd2 = dd3 = dd4 = dd5 = dd6 = rr1 = rr2 = 0;
            b1 = b2 = b3 = b4 = b5 = b6 = 0;
            det = initialDet;
        }

        private static int upzero(int sg0, int wd1, int d, int b) {
            int wd2 = (d >> 15) == sg0 ? wd1 : -wd1;
            // b·32640 >> 15 without the multiply; the standard saturates the sum, but for any 16-bit
            // b, b − ⌈b/256⌉ ± 128 stays within 16 bits, so the saturation never acts
            return wd2 + b + ((-b) >> 8);
        }

        /**
         * Block 4: reconstruction, pole and zero predictor adaptation, prediction. Split in
         * parts small enough for the JIT to inline, so both bands' chains interleave in the
         * codec loop.
         */
        void block4(int dq) {
            int r0 = saturate(s + dq);
            int p0 = saturate(sz + dq);
            poles(p0, r0);
            zeros(dq);
            predict();
        }

        /** UPPOL2, UPPOL1 and the pole-section delays. */
        private void poles(int p0, int r0) {
            // UPPOL2
            int sg0 = p0 >> 15;
            int sg1 = p1 >> 15;
            int sg2 = p2 >> 15;
            int wd1 = saturate(a1 << 2);
            int wd2 = sg0 == sg1 ? -wd1 : wd1;
            if (wd2 > 32767) {
                wd2 = 32767;
            }
            int wd3 = (wd2 >> 7) + (sg0 == sg2 ? 128 : -128);
            wd3 += a2 + ((-a2) >> 7); // a2·32512 >> 15
            int ap2 = Math.max(-12288, Math.min(12288, wd3));
            // UPPOL1
            wd1 = sg0 == sg1 ? 192 : -192;
            wd2 = a1 + ((-a1) >> 8); // a1·32640 >> 15
            // |a1| ≤ 27648 (the clamp below), so a1·255/256 ± 192 and 15360 − ap2 (ap2 within
            // ±12288) never reach the saturation the standard writes here
            int ap1 = wd1 + wd2;
            wd3 = 15360 - ap2;
            if (ap1 > wd3) {
                ap1 = wd3;
            } else if (ap1 < -wd3) {
                ap1 = -wd3;
            }
            r2 = r1;
            r1 = r0;
            rr2 = rr1;
            rr1 = saturate(r0 + r0);
            p2 = p1;
            p1 = p0;
            a2 = ap2;
            a1 = ap1;
        }

        /** UPZERO and DELAYA of the zero section. */
        private void zeros(int dq) {
            int w = dq == 0 ? 0 : 128;
            int s0 = dq >> 15;
            int nb6 = upzero(s0, w, d6, b6);
            int nb5 = upzero(s0, w, d5, b5);
            int nb4 = upzero(s0, w, d4, b4);
            int nb3 = upzero(s0, w, d3, b3);
            int nb2 = upzero(s0, w, d2, b2);
            int nb1 = upzero(s0, w, d1, b1);
            d6 = d5;
            d5 = d4;
            d4 = d3;
            d3 = d2;
            d2 = d1;
            d1 = dq;
            dd6 = dd5;
            dd5 = dd4;
            dd4 = dd3;
            dd3 = dd2;
            dd2 = dd1;
            dd1 = saturate(dq + dq);
            b6 = nb6;
            b5 = nb5;
            b4 = nb4;
            b3 = nb3;
            b2 = nb2;
            b1 = nb1;
        }

        /** FILTEP, FILTEZ, PREDIC. */
        private void predict() {
            // FILTEP
            int sp = saturate(((a1 * rr1) >> 15) + ((a2 * rr2) >> 15));
            // FILTEZ
            int z = ((b6 * dd6) >> 15) + ((b5 * dd5) >> 15) + ((b4 * dd4) >> 15) + ((b3 * dd3) >> 15)
                    + ((b2 * dd2) >> 15) + ((b1 * dd1) >> 15);
            sz = saturate(z);
            // PREDIC
            s = saturate(sp + sz);
        }

        /** LOGSCL/SCALEL (lower band) or LOGSCH/SCALEH (upper band). */
        void adaptScale(int weight, int maxNb, int shift) {
            int wd = (nb * 127) >> 7;
            nb = Math.max(0, Math.min(maxNb, wd + weight));
            int wd1 = (nb >> 6) & 31;
            int wd2 = shift - (nb >> 11);
            int wd3 = wd2 < 0 ? ILB[wd1] << -wd2 : ILB[wd1] >> wd2;
            det = wd3 << 2;
        }
    }

    /** The encoder: transmit QMF, then the two ADPCM quantisers. */
    static final class Encoder implements AudioEncoder {
        private final Band low = new Band();
        private final Band high = new Band();
        private final QmfLine line = new QmfLine();

        Encoder() {
            reset();
        }

        @Override
        public void reset() {
            low.reset(32);
            high.reset(8);
            line.reset();
        }

        @Override
        public int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset) {
            int n = 0;
            int[] x = line.x;
            for (int j = 0; j < samples; j += 2) {
                int b = line.slide();
                x[b + 22] = pcm[offset + j];
                x[b + 23] = j + 1 < samples ? pcm[offset + j + 1] : 0;
                int sumOdd = QmfLine.evenTaps(x, b);
                int sumEven = QmfLine.oddTaps(x, b);
                int xlow = (sumEven + sumOdd) >> 14;
                int xhigh = (sumEven - sumOdd) >> 14;

                // lower band: SUBTRA, QUANTL
                int el = saturate(xlow - low.s);
                int wd = el >= 0 ? el : -(el + 1);
                // the first i in 1..29 with wd < Q6[i]·det >> 12, else 30; the thresholds grow
                // with i, so that is 1 + the number of thresholds at or below wd, and
                // (Q6·det >> 12) ≤ wd ⇔ Q6 ≤ ((wd + 1)·4096 − 1) / det (det > 0): one division
                // and one lookup instead of 29 multiplies; the division is a multiply by a reciprocal
                // (LOW_RECIP)
                int t = lowQuotient(((wd + 1L) << 12) - 1, low.nb);
                int i = 1 + BELOW[Math.min(t, 4095) & 4095];
                int ilow = el < 0 ? ILN[i & 31] : ILP[i & 31];
                // INVQAL, LOGSCL, SCALEL, block 4
                int ril = (ilow >> 2) & 15;
                int dlow = (low.det * QM4[ril]) >> 15;
                low.adaptScale(WL[RL42[ril] & 7], 18432, 8);
                low.block4(dlow);

                // upper band: SUBTRA, QUANTH
                int eh = saturate(xhigh - high.s);
                wd = eh >= 0 ? eh : -(eh + 1);
                int mih = wd >= (564 * high.det) >> 12 ? 2 : 1;
                int ihigh = (eh < 0 ? IHN[mih] : IHP[mih]) & 3;
                // INVQAH, LOGSCH, SCALEH, block 4
                int dhigh = (high.det * QM2[ihigh]) >> 15;
                high.adaptScale(WH[RH2[ihigh] & 3], 22528, 10);
                high.block4(dhigh);

                out[outOffset + n++] = (byte) ((ihigh << 6) | ilow);
            }
            return n;
        }
    }

    /**
     * A QMF delay line: the 24-sample window slides along a longer array and is moved back to
     * the start only when the array is used up, instead of shifting 22 samples every pair.
     */
    static final class QmfLine {
        final int[] x = new int[24 + 2 * QMF_PAIRS];
        private int w; // the window is x[w .. w + 24)

        void reset() {
            java.util.Arrays.fill(x, 0);
            w = 0;
        }

        /** Σ x[b + 2i]·QMF[i], i = 0..11, with the coefficients as constants. */
        static int evenTaps(int[] x, int b) {
            return 3 * x[b] - 11 * x[b + 2] + 12 * x[b + 4] + 32 * x[b + 6] - 210 * x[b + 8] + 951 * x[b + 10]
                    + 3876 * x[b + 12] - 805 * x[b + 14] + 362 * x[b + 16] - 156 * x[b + 18] + 53 * x[b + 20]
                    - 11 * x[b + 22];
        }

        /** Σ x[b + 2i + 1]·QMF[11 − i], i = 0..11, with the coefficients as constants. */
        static int oddTaps(int[] x, int b) {
            return -11 * x[b + 1] + 53 * x[b + 3] - 156 * x[b + 5] + 362 * x[b + 7] - 805 * x[b + 9]
                    + 3876 * x[b + 11] + 951 * x[b + 13] - 210 * x[b + 15] + 32 * x[b + 17] + 12 * x[b + 19]
                    - 11 * x[b + 21] + 3 * x[b + 23];
        }

        /** Moves the window one sample pair on; returns its start (the new pair goes at +22, +23). */
        int slide() {
            int b = w + 2;
            if (b + 24 > x.length) {
                System.arraycopy(x, b, x, 0, 22);
                b = 0;
            }
            w = b;
            return b;
        }
    }

    /** The decoder: the two inverse quantisers, then the receive QMF. */
    static final class Decoder implements AudioDecoder {
        private final Band low = new Band();
        private final Band high = new Band();
        private final QmfLine line = new QmfLine();
        private final io.rvoip.media.plc.FadePlc plc = new io.rvoip.media.plc.FadePlc(16000, 960);

        Decoder() {
            reset();
        }

        @Override
        public void reset() {
            low.reset(32);
            high.reset(8);
            line.reset();
            plc.reset();
        }

        @Override
        public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset) {
            AudioDecoder.checkRoom(2L * length, pcm, pcmOffset);
            int n = pcmOffset;
            for (int j = 0; j < length; j++) {
                int code = payload[offset + j] & 0xFF;
                int ilow = code & 0x3F;
                int ihigh = code >> 6;
                // lower band: INVQBL, RECONS, LIMIT
                int wd2 = (low.det * QM6[ilow]) >> 15;
                int rlow = Math.max(-16384, Math.min(16383, low.s + wd2));
                // INVQAL, LOGSCL, SCALEL, block 4
                int ril = ilow >> 2;
                int dlowt = (low.det * QM4[ril]) >> 15;
                low.adaptScale(WL[RL42[ril] & 7], 18432, 8);
                low.block4(dlowt);
                // upper band: INVQAH, RECONS, LIMIT
                int dhigh = (high.det * QM2[ihigh]) >> 15;
                int rhigh = Math.max(-16384, Math.min(16383, dhigh + high.s));
                high.adaptScale(WH[RH2[ihigh] & 3], 22528, 10);
                high.block4(dhigh);
                // receive QMF
                int b = line.slide();
                int[] x = line.x;
                x[b + 22] = rlow + rhigh;
                x[b + 23] = rlow - rhigh;
                int xout2 = QmfLine.evenTaps(x, b);
                int xout1 = QmfLine.oddTaps(x, b);
                pcm[n++] = (short) saturate(xout1 >> 11);
                pcm[n++] = (short) saturate(xout2 >> 11);
            }
            int samples = n - pcmOffset;
            plc.received(pcm, pcmOffset, samples);
            return samples;
        }

        @Override
        public int conceal(short[] pcm, int pcmOffset, int samples) {
            plc.conceal(pcm, pcmOffset, samples);
            return samples;
        }
    }
}
