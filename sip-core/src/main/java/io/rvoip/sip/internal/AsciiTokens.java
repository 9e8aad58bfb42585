package io.rvoip.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fixed set of short ASCII tokens that a parser returns as shared constants, so parsing
 * them allocates nothing, plus the byte-range helpers the parsers share. Matches are
 * exact-case: anything else becomes a new string, so text is never altered.
 *
 * <p>Lookup of a token of up to 15 bytes reads it as two little-endian words (zero-padded,
 * its length in the top byte of the second), hashes them and probes an open-addressing table
 * of such keys: a few loads and two compares, whatever the token. Longer tokens are found
 * among the candidates with their length and first byte, compared byte by byte.
 * Thread safety: immutable.
 */
public final class AsciiTokens {
    private static final int MAX_LENGTH = 32;
    /** Tokens up to this length are keyed by two words. */
    private static final int MAX_PACKED = 15;
    private final String[] tokens;
    private final byte[][] bytes;
    /** Tokens longer than {@link #MAX_PACKED}: candidate indexes by length and first byte. */
    private final int[][] byLengthAndFirst = new int[MAX_LENGTH * 128][];
    /** The packed table: per slot the two key words and the token; an empty slot has a null token. */
    private final long[] keyLow;
    private final long[] keyHigh;
    private final String[] slotToken;
    private final int slotMask;

    /** A table of {@code tokens} (ASCII, 1–31 bytes each). */
    public AsciiTokens(String... tokens) {
        this.tokens = tokens.clone();
        this.bytes = new byte[tokens.length][];
        int slots = Integer.highestOneBit(Math.max(4, tokens.length) * 4 - 1) * 2; // load factor <= 1/4
        this.keyLow = new long[slots];
        this.keyHigh = new long[slots];
        this.slotToken = new String[slots];
        this.slotMask = slots - 1;
        for (int i = 0; i < tokens.length; i++) {
            bytes[i] = tokens[i].getBytes(StandardCharsets.US_ASCII);
            byte[] t = bytes[i];
            if (t.length == 0 || t.length >= MAX_LENGTH || t[0] < 0) {
                throw new IllegalArgumentException("not a short ASCII token: " + tokens[i]);
            }
            if (t.length <= MAX_PACKED) {
                long low = word(t, 0, t.length);
                long high = highWord(t, 0, t.length);
                int slot = slot(low, high);
                while (slotToken[slot] != null && !(keyLow[slot] == low && keyHigh[slot] == high)) {
                    slot = (slot + 1) & slotMask;
                }
                if (slotToken[slot] == null) { // a repeated token keeps its first string
                    keyLow[slot] = low;
                    keyHigh[slot] = high;
                    slotToken[slot] = tokens[i];
                }
                continue;
            }
            int key = lengthAndFirst(t.length, t[0]);
            int[] old = byLengthAndFirst[key];
            int[] grown = old == null ? new int[1] : Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = i;
            byLengthAndFirst[key] = grown;
        }
    }

    private static int lengthAndFirst(int len, byte first) {
        return (len << 7) | (first & 0x7f);
    }

    private int slot(long low, long high) {
        long h = low * 0x9E3779B97F4A7C15L ^ high * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ h >>> 32) & slotMask;
    }

    /** Bytes {@code b[s..s+min(len,8))} as a little-endian word, zero-padded. */
    private static long word(byte[] b, int s, int len) {
        int n = Math.min(len, 8);
        if (s + 8 <= b.length) {
            long w = (long) LONGS.get(b, s);
            return n == 8 ? w : w & ((1L << (n << 3)) - 1);
        }
        long w = 0;
        for (int i = n - 1; i >= 0; i--) {
            w = w << 8 | (b[s + i] & 0xff);
        }
        return w;
    }

    /** Bytes 8 to 14 of the range as a word, zero-padded, with the length in the top byte. */
    private static long highWord(byte[] b, int s, int len) {
        return (len > 8 ? word(b, s + 8, len - 8) : 0) | (long) len << 56;
    }

    /** The shared constant spelled exactly by {@code b[s..e)}, or null. */
    public String find(byte[] b, int s, int e) {
        int len = e - s;
        if (len <= 0 || len >= MAX_LENGTH) {
            return null;
        }
        if (len <= MAX_PACKED) {
            long low = word(b, s, len);
            long high = highWord(b, s, len);
            for (int slot = slot(low, high);; slot = (slot + 1) & slotMask) {
                String t = slotToken[slot];
                if (t == null || keyLow[slot] == low && keyHigh[slot] == high) {
                    return t;
                }
            }
        }
        if (b[s] < 0) {
            return null;
        }
        int[] candidates = byLengthAndFirst[lengthAndFirst(len, b[s])];
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

    /** The index of the first ':' in b[from..to), or -1; eight bytes per step (SWAR). */
    public static int colon(byte[] b, int from, int to) {
        return indexOfByte(b, from, to, (byte) ':');
    }

    /** The index of the first ',' in b[from..to), or -1; eight bytes per step (SWAR). */
    public static int comma(byte[] b, int from, int to) {
        return indexOfByte(b, from, to, (byte) ',');
    }

    private static final long SPACES = 0x2020202020202020L;
    private static final long TABS = 0x0909090909090909L;

    /** The index of the first space or tab in b[from..to), or {@code to}; eight bytes per step (SWAR). */
    public static int blank(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i);
            long x = w ^ SPACES;
            long y = w ^ TABS;
            long found = ((x - ONES) & ~x | (y - ONES) & ~y) & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == ' ' || b[i] == '\t') {
                return i;
            }
        }
        return to;
    }

    /**
     * The index of the first {@code c} in b[from..to), or -1; eight bytes per step (SWAR). For
     * bytes that end runs of varying length, where a byte loop pays a step and a compare per
     * byte.
     */
    public static int indexOfByte(byte[] b, int from, int to, byte c) {
        long pattern = (c & 0xff) * ONES; // a constant once inlined into lineFeed(), colon(), ...
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ pattern;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first '\n' in b[from..to), or -1; eight bytes per step (SWAR). */
    public static int lineFeed(byte[] b, int from, int to) {
        return indexOfByte(b, from, to, (byte) '\n');
    }
}
