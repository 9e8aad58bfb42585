package io.rvoip.sip.parser;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.AuthHeader;
import io.rvoip.sip.header.CSeq;
import io.rvoip.sip.header.ContentDisposition;
import io.rvoip.sip.header.EventHeader;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.Parameters;
import io.rvoip.sip.header.RAck;
import io.rvoip.sip.header.Reason;
import io.rvoip.sip.header.Replaces;
import io.rvoip.sip.header.RetryAfter;
import io.rvoip.sip.header.SessionExpires;
import io.rvoip.sip.header.SubscriptionState;
import io.rvoip.sip.header.Timestamp;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.header.Warning;
import io.rvoip.sip.internal.AsciiTokens;
import io.rvoip.sip.internal.FixedList;
import io.rvoip.sip.internal.ParsedParts;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.uri.Uri;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Parsers for header values (RFC 3261 §25.1 grammar and the extensions' ABNF), one per
 * header kind, each over a byte range of one header field. They are what
 * {@link io.rvoip.sip.header.SipHeaders} binds to each header; applications use
 * {@link #parseOne(HeaderType, String)} or the {@code parse} methods of the value types.
 *
 * <p>Every method throws only {@link SipParseException}. Stateless and thread-safe.
 */
public final class HeaderValueParser {
    private static final long UINT32_MAX = 0xFFFFFFFFL;
    private static final int MAX_URI = ParserLimits.DEFAULT.maxUriLength();

    private HeaderValueParser() {
    }

    /** Parses {@code text} as the value of {@code type}; for list types, the first value. */
    @SuppressWarnings("unchecked")
    public static <T> T parseOne(HeaderType<T> type, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Object v = guard(type, b);
        if (type.isList()) {
            List<T> list = (List<T>) v;
            if (list.isEmpty()) {
                throw new SipParseException("no value", 0);
            }
            return list.get(0);
        }
        return (T) v;
    }

    /** Parses {@code text} as the value of {@code type}: every value of a list, or the one value. */
    @SuppressWarnings("unchecked")
    public static <T> List<T> parseAll(HeaderType<T> type, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Object v = guard(type, b);
        return type.isList() ? (List<T>) v : List.of((T) v);
    }

    /** Parses a URI. */
    public static Uri uri(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            return UriParser.parse(b, 0, b.length, 0, MAX_URI);
        } catch (RuntimeException e) {
            throw SipParser.asParseException(e);
        }
    }

    private static Object guard(HeaderType<?> type, byte[] b) {
        try {
            return type.parseField(b, 0, b.length, 0);
        } catch (RuntimeException e) {
            throw SipParser.asParseException(e);
        }
    }

    // ---- Via -------------------------------------------------------------------------------

    /** Via: one or more via-parms. */
    public static Object vias(byte[] b, int s, int e, int base) {
        return vias(new Lexer(b, s, e, base));
    }

    /** Via over the lexer's range (the message parser reuses one lexer for every header). */
    static Object vias(Lexer lx) {
        Via first = via(lx);
        if (!lx.sep(',')) {
            lx.expectEnd("after Via");
            return List.of(first);
        }
        List<Via> list = new ArrayList<>(4);
        list.add(first);
        do {
            list.add(via(lx));
        } while (lx.sep(','));
        lx.expectEnd("after Via");
        return Collections.unmodifiableList(list);
    }

    private static Via via(Lexer lx) {
        lx.skipLws();
        String protocol;
        if (sip20(lx.b, lx.pos, lx.end)) {
            lx.pos += 8; // "SIP/2.0/", as nearly every Via writes it
            lx.skipLws();
            protocol = "SIP/2.0";
        } else {
            String name = lx.token("protocol name");
            lx.expectSep('/', "in Via sent-protocol");
            String version = lx.token("protocol version");
            lx.expectSep('/', "in Via sent-protocol");
            protocol = name.equals("SIP") && version.equals("2.0") ? "SIP/2.0" : name + "/" + version;
        }
        String transport = lx.token("transport");
        int before = lx.pos;
        lx.skipLws();
        if (lx.pos == before) {
            throw lx.error("expected whitespace before Via sent-by");
        }
        int hs = lx.pos;
        int he = UriParser.host(lx.b, hs, lx.end, lx.base);
        String host = lx.ascii(hs, he);
        lx.pos = he;
        int port = -1;
        if (lx.sep(':')) {
            port = (int) lx.number(65535, "Via port");
        }
        return new Via(protocol, transport, host, port, params(lx));
    }

    /** True if {@code b[p..]} starts with exactly {@code SIP/2.0/}. */
    private static boolean sip20(byte[] b, int p, int e) {
        return e - p >= 8 && b[p] == 'S' && b[p + 1] == 'I' && b[p + 2] == 'P' && b[p + 3] == '/' && b[p + 4] == '2'
                && b[p + 5] == '.' && b[p + 6] == '0' && b[p + 7] == '/';
    }

    // ---- parameters ------------------------------------------------------------------------

    /** {@code *( SEMI name [ EQUAL (token / host / quoted-string) ] )}, values kept raw. */
    static Parameters params(Lexer lx) {
        Parameters.Collector c = null;
        while (lx.sep(';')) {
            String name = lx.token("parameter name");
            String value = null;
            if (lx.sep('=')) {
                value = paramValue(lx);
            }
            if (c == null) {
                c = lx.collector();
            }
            c.add(name, value);
        }
        return c == null ? Parameters.EMPTY : c.build();
    }

    private static String paramValue(Lexer lx) {
        int vs = lx.pos;
        if (lx.peek() == '"') {
            lx.skipQuoted();
            return lx.utf8(vs, lx.pos);
        }
        while (lx.more()) {
            int c = lx.peek();
            if (Lexer.isToken(c) || c == ':' || c == '[' || c == ']') {
                lx.pos++;
            } else {
                break;
            }
        }
        if (lx.pos == vs) {
            throw lx.error("expected parameter value");
        }
        return Tokens.of(lx.b, vs, lx.pos);
    }

    // ---- addresses -------------------------------------------------------------------------

    /** A single name-addr or addr-spec with parameters (From, To, Refer-To, ...). */
    public static Object address(byte[] b, int s, int e, int base) {
        return address(new Lexer(b, s, e, base));
    }

    /** A single address over the lexer's range. */
    static Object address(Lexer lx) {
        Address a = address(lx, false);
        lx.expectEnd("after address");
        return a;
    }

    /** A list of addresses (Route, Record-Route, Path, ...). */
    public static Object addresses(byte[] b, int s, int e, int base) {
        return addressList(b, s, e, base, false);
    }

    /** A list of Contact values, or the wildcard {@code *}. */
    public static Object contacts(byte[] b, int s, int e, int base) {
        return addressList(b, s, e, base, true);
    }

    private static Object addressList(byte[] b, int s, int e, int base, boolean wildcard) {
        Lexer lx = new Lexer(b, s, e, base);
        Address first = address(lx, wildcard);
        if (!lx.sep(',')) {
            lx.expectEnd("after address");
            return List.of(first);
        }
        List<Address> list = new ArrayList<>(4);
        list.add(first);
        do {
            list.add(address(lx, wildcard));
        } while (lx.sep(','));
        lx.expectEnd("after address");
        return Collections.unmodifiableList(list);
    }

    static Address address(Lexer lx, boolean allowWildcard) {
        lx.skipLws();
        if (allowWildcard && lx.peek() == '*') {
            lx.pos++;
            return Address.wildcard();
        }
        String display = null;
        int nameStart = -1; // a display name left in the message's bytes: see ParsedParts.address
        int nameEnd = -1;
        if (lx.peek() == '"') {
            int open = lx.pos;
            if (lx.stable && !lx.skipQuoted()) {
                nameStart = open + 1;
                nameEnd = lx.pos - 1;
            } else {
                lx.pos = open;
                display = lx.quoted();
            }
            lx.skipLws();
            if (lx.peek() != '<') {
                throw lx.error("expected '<' after display name");
            }
        } else if (lx.peek() != '<') {
            int p = lx.pos;
            while (p < lx.end && (Lexer.isToken(lx.b[p]) || Lexer.isWsp(lx.b[p]) || lx.b[p] == '\r' || lx.b[p] == '\n')) {
                p++;
            }
            if (p < lx.end && lx.b[p] == '<') {
                String text = lx.unfolded(lx.pos, p).trim();
                display = text.isEmpty() ? null : text;
                lx.pos = p;
            }
        }
        Uri uri;
        boolean angle = lx.peek() == '<';
        if (angle) {
            int us = ++lx.pos;
            int gt = AsciiTokens.indexOfByte(lx.b, us, lx.end, (byte) '>');
            if (gt < 0) {
                throw lx.error("missing '>'");
            }
            uri = UriParser.parse(lx.b, us, gt, lx.base, MAX_URI, lx, lx.stable);
            lx.pos = gt + 1;
        } else {
            int us = lx.pos;
            int ue = us;
            while (ue < lx.end) {
                byte c = lx.b[ue];
                if (c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    break;
                }
                ue++;
            }
            uri = UriParser.parse(lx.b, us, ue, lx.base, MAX_URI, lx, lx.stable);
            lx.pos = ue;
        }
        Parameters params = params(lx);
        return nameStart >= 0 ? ParsedParts.address(lx.b, nameStart, nameEnd, uri, params, angle)
                : new Address(display, uri, params, angle);
    }

    // ---- scalars ---------------------------------------------------------------------------

    /** Call-ID: {@code word ["@" word]}. */
    public static Object callId(byte[] b, int s, int e, int base) {
        return callId(new Lexer(b, s, e, base));
    }

    /** Call-ID over the lexer's range. */
    static Object callId(Lexer lx) {
        lx.skipLws();
        int start = lx.pos;
        lx.skipWord("Call-ID");
        if (lx.peek() == '@') {
            lx.pos++;
            lx.skipWord("Call-ID host part");
        }
        int end = lx.pos;
        lx.expectEnd("in Call-ID");
        return lx.ascii(start, end);
    }

    /** CSeq: a number below 2^32 and a method. */
    public static Object cseq(byte[] b, int s, int e, int base) {
        return cseq(new Lexer(b, s, e, base));
    }

    /** CSeq over the lexer's range. */
    static Object cseq(Lexer lx) {
        lx.skipLws();
        long seq = lx.number(UINT32_MAX, "CSeq number");
        int before = lx.pos;
        lx.skipLws();
        if (lx.pos == before) {
            throw lx.error("expected whitespace in CSeq");
        }
        int ms = lx.pos;
        lx.skipToken("CSeq method");
        SipMethod method = SipMethod.of(lx.b, ms, lx.pos);
        lx.expectEnd("in CSeq");
        return new CSeq(seq, method);
    }

    /** Max-Forwards: 0..255. */
    public static Object maxForwards(byte[] b, int s, int e, int base) {
        return (int) single(b, s, e, base, 255, "Max-Forwards");
    }

    /** Content-Length: 0..2^31-1. */
    public static Object contentLength(byte[] b, int s, int e, int base) {
        return (int) single(b, s, e, base, Integer.MAX_VALUE, "Content-Length");
    }

    /** Expires, Min-Expires: delta-seconds below 2^32. */
    public static Object deltaSeconds(byte[] b, int s, int e, int base) {
        return single(b, s, e, base, UINT32_MAX, "delta-seconds");
    }

    /** RSeq: 1..2^32-1. */
    public static Object rseq(byte[] b, int s, int e, int base) {
        long v = single(b, s, e, base, UINT32_MAX, "RSeq");
        if (v == 0) {
            throw new SipParseException("RSeq must be positive", s - base);
        }
        return v;
    }

    private static long single(byte[] b, int s, int e, int base, long max, String what) {
        return single(new Lexer(b, s, e, base), max, what);
    }

    /** Max-Forwards (0..255) over the lexer's range. */
    static int maxForwards(Lexer lx) {
        return (int) single(lx, 255, "Max-Forwards");
    }

    /** Content-Length (0..2^31-1) over the lexer's range. */
    static int contentLength(Lexer lx) {
        return (int) single(lx, Integer.MAX_VALUE, "Content-Length");
    }

    private static long single(Lexer lx, long max, String what) {
        lx.skipLws();
        long v = lx.number(max, what);
        lx.expectEnd("after the number");
        return v;
    }

    /** RAck: {@code rseq cseq method}. */
    public static Object rack(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        lx.skipLws();
        long rseq = lx.number(UINT32_MAX, "RAck response-num");
        lx.skipLws();
        long cseq = lx.number(UINT32_MAX, "RAck CSeq-num");
        lx.skipLws();
        int ms = lx.pos;
        lx.token("RAck method");
        SipMethod m = SipMethod.of(b, ms, lx.pos);
        lx.expectEnd("in RAck");
        return new RAck(rseq, cseq, m);
    }

    // ---- token lists -----------------------------------------------------------------------

    /** A possibly empty comma-separated token list (Allow, Supported, Require, ...). */
    public static Object tokens(byte[] b, int s, int e, int base) {
        List<String> simple = simpleTokens(b, s, e);
        return simple != null ? simple : lexedTokens(b, s, e, base);
    }

    /**
     * The common case of {@link #tokens}, what phones send: tokens separated by commas, with
     * spaces only around them, in one pass. Null for anything else (tabs, folds, empty
     * elements, bad bytes), which {@link #lexedTokens} parses or refuses with the error offset.
     */
    static List<String> simpleTokens(byte[] b, int s, int e) {
        String[] out = new String[Math.min(16, (e - s >> 2) + 1)]; // room for elements of four bytes or more with their ", "
        int n = 0;
        int i = s;
        for (;;) {
            while (i < e && b[i] == ' ') {
                i++;
            }
            int start = i;
            // the usual element, a common token: looked up between here and the next comma
            // (found eight bytes a step), less the spaces before it; an exact hit is a token
            int comma = AsciiTokens.comma(b, i, e);
            int next = comma < 0 ? e : comma;
            int tokenEnd = next;
            while (tokenEnd > start && b[tokenEnd - 1] == ' ') {
                tokenEnd--;
            }
            String known = Tokens.known(b, start, tokenEnd);
            if (known != null) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = known;
                if (next == e) {
                    return FixedList.wrap(out, n);
                }
                i = next + 1;
                continue;
            }
            while (i < e && Lexer.isToken(b[i])) {
                i++;
            }
            if (i == start) {
                return null; // an empty element, nothing at all, or a byte no token has
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = Tokens.of(b, start, i);
            while (i < e && b[i] == ' ') {
                i++;
            }
            if (i == e) {
                return FixedList.wrap(out, n);
            }
            if (b[i] != ',') {
                return null;
            }
            i++;
        }
    }

    /** {@link #tokens} by the general lexer: LWS and folds anywhere, exact error offsets. */
    static Object lexedTokens(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        if (lx.atEndAfterLws()) {
            return List.of();
        }
        List<String> list = new ArrayList<>(8);
        do {
            lx.skipLws();
            list.add(lx.token("token"));
        } while (lx.sep(','));
        lx.expectEnd("in token list");
        return Collections.unmodifiableList(list);
    }

    /** Privacy: {@code priv-value *(";" priv-value)}. */
    public static Object privacy(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        List<String> list = new ArrayList<>(2);
        do {
            lx.skipLws();
            list.add(lx.token("priv-value"));
        } while (lx.sep(';'));
        lx.expectEnd("in Privacy");
        return Collections.unmodifiableList(list);
    }

    // ---- media types -----------------------------------------------------------------------

    /** Content-Type: {@code type/subtype *(;param)}. */
    public static Object mediaType(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        MediaType m = mediaType(lx);
        lx.expectEnd("after media type");
        return m;
    }

    /** Accept: a possibly empty list of media ranges. */
    public static Object mediaTypes(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        if (lx.atEndAfterLws()) {
            return List.of();
        }
        List<MediaType> list = new ArrayList<>(2);
        do {
            list.add(mediaType(lx));
        } while (lx.sep(','));
        lx.expectEnd("after media range");
        return Collections.unmodifiableList(list);
    }

    private static MediaType mediaType(Lexer lx) {
        lx.skipLws();
        String type = lx.token("media type");
        lx.expectSep('/', "in media type");
        String sub = lx.token("media subtype");
        return new MediaType(type, sub, params(lx));
    }

    /** Content-Disposition: {@code disp-type *(;param)}. */
    public static Object contentDisposition(byte[] b, int s, int e, int base) {
        return tokenWithParams(b, s, e, base, "disposition type", ContentDisposition::new);
    }

    /** Event: {@code event-type *(;param)}. */
    public static Object event(byte[] b, int s, int e, int base) {
        return tokenWithParams(b, s, e, base, "event type", EventHeader::new);
    }

    /** Subscription-State: {@code substate *(;param)}. */
    public static Object subscriptionState(byte[] b, int s, int e, int base) {
        return tokenWithParams(b, s, e, base, "substate", SubscriptionState::new);
    }

    /** The common shape {@code token *(;param)}, whole value. */
    private static Object tokenWithParams(byte[] b, int s, int e, int base, String what,
            java.util.function.BiFunction<String, Parameters, Object> make) {
        Lexer lx = new Lexer(b, s, e, base);
        lx.skipLws();
        String token = lx.token(what);
        Parameters p = params(lx);
        lx.expectEnd("after the parameters");
        return make.apply(token, p);
    }

    /** Session-Expires and Min-SE: {@code delta-seconds *(;param)}. */
    public static Object sessionExpires(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        lx.skipLws();
        long v = lx.number(UINT32_MAX, "delta-seconds");
        Parameters p = params(lx);
        lx.expectEnd("in Session-Expires");
        return new SessionExpires(v, p);
    }

    /** Retry-After: {@code delta-seconds [comment] *(;param)}. */
    public static Object retryAfter(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        lx.skipLws();
        long v = lx.number(UINT32_MAX, "Retry-After");
        String comment = null;
        int save = lx.pos;
        lx.skipLws();
        if (lx.peek() == '(') {
            int cs = lx.pos + 1;
            int depth = 0;
            do {
                int c = lx.peek();
                if (c < 0) {
                    throw lx.error("unterminated comment");
                }
                if (c == '\\') {
                    lx.pos++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
                lx.pos++;
            } while (depth > 0);
            comment = lx.utf8(cs, lx.pos - 1);
        } else {
            lx.pos = save;
        }
        Parameters p = params(lx);
        lx.expectEnd("in Retry-After");
        return new RetryAfter(v, comment, p);
    }

    /** Replaces: {@code callid *(;param)}. */
    public static Object replaces(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        lx.skipLws();
        int start = lx.pos;
        lx.word("Call-ID");
        if (lx.peek() == '@') {
            lx.pos++;
            lx.word("Call-ID host part");
        }
        String callId = lx.ascii(start, lx.pos);
        Parameters p = params(lx);
        lx.expectEnd("in Replaces");
        return new Replaces(callId, p);
    }

    /** Reason: a list of {@code protocol *(;param)}. */
    public static Object reasons(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        List<Reason> list = new ArrayList<>(1);
        do {
            lx.skipLws();
            String protocol = lx.token("reason protocol");
            list.add(new Reason(protocol, params(lx)));
        } while (lx.sep(','));
        lx.expectEnd("in Reason");
        return Collections.unmodifiableList(list);
    }

    /** Warning: a list of {@code 3DIGIT SP agent SP quoted-string}. */
    public static Object warnings(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        List<Warning> list = new ArrayList<>(1);
        do {
            lx.skipLws();
            int cs = lx.pos;
            int code = (int) lx.number(999, "warn-code");
            if (lx.pos - cs != 3) {
                throw lx.error("warn-code must have exactly three digits");
            }
            lx.skipLws();
            int as = lx.pos;
            while (lx.more() && lx.peek() > ' ' && lx.peek() != '"' && lx.peek() < 127) {
                lx.pos++;
            }
            if (lx.pos == as) {
                throw lx.error("expected warn-agent");
            }
            String agent = lx.ascii(as, lx.pos);
            lx.skipLws();
            list.add(new Warning(code, agent, lx.quoted()));
        } while (lx.sep(','));
        lx.expectEnd("in Warning");
        return Collections.unmodifiableList(list);
    }

    /** Timestamp: {@code number [LWS delay]}, each {@code 1*DIGIT ["." *DIGIT]}. */
    public static Object timestamp(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        lx.skipLws();
        String time = decimal(lx);
        String delay = null;
        if (!lx.atEndAfterLws()) {
            delay = decimal(lx);
        }
        lx.expectEnd("in Timestamp");
        return new Timestamp(time, delay);
    }

    private static String decimal(Lexer lx) {
        int start = lx.pos;
        lx.number(Long.MAX_VALUE / 10, "number");
        if (lx.peek() == '.') {
            lx.pos++;
            while (lx.more() && lx.peek() >= '0' && lx.peek() <= '9') {
                lx.pos++;
            }
        }
        return lx.ascii(start, lx.pos);
    }

    /** Date: an RFC 1123 date in GMT (RFC 3261 §20.17). */
    public static Object date(byte[] b, int s, int e, int base) {
        String text = new Lexer(b, s, e, base).unfolded(s, e).trim();
        if (!text.endsWith(" GMT")) {
            throw new SipParseException("SIP dates must be in GMT", s - base);
        }
        ZonedDateTime date;
        try {
            date = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException ex) {
            throw new SipParseException("bad date: " + ex.getMessage(), s - base);
        }
        if (date.getYear() < 0 || date.getYear() > 9999) { // rfc1123-date: 4DIGIT year
            throw new SipParseException("bad date: the year must have four digits", s - base);
        }
        return date.toInstant();
    }

    private static final DateTimeFormatter SIP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH)
                    .withZone(java.time.ZoneOffset.UTC);

    /**
     * The Date header text of {@code instant}: {@code rfc1123-date} (RFC 3261 §20.17), in GMT,
     * to the second (any fraction is dropped), e.g. {@code Sat, 13 Nov 2010 23:29:00 GMT}.
     *
     * @throws IllegalArgumentException if the year is not four digits (0000–9999)
     */
    public static String formatDate(Instant instant) {
        int year = instant.atZone(java.time.ZoneOffset.UTC).getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("a SIP date has a four-digit year: " + instant);
        }
        return SIP_DATE.format(instant);
    }

    /** Free text (Subject, User-Agent, Server, ...): unfolded and trimmed, UTF-8. */
    public static Object text(byte[] b, int s, int e, int base) {
        return new Lexer(b, s, e, base).unfolded(s, e).trim();
    }

    // ---- authentication --------------------------------------------------------------------

    /** WWW-Authenticate, Proxy-Authenticate, Authorization, Proxy-Authorization. */
    public static Object auth(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        lx.skipLws();
        String scheme = lx.token("auth scheme");
        int before = lx.pos;
        if (lx.atEndAfterLws()) {
            return new AuthHeader(scheme, Parameters.EMPTY);
        }
        if (lx.pos == before) {
            throw lx.error("expected whitespace after the auth scheme");
        }
        return new AuthHeader(scheme, authParams(lx));
    }

    /** Authentication-Info: comma-separated auth-params without a scheme. */
    public static Object authInfo(byte[] b, int s, int e, int base) {
        Lexer lx = new Lexer(b, s, e, base);
        lx.skipLws();
        return new AuthHeader(null, authParams(lx));
    }

    private static Parameters authParams(Lexer lx) {
        Parameters.Collector c = lx.collector();
        do {
            lx.skipLws();
            String name = lx.token("auth-param name");
            String value = null;
            if (lx.sep('=')) {
                int vs = lx.pos;
                if (lx.peek() == '"') {
                    lx.skipQuoted();
                } else {
                    // token, leniently widened to any visible character but ',' and '"'
                    while (lx.more() && lx.peek() > ' ' && lx.peek() != ',' && lx.peek() != '"' && lx.peek() < 127) {
                        lx.pos++;
                    }
                    if (lx.pos == vs) {
                        throw lx.error("expected auth-param value");
                    }
                }
                value = lx.utf8(vs, lx.pos);
            }
            c.add(name, value);
        } while (lx.sep(','));
        lx.expectEnd("in auth-params");
        return c.build();
    }
}
