package io.rvoip.sip.sdp;

import io.rvoip.sip.internal.AsciiTokens;
import io.rvoip.sip.internal.Lists;
import io.rvoip.sip.parser.SipParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Line parser for {@link SessionDescription#parse(byte[])}: one pass over the bytes, bounded in
 * lines and media sections. Values become strings straight from the bytes (UTF-8 where a line
 * holds non-ASCII bytes); the names and tokens nearly every description repeats ({@code IN},
 * {@code IP4}, {@code audio}, {@code RTP/AVP}, {@code rtpmap}, payload type numbers, ...) are
 * shared constants. Error offsets are byte offsets of the line in the description.
 */
final class SdpParser {
    static final int MAX_LINES = 4096;
    static final int MAX_MEDIA = 64;

    /** Shared constants for the tokens of o=, c=, t=, m= and a= names; exact-case matches only. */
    private static final AsciiTokens COMMON = new AsciiTokens("-", "IN", "IP4", "IP6", "audio", "video",
        "application", "text", "message", "image", "RTP/AVP", "RTP/SAVP", "RTP/AVPF", "RTP/SAVPF", "UDP/TLS/RTP/SAVP",
        "UDP/TLS/RTP/SAVPF", "udptl", "UDP/BFCP", "TCP/MSRP", "TCP/TLS/MSRP", "UDP/DTLS/SCTP", "webrtc-datachannel",
        "rtpmap", "fmtp", "ptime", "maxptime", "sendrecv", "sendonly", "recvonly", "inactive", "rtcp", "rtcp-mux",
        "rtcp-rsize", "rtcp-fb", "crypto", "fingerprint", "setup", "connection", "ice-ufrag", "ice-pwd",
        "ice-options", "ice-lite", "candidate", "end-of-candidates", "mid", "group", "ssrc", "ssrc-group", "msid",
        "msid-semantic", "extmap", "extmap-allow-mixed", "label", "silenceSupp", "sctp-port", "max-message-size",
        "framerate", "content", "0.0.0.0");
    /** "0" … "127": payload type numbers, t= zeros and short attribute values such as ptime's. */
    private static final String[] NUMBERS = new String[128];

    /**
     * Shared {@code a=name} attributes (no value) for the properties that nearly every
     * description carries; the records are immutable, so one instance serves every parse.
     */
    private static final Map<String, Attribute> PROPERTIES = new HashMap<>();

    static {
        for (int i = 0; i < NUMBERS.length; i++) {
            NUMBERS[i] = Integer.toString(i);
        }
        for (String name : new String[] {"sendrecv", "sendonly", "recvonly", "inactive", "rtcp-mux", "rtcp-rsize",
            "end-of-candidates", "ice-lite", "extmap-allow-mixed"}) {
            PROPERTIES.put(name, Attribute.property(name));
        }
    }

    private SdpParser() {
    }

    /** Mutable accumulator for one media section. */
    private static final class MediaAcc {
        String media;
        int port;
        int portCount = -1;
        String protocol;
        List<String> formats;
        String information;
        String key;
        List<Connection> connections = List.of();
        List<Bandwidth> bandwidths = List.of();
        /** The attributes so far: {@code attributes[0..attributeCount)}. */
        Object[] attributes = new Object[8];
        int attributeCount;

        void attribute(Attribute a) {
            attributes = Lists.put(attributes, attributeCount++, a);
        }

        MediaDescription build() {
            return new MediaDescription(media, port, portCount, protocol, formats, information, connections,
                    bandwidths, key, Lists.of(attributes, attributeCount));
        }
    }

    static SessionDescription parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static SessionDescription parse(byte[] b) {
        final int end = b.length;
        boolean version = false;
        String name = null;
        String info = null;
        String uri = null;
        String zones = null;
        String key = null;
        Connection conn = null;
        List<String> emails = List.of();
        List<String> phones = List.of();
        List<Bandwidth> bws = List.of();
        List<Timing> timings = List.of();
        List<String> repeats = null;
        String timingStart = null; // the last t= line's times, until its r= lines are in
        String timingStop = null;
        Object[] attrs = EMPTY; // session-level attributes[0..attrCount)
        int attrCount = 0;
        Object[] media = EMPTY; // finished media sections[0..mediaCount)
        int mediaCount = 0;
        MediaAcc m = null;
        Origin origin0 = null;
        int originAddressStart = -1; // where o='s address is, to share its string with c= lines
        int originAddressEnd = -1;
        int[] fields = new int[16];
        int lines = 0;
        for (int p = 0; p <= end; ) {
            if (++lines > MAX_LINES) {
                throw new SipParseException("SDP has more than " + MAX_LINES + " lines", 0);
            }
            int lineOffset = p;
            int lf = AsciiTokens.lineFeed(b, p, end);
            if (lf < 0) {
                lf = end;
            }
            int s = p;
            int e = lf;
            p = lf + 1;
            while (e > s && (b[e - 1] == '\r' || b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (e == s) {
                continue;
            }
            byte type = b[s];
            if (e - s < 2 || b[s + 1] != '=' || type < 'a' || type > 'z') {
                throw new SipParseException("malformed SDP line: " + abbreviate(b, s, e), lineOffset);
            }
            int vs = s + 2;
            try {
                if (type == 'm') {
                    if (m != null) {
                        media = Lists.put(media, mediaCount++, m.build());
                    }
                    if (mediaCount == MAX_MEDIA) {
                        throw new SipParseException("more than " + MAX_MEDIA + " media sections", lineOffset);
                    }
                    fields = fields(b, vs, e, fields);
                    m = mediaLine(b, fields, lineOffset);
                    continue;
                }
                if (m != null) {
                    switch (type) {
                        case 'i' -> m.information = text(b, vs, e);
                        case 'c' -> m.connections = add(m.connections,
                                connection(b, vs, e, fields, lineOffset, origin0, originAddressStart, originAddressEnd));
                        case 'b' -> m.bandwidths = add(m.bandwidths, bandwidth(b, vs, e, lineOffset));
                        case 'k' -> m.key = text(b, vs, e);
                        case 'a' -> m.attribute(attribute(b, vs, e, lineOffset));
                        default -> throw new SipParseException("'" + (char) type + "=' not allowed in a media section",
                                lineOffset);
                    }
                    continue;
                }
                switch (type) {
                    case 'v' -> {
                        if (e - vs != 1 || b[vs] != '0') {
                            throw new SipParseException("unsupported SDP version " + text(b, vs, e), lineOffset);
                        }
                        version = true;
                    }
                    case 'o' -> {
                        origin0 = origin(b, vs, e, fields, lineOffset);
                        originAddressStart = fields[11]; // origin() left the line's fields here
                        originAddressEnd = fields[12];
                    }
                    case 's' -> name = e - vs == 1 && b[vs] == '-' ? "-" : text(b, vs, e); // "s=-": nearly all
                    case 'i' -> info = text(b, vs, e);
                    case 'u' -> uri = text(b, vs, e);
                    case 'e' -> emails = add(emails, text(b, vs, e));
                    case 'p' -> phones = add(phones, text(b, vs, e));
                    case 'c' -> conn = connection(b, vs, e, fields, lineOffset, origin0, originAddressStart, originAddressEnd);
                    case 'b' -> bws = add(bws, bandwidth(b, vs, e, lineOffset));
                    case 't' -> {
                        if (timingStart != null) {
                            timings = add(timings, new Timing(timingStart, timingStop, repeats));
                        }
                        fields = fields(b, vs, e, fields);
                        if (fields[0] != 2 || !digits(b, fields[1], fields[2]) || !digits(b, fields[3], fields[4])) {
                            throw new SipParseException("malformed t= line", lineOffset);
                        }
                        timingStart = token(b, fields[1], fields[2]);
                        timingStop = token(b, fields[3], fields[4]);
                        repeats = List.of();
                    }
                    case 'r' -> {
                        if (timingStart == null) {
                            throw new SipParseException("r= without t=", lineOffset);
                        }
                        repeats = add(repeats, text(b, vs, e));
                    }
                    case 'z' -> zones = text(b, vs, e);
                    case 'k' -> key = text(b, vs, e);
                    case 'a' -> attrs = Lists.put(attrs, attrCount++, attribute(b, vs, e, lineOffset));
                    default -> throw new SipParseException("unknown SDP line type '" + (char) type + "'", lineOffset);
                }
            } catch (IllegalArgumentException ex) { // from the value records
                throw new SipParseException("malformed SDP line: " + ex.getMessage(), lineOffset);
            }
        }
        if (m != null) {
            media = Lists.put(media, mediaCount++, m.build());
        }
        if (timingStart != null) {
            timings = add(timings, new Timing(timingStart, timingStop, repeats));
        }
        if (!version) {
            throw new SipParseException("SDP without v= line", 0);
        }
        if (origin0 == null) {
            throw new SipParseException("SDP without o= line", 0);
        }
        return new SessionDescription(0, origin0, name, info, uri, emails, phones, conn, bws, timings, zones, key,
                Lists.of(attrs, attrCount), Lists.of(media, mediaCount));
    }

    private static final Object[] EMPTY = new Object[0];

    /**
     * Appends to a list that starts as the shared empty list. Most of these lists hold one or two
     * items, which become {@code List.of} lists that the value records keep without copying; a
     * third item moves them to an {@code ArrayList}, so thousands of lines of one kind (a hostile
     * description) still cost linear time.
     */
    private static <T> List<T> add(List<T> list, T item) {
        int n = list.size();
        if (n == 0) {
            return List.of(item);
        }
        if (n == 1) {
            return List.of(list.get(0), item);
        }
        if (!(list instanceof ArrayList)) {
            list = new ArrayList<>(list);
        }
        list.add(item);
        return list;
    }

    /**
     * Splits {@code b[s..e)} at runs of spaces and tabs: {@code out[0]} is the number of fields,
     * field {@code i} is {@code b[out[1+2i] .. out[2+2i])}. Returns {@code out}, grown if needed.
     */
    private static int[] fields(byte[] b, int s, int e, int[] out) {
        int n = 0;
        int i = s;
        while (i < e) {
            while (i < e && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i == e) {
                break;
            }
            int start = i;
            i = AsciiTokens.blank(b, i, e);
            if (2 * n + 3 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[1 + 2 * n] = start;
            out[2 + 2 * n] = i;
            n++;
        }
        out[0] = n;
        return out;
    }

    private static MediaAcc mediaLine(byte[] b, int[] f, int offset) {
        int n = f[0];
        if (n < 3) {
            throw new SipParseException("malformed m= line", offset);
        }
        MediaAcc m = new MediaAcc();
        m.media = token(b, f[1], f[2]);
        int ps = f[3];
        int pe = f[4];
        for (int i = ps; i < pe; i++) {
            if (b[i] == '/') {
                m.portCount = (int) number(b, i + 1, pe, 65535, "port count");
                pe = i;
                break;
            }
        }
        m.port = (int) number(b, ps, pe, 65535, "port");
        m.protocol = token(b, f[5], f[6]);
        Object[] formats = new Object[n - 3];
        for (int i = 3; i < n; i++) {
            formats[i - 3] = token(b, f[1 + 2 * i], f[2 + 2 * i]);
        }
        m.formats = Lists.of(formats, n - 3);
        return m;
    }

    /** The o= line; leaves its fields in {@code f} (six fields fit the initial array). */
    private static Origin origin(byte[] b, int s, int e, int[] f, int offset) {
        if (fields(b, s, e, f) != f || f[0] != 6 || !digits(b, f[3], f[4]) || !digits(b, f[5], f[6])) {
            throw new SipParseException("malformed o= line", offset);
        }
        // the id and version are digits (checked above), so never a shared token unless below 128
        String id = number(b, f[3], f[4]);
        // a description's first version is usually its id: one string for both
        String version = sameBytes(b, f[3], f[4], f[5], f[6]) ? id : number(b, f[5], f[6]);
        return new Origin(token(b, f[1], f[2]), id, version, token(b, f[7], f[8]), token(b, f[9], f[10]),
                address(b, f[11], f[12]));
    }

    /** A c= line; its address shares the origin's string when the bytes are the same (the usual case). */
    private static Connection connection(byte[] b, int s, int e, int[] f, int offset, Origin origin, int originStart,
            int originEnd) {
        f = fields(b, s, e, f);
        if (f[0] != 3) {
            throw new SipParseException("malformed c= line", offset);
        }
        String address = origin != null && sameBytes(b, originStart, originEnd, f[5], f[6]) ? origin.address()
                : address(b, f[5], f[6]);
        return new Connection(token(b, f[1], f[2]), token(b, f[3], f[4]), address);
    }

    private static boolean sameBytes(byte[] b, int s1, int e1, int s2, int e2) {
        if (e1 - s1 != e2 - s2) {
            return false;
        }
        for (int i = 0; i < e1 - s1; i++) {
            if (b[s1 + i] != b[s2 + i]) {
                return false;
            }
        }
        return true;
    }

    private static Bandwidth bandwidth(byte[] b, int s, int e, int offset) {
        int colon = AsciiTokens.indexOf(b, s, e, (byte) ':');
        if (colon <= s) {
            throw new SipParseException("malformed b= line", offset);
        }
        int vs = colon + 1;
        int ve = e;
        while (vs < ve && (b[vs] & 0xff) <= ' ') {
            vs++;
        }
        while (ve > vs && (b[ve - 1] & 0xff) <= ' ') {
            ve--;
        }
        return new Bandwidth(token(b, s, colon), number(b, vs, ve, Long.MAX_VALUE / 10, "bandwidth"));
    }

    private static Attribute attribute(byte[] b, int s, int e, int offset) {
        int colon = AsciiTokens.colon(b, s, e);
        int ne = colon < 0 ? e : colon;
        if (ne == s) {
            throw new SipParseException("attribute without a name", offset);
        }
        String name = token(b, s, ne);
        if (colon < 0) {
            Attribute shared = PROPERTIES.get(name);
            return shared != null ? shared : new Attribute(name, null);
        }
        return new Attribute(name, value(b, colon + 1, e));
    }

    private static boolean digits(byte[] b, int s, int e) {
        if (s == e) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code b[s..e)} as a decimal number in {@code 0..max}; errors carry the number's byte offset. */
    private static long number(byte[] b, int s, int e, long max, String what) {
        if (s == e || e - s > 19) {
            throw new SipParseException("bad " + what + ": " + abbreviate(b, s, e), s);
        }
        long v = 0;
        for (int i = s; i < e; i++) {
            if (b[i] < '0' || b[i] > '9') {
                throw new SipParseException("bad " + what + ": " + abbreviate(b, s, e), s);
            }
            v = v * 10 + (b[i] - '0');
            if (v > max) {
                throw new SipParseException(what + " out of range: " + abbreviate(b, s, e), s);
            }
        }
        return v;
    }

    /**
     * An attribute value: shared when it is a number below 128 written without leading zeros
     * (ptime:20). {@link #token} makes the same check inline; one helper for both measured 4 %
     * slower on a whole description.
     */
    private static String value(byte[] b, int s, int e) {
        int len = e - s;
        if (len >= 1 && len <= 3) {
            int v = 0;
            for (int i = s; i < e; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    return text(b, s, e);
                }
                v = v * 10 + d;
            }
            if (v < NUMBERS.length && (len == 1 || b[s] != '0')) {
                return NUMBERS[v];
            }
        }
        return text(b, s, e);
    }

    /** Digits {@code b[s..e)} as text: shared below 128, else a new string with no table lookup. */
    private static String number(byte[] b, int s, int e) {
        return e - s <= 3 ? token(b, s, e) : AsciiTokens.latin1String(b, s, e);
    }

    /** An address of o= or c=: the hold address 0.0.0.0 is shared, anything else is a new string. */
    private static String address(byte[] b, int s, int e) {
        return e - s == 7 && b[s] == '0' ? token(b, s, e) : text(b, s, e);
    }

    /** {@code b[s..e)} as text, shared when it is one of the common tokens or a number below 128. */
    private static String token(byte[] b, int s, int e) {
        int len = e - s;
        byte first = b[s];
        if (len <= 3 && first >= '0' && first <= '9') {
            int v = first - '0';
            for (int i = s + 1; i < e; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return text(b, s, e);
                }
                v = v * 10 + (b[i] - '0');
            }
            if (v < NUMBERS.length && (len == 1 || first != '0')) {
                return NUMBERS[v];
            }
        } else {
            String t = COMMON.find(b, s, e);
            if (t != null) {
                return t;
            }
        }
        return text(b, s, e);
    }

    /** {@code b[s..e)} decoded: one char per byte when it is all ASCII, UTF-8 otherwise. */
    private static String text(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] < 0) {
                return new String(b, s, e - s, StandardCharsets.UTF_8);
            }
        }
        return AsciiTokens.latin1String(b, s, e);
    }

    private static String abbreviate(byte[] b, int s, int e) {
        return e - s > 40 ? text(b, s, s + 40) + "..." : text(b, s, e);
    }
}
