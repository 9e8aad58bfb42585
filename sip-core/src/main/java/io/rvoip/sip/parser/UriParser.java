package io.rvoip.sip.parser;

import io.rvoip.sip.header.Parameters;
import io.rvoip.sip.internal.AsciiTokens;
import io.rvoip.sip.internal.ParsedParts;
import io.rvoip.sip.uri.AbsoluteUri;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.TelUri;
import io.rvoip.sip.uri.Uri;

/**
 * Parses URIs (RFC 3261 §19.1 and §25.1, RFC 3966 for tel, RFC 3986 for the rest) from a byte
 * range with no surrounding whitespace. Character classes follow the ABNF, with one documented
 * leniency: a SIP user part may also contain {@code #} (phones dial {@code *97#} unescaped).
 */
final class UriParser {
    private static final boolean[] UNRESERVED = new boolean[256];
    private static final boolean[] USER = new boolean[256];
    private static final boolean[] PASSWORD = new boolean[256];
    private static final boolean[] PARAM = new boolean[256];
    private static final boolean[] HNV = new boolean[256];
    private static final boolean[] HOST = new boolean[256];
    private static final boolean[] TEL = new boolean[256];
    private static final boolean[] OPAQUE = new boolean[256];
    /** Per byte: 0 if not a host character, else H_DIGIT, H_DOT or H_NAME (letters, '-', '_'). */
    private static final byte[] HOST_CLASS = new byte[256];
    private static final int H_DIGIT = 1;
    private static final int H_DOT = 2;
    private static final int H_NAME = 4;

    static {
        for (int c = 0; c < 128; c++) {
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            UNRESERVED[c] = alnum || "-_.!~*'()".indexOf(c) >= 0;
            HOST[c] = alnum || c == '-' || c == '.' || c == '_';
            TEL[c] = alnum || "*#+-.()%".indexOf(c) >= 0;
            OPAQUE[c] = c > 32 && c < 127 && c != '<' && c != '>' && c != '"' && c != '\\' && c != '{' && c != '}'
                    && c != '|' && c != '^' && c != '`';
        }
        for (int c = 0; c < 128; c++) {
            HOST_CLASS[c] = (byte) (!HOST[c] ? 0 : c == '.' ? H_DOT : c >= '0' && c <= '9' ? H_DIGIT : H_NAME);
        }
        for (int c = 0; c < 128; c++) {
            USER[c] = UNRESERVED[c] || "&=+$,;?/%#".indexOf(c) >= 0;
            PASSWORD[c] = UNRESERVED[c] || "&=+$,%".indexOf(c) >= 0;
            PARAM[c] = UNRESERVED[c] || "[]/:&+$%".indexOf(c) >= 0;
            HNV[c] = UNRESERVED[c] || "[]/?:+$%".indexOf(c) >= 0;
        }
    }

    private UriParser() {
    }

    static Uri parse(byte[] b, int s, int e, int base, int maxLength) {
        return parse(b, s, e, base, maxLength, null, false);
    }

    /**
     * As {@link #parse(byte[], int, int, int, int)}, collecting parameters in {@code lx}'s work
     * space. {@code stable}: {@code b} never changes (it is a parsed message's own copy), so a SIP
     * URI may keep its user part and host as ranges of it until asked for.
     */
    static Uri parse(byte[] b, int s, int e, int base, int maxLength, Lexer lx, boolean stable) {
        if (e - s > maxLength) {
            throw new SipParseException("URI longer than " + maxLength + " bytes", s - base);
        }
        if (s >= e || !isAlpha(b[s])) {
            throw new SipParseException("URI must start with a scheme", s - base);
        }
        int p = s + 1;
        while (p < e && (isAlpha(b[p]) || isDigit(b[p]) || b[p] == '+' || b[p] == '-' || b[p] == '.')) {
            p++;
        }
        if (p >= e || b[p] != ':') {
            throw new SipParseException("URI scheme must end with ':'", p - base);
        }
        int len = p - s;
        if (len == 3 && ci(b, s, "sip")) {
            return sip(b, p + 1, e, base, false, lx, stable);
        }
        if (len == 4 && ci(b, s, "sips")) {
            return sip(b, p + 1, e, base, true, lx, stable);
        }
        if (len == 3 && ci(b, s, "tel")) {
            return tel(b, p + 1, e, base);
        }
        for (int i = p + 1; i < e; i++) {
            if (b[i] < 0 || !OPAQUE[b[i]]) {
                throw new SipParseException("character not allowed in a URI", i - base);
            }
        }
        if (p + 1 >= e) {
            throw new SipParseException("empty URI after the scheme", p - base);
        }
        return new AbsoluteUri(AsciiTokens.latin1String(b, s, e));
    }

