package io.rvoip.media.cn;

/**
 * The RFC 3389 comfort-noise payload: one noise-level byte (0..127 meaning 0 to −127 dBov) and
 * an optional spectral envelope of {@code M} reflection coefficients, each quantised uniformly
 * to an index {@code N} in 0..254 with {@code k = 258·(N − 127) / 32768}.
 *
 * <p>Reflection coefficients follow the convention of ITU-T G.711 Appendix II and common
 * implementations (ffmpeg's comfortnoise codec): the all-pole model is {@code 1 / A(z)} with
 * {@code A(z) = 1 + Σ a_i z^-i}, and {@code k_m} is the last coefficient {@code a_m} of the order-m
 * predictor in the Levinson recursion — so low-pass noise has a negative {@code k_1}.
 *
 * <p>0 dBov is the level of a full-scale square wave: an RMS of 32768 for 16-bit samples.
 */
public final class ComfortNoise {
    /** The static payload type for an 8000 Hz clock (RFC 3551); other rates take dynamic types. */
    public static final int STATIC_PAYLOAD_TYPE = 13;
    /** The SDP encoding name. */
    public static final String ENCODING = "CN";
    /** The highest model order this implementation sends and uses; higher-order coefficients received are ignored. */
    public static final int MAX_ORDER = 10;
    /** The quietest level: −127 dBov, treated as digital silence. */
    public static final int SILENT_LEVEL = 127;

    private ComfortNoise() {
    }

    /** The quantisation index (0..254) of a reflection coefficient. */
    public static int quantize(double k) {
        long n = Math.round(k * 32768.0 / 258.0) + 127;
        return (int) Math.max(0, Math.min(254, n));
    }

    /** The reflection coefficient of an index; index 255 (reserved) reads as 0. */
    public static double dequantize(int index) {
        return index == 255 ? 0 : 258.0 * (index - 127) / 32768.0;
    }

    /** The level byte (−dBov, 0..127) of a root-mean-square amplitude on the 16-bit scale. */
    public static int level(double rms) {
        if (!(rms > 0)) {
            return SILENT_LEVEL;
        }
        long l = Math.round(-20 * Math.log10(rms / 32768.0));
        return (int) Math.max(0, Math.min(SILENT_LEVEL, l));
    }

    /** The RMS amplitude on the 16-bit scale of a level byte; 0 for {@link #SILENT_LEVEL}. */
    public static double rms(int level) {
        return level >= SILENT_LEVEL ? 0 : 32768.0 * Math.pow(10, -level / 20.0);
    }
}
