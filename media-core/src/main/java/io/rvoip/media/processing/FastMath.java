package io.rvoip.media.processing;

/** Approximations for the per-bin hot paths, where {@link Math#log} costs more than the rest of the work. */
final class FastMath {
    private static final float LN2 = 0.6931471805599453f;

    private FastMath() {
    }

    /**
     * The natural logarithm of a positive, finite float, within 2e-6 (absolute) of {@link Math#log}:
     * the exponent from the bits, and ln of the mantissa m ∈ [1, 2) from the series
     * 2·(s + s³/3 + s⁵/5 + s⁷/7 + s⁹/9) with s = (m − 1)/(m + 1) ≤ 1/3. Zero, negatives and
     * subnormals give the log of the smallest normal float.
     */
    static float ln(float x) {
        int bits = Float.floatToRawIntBits(Math.max(x, Float.MIN_NORMAL));
        int exponent = ((bits >>> 23) & 0xFF) - 127;
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        float s = (m - 1) / (m + 1);
        float s2 = s * s;
        float series = s * (2f + s2 * (2f / 3 + s2 * (2f / 5 + s2 * (2f / 7 + s2 * (2f / 9)))));
        return exponent * LN2 + series;
    }
}
