package io.rvoip.media.codec;

import io.rvoip.media.plc.G711Plc;

/**
 * G.711 µ-law (PCMU, payload type 0) and A-law (PCMA, payload type 8), table-driven and
 * bit-exact with the ITU-T G.191 reference implementation of G.711: the encoder truncates the
 * 16-bit sample to 14 bits (µ-law) or 13 bits (A-law), negatives in one's complement; the
 * decoder gives the G.711 reconstruction values. {@link Rounding#NEAREST} rounds to nearest
 * instead, as sox does (a one-step difference on 510 of the 65,536 inputs for µ-law, 1,020 for
 * A-law). Decoders conceal lost frames with G.711 Appendix I ({@link G711Plc}).
 */
public final class G711 implements AudioCodec {
    /** The two companding laws. */
    public enum Law {
        /** µ-law (North America, Japan): PCMU. */
        MU,
        /** A-law (elsewhere): PCMA. */
        A
    }

    /** How the encoder reduces 16-bit samples before companding. */
    public enum Rounding {
        /** ITU-T G.191: truncate (the standard's reference). */
        TRUNCATE,
        /** Round to nearest, halves up (sox's encoder). */
        NEAREST
    }

    /** PCMU with truncation and Appendix I concealment. */
    public static final G711 PCMU = new G711(Law.MU, Rounding.TRUNCATE, true);
    /** PCMA with truncation and Appendix I concealment. */
    public static final G711 PCMA = new G711(Law.A, Rounding.TRUNCATE, true);

    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];
    /** µ-law code per 14-bit value (index: 16-bit sample >> 2, two's complement, & 0x3FFF). */
    private static final byte[] ULAW_ENCODE = new byte[1 << 14];
    /** A-law code per 13-bit value (index: 16-bit sample >> 3 & 0x1FFF). */
    private static final byte[] ALAW_ENCODE = new byte[1 << 13];
    /** sox's µ-law: code per rounded 14-bit value (two's complement, & 0x3FFF). */
    private static final byte[] ULAW_ENCODE_NEAREST = new byte[1 << 14];
    /** sox's A-law: code per rounded 13-bit value (& 0x1FFF). */
    private static final byte[] ALAW_ENCODE_NEAREST = new byte[1 << 13];

    static {
        for (int c = 0; c < 256; c++) {
            ULAW_DECODE[c] = (short) ulawExpand(c);
            ALAW_DECODE[c] = (short) alawExpand(c);
        }
        for (int i = 0; i < ULAW_ENCODE.length; i++) {
            int x = (short) (i << 2); // the 16-bit sample whose 14 top bits are i
            ULAW_ENCODE[i] = (byte) ulawCompress(x);
        }
        for (int i = 0; i < ALAW_ENCODE.length; i++) {
            int x = (short) (i << 3);
            ALAW_ENCODE[i] = (byte) alawCompress(x);
        }
        for (int v = -8192; v < 8192; v++) {
            ULAW_ENCODE_NEAREST[v & 0x3FFF] = (byte) linear14ToUlaw(v);
        }
        for (int v = -4096; v < 4096; v++) {
            ALAW_ENCODE_NEAREST[v & 0x1FFF] = (byte) linear13ToAlaw(v);
        }
    }

    /** The classic 14-bit µ-law encoder (two's complement magnitude, clip 8159, bias 33). */
    static int linear14ToUlaw(int v) {
        int mask;
        if (v < 0) {
            v = -v;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        if (v > 8159) {
            v = 8159;
        }
        v += 33;
        int seg = segment(v, 0x3F);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        return ((seg << 4) | ((v >> (seg + 1)) & 0xF)) ^ mask;
    }

    /** The classic 13-bit A-law encoder (negatives as -v - 1). */
    static int linear13ToAlaw(int v) {
        int mask;
        if (v >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            v = -v - 1;
        }
        int seg = segment(v, 0x1F);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        int aval = seg << 4;
        aval |= seg < 2 ? (v >> 1) & 0xF : (v >> seg) & 0xF;
        return aval ^ mask;
    }

    /** The first of 8 segment ends (first, then doubling plus one) not below {@code v}; 8 if none. */
    private static int segment(int v, int firstEnd) {
        int end = firstEnd;
        for (int seg = 0; seg < 8; seg++) {
            if (v <= end) {
                return seg;
            }
            end = (end << 1) | 1;
        }
        return 8;
    }

    private final Law law;
    private final Rounding rounding;
    private final boolean concealment;

    private G711(Law law, Rounding rounding, boolean concealment) {
        this.law = law;
        this.rounding = rounding;
        this.concealment = concealment;
    }

    /** The same law with another rounding. */
    public G711 withRounding(Rounding r) {
        return new G711(law, r, concealment);
    }

    /**
     * The same codec with or without Appendix I concealment. Without it, lost frames are silence
     * and decoding adds no delay; with it, output lags by 30 samples (3.75 ms) and payloads
     * should hold multiples of 10 ms (other lengths are decoded without concealment).
     */
    public G711 withConcealment(boolean on) {
        return new G711(law, rounding, on);
    }

    /** The law. */
    public Law law() {
        return law;
    }

    @Override
    public String name() {
        return law == Law.MU ? "PCMU" : "PCMA";
    }

    @Override
    public int clockRate() {
        return 8000;
    }

    @Override
    public int sampleRate() {
        return 8000;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int staticPayloadType() {
        return law == Law.MU ? 0 : 8;
    }

    @Override
    public int maxEncodedBytes(int samples) {
        return samples;
    }

    // ------------------------------------------------------------------ G.191 reference arithmetic

    /** G.191 {@code ulaw_compress} of one 16-bit sample: 14-bit magnitude, one's complement for negatives. */
    static int ulawCompress(int x) {
        int absno = x < 0 ? ((~x) >> 2) + 33 : (x >> 2) + 33;
        if (absno > 0x1FFF) {
            absno = 0x1FFF;
        }
        int i = absno >> 6;
        int segno = 1;
        while (i != 0) {
            segno++;
            i >>= 1;
        }
        int high = 8 - segno;
        int low = 0xF - ((absno >> segno) & 0xF);
        int code = (high << 4) | low;
        return x >= 0 ? code | 0x80 : code;
    }

    /** G.191 {@code alaw_compress}: 12-bit magnitude, one's complement for negatives, even bits inverted. */
    static int alawCompress(int x) {
        int ix = x < 0 ? (~x) >> 4 : x >> 4;
        if (ix > 15) {
            int iexp = 1;
            while (ix > 16 + 15) {
                ix >>= 1;
                iexp++;
            }
            ix -= 16;
            ix += iexp << 4;
        }
        if (x >= 0) {
            ix |= 0x80;
        }
        return ix ^ 0x55;
    }

    /** G.191 {@code ulaw_expand}. */
    static int ulawExpand(int code) {
        int sign = code < 0x80 ? -1 : 1;
        int mantissa = ~code;
        int exponent = (mantissa >> 4) & 7;
        int segment = exponent + 1;
        mantissa &= 0xF;
        int step = 4 << segment;
        return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
    }

    /** G.191 {@code alaw_expand}. */
    static int alawExpand(int code) {
        int ix = (code ^ 0x55) & 0x7F;
        int iexp = ix >> 4;
        int mant = ix & 0xF;
        if (iexp > 0) {
            mant += 16;
        }
        mant = (mant << 4) + 8;
        if (iexp > 1) {
            mant <<= iexp - 1;
        }
        return code > 127 ? mant : -mant;
    }

    // ------------------------------------------------------------------ fast paths

    /** µ-law code of a 16-bit sample (truncating, G.191). */
    public static byte linearToUlaw(int sample) {
        return ULAW_ENCODE[(sample >> 2) & 0x3FFF];
    }

    /** A-law code of a 16-bit sample (truncating, G.191). */
    public static byte linearToAlaw(int sample) {
        return ALAW_ENCODE[(sample >> 3) & 0x1FFF];
    }

    /** µ-law code of a 16-bit sample rounded to nearest 14-bit value first (sox). */
    public static byte linearToUlawRounded(int sample) {
        return ULAW_ENCODE_NEAREST[Math.min((sample + 2) >> 2, 8191) & 0x3FFF];
    }

    /** A-law code of a 16-bit sample rounded to nearest 13-bit value first (sox). */
    public static byte linearToAlawRounded(int sample) {
        return ALAW_ENCODE_NEAREST[Math.min((sample + 4) >> 3, 4095) & 0x1FFF];
    }

    /** The 16-bit value of a µ-law code. */
    public static short ulawToLinear(byte code) {
        return ULAW_DECODE[code & 0xFF];
    }

    /** The 16-bit value of an A-law code. */
    public static short alawToLinear(byte code) {
        return ALAW_DECODE[code & 0xFF];
    }

    @Override
    public AudioEncoder newEncoder() {
        boolean mu = law == Law.MU;
        boolean nearest = rounding == Rounding.NEAREST;
        return new AudioEncoder() {
            @Override
            public int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset) {
                if (mu) {
                    if (nearest) {
                        for (int i = 0; i < samples; i++) {
                            out[outOffset + i] = linearToUlawRounded(pcm[offset + i]);
                        }
                    } else {
                        for (int i = 0; i < samples; i++) {
                            out[outOffset + i] = ULAW_ENCODE[(pcm[offset + i] >> 2) & 0x3FFF];
                        }
                    }
                } else if (nearest) {
                    for (int i = 0; i < samples; i++) {
                        out[outOffset + i] = linearToAlawRounded(pcm[offset + i]);
                    }
                } else {
                    for (int i = 0; i < samples; i++) {
                        out[outOffset + i] = ALAW_ENCODE[(pcm[offset + i] >> 3) & 0x1FFF];
                    }
                }
                return samples;
            }

            @Override
            public void reset() {
                // stateless
            }
        };
    }

    @Override
    public AudioDecoder newDecoder() {
        return new Decoder(law == Law.MU ? ULAW_DECODE : ALAW_DECODE, concealment ? new G711Plc() : null);
    }

    private static final class Decoder implements AudioDecoder {
        private final short[] table;
        private final G711Plc plc;

        Decoder(short[] table, G711Plc plc) {
            this.table = table;
            this.plc = plc;
        }

        @Override
        public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset) {
            AudioDecoder.checkRoom(length, pcm, pcmOffset);
            for (int i = 0; i < length; i++) {
                pcm[pcmOffset + i] = table[payload[offset + i] & 0xFF];
            }
            if (plc != null && length % G711Plc.FRAME == 0) {
                for (int f = 0; f < length; f += G711Plc.FRAME) {
                    plc.received(pcm, pcmOffset + f);
                }
            }
            return length;
        }

        @Override
        public int conceal(short[] pcm, int pcmOffset, int samples) {
            if (plc == null || samples % G711Plc.FRAME != 0) {
                java.util.Arrays.fill(pcm, pcmOffset, pcmOffset + samples, (short) 0);
                return samples;
            }
            for (int f = 0; f < samples; f += G711Plc.FRAME) {
                plc.conceal(pcm, pcmOffset + f);
            }
            return samples;
        }

        @Override
        public int delaySamples() {
            return plc == null ? 0 : G711Plc.DELAY;
        }

        @Override
        public void reset() {
            if (plc != null) {
                plc.reset();
            }
        }
    }

    @Override
    public String toString() {
        return name() + "/8000";
    }
}
