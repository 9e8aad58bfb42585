package io.rvoip.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fixed set of short ASCII tokens that a parser returns as shared constants, so parsing
 * them allocates nothing, plus the byte-range helpers the parsers share. Matches are
 * exact-case: anything else becomes a new string, so text is never altered.
 *
 * <p>Lookup: the candidates with the token's length and first byte, compared byte by byte.
 * Thread safety: immutable.
 */
public final class AsciiTokens {
    private static final int MAX_LENGTH = 32;
    private final String[] tokens;
    private final byte[][] bytes;
    private final int[][] byLengthAndFirst = new int[MAX_LENGTH * 128][];

    /** A table of {@code tokens} (ASCII, 1–31 bytes each). */
    public AsciiTokens(String... tokens) {
        this.tokens = tokens.clone();
        this.bytes = new byte[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            bytes[i] = tokens[i].getBytes(StandardCharsets.US_ASCII);
            if (bytes[i].length == 0 || bytes[i].length >= MAX_LENGTH || bytes[i][0] < 0) {
                throw new IllegalArgumentException("not a short ASCII token: " + tokens[i]);
            }
            int key = slot(bytes[i].length, bytes[i][0]);
            int[] old = byLengthAndFirst[key];
            int[] grown = old == null ? new int[1] : Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = i;
            byLengthAndFirst[key] = grown;
        }
    }

    private static int slot(int len, byte first) {
        return (len << 7) | (first & 0x7f);
    }

    /** The shared constant spelled exactly by {@code b[s..e)}, or null. */
    public String find(byte[] b, int s, int e) {
        int len = e - s;
        if (len <= 0 || len >= MAX_LENGTH || b[s] < 0) {
            return null;
        }
        int[] candidates = byLengthAndFirst[slot(len, b[s])];
        if (candidates != null) {
            for (int i : candidates) {
                if (same(bytes[i], b, s, len)) {
                    return tokens[i];
                }
            }
        }
        return null;
    }

    /** {@code b[s..e)} as ISO-8859-1 text: the shared constant when it is one of the tokens. */
    public String latin1(byte[] b, int s, int e) {
        String t = find(b, s, e);
        return t != null ? t : latin1String(b, s, e);
    }

    /**
     * {@code t} equals {@code b[s..s+len)} ({@code t.length == len}). A plain loop: tokens are
     * short, and {@code Arrays.equals} calls a vectorised intrinsic whose set-up costs more than
     * the compare.
     */
    public static boolean same(byte[] t, byte[] b, int s, int len) {
        for (int i = 0; i < len; i++) {
            if (t[i] != b[s + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text of {@code b[s..e)}, one char per byte (ISO-8859-1).
     *
     * <p>{@code new String(bytes, off, len, ISO_8859_1)} goes through the JDK's general decoding
     * constructor, which is too large for the JIT to inline, and the parsers make a dozen
     * strings per message. The old "hibyte" constructor does the same for Latin-1 (each char is
     * the byte's unsigned value) as one small array copy that inlines. Its deprecation is about
     * non-Latin-1 text, which is not what it is used for here.
     */
    @SuppressWarnings("deprecation")
    public static String latin1String(byte[] b, int s, int e) {
        return new String(b, 0, s, e - s);
    }

    /** The index of the first {@code c} in {@code b[s..e)}, or -1. */
    public static int indexOf(byte[] b, int s, int e, byte c) {
        for (int i = s; i < e; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;

    /** The index of the first '\n' in b[from..to), or -1; eight bytes per step (SWAR). */
    public static int lineFeed(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ LFS;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
