package io.rvoip.sip.parser;

import io.rvoip.sip.header.Parameters;
import io.rvoip.sip.internal.AsciiTokens;
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

    byte[] b;
    int end;
    int base;
    int pos;
    /**
     * True while the bytes are a parsed message's own copy, which never changes: values made
     * from them may keep byte ranges of them instead of strings (see {@link UriParser}).
     */
    boolean stable;
    /** Work space for parameter lists; {@link Parameters.Collector#build()} copies out of it. */
    private Parameters.Collector params;

    Lexer(byte[] b, int start, int end, int base) {
        this.b = b;
        this.pos = start;
        this.end = end;
        this.base = base;
    }

    /** Points this lexer at another range, so one instance serves every header of a message. */
    Lexer reset(byte[] bytes, int start, int stop, int offsetBase) {
        if (b != bytes) {
            // the thread's lexer is long-lived: storing a young array in it costs a G1 card-mark
            // fence, so the bytes are stored once per message, not once per header
            this.b = bytes;
        }
        this.pos = start;
        this.end = stop;
        this.base = offsetBase;
        return this;
    }

    /** An empty parameter collector, reused by this lexer (build before asking again). */
    Parameters.Collector collector() {
        Parameters.Collector c = params;
        if (c == null) {
            c = params = new Parameters.Collector();
        } else {
            c.clear();
        }
        return c;
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
        int p = pos;
        if (p >= end) {
            return;
        }
        byte c = b[p];
        if (c > ' ') {
            return; // nearly always: nothing to skip
        }
        if (c == ' ' && p + 1 < end && b[p + 1] > ' ') {
            pos = p + 1; // else one space; the slow path (tabs, folds, runs) is rare, and so stays out of line
            return;
        }
        skipLwsSlow();
    }

    private void skipLwsSlow() {
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
        skipToken(what);
        return Tokens.of(b, start, pos);
    }

    /** Consumes 1*token-char without making a string. */
    void skipToken(String what) {
        skip(TOKEN, what);
    }

    /** Consumes 1*word-char without making a string. */
    void skipWord(String what) {
        skip(WORD, what);
    }

    /** Consumes 1*word-char. */
    String word(String what) {
        int start = pos;
        skip(WORD, what);
        return ascii(start, pos);
    }

    /** Consumes one or more bytes of {@code chars}; fails if there is none. */
    private void skip(boolean[] chars, String what) {
        int start = pos;
        while (pos < end && chars[b[pos] & 0xff]) {
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what);
        }
    }

    /**
     * Consumes a quoted string at the current position, checking it (quoted-pairs, folds, no
     * NUL or bare line break), without making a string; returns true if it holds quoted-pairs
     * or folds, i.e. if its content differs from its bytes.
     */
    boolean skipQuoted() {
        expect('"', "to open a quoted string");
        boolean escaped = false;
        while (pos < end) {
            byte c = b[pos];
            if (c == '"') {
                pos++;
                return escaped;
            }
            if (c == '\\') {
                if (pos + 1 >= end || b[pos + 1] == '\r' || b[pos + 1] == '\n') {
                    throw error("bad quoted-pair");
                }
                escaped = true;
                pos += 2;
                continue;
            }
            if (c == '\r' || c == '\n') {
                int fold = c == '\r' ? 2 : 1;
                if (pos + fold < end && (c == '\n' || b[pos + 1] == '\n') && isWsp(b[pos + fold])) {
                    escaped = true;
                    pos += fold;
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

    /** Consumes a quoted string at the current position; returns its unescaped content. */
    String quoted() {
        int open = pos;
        if (!skipQuoted()) {
            return utf8(open + 1, pos - 1);
        }
        // quoted-pairs become their character; a fold and the white space after it, one space
        StringBuilder sb = new StringBuilder(pos - open);
        int runStart = open + 1;
        int i = runStart;
        int close = pos - 1;
        while (i < close) {
            byte c = b[i];
            if (c == '\\') {
                sb.append(utf8(runStart, i)).append((char) (b[i + 1] & 0xff));
                i += 2;
                runStart = i;
            } else if (c == '\r' || c == '\n') {
                sb.append(utf8(runStart, i)).append(' ');
                i += c == '\r' ? 2 : 1;
                while (i < close && isWsp(b[i])) {
                    i++;
                }
                runStart = i;
            } else {
                i++;
            }
        }
        return sb.append(utf8(runStart, close)).toString();
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
        return AsciiTokens.latin1String(b, from, to);
    }

    String utf8(int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return new String(b, from, to - from, StandardCharsets.UTF_8);
            }
        }
        return AsciiTokens.latin1String(b, from, to);
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
