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
    private static final int[] ILN = {0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15,
        14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0};
    private static final int[] ILP = {0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43,
        42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0};
    private static final int[] WL = {-60, -30, 58, 172, 334, 538, 1198, 3042};
    private static final int[] RL42 = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
    private static final int[] ILB = {2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656,
        2714, 2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922,
        4008};
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
    private static final int[] WH = {0, -214, 798};
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

    /** The adaptive predictor and quantiser state of one sub-band. */
    static final class Band {
        int s;
        int sp;
        int sz;
        final int[] r = new int[3];
        final int[] a = new int[3];
        final int[] ap = new int[3];
        final int[] p = new int[3];
        final int[] d = new int[7];
        final int[] b = new int[7];
        final int[] bp = new int[7];
        final int[] sg = new int[7];
        int nb;
        int det;

        void reset(int initialDet) {
            s = sp = sz = nb = 0;
            java.util.Arrays.fill(r, 0);
            java.util.Arrays.fill(a, 0);
            java.util.Arrays.fill(ap, 0);
            java.util.Arrays.fill(p, 0);
            java.util.Arrays.fill(d, 0);
            java.util.Arrays.fill(b, 0);
            java.util.Arrays.fill(bp, 0);
            java.util.Arrays.fill(sg, 0);
            det = initialDet;
        }

        /** Block 4: reconstruction, pole and zero predictor adaptation, prediction. */
        void block4(int dq) {
            d[0] = dq;
            r[0] = saturate(s + dq);
            p[0] = saturate(sz + dq);
            // UPPOL2
            for (int i = 0; i < 3; i++) {
                sg[i] = p[i] >> 15;
            }
            int wd1 = saturate(a[1] << 2);
            int wd2 = sg[0] == sg[1] ? -wd1 : wd1;
            if (wd2 > 32767) {
                wd2 = 32767;
            }
            int wd3 = (wd2 >> 7) + (sg[0] == sg[2] ? 128 : -128);
            wd3 += (a[2] * 32512) >> 15;
            wd3 = Math.max(-12288, Math.min(12288, wd3));
            ap[2] = wd3;
            // UPPOL1
            sg[0] = p[0] >> 15;
            sg[1] = p[1] >> 15;
            wd1 = sg[0] == sg[1] ? 192 : -192;
            wd2 = (a[1] * 32640) >> 15;
            ap[1] = saturate(wd1 + wd2);
            wd3 = saturate(15360 - ap[2]);
            if (ap[1] > wd3) {
                ap[1] = wd3;
            } else if (ap[1] < -wd3) {
                ap[1] = -wd3;
            }
            // UPZERO
            wd1 = dq == 0 ? 0 : 128;
            sg[0] = dq >> 15;
            for (int i = 1; i < 7; i++) {
                sg[i] = d[i] >> 15;
                wd2 = sg[i] == sg[0] ? wd1 : -wd1;
                wd3 = (b[i] * 32640) >> 15;
                bp[i] = saturate(wd2 + wd3);
            }
            // DELAYA
            for (int i = 6; i > 0; i--) {
                d[i] = d[i - 1];
                b[i] = bp[i];
            }
            for (int i = 2; i > 0; i--) {
                r[i] = r[i - 1];
                p[i] = p[i - 1];
                a[i] = ap[i];
            }
            // FILTEP
            wd1 = saturate(r[1] + r[1]);
            wd1 = (a[1] * wd1) >> 15;
            wd2 = saturate(r[2] + r[2]);
            wd2 = (a[2] * wd2) >> 15;
            sp = saturate(wd1 + wd2);
            // FILTEZ
            int z = 0;
            for (int i = 6; i > 0; i--) {
                wd1 = saturate(d[i] + d[i]);
                z += (b[i] * wd1) >> 15;
            }
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
        private final int[] x = new int[24];

        Encoder() {
            reset();
        }

        @Override
        public void reset() {
            low.reset(32);
            high.reset(8);
            java.util.Arrays.fill(x, 0);
        }

        @Override
        public int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset) {
            int n = 0;
            for (int j = 0; j < samples; j += 2) {
                System.arraycopy(x, 2, x, 0, 22);
                x[22] = pcm[offset + j];
                x[23] = j + 1 < samples ? pcm[offset + j + 1] : 0;
                int sumOdd = 0;
                int sumEven = 0;
                for (int i = 0; i < 12; i++) {
                    sumOdd += x[2 * i] * QMF[i];
                    sumEven += x[2 * i + 1] * QMF[11 - i];
                }
                int xlow = (sumEven + sumOdd) >> 14;
                int xhigh = (sumEven - sumOdd) >> 14;

                // lower band: SUBTRA, QUANTL
                int el = saturate(xlow - low.s);
                int wd = el >= 0 ? el : -(el + 1);
                int i = 1;
                for (; i < 30; i++) {
                    if (wd < (Q6[i] * low.det) >> 12) {
                        break;
                    }
                }
                int ilow = el < 0 ? ILN[i] : ILP[i];
                // INVQAL, LOGSCL, SCALEL, block 4
                int ril = ilow >> 2;
                int dlow = (low.det * QM4[ril]) >> 15;
                low.adaptScale(WL[RL42[ril]], 18432, 8);
                low.block4(dlow);

                // upper band: SUBTRA, QUANTH
                int eh = saturate(xhigh - high.s);
                wd = eh >= 0 ? eh : -(eh + 1);
                int mih = wd >= (564 * high.det) >> 12 ? 2 : 1;
                int ihigh = eh < 0 ? IHN[mih] : IHP[mih];
                // INVQAH, LOGSCH, SCALEH, block 4
                int dhigh = (high.det * QM2[ihigh]) >> 15;
                high.adaptScale(WH[RH2[ihigh]], 22528, 10);
                high.block4(dhigh);

                out[outOffset + n++] = (byte) ((ihigh << 6) | ilow);
            }
            return n;
        }
    }

    /** The decoder: the two inverse quantisers, then the receive QMF. */
    static final class Decoder implements AudioDecoder {
        private final Band low = new Band();
        private final Band high = new Band();
        private final int[] x = new int[24];
        private final io.rvoip.media.plc.FadePlc plc = new io.rvoip.media.plc.FadePlc(16000, 960);

        Decoder() {
            reset();
        }

        @Override
        public void reset() {
            low.reset(32);
            high.reset(8);
            java.util.Arrays.fill(x, 0);
            plc.reset();
        }

        @Override
        public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset) {
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
                low.adaptScale(WL[RL42[ril]], 18432, 8);
                low.block4(dlowt);
                // upper band: INVQAH, RECONS, LIMIT
                int dhigh = (high.det * QM2[ihigh]) >> 15;
                int rhigh = Math.max(-16384, Math.min(16383, dhigh + high.s));
                high.adaptScale(WH[RH2[ihigh]], 22528, 10);
                high.block4(dhigh);
                // receive QMF
                System.arraycopy(x, 2, x, 0, 22);
                x[22] = rlow + rhigh;
                x[23] = rlow - rhigh;
                int xout1 = 0;
                int xout2 = 0;
                for (int i = 0; i < 12; i++) {
                    xout2 += x[2 * i] * QMF[i];
                    xout1 += x[2 * i + 1] * QMF[11 - i];
                }
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
