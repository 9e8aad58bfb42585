package io.rvoip.sip.parser;

import java.util.Objects;

/**
 * Finds message boundaries in a byte stream (TCP, TLS; RFC 3261 §18.3): the headers end at the
 * first empty line, and Content-Length, which is mandatory on a stream, gives the body length.
 *
 * <p>Use: keep received bytes in a buffer whose start is the start of the next message. First
 * drop {@link #leadingNewlines} bytes (CRLF keep-alives, RFC 5626 §4.4.1: a double CRLF is a
 * ping to answer with one CRLF); then call {@link #frameLength} with the buffered bytes. It
 * returns 0 while the message is incomplete, remembering how far it scanned so each byte is
 * examined once; once it returns a length, hand that many bytes to
 * {@link SipParser#parseFrame} and start over with the rest.
 *
 * <p>Errors ({@link SipParseException}): missing, malformed or repeated Content-Length, a
 * message over {@link ParserLimits#maxMessageSize()}, or a header line over
 * {@link ParserLimits#maxLineLength()}. After an error the stream's framing is lost: close the
 * connection.
 *
 * <p>Not thread-safe: one instance per connection.
 */
public final class SipStreamFramer {
    private final ParserLimits limits;
    private int scanned;
    private int lineStart;
    private int contentLength = -1;
    private int headersEnd = -1;

    /** A framer enforcing {@code limits}. */
    public SipStreamFramer(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A framer with {@link ParserLimits#DEFAULT}. */
    public SipStreamFramer() {
        this(ParserLimits.DEFAULT);
    }

    /** The number of CR and LF bytes at {@code b[offset..]} (keep-alives to discard). */
    public static int leadingNewlines(byte[] b, int offset, int length) {
        int n = 0;
        while (n < length && (b[offset + n] == '\r' || b[offset + n] == '\n')) {
            n++;
        }
        return n;
    }

    /**
     * The length of the message starting at {@code b[offset]}, or 0 if more bytes are needed.
     * Successive calls must present the same message start with at least as many bytes.
     */
    public int frameLength(byte[] b, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, b.length);
        if (headersEnd < 0) {
            scanHeaders(b, offset, length);
            if (headersEnd < 0) {
                return 0;
            }
        }
        long total = (long) headersEnd + contentLength;
        if (total > limits.maxMessageSize()) {
            throw new SipParseException("message larger than " + limits.maxMessageSize() + " bytes", headersEnd);
        }
        if (length < total) {
            return 0;
        }
        reset();
        return (int) total;
    }

    /** Forgets a partly scanned message (after an error, or to reuse the framer). */
    public void reset() {
        scanned = 0;
        lineStart = 0;
        contentLength = -1;
        headersEnd = -1;
    }

    private void scanHeaders(byte[] b, int offset, int length) {
        int limit = Math.min(length, limits.maxMessageSize());
        int i = scanned;
        while (i < limit) {
            if (b[offset + i] != '\n') {
                i++;
                continue;
            }
            int lineEnd = i > lineStart && b[offset + i - 1] == '\r' ? i - 1 : i;
            if (lineEnd == lineStart && lineStart > 0) {
                if (contentLength < 0) {
                    throw new SipParseException("Content-Length is mandatory on a stream", i);
                }
                headersEnd = i + 1;
                scanned = headersEnd;
                return;
            }
            if (lineEnd - lineStart > limits.maxLineLength()) {
                throw new SipParseException("header line too long", lineStart);
            }
            contentLengthLine(b, offset, lineStart, lineEnd);
            lineStart = i + 1;
            i++;
        }
        scanned = i;
        if (limit == limits.maxMessageSize() && length >= limit) {
            throw new SipParseException("headers larger than " + limits.maxMessageSize() + " bytes", lineStart);
        }
        if (i - lineStart > limits.maxLineLength()) {
            throw new SipParseException("header line too long", lineStart);
        }
    }

    /** Records the value if the line b[s..e) is a Content-Length header ("Content-Length" or "l"). */
    private void contentLengthLine(byte[] b, int offset, int s, int e) {
        int p = offset + s;
        int end = offset + e;
        int nameEnd = p;
        while (nameEnd < end && Lexer.isToken(b[nameEnd])) {
            nameEnd++;
        }
        int len = nameEnd - p;
        boolean compact = len == 1 && (b[p] | 0x20) == 'l';
        if (!compact && !(len == 14 && equalsIgnoreCase(b, p, "content-length"))) {
            return;
        }
        int q = nameEnd;
        while (q < end && (b[q] == ' ' || b[q] == '\t')) {
            q++;
        }
        if (q >= end || b[q] != ':') {
            return;
        }
        q++;
        while (q < end && (b[q] == ' ' || b[q] == '\t')) {
            q++;
        }
        long v = 0;
        int digits = q;
        while (q < end && b[q] >= '0' && b[q] <= '9') {
            v = v * 10 + (b[q] - '0');
            if (v > Integer.MAX_VALUE) {
                throw new SipParseException("Content-Length out of range", s);
            }
            q++;
        }
        while (q < end && (b[q] == ' ' || b[q] == '\t')) {
            q++;
        }
        if (q == digits || q != end) {
            throw new SipParseException("malformed Content-Length", s);
        }
        if (contentLength >= 0 && contentLength != v) {
            throw new SipParseException("conflicting Content-Length values", s);
        }
        contentLength = (int) v;
    }

    private static boolean equalsIgnoreCase(byte[] b, int p, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int c = b[p + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
