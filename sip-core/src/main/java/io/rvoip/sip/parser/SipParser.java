package io.rvoip.sip.parser;

import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.internal.AsciiTokens;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.uri.Uri;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Parses SIP messages from bytes in one pass (RFC 3261 §7, §25).
 *
 * <p>What is parsed at once depends on the {@link Depth}. At {@link Depth#TRANSACTION} (the
 * default): the start line (method, Request-URI, version; or version, status, reason), and the
 * typed values of Via, From, To, Call-ID, CSeq, Max-Forwards and Content-Length. Every other
 * header field is only indexed: its typed value is parsed on first access. A malformed hot
 * header makes the whole message fail; a malformed other header fails only when accessed. At
 * {@link Depth#FULL}, every field that has a typed header in
 * {@link io.rvoip.sip.header.SipHeaders} is typed during the parse as well, so a malformed one
 * fails the whole message; the typed values are the ones access would have parsed.
 *
 * <p>Two framings: {@link #parseDatagram} takes one message from one UDP datagram — octets
 * past Content-Length are ignored, and without Content-Length the body runs to the end
 * (RFC 3261 §18.3); {@link #parseFrame} takes one message found by {@link SipStreamFramer} on
 * a stream, where Content-Length is mandatory.
 *
 * <p>Leniencies (each one seen in real traffic, none ambiguous): leading CRLFs are skipped
 * (keep-alives, RFC 3261 §7.5); a bare LF is accepted as a line end; trailing white space of
 * header lines is ignored; a status line may omit the space before an empty reason phrase; a
 * datagram that ends right after a header line has no body even without the empty line.
 *
 * <p>Errors: {@link SipParseException} only, with the offset from the message start; every
 * size is checked against {@link ParserLimits}. Thread-safe and stateless apart from its
 * limits and depth.
 */
public final class SipParser {
    /**
     * How much of a message the parser types while it parses. Either way the message is the
     * same and every typed value is available; the depth decides when a header's value is
     * parsed, and so when a malformed one is refused.
     */
    public enum Depth {
        /**
         * The start line and the headers a transaction layer reads on every message (Via, From,
         * To, Call-ID, CSeq, Max-Forwards, Content-Length); every other field is typed on first
         * access. The fastest, for proxies and transaction layers that read few headers.
         */
        TRANSACTION,
        /**
         * Every field that has a typed header in {@link io.rvoip.sip.header.SipHeaders} is typed
         * during the parse, and a malformed one fails the whole message with its offset (what
         * JAIN-SIP does). For user agents that read most headers anyway, and for servers that
         * want to refuse a bad header before any processing (RFC 3261 §8.2: with a 400). Fields
         * without a typed header (extension headers, and known ones kept as text) stay text.
         */
        FULL
    }

    private static final SipParser DEFAULT = new SipParser(ParserLimits.DEFAULT);
    private static final SipParser FULL_DEFAULT = new SipParser(ParserLimits.DEFAULT, Depth.FULL);
    private static final String SIP_2_0 = "SIP/2.0";

    /**
     * The names {@link #hotHeaders} acts on, by a few bits of their hash: a field whose name is
     * not in its slot (most fields) is passed over with one load and one compare.
     */
    private static final HeaderName[] HOT = new HeaderName[128];
    private static final int HOT_MASK = HOT.length - 1;

    static {
        for (HeaderName n : new HeaderName[] {HeaderName.VIA, HeaderName.FROM, HeaderName.TO, HeaderName.CALL_ID,
            HeaderName.CSEQ, HeaderName.MAX_FORWARDS, HeaderName.CONTENT_LENGTH, HeaderName.ROUTE,
            HeaderName.RECORD_ROUTE}) {
            int slot = n.hashCode() & HOT_MASK;
            if (HOT[slot] != null) {
                throw new ExceptionInInitializerError("hot header names share a slot: " + n + ", " + HOT[slot]);
            }
            HOT[slot] = n;
        }
    }
    /** Per-thread work arrays for the header index, so a message keeps arrays of its exact size. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        HeaderName[] names = new HeaderName[32];
        int[] offs = new int[128];
        /** One lexer (and its parameter work space) for every hot header of a message. */
        final Lexer lexer = new Lexer(null, 0, 0, 0);

        Scratch() {
            lexer.stable = true; // it only ever reads a parsed message's own copy
        }
    }

    private final ParserLimits limits;
    private final Depth depth;
    private final boolean full;

    /** A parser with the given limits, at {@link Depth#TRANSACTION}. */
    public SipParser(ParserLimits limits) {
        this(limits, Depth.TRANSACTION);
    }

    /** A parser with the given limits and depth. */
    public SipParser(ParserLimits limits, Depth depth) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.depth = Objects.requireNonNull(depth, "depth");
        this.full = depth == Depth.FULL;
    }

    /** A parser with {@link ParserLimits#DEFAULT}, at {@link Depth#TRANSACTION}. */
    public static SipParser defaults() {
        return DEFAULT;
    }

    /** A parser with {@link ParserLimits#DEFAULT}, at {@link Depth#FULL}. */
    public static SipParser fullDepth() {
        return FULL_DEFAULT;
    }

    /** The limits in force. */
    public ParserLimits limits() {
        return limits;
    }

    /** How much of a message this parser types while it parses. */
    public Depth depth() {
        return depth;
    }

    /** Parses one datagram held in {@code data}; the bytes are copied. */
    public SipMessage parseDatagram(byte[] data) {
        return parseDatagram(data, 0, data.length);
    }

    /** Parses one datagram held in {@code data[offset..offset+length)}; the bytes are copied. */
    public SipMessage parseDatagram(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return parse(data, offset, length, false, false);
    }

    /** Parses one datagram held in the remaining bytes of {@code buf} (not consumed). */
    public SipMessage parseDatagram(ByteBuffer buf) {
        if (buf.hasArray()) {
            return parseDatagram(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
        }
        byte[] copy = new byte[buf.remaining()];
        buf.duplicate().get(copy);
        return parse(copy, 0, copy.length, false, true);
    }

    /**
     * Parses one complete message cut from a stream by {@link SipStreamFramer}: Content-Length
     * is required and must account for exactly the bytes after the headers.
     */
    public SipMessage parseFrame(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return parse(data, offset, length, true, false);
    }

    /**
     * Parses a message whose array the caller hands over and will never touch again, with the
     * rules of {@link #parseDatagram(byte[])}; no copy is made when the array holds exactly the
     * message. Used by the UDP and WebSocket transports, with the array they copied out of the
     * socket's buffer, and by the message builders.
     */
    public SipMessage parseOwned(byte[] data) {
        return parseOwned(data, null);
    }

    /**
     * As {@link #parseOwned(byte[])}, with typed values already known: {@code known[i]}, when
     * not null, is taken as header field {@code i}'s typed value instead of parsing it. The
     * caller guarantees that each such value was parsed from exactly the bytes field {@code i}
     * holds (the message builders pass on what the message they copy a field from had parsed).
     * Content-Length is always parsed; the message's size, field count and line lengths and the
     * number of Via and Route values are checked against this parser's limits as usual, but a
     * given value's own contents (its URI length, say) are not checked again.
     *
     * @param known typed values by field position (may be shorter than the field count), or null
     */
    public SipMessage parseOwned(byte[] data, Object[] known) {
        try {
            return SipMessage.fromIndex(index(data, 0, data.length, false, true, known));
        } catch (RuntimeException e) {
            throw asParseException(e);
        }
    }

    /**
     * The 400 Bad Request for a request this parser refused (RFC 3261 §8.2.6, §21.4.1; RFC 4475
     * §3.1.2): the Via, From, To, Call-ID and CSeq fields that can still be read are copied, a To
     * tag is added, and the reason phrase names the problem ({@code reason}, usually the
     * {@link SipParseException}'s message, cut to printable ASCII). Fields that do not parse are
     * left out.
     *
     * <p>The response still needs routing: whoever sends it adds {@code received}/{@code rport}
     * to its top Via from the packet's source, as for any request.
     *
     * @param refused the bytes the parser refused
     * @param reason what was wrong, or null
     * @return the response, or null when there is nothing to answer: not a request line, an ACK,
     *     or no readable Via
     */
    public io.rvoip.sip.message.SipResponse badRequestFor(byte[] refused, String reason) {
        Objects.requireNonNull(refused, "refused");
        return BadRequestSalvage.badRequest(this, refused, reason);
    }

    private SipMessage parse(byte[] b, int off, int len, boolean stream, boolean owned) {
        try {
            return SipMessage.fromIndex(index(b, off, len, stream, owned, null));
        } catch (RuntimeException e) {
            throw asParseException(e);
        }
    }

    /** Turns any failure into a {@link SipParseException}; a non-parse exception marks a parser bug. */
    static SipParseException asParseException(RuntimeException e) {
        if (e instanceof SipParseException p) {
            return p;
        }
        SipParseException p = new SipParseException("internal parser error: " + e, -1);
        p.initCause(e);
        return p;
    }

    private MessageIndex index(byte[] in, int off, int len, boolean stream, boolean owned, Object[] known) {
        int end = off + len;
        int p = off;
        while (p < end && (in[p] == '\r' || in[p] == '\n')) {
            p++;
        }
        if (p >= end) {
            throw new SipParseException("no message", 0);
        }
        if (end - p > limits.maxMessageSize()) {
            throw new SipParseException("message larger than " + limits.maxMessageSize() + " bytes", 0);
        }
        // the message's own copy first (unless the caller handed over exactly it): the values
        // parsed below may keep ranges of these bytes (SipUri, Address), so they must never
        // change; error offsets count from its start
        byte[] b = in;
        if (!owned || p != 0 || end != in.length) {
            b = Arrays.copyOfRange(in, p, end);
            end -= p;
            p = 0;
        }
        int lf = AsciiTokens.lineFeed(b, p, Math.min(end, p + limits.maxLineLength() + 2));
        if (lf < 0) {
            throw new SipParseException(end - p > limits.maxLineLength() ? "start line too long"
                    : "start line not terminated", 0);
        }
        int sle = lf > p && b[lf - 1] == '\r' ? lf - 1 : lf;
        StartLine start = startLine(b, p, sle);
        p = lf + 1;
        int startLineEnd = p;

        Scratch scratch = SCRATCH.get();
        HeaderName[] names = scratch.names;
        int[] offs = scratch.offs;
        int count = 0;
        for (;;) {
            if (count == names.length) {
                names = scratch.names = Arrays.copyOf(names, count * 2);
                offs = scratch.offs = Arrays.copyOf(offs, count * 6 + 1);
            }
            offs[3 * count] = p; // field count's start, or, after the last field, where the fields end
            if (p >= end) {
                if (!stream && p == end) {
                    break; // a datagram may end right after its last header line
                }
                throw new SipParseException("headers not terminated by an empty line", p);
            }
            byte c = b[p];
            if (c == '\n') {
                p++;
                break;
            }
            if (c == '\r') {
                if (p + 1 < end && b[p + 1] == '\n') {
                    p += 2;
                    break;
                }
                throw new SipParseException("bare CR", p);
            }
            if (c == ' ' || c == '\t') {
                throw new SipParseException("continuation line without a header", p);
            }
            if (count == limits.maxHeaders()) {
                throw new SipParseException("more than " + limits.maxHeaders() + " header fields", p);
            }
            int lineStart = p;
            int limit = Math.min(end, lineStart + limits.maxLineLength() + 2);
            // the usual field: a known name, maybe blanks, then the colon. The name is looked up
            // between the line's start and its first colon (eight bytes a step), and a known name
            // matches only its own letters, so the lookup checks those bytes too
            int q = AsciiTokens.colon(b, p, limit);
            int nameEnd = q;
            while (nameEnd > p && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
                nameEnd--;
            }
            HeaderName name = q < 0 ? null : HeaderName.knownOf(b, p, nameEnd);
            if (name == null) { // an extension name, or no field at all: byte by byte, for the exact error
                q = p;
                while (q < end && Lexer.isToken(b[q])) {
                    q++;
                }
                if (q == p) {
                    throw new SipParseException("bad header name", p);
                }
                nameEnd = q;
                while (q < end && (b[q] == ' ' || b[q] == '\t')) {
                    q++;
                }
                if (q >= end || b[q] != ':') {
                    throw new SipParseException("expected ':' after header name", q);
                }
                name = HeaderName.of(b, lineStart, nameEnd);
            }
            q++;
            int valueStart = q;
            int lineFeed;
            for (;;) {
                lineFeed = AsciiTokens.lineFeed(b, q, limit);
                if (lineFeed < 0) {
                    throw new SipParseException(limit < end ? "header field too long" : "header line not terminated",
                            lineStart);
                }
                if (lineFeed + 1 < end && (b[lineFeed + 1] == ' ' || b[lineFeed + 1] == '\t')) {
                    q = lineFeed + 1;
                    continue;
                }
                break;
            }
            int valueEnd = lineFeed;
            while (valueEnd > valueStart && (b[valueEnd - 1] == '\r' || b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t'
                    || b[valueEnd - 1] == '\n')) {
                valueEnd--;
            }
            while (valueStart < valueEnd && (b[valueStart] == ' ' || b[valueStart] == '\t' || b[valueStart] == '\r'
                    || b[valueStart] == '\n')) {
                valueStart++;
            }
            names[count] = name;
            offs[3 * count + 1] = valueStart;
            offs[3 * count + 2] = valueEnd;
            count++;
            p = lineFeed + 1;
        }
        int bodyStart = p;
        names = Arrays.copyOf(names, count); // exact copies: the scratch arrays never escape
        offs = Arrays.copyOf(offs, 3 * count + 1);
        Object[] values = new Object[count];
        Lexer lexer = scratch.lexer;
        int contentLength;
        try {
            contentLength = hotHeaders(b, count, names, offs, values, lexer, known);
        } finally {
            lexer.reset(null, 0, 0, 0); // the thread keeps no reference to these bytes
        }
        int bodyEnd;
        if (contentLength >= 0) {
            if (contentLength > limits.maxBodySize()) {
                throw new SipParseException("body larger than " + limits.maxBodySize() + " bytes", bodyStart);
            }
            if (bodyStart + contentLength > end) {
                throw new SipParseException("Content-Length " + contentLength + " exceeds the "
                        + (end - bodyStart) + " bytes received", bodyStart);
            }
            if (stream && bodyStart + contentLength != end) {
                throw new SipParseException("frame length does not match Content-Length", bodyStart);
            }
            bodyEnd = bodyStart + contentLength;
        } else {
            if (stream) {
                throw new SipParseException("Content-Length is mandatory on a stream", bodyStart);
            }
            bodyEnd = end;
            if (bodyEnd - bodyStart > limits.maxBodySize()) {
                throw new SipParseException("body larger than " + limits.maxBodySize() + " bytes", bodyStart);
            }
        }
        // octets past Content-Length in a datagram are dropped (the values made above may still
        // refer to the first copy: the same bytes at the same offsets)
        byte[] bytes = bodyEnd == b.length ? b : Arrays.copyOf(b, bodyEnd);
        if (full) { // after the framing checks, so a message fails for the same reason at either depth
            typeTheRest(bytes, count, names, offs, values);
        }
        return new MessageIndex(bytes, count, names, offs, values, bodyStart, startLineEnd, start.method, start.uri,
                start.version, start.status, start.reason);
    }

    /**
     * Parses the hot headers into {@code values} (taking what {@code known} gives instead, and
     * caching its values of other fields too); returns the Content-Length or -1.
     */
    private int hotHeaders(byte[] b, int count, HeaderName[] names, int[] offs, Object[] values, Lexer lx,
            Object[] known) {
        int contentLength = -1;
        int vias = 0;
        int routes = 0;
        for (int i = 0; i < count; i++) {
            HeaderName n = names[i];
            Object given = known != null && i < known.length ? known[i] : null;
            if (HOT[n.hashCode() & HOT_MASK] != n) {
                values[i] = given;
                continue;
            }
            int vs = offs[3 * i + 1];
            int ve = offs[3 * i + 2];
            if (n == HeaderName.VIA) {
                Object v = given != null ? given : HeaderValueParser.vias(lx.reset(b, vs, ve, 0));
                vias += ((List<?>) v).size();
                if (vias > limits.maxViaCount()) {
                    throw new SipParseException("more than " + limits.maxViaCount() + " Via values", vs);
                }
                values[i] = v;
            } else if (n == HeaderName.FROM || n == HeaderName.TO) {
                values[i] = given != null ? given : HeaderValueParser.address(lx.reset(b, vs, ve, 0));
            } else if (n == HeaderName.CALL_ID) {
                values[i] = given != null ? given : HeaderValueParser.callId(lx.reset(b, vs, ve, 0));
            } else if (n == HeaderName.CSEQ) {
                values[i] = given != null ? given : HeaderValueParser.cseq(lx.reset(b, vs, ve, 0));
            } else if (n == HeaderName.MAX_FORWARDS) {
                values[i] = given != null ? given : HeaderValueParser.maxForwards(lx.reset(b, vs, ve, 0));
            } else if (n == HeaderName.CONTENT_LENGTH) {
                int cl = HeaderValueParser.contentLength(lx.reset(b, vs, ve, 0));
                if (contentLength >= 0) {
                    throw new SipParseException("more than one Content-Length", vs);
                }
                contentLength = cl;
                // no box on the hot path: a reader of the typed value parses these few digits
                // again (values above 127 would allocate an Integer per message)
                values[i] = null;
            } else { // Route, Record-Route
                routes += 1 + commas(b, vs, ve);
                if (routes > limits.maxRouteCount()) {
                    throw new SipParseException("more than " + limits.maxRouteCount() + " routes", vs);
                }
                values[i] = given;
            }
        }
        return contentLength;
    }

    /**
     * {@link Depth#FULL}: types every field not typed yet that has a typed header, as first
     * access would (the same parser over the same bytes, so the same value or the same error).
     * Content-Length is left out: {@link #hotHeaders} has checked it, and its typed value is an
     * {@code Integer} that access makes.
     */
    private static void typeTheRest(byte[] b, int count, HeaderName[] names, int[] offs, Object[] values) {
        for (int i = 0; i < count; i++) {
            if (values[i] == null) {
                HeaderName n = names[i];
                HeaderType<?> t = SipHeaders.typeOf(n);
                if (t != null && n != HeaderName.CONTENT_LENGTH) {
                    values[i] = t.parseField(b, offs[3 * i + 1], offs[3 * i + 2], 0);
                }
            }
        }
    }

    private static int commas(byte[] b, int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) {
            if (b[i] == ',') {
                n++;
            }
        }
        return n;
    }

    /** The parts of a start line. */
    private record StartLine(SipMethod method, Uri uri, String version, int status, String reason) {
    }

    private StartLine startLine(byte[] b, int s, int e) {
        if (e - s >= 4 && (b[s] == 'S' || b[s] == 's') && (b[s + 1] == 'I' || b[s + 1] == 'i')
                && (b[s + 2] == 'P' || b[s + 2] == 'p') && b[s + 3] == '/') {
            return statusLine(b, s, e);
        }
        int sp1 = AsciiTokens.indexOf(b, s, e, (byte) ' ');
        if (sp1 <= s) {
            throw new SipParseException("malformed request line", 0);
        }
        for (int i = s; i < sp1; i++) {
            if (!Lexer.isToken(b[i])) {
                throw new SipParseException("bad method", i);
            }
        }
        int sp2 = AsciiTokens.indexOf(b, sp1 + 1, e, (byte) ' ');
        if (sp2 < 0 || sp2 == sp1 + 1) {
            throw new SipParseException("malformed request line", sp1);
        }
        Uri uri = UriParser.parse(b, sp1 + 1, sp2, 0, limits.maxUriLength(), null, true);
        String version = version(b, sp2 + 1, e);
        return new StartLine(SipMethod.of(b, s, sp1), uri, version, 0, null);
    }

    private StartLine statusLine(byte[] b, int s, int e) {
        int sp1 = AsciiTokens.indexOf(b, s, e, (byte) ' ');
        if (sp1 < 0) {
            throw new SipParseException("malformed status line", 0);
        }
        String version = version(b, s, sp1);
        int c = sp1 + 1;
        if (c + 3 > e) {
            throw new SipParseException("missing status code", c);
        }
        int code = 0;
        for (int i = c; i < c + 3; i++) {
            if (b[i] < '0' || b[i] > '9') {
                throw new SipParseException("status code must be three digits", i);
            }
            code = code * 10 + (b[i] - '0');
        }
        if (c + 3 < e && b[c + 3] != ' ') {
            throw new SipParseException("status code must be three digits", c + 3);
        }
        if (code < 100 || code > 699) {
            throw new SipParseException("status code out of range", c);
        }
        String reason = c + 4 <= e ? utf8(b, c + 4, e) : "";
        for (int i = c + 4; i < e; i++) {
            if (b[i] == '\r' || b[i] == 0) {
                throw new SipParseException("control character in reason phrase", i);
            }
        }
        return new StartLine(null, null, version, code, reason);
    }

    private static String version(byte[] b, int s, int e) {
        // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT
        int p = s;
        if (e - s < 7 || !((b[p] | 0x20) == 's' && (b[p + 1] | 0x20) == 'i' && (b[p + 2] | 0x20) == 'p'
                && b[p + 3] == '/')) {
            throw new SipParseException("bad SIP version", s);
        }
        p += 4;
        int digits = p;
        while (p < e && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        if (p == digits || p >= e || b[p] != '.') {
            throw new SipParseException("bad SIP version", s);
        }
        digits = ++p;
        while (p < e && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        if (p == digits || p != e) {
            throw new SipParseException("bad SIP version", s);
        }
        if (e - s == 7 && b[s] == 'S' && b[s + 1] == 'I' && b[s + 2] == 'P' && b[s + 4] == '2' && b[s + 6] == '0') {
            return SIP_2_0; // nearly every message: one shared string
        }
        return AsciiTokens.latin1String(b, s, e);
    }

    private static String utf8(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] < 0) {
                return new String(b, s, e - s, StandardCharsets.UTF_8);
            }
        }
        return AsciiTokens.latin1String(b, s, e);
    }

}
