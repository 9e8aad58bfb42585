package io.rvoip.sip.parser;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over the bytes of one header value (or start line) with the RFC 3261 §25.1 lexical
 * rules: LWS (including folded CRLF + WSP), tokens, words, quoted strings with quoted-pairs,
 * separators surrounded by optional LWS, and bounded decimal numbers.
 *
 * <p>Every failure is a {@link SipParseException} with the offset relative to {@code base}.
 * Not thread-safe; one instance per parse.
 */
final class Lexer {
    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] WORD = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
        System.arraycopy(TOKEN, 0, WORD, 0, 256);
        for (char c : "()<>:\\\"/[]?{}".toCharArray()) {
            WORD[c] = true;
        }
    }

    final byte[] b;
    final int end;
    final int base;
    int pos;

    Lexer(byte[] b, int start, int end, int base) {
        this.b = b;
        this.pos = start;
        this.end = end;
        this.base = base;
    }

    static boolean isToken(int c) {
        return c >= 0 && TOKEN[c & 0xff];
    }

    static boolean isWord(int c) {
        return c >= 0 && WORD[c & 0xff];
    }

    static boolean isWsp(int c) {
        return c == ' ' || c == '\t';
    }

    SipParseException error(String reason) {
        return new SipParseException(reason, pos - base);
    }

    boolean more() {
        return pos < end;
    }

    /** The current byte (0..255), or -1 at the end. */
    int peek() {
        return pos < end ? b[pos] & 0xff : -1;
    }

    /** Skips LWS: spaces, tabs and line folds (CRLF or LF followed by a space or tab). */
    void skipLws() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '\r' && pos + 2 < end && b[pos + 1] == '\n' && isWsp(b[pos + 2])) {
                pos += 3;
            } else if (c == '\n' && pos + 1 < end && isWsp(b[pos + 1])) {
                pos += 2;
            } else {
                return;
            }
        }
    }

    /** Skips LWS, then consumes {@code c} and the LWS after it; restores the position if absent. */
    boolean sep(char c) {
        int save = pos;
        skipLws();
        if (pos < end && b[pos] == c) {
            pos++;
            skipLws();
            return true;
        }
        pos = save;
        return false;
    }

    /** Like {@link #sep(char)} but fails if the separator is missing. */
    void expectSep(char c, String what) {
        if (!sep(c)) {
            throw error("expected '" + c + "' " + what);
        }
    }

    /** Consumes {@code c} exactly here (no LWS); fails if absent. */
    void expect(char c, String what) {
        if (pos >= end || b[pos] != c) {
            throw error("expected '" + c + "' " + what);
        }
        pos++;
    }

    /** True at the end, after optional LWS. */
    boolean atEndAfterLws() {
        skipLws();
        return pos >= end;
    }

    /** Fails unless only LWS is left. */
    void expectEnd(String what) {
        if (!atEndAfterLws()) {
            throw error("unexpected '" + (char) peek() + "' " + what);
        }
    }

    /** Consumes 1*token-char; common tokens come back as shared constants (no allocation). */
    String token(String what) {
        int start = pos;
        while (pos < end && TOKEN[b[pos] & 0xff]) {
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what);
        }
        return Tokens.of(b, start, pos);
    }

    /** Consumes 1*word-char. */
    String word(String what) {
        int start = pos;
        while (pos < end && WORD[b[pos] & 0xff]) {
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what);
        }
        return ascii(start, pos);
    }

    /** Consumes a quoted string at the current position; returns its unescaped content. */
    String quoted() {
        expect('"', "to open a quoted string");
        int start = pos;
        StringBuilder sb = null;
        int runStart = start;
        while (pos < end) {
            byte c = b[pos];
            if (c == '"') {
                String s;
                if (sb == null) {
                    s = utf8(start, pos);
                } else {
                    sb.append(utf8(runStart, pos));
                    s = sb.toString();
                }
                pos++;
                return s;
            }
            if (c == '\\') {
                if (pos + 1 >= end || b[pos + 1] == '\r' || b[pos + 1] == '\n') {
                    throw error("bad quoted-pair");
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(utf8(runStart, pos));
                sb.append((char) (b[pos + 1] & 0xff));
                pos += 2;
                runStart = pos;
                continue;
            }
            if (c == '\r' || c == '\n') {
                int fold = c == '\r' ? 2 : 1;
                if (pos + fold < end && (c == '\n' || b[pos + 1] == '\n') && isWsp(b[pos + fold])) {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(utf8(runStart, pos)).append(' ');
                    pos += fold;
                    while (pos < end && isWsp(b[pos])) {
                        pos++;
                    }
                    runStart = pos;
                    continue;
                }
                throw error("line break inside a quoted string");
            }
            if (c == 0) {
                throw error("NUL inside a quoted string");
            }
            pos++;
        }
        throw error("unterminated quoted string");
    }

    /**
     * Consumes 1*DIGIT (leading zeros allowed) and returns its value.
     *
     * @throws SipParseException if there are no digits or the value exceeds {@code max}
     */
    long number(long max, String what) {
        int start = pos;
        long v = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + (b[pos] - '0');
            if (v > max) {
                throw error(what + " out of range");
            }
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what);
        }
        return v;
    }

    String ascii(int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    String utf8(int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return new String(b, from, to - from, StandardCharsets.UTF_8);
            }
        }
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The text from {@code from} to the current position with line folds replaced by one space. */
    String unfolded(int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                StringBuilder sb = new StringBuilder(to - from);
                int run = from;
                int j = from;
                while (j < to) {
                    if (b[j] == '\r' || b[j] == '\n') {
                        sb.append(utf8(run, j));
                        while (j < to && (b[j] == '\r' || b[j] == '\n' || isWsp(b[j]))) {
                            j++;
                        }
                        sb.append(' ');
                        run = j;
                    } else {
                        j++;
                    }
                }
                return sb.append(utf8(run, to)).toString();
            }
        }
        return utf8(from, to);
    }
}