    private static SipUri sip(byte[] b, int s, int e, int base, boolean secure, Lexer lx, boolean stable) {
        int p = s;
        int userEnd = s;   // no user part: s..s
        String password = null;
        // one pass over the user characters: where they stop tells whether there is a user part
        // (':' and '@' are no user characters, so the first '@' is never before stop)
        int stop = s;
        boolean escaped = false;
        while (stop < e) {
            int c = b[stop];
            if (c < 0 || !USER[c]) {
                break;
            }
            escaped |= c == '%';
            stop++;
        }
        int at = stop < e && b[stop] == '@' ? stop : indexOf(b, stop, e, (byte) '@');
        if (at >= 0) {
            int colon = stop < at && b[stop] == ':' ? stop : -1;
            userEnd = colon >= 0 ? colon : at;
            if (userEnd == s) {
                throw new SipParseException("empty user part", s - base);
            }
            if (stop < userEnd) {
                throw new SipParseException("character not allowed in user part", stop - base);
            }
            if (escaped) {
                checkEscapes(b, s, userEnd, base);
            }
            if (colon >= 0) {
                check(b, colon + 1, at, PASSWORD, "password", base);
                password = ascii(b, colon + 1, at);
            }
            p = at + 1;
        }
        int hostStart = p;
        int hostEnd = host(b, p, e, base);
        p = hostEnd;
        int port = -1;
        if (p < e && b[p] == ':') {
            int q = p + 1;
            port = 0;
            while (q < e && isDigit(b[q]) && q - p <= 5) {
                port = port * 10 + (b[q] - '0');
                q++;
            }
            if (q == p + 1 || port > 65535 || (q < e && isDigit(b[q]))) {
                throw new SipParseException("bad port", p + 1 - base);
            }
            p = q;
        }
        Parameters params = Parameters.EMPTY;
        if (p < e && b[p] == ';') {
            Parameters.Collector c = lx != null ? lx.collector() : new Parameters.Collector();
            p = uriParams(b, p, e, base, c, true);
            params = c.build();
        }
        String headers = null;
        if (p < e && b[p] == '?') {
            int hs = ++p;
            while (p < e && b[p] >= 0 && (HNV[b[p]] || b[p] == '=' || b[p] == '&')) {
                p++;
            }
            if (p == hs) {
                throw new SipParseException("empty URI headers", p - base);
            }
            checkEscapes(b, hs, p, base);
            headers = ascii(b, hs, p);
        }
        if (p != e) {
            throw new SipParseException("unexpected character in SIP URI", p - base);
        }
        if (stable) {
            return ParsedParts.sipUri(secure, b, s, userEnd, password, hostStart, hostEnd, port, params, headers);
        }
        return SipUri.builder(ascii(b, hostStart, hostEnd)).secure(secure)
                .user(userEnd == s ? null : ascii(b, s, userEnd)).password(password).port(port).params(params)
                .headers(headers).build();
    }

    /**
     * Parses {@code *( ";" pname [ "=" pvalue ] )} from {@code p} into {@code out}; returns where
     * the parameters end. {@code strict}: names and values must be non-empty and well escaped
     * (SIP URIs); tel URIs allow empty values.
     */
    private static int uriParams(byte[] b, int p, int e, int base, Parameters.Collector out, boolean strict) {
        while (p < e && b[p] == ';') {
            int ns = ++p;
            while (p < e && b[p] >= 0 && PARAM[b[p]] && b[p] != '=') {
                p++;
            }
            if (p == ns) {
                throw new SipParseException("empty URI parameter name", p - base);
            }
            if (strict) {
                checkEscapes(b, ns, p, base);
            }
            String name = ascii(b, ns, p);
            String value = null;
            if (p < e && b[p] == '=') {
                int vs = ++p;
                while (p < e && b[p] >= 0 && PARAM[b[p]]) {
                    p++;
                }
                if (strict && p == vs) {
                    throw new SipParseException("empty URI parameter value", p - base);
                }
                if (strict) {
                    checkEscapes(b, vs, p, base);
                }
                value = ascii(b, vs, p);
            }
            out.add(name, value);
        }
        return p;
    }

    /** Scans a host (name, IPv4 or IPv6 reference) from {@code p}; returns where it ends. */
    static int host(byte[] b, int p, int e, int base) {
        if (p >= e) {
            throw new SipParseException("missing host", p - base);
        }
        if (b[p] == '[') {
            int close = p + 1;
            while (close < e && b[close] != ']') {
                close++;
            }
            if (close >= e || !validIpv6(b, p + 1, close)) {
                throw new SipParseException("bad IPv6 reference", p - base);
            }
            return close + 1;
        }
        // one pass, one table read per byte: the host's end, and what validHostname checks (no
        // empty label; all digits and dots means an IPv4 address)
        int q = p;
        int seen = 0;
        int prev = 0;
        int dots = 0;
        while (q < e) {
            int k = HOST_CLASS[b[q] & 0xff];
            if (k == 0) {
                break;
            }
            if ((k & prev & H_DOT) != 0) {
                throw new SipParseException("bad host", p - base);
            }
            seen |= k;
            dots += (k & H_DOT) >> 1;
            prev = k;
            q++;
        }
        if (q == p || b[p] == '.' || b[p] == '-' || ((seen & H_NAME) == 0 && !validIpv4(b, p, q, dots))) {
            throw new SipParseException("bad host", p - base);
        }
        return q;
    }

