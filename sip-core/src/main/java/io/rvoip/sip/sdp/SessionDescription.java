package io.rvoip.sip.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A session description (RFC 4566; RFC 8866 is its successor with the same syntax).
 * {@link #toString()} writes the lines in the RFC's order with CRLF line ends, so a description
 * parsed from well-formed text serializes back to the same text.
 *
 * <p>Parsing leniencies, each seen from real phones: LF line ends, trailing white space, blank
 * lines, session-level lines out of order, and a missing {@code s=} or {@code t=} line are
 * accepted. Unknown line types and malformed {@code v o c b t m} lines are errors
 * ({@link io.rvoip.sip.parser.SipParseException}).
 *
 * @param version {@code v=}, always 0
 * @param origin {@code o=}
 * @param sessionName {@code s=} ({@code -} if none), or null if the line was missing
 * @param information {@code i=}, or null
 * @param uri {@code u=}, or null
 * @param emails {@code e=} lines
 * @param phones {@code p=} lines
 * @param connection session-level {@code c=}, or null
 * @param bandwidths session-level {@code b=}
 * @param timings {@code t=} (with {@code r=})
 * @param timeZones {@code z=}, or null
 * @param key session-level {@code k=}, or null
 * @param attributes session-level {@code a=}, in order
 * @param media the media sections, in order
 */
public record SessionDescription(int version, Origin origin, String sessionName, String information, String uri,
        List<String> emails, List<String> phones, Connection connection, List<Bandwidth> bandwidths,
        List<Timing> timings, String timeZones, String key, List<Attribute> attributes, List<MediaDescription> media) {

    /** Copies the lists and validates. */
    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        emails = List.copyOf(emails);
        phones = List.copyOf(phones);
        bandwidths = List.copyOf(bandwidths);
        timings = List.copyOf(timings);
        attributes = List.copyOf(attributes);
        media = List.copyOf(media);
    }

    /** A minimal description: {@code v=0}, the origin, {@code s=-}, the connection, {@code t=0 0}. */
    public static SessionDescription of(Origin origin, Connection connection, List<MediaDescription> media) {
        return new SessionDescription(0, origin, "-", null, null, List.of(), List.of(), connection, List.of(),
                List.of(Timing.PERMANENT), null, null, List.of(), media);
    }

    /** Parses SDP text. */
    public static SessionDescription parse(String text) {
        return SdpParser.parse(text);
    }

    /** Parses SDP bytes (UTF-8), e.g. a message body. */
    public static SessionDescription parse(byte[] bytes) {
        return SdpParser.parse(bytes);
    }

    /** A copy with other media sections. */
    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(version, origin, sessionName, information, uri, emails, phones, connection,
                bandwidths, timings, timeZones, key, attributes, newMedia);
    }

    /** A copy with another origin. */
    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(version, newOrigin, sessionName, information, uri, emails, phones, connection,
                bandwidths, timings, timeZones, key, attributes, media);
    }

    /** A copy with another session-level connection. */
    public SessionDescription withConnection(Connection newConnection) {
        return new SessionDescription(version, origin, sessionName, information, uri, emails, phones, newConnection,
                bandwidths, timings, timeZones, key, attributes, media);
    }

    /** A copy with other session-level attributes. */
    public SessionDescription withAttributes(List<Attribute> newAttributes) {
        return new SessionDescription(version, origin, sessionName, information, uri, emails, phones, connection,
                bandwidths, timings, timeZones, key, newAttributes, media);
    }

    /** The value of the first session-level attribute named {@code name}, or null. */
    public String attribute(String name) {
        return first(attributes, name);
    }

    /** The session-level direction, or null. */
    public Direction direction() {
        return Direction.first(attributes);
    }

    /** The direction in force for {@code m}: its own, else the session's, else sendrecv. */
    public Direction directionOf(MediaDescription m) {
        Direction d = m.direction();
        if (d == null) {
            d = direction();
        }
        return d == null ? Direction.SENDRECV : d;
    }

    /** The connection in force for {@code m}: its own first {@code c=}, else the session's. */
    public Connection connectionOf(MediaDescription m) {
        return m.connections().isEmpty() ? connection : m.connections().get(0);
    }

    /** The {@code a=group} attributes (RFC 5888). */
    public List<Group> groups() {
        return all(attributes, "group").stream().map(Group::parse).toList();
    }

    /** Session-level {@code a=fingerprint}, or null. */
    public Fingerprint fingerprint() {
        String v = attribute("fingerprint");
        return v == null ? null : Fingerprint.parse(v);
    }

    /** The UTF-8 bytes of {@link #toString()}. */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(512);
        sb.append("v=").append(version).append("\r\n");
        sb.append("o=").append(origin).append("\r\n");
        if (sessionName != null) {
            sb.append("s=").append(sessionName).append("\r\n");
        }
        line(sb, 'i', information);
        line(sb, 'u', uri);
        emails.forEach(e -> line(sb, 'e', e));
        phones.forEach(p -> line(sb, 'p', p));
        if (connection != null) {
            sb.append("c=").append(connection).append("\r\n");
        }
        bandwidths.forEach(b -> sb.append("b=").append(b).append("\r\n"));
        for (Timing t : timings) {
            sb.append("t=").append(t).append("\r\n");
            t.repeats().forEach(r -> line(sb, 'r', r));
        }
        line(sb, 'z', timeZones);
        line(sb, 'k', key);
        attributes.forEach(a -> sb.append("a=").append(a).append("\r\n"));
        media.forEach(m -> m.appendTo(sb));
        return sb.toString();
    }

    private static void line(StringBuilder sb, char type, String value) {
        if (value != null) {
            sb.append(type).append('=').append(value).append("\r\n");
        }
    }

    static String first(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return a.value() == null ? "" : a.value();
            }
        }
        return null;
    }

    static List<String> all(List<Attribute> attributes, String name) {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                out.add(a.value() == null ? "" : a.value());
            }
        }
        return out;
    }
}
