package io.rvoip.sip.sdp;

import io.rvoip.sip.parser.SipParseException;
import java.util.ArrayList;
import java.util.List;

/** Line parser for {@link SessionDescription#parse(String)}; bounded in lines and media sections. */
final class SdpParser {
    static final int MAX_LINES = 4096;
    static final int MAX_MEDIA = 64;

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
        final List<Connection> connections = new ArrayList<>();
        final List<Bandwidth> bandwidths = new ArrayList<>();
        final List<Attribute> attributes = new ArrayList<>();

        MediaDescription build() {
            return new MediaDescription(media, port, portCount, protocol, formats, information, connections,
                    bandwidths, key, attributes);
        }
    }

    static SessionDescription parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length > MAX_LINES) {
            throw new SipParseException("SDP has more than " + MAX_LINES + " lines", 0);
        }
        Integer version = null;
        Origin origin = null;
        String name = null;
        String info = null;
        String uri = null;
        String zones = null;
        String key = null;
        Connection conn = null;
        List<String> emails = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        List<Bandwidth> bws = new ArrayList<>();
        List<Timing> timings = new ArrayList<>();
        List<String> repeats = null;
        String[] pendingTiming = null;
        List<Attribute> attrs = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        MediaAcc m = null;
        int offset = 0;
        for (String raw : lines) {
            int lineOffset = offset;
            offset += raw.length() + 1;
            String line = stripTrailing(raw);
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new SipParseException("malformed SDP line: " + abbreviate(line), lineOffset);
            }
            char type = line.charAt(0);
            String v = line.substring(2);
            try {
                if (type == 'm') {
                    if (m != null) {
                        media.add(m.build());
                    }
                    if (media.size() == MAX_MEDIA) {
                        throw new SipParseException("more than " + MAX_MEDIA + " media sections", lineOffset);
                    }
                    m = mediaLine(v, lineOffset);
                    continue;
                }
                if (m != null) {
                    switch (type) {
                        case 'i' -> m.information = v;
                        case 'c' -> m.connections.add(connection(v, lineOffset));
                        case 'b' -> m.bandwidths.add(bandwidth(v, lineOffset));
                        case 'k' -> m.key = v;
                        case 'a' -> m.attributes.add(attribute(v, lineOffset));
                        default -> throw new SipParseException("'" + type + "=' not allowed in a media section",
                                lineOffset);
                    }
                    continue;
                }
                switch (type) {
                    case 'v' -> {
                        if (!v.equals("0")) {
                            throw new SipParseException("unsupported SDP version " + v, lineOffset);
                        }
                        version = 0;
                    }
                    case 'o' -> origin = origin(v, lineOffset);
                    case 's' -> name = v;
                    case 'i' -> info = v;
                    case 'u' -> uri = v;
                    case 'e' -> emails.add(v);
                    case 'p' -> phones.add(v);
                    case 'c' -> conn = connection(v, lineOffset);
                    case 'b' -> bws.add(bandwidth(v, lineOffset));
                    case 't' -> {
                        if (pendingTiming != null) {
                            timings.add(new Timing(pendingTiming[0], pendingTiming[1], repeats));
                        }
                        String[] p = SdpValues.fields(v);
                        if (p.length != 2 || !digits(p[0]) || !digits(p[1])) {
                            throw new SipParseException("malformed t= line", lineOffset);
                        }
                        pendingTiming = p;
                        repeats = new ArrayList<>();
                    }
                    case 'r' -> {
                        if (repeats == null) {
                            throw new SipParseException("r= without t=", lineOffset);
                        }
                        repeats.add(v);
                    }
                    case 'z' -> zones = v;
                    case 'k' -> key = v;
                    case 'a' -> attrs.add(attribute(v, lineOffset));
                    default -> throw new SipParseException("unknown SDP line type '" + type + "'", lineOffset);
                }
            } catch (IllegalArgumentException e) {
                throw new SipParseException("malformed SDP line: " + e.getMessage(), lineOffset);
            }
        }
        if (m != null) {
            media.add(m.build());
        }
        if (pendingTiming != null) {
            timings.add(new Timing(pendingTiming[0], pendingTiming[1], repeats));
        }
        if (version == null) {
            throw new SipParseException("SDP without v= line", 0);
        }
        if (origin == null) {
            throw new SipParseException("SDP without o= line", 0);
        }
        return new SessionDescription(0, origin, name, info, uri, emails, phones, conn, bws, timings, zones, key, attrs,
                media);
    }

    private static MediaAcc mediaLine(String v, int offset) {
        String[] p = SdpValues.fields(v);
        if (p.length < 3) {
            throw new SipParseException("malformed m= line", offset);
        }
        MediaAcc m = new MediaAcc();
        m.media = p[0];
        String port = p[1];
        int slash = port.indexOf('/');
        if (slash >= 0) {
            m.portCount = (int) SdpValues.number(port.substring(slash + 1), 65535, "port count");
            port = port.substring(0, slash);
        }
        m.port = (int) SdpValues.number(port, 65535, "port");
        m.protocol = p[2];
        m.formats = List.of(java.util.Arrays.copyOfRange(p, 3, p.length));
        return m;
    }

    private static Origin origin(String v, int offset) {
        String[] p = SdpValues.fields(v);
        if (p.length != 6 || !digits(p[1]) || !digits(p[2])) {
            throw new SipParseException("malformed o= line", offset);
        }
        return new Origin(p[0], p[1], p[2], p[3], p[4], p[5]);
    }

    private static Connection connection(String v, int offset) {
        String[] p = SdpValues.fields(v);
        if (p.length != 3) {
            throw new SipParseException("malformed c= line", offset);
        }
        return new Connection(p[0], p[1], p[2]);
    }

    private static Bandwidth bandwidth(String v, int offset) {
        int colon = v.indexOf(':');
        if (colon <= 0) {
            throw new SipParseException("malformed b= line", offset);
        }
        return new Bandwidth(v.substring(0, colon), SdpValues.number(v.substring(colon + 1).trim(),
                Long.MAX_VALUE / 10, "bandwidth"));
    }

    private static Attribute attribute(String v, int offset) {
        int colon = v.indexOf(':');
        String name = colon < 0 ? v : v.substring(0, colon);
        if (name.isEmpty()) {
            throw new SipParseException("attribute without a name", offset);
        }
        return new Attribute(name, colon < 0 ? null : v.substring(colon + 1));
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String stripTrailing(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == '\r' || s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(0, e);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