    /** Hostname or IPv4 address: labels of alphanumerics and hyphens; all-numeric means IPv4. */
    static boolean validHostname(byte[] b, int s, int e) {
        if (b[s] == '.' || b[s] == '-') {
            return false;
        }
        boolean allNumeric = true;
        int dots = 0;
        for (int i = s; i < e; i++) {
            if (b[i] == '.') {
                dots++;
                if (i + 1 < e && b[i + 1] == '.') {
                    return false;
                }
            } else if (!isDigit(b[i])) {
                allNumeric = false;
            }
        }
        return !allNumeric || validIpv4(b, s, e, dots);
    }

    /** {@code b[s..e)}, all digits and dots with {@code dots} dots, is a dotted-quad IPv4 address. */
    private static boolean validIpv4(byte[] b, int s, int e, int dots) {
        if (dots != 3 || b[e - 1] == '.') {
            return false;
        }
        int octet = 0;
        int digits = 0;
        for (int i = s; i <= e; i++) {
            if (i == e || b[i] == '.') {
                if (digits == 0 || digits > 3 || octet > 255) {
                    return false;
                }
                octet = 0;
                digits = 0;
            } else {
                octet = octet * 10 + (b[i] - '0');
                digits++;
            }
        }
        return true;
    }

    /**
     * RFC 3261 IPv6address: hex groups, at most one "::", optional trailing IPv4. Also accepts
     * the ":::" before an embedded IPv4 address that RFC 3261's ABNF allows by mistake
     * (RFC 5118 §4.10 asks parsers to tolerate it).
     */
    static boolean validIpv6(byte[] b, int s, int e) {
        for (int i = s; i + 2 < e; i++) {
            if (b[i] == ':' && b[i + 1] == ':' && b[i + 2] == ':') {
                byte[] fixed = new byte[e - s - 1];
                System.arraycopy(b, s, fixed, 0, i - s);
                System.arraycopy(b, i + 1, fixed, i - s, e - i - 1);
                boolean ipv4Tail = false;
                for (int j = i + 3; j < e; j++) {
                    if (b[j] == '.') {
                        ipv4Tail = true;
                    }
                }
                return ipv4Tail && strictIpv6(fixed, 0, fixed.length);
            }
        }
        return strictIpv6(b, s, e);
    }

    private static boolean strictIpv6(byte[] b, int s, int e) {
        int groups = 0;
        boolean doubleColon = false;
        int i = s;
        if (e - s < 2) {
            return false;
        }
        if (b[i] == ':') {
            if (b[i + 1] != ':') {
                return false;
            }
            doubleColon = true;
            i += 2;
            if (i == e) {
                return true;
            }
        }
        while (i < e) {
            int start = i;
            while (i < e && isHex(b[i]) && i - start < 5) {
                i++;
            }
            if (i < e && b[i] == '.') {
                // trailing IPv4
                if (!validHostnameIpv4(b, start, e)) {
                    return false;
                }
                groups += 2;
                i = e;
                break;
            }
            int len = i - start;
            if (len == 0 || len > 4) {
                return false;
            }
            groups++;
            if (i == e) {
                break;
            }
            if (b[i] != ':') {
                return false;
            }
            i++;
            if (i < e && b[i] == ':') {
                if (doubleColon) {
                    return false;
                }
                doubleColon = true;
                i++;
                if (i == e) {
                    break;
                }
            } else if (i == e) {
                return false;
            }
        }
        return doubleColon ? groups < 8 : groups == 8;
    }

    private static boolean validHostnameIpv4(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (!isDigit(b[i]) && b[i] != '.') {
                return false;
            }
        }
        return validHostname(b, s, e);
    }

    private static TelUri tel(byte[] b, int s, int e, int base) {
        int p = s;
        while (p < e && b[p] >= 0 && TEL[b[p]]) {
            p++;
        }
        if (p == s) {
            throw new SipParseException("empty telephone number", s - base);
        }
        String number = ascii(b, s, p);
        Parameters.Collector params = new Parameters.Collector();
        p = uriParams(b, p, e, base, params, false);
        if (p != e) {
            throw new SipParseException("unexpected character in tel URI", p - base);
        }
        return new TelUri(number, params.build());
    }

    private static void check(byte[] b, int s, int e, boolean[] allowed, String what, int base) {
        for (int i = s; i < e; i++) {
            if (b[i] < 0 || !allowed[b[i]]) {
                throw new SipParseException("character not allowed in " + what, i - base);
            }
        }
        checkEscapes(b, s, e, base);
    }

    private static void checkEscapes(byte[] b, int s, int e, int base) {
        for (int i = s; i < e; i++) {
            if (b[i] == '%' && (i + 2 >= e || !isHex(b[i + 1]) || !isHex(b[i + 2]))) {
                throw new SipParseException("bad %-escape", i - base);
            }
        }
    }

    static boolean isAlpha(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHex(byte c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean ci(byte[] b, int s, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int c = b[s + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int s, int e, byte c) {
        return AsciiTokens.indexOf(b, s, e, c);
    }

    private static String ascii(byte[] b, int s, int e) {
        return AsciiTokens.latin1String(b, s, e);
    }
}
