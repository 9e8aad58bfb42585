package io.rvoip.sip.parser;

import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the 400 Bad Request for a request the parser refused (RFC 3261 §8.2.6, §21.4.1;
 * RFC 4475 §3.1.2): the request line's method and the Via, From, To, Call-ID and CSeq fields
 * are lifted from the raw bytes, put into a minimal stand-in request that is parsed with the
 * same limits, and answered with {@link SipResponse#forRequest}. Fields that still do not
 * parse are left out, Via last; without a readable Via there is nobody to answer.
 *
 * <p>Work is linear in the input and bounded by the parser's limits. Stateless; thread-safe.
 */
final class BadRequestSalvage {
    private static final int MAX_REASON = 96;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] EMPTY = {};
    private static final byte[] PLACEHOLDER_VIA = "Via: SIP/2.0/UDP invalid\r\n".getBytes(StandardCharsets.US_ASCII);

    private BadRequestSalvage() {
    }

    static SipResponse badRequest(SipParser parser, byte[] b, String reason) {
        ParserLimits limits = parser.limits();
        int end = Math.min(b.length, limits.maxMessageSize() + 64);
        int p = 0;
        while (p < end && (b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        int lineEnd = lineEnd(b, p, Math.min(end, p + limits.maxLineLength() + 2));
        if (lineEnd < 0) {
            return null;
        }
        int m = p;
        while (m < lineEnd && Lexer.isToken(b[m] & 0xff)) {
            m++;
        }
        if (m == p || m >= lineEnd || b[m] != ' ') {
            return null; // no "Method SP": a status line ("SIP/"), whose response is dropped, or garbage
        }
        String method = new String(b, p, m - p, StandardCharsets.US_ASCII);
        if (method.equals("ACK")) {
            return null; // never answer an ACK (RFC 3261 §17.2.1)
        }
        Fields f = new Fields();
        int lines = 0;
        p = next(b, lineEnd, end);
        int current = -1; // which field the previous line belongs to
        while (p < end && lines++ <= limits.maxHeaders()) {
            int e = lineEnd(b, p, end);
            if (e < 0) {
                e = end;
            }
            if (e == p) {
                break; // blank line: end of headers
            }
            if (b[p] == ' ' || b[p] == '\t') {
                if (current >= 0) {
                    f.add(current, b, p, e); // a folded continuation of the field before
                }
            } else {
                current = f.classify(b, p, e);
                if (current >= 0) {
                    f.add(current, b, p, e);
                }
            }
            p = next(b, e, end);
        }
        if (f.via.size() == 0) {
            return null;
        }
        byte[][] singles = new byte[f.single.length][];
        for (int i = 0; i < singles.length; i++) {
            byte[] field = f.single[i].toByteArray();
            singles[i] = field.length > 0 && standIn(parser, method, PLACEHOLDER_VIA, field) != null ? field : EMPTY;
        }
        byte[] cut = f.via.toByteArray();
        SipRequest stand = null;
        for (int attempt = 0; attempt < 4 && stand == null && cut.length > 0; attempt++) {
            byte[] via = switch (attempt) {
                case 0 -> cut;                       // every Via, as received
                case 1 -> firstLine(cut);            // the top Via field
                case 2 -> upTo(firstLine(cut), ','); // its first value
                default -> upTo(firstLine(cut), ';'); // its sent-protocol and sent-by (RFC 4475 badinv01)
            };
            stand = standIn(parser, method, via, concat(singles));
        }
        if (stand == null) {
            return null;
        }
        try {
            return SipResponse.forRequest(stand, StatusCode.BAD_REQUEST).reasonPhrase(phrase(reason)).build();
        } catch (SipParseException | IllegalArgumentException ex) {
            return null;
        }
    }

    /** The stand-in request: the start line's method, {@code via} and {@code fields}; null if it does not parse. */
    private static SipRequest standIn(SipParser parser, String method, byte[] via, byte[] fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + via.length + fields.length);
        out.writeBytes((method + " sip:invalid SIP/2.0\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(via);
        out.writeBytes(fields);
        out.writeBytes("Content-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try {
            SipMessage m = parser.parseOwned(out.toByteArray());
            if (!(m instanceof SipRequest r) || r.via() == null) {
                return null;
            }
            r.from();
            r.to();
            r.callId();
            r.cseq();
            return r;
        } catch (SipParseException ex) {
            return null;
        }
    }

    private static byte[] firstLine(byte[] fields) {
        int e = 0;
        while (e < fields.length && !(fields[e] == '\n' && (e + 1 == fields.length
                || (fields[e + 1] != ' ' && fields[e + 1] != '\t')))) {
            e++;
        }
        return java.util.Arrays.copyOf(fields, Math.min(fields.length, e + 1));
    }

    /** The field cut before the first {@code c} (the line break kept). */
    private static byte[] upTo(byte[] field, char c) {
        int i = 0;
        while (i < field.length && field[i] != c) {
            i++;
        }
        if (i == field.length) {
            return EMPTY; // nothing to cut: this attempt would repeat the one before
        }
        byte[] out = java.util.Arrays.copyOf(field, i + 2);
        out[i] = '\r';
        out[i + 1] = '\n';
        return out;
    }

    private static byte[] concat(byte[][] parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** §21.4.1: the phrase SHOULD say what is wrong; kept printable ASCII and short. */
    static String phrase(String reason) {
        StringBuilder s = new StringBuilder("Bad Request");
        if (reason != null && !reason.isBlank()) {
            s.append(" (");
            int n = 0;
            for (int i = 0; i < reason.length() && n < MAX_REASON; i++, n++) {
                char c = reason.charAt(i);
                s.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
            s.append(')');
        }
        return s.toString();
    }

    private static int lineEnd(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i > from && b[i - 1] == '\r' ? i - 1 : i;
            }
        }
        return -1;
    }

    private static int next(byte[] b, int lineEnd, int end) {
        int p = lineEnd;
        if (p < end && b[p] == '\r') {
            p++;
        }
        if (p < end && b[p] == '\n') {
            p++;
        }
        return p;
    }

    /** The fields a response copies: every Via, the first From, To, Call-ID and CSeq. */
    private static final class Fields {
        static final int VIA = 0;
        final ByteArrayOutputStream via = new ByteArrayOutputStream();
        final ByteArrayOutputStream[] single = {new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), new ByteArrayOutputStream()};

        /** 0 = Via, 1..4 = From, To, Call-ID, CSeq not yet seen, -1 = ignore. */
        int classify(byte[] b, int s, int e) {
            int colon = s;
            while (colon < e && b[colon] != ':') {
                colon++;
            }
            int n = colon;
            while (n > s && (b[n - 1] == ' ' || b[n - 1] == '\t')) {
                n--;
            }
            if (colon == e || n == s) {
                return -1;
            }
            int kind = kind(new String(b, s, n - s, StandardCharsets.US_ASCII));
            if (kind > 0 && single[kind - 1].size() > 0) {
                return -1; // a second From/To/Call-ID/CSeq: the first one answers
            }
            return kind;
        }

        void add(int kind, byte[] b, int s, int e) {
            ByteArrayOutputStream o = kind == VIA ? via : single[kind - 1];
            o.write(b, s, e - s);
            o.writeBytes(CRLF);
        }

        private static int kind(String name) {
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "via", "v":
                    return VIA;
                case "from", "f":
                    return 1;
                case "to", "t":
                    return 2;
                case "call-id", "i":
                    return 3;
                case "cseq":
                    return 4;
                default:
                    return -1;
            }
        }
    }
}
