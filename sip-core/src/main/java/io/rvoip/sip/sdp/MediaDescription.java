package io.rvoip.sip.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One media section: the {@code m=} line and the {@code i c b k a} lines under it
 * (RFC 4566 §5.14). Attributes keep their order; unknown ones are kept. Typed views parse on
 * access and throw {@link io.rvoip.sip.parser.SipParseException} for a malformed attribute.
 *
 * @param media {@code audio}, {@code video}, {@code application}, ...
 * @param port the port ({@code 0}: rejected or disabled stream)
 * @param portCount the number of ports after {@code /}, or -1
 * @param protocol e.g. {@code RTP/AVP}, {@code RTP/SAVP}, {@code UDP/TLS/RTP/SAVPF}
 * @param formats the formats (RTP payload type numbers) in preference order
 * @param information the {@code i=} line, or null
 * @param connections the {@code c=} lines
 * @param bandwidths the {@code b=} lines
 * @param key the {@code k=} line, or null
 * @param attributes the {@code a=} lines, in order
 */
public record MediaDescription(String media, int port, int portCount, String protocol, List<String> formats,
        String information, List<Connection> connections, List<Bandwidth> bandwidths, String key,
        List<Attribute> attributes) {

    /** Copies the lists and validates. */
    public MediaDescription {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port);
        }
        formats = List.copyOf(formats);
        connections = List.copyOf(connections);
        bandwidths = List.copyOf(bandwidths);
        attributes = List.copyOf(attributes);
    }

    /** A media section with no lines under the {@code m=} line. */
    public static MediaDescription of(String media, int port, String protocol, List<String> formats) {
        return new MediaDescription(media, port, -1, protocol, formats, null, List.of(), List.of(), null, List.of());
    }

    /** A copy with another port. */
    public MediaDescription withPort(int newPort) {
        return new MediaDescription(media, newPort, portCount, protocol, formats, information, connections, bandwidths,
                key, attributes);
    }

    /** A copy with other formats. */
    public MediaDescription withFormats(List<String> newFormats) {
        return new MediaDescription(media, port, portCount, protocol, newFormats, information, connections, bandwidths,
                key, attributes);
    }

    /** A copy with other attributes. */
    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        return new MediaDescription(media, port, portCount, protocol, formats, information, connections, bandwidths,
                key, newAttributes);
    }

    /** A copy with one more attribute at the end. */
    public MediaDescription withAttribute(Attribute a) {
        List<Attribute> list = new ArrayList<>(attributes);
        list.add(a);
        return withAttributes(list);
    }

    /** A copy with other connections. */
    public MediaDescription withConnections(List<Connection> newConnections) {
        return new MediaDescription(media, port, portCount, protocol, formats, information, newConnections,
                bandwidths, key, attributes);
    }

    /** A copy with the direction attribute replaced (or added). */
    public MediaDescription withDirection(Direction d) {
        List<Attribute> list = new ArrayList<>();
        for (Attribute a : attributes) {
            if (Direction.of(a.name()) == null) {
                list.add(a);
            }
        }
        list.add(Attribute.property(d.attribute()));
        return withAttributes(list);
    }

    /** The value of the first attribute named {@code name} ({@code ""} for a property), or null. */
    public String attribute(String name) {
        return SessionDescription.first(attributes, name);
    }

    /** The values of every attribute named {@code name}. */
    public List<String> attributes(String name) {
        return SessionDescription.all(attributes, name);
    }

    /** True if an attribute named {@code name} is present. */
    public boolean hasAttribute(String name) {
        return attribute(name) != null;
    }

    /** The rtpmap attributes. */
    public List<RtpMap> rtpMaps() {
        return attributes("rtpmap").stream().map(RtpMap::parse).toList();
    }

    /** The rtpmap for {@code payloadType}, or null (static types may have none). */
    public RtpMap rtpMap(int payloadType) {
        for (RtpMap m : rtpMaps()) {
            if (m.payloadType() == payloadType) {
                return m;
            }
        }
        return null;
    }

    /** The fmtp for {@code format}, or null. */
    public Fmtp fmtp(String format) {
        for (String v : attributes("fmtp")) {
            Fmtp f = Fmtp.parse(v);
            if (f.format().equals(format)) {
                return f;
            }
        }
        return null;
    }

    /** {@code a=ptime} in ms, or -1. */
    public int ptime() {
        String v = attribute("ptime");
        return v == null ? -1 : (int) SdpValues.number(v.contains(".") ? v.substring(0, v.indexOf('.')) : v.trim(),
                100_000, "ptime");
    }

    /** {@code a=maxptime} in ms, or -1. */
    public int maxptime() {
        String v = attribute("maxptime");
        return v == null ? -1 : (int) SdpValues.number(v.trim(), 100_000, "maxptime");
    }

    /** The direction attribute of this section, or null if it has none (then the session's applies). */
    public Direction direction() {
        return Direction.first(attributes);
    }

    /** {@code a=rtcp}, or null. */
    public RtcpAttribute rtcp() {
        String v = attribute("rtcp");
        return v == null ? null : RtcpAttribute.parse(v);
    }

    /** True if {@code a=rtcp-mux} is present (RFC 5761). */
    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    /** The crypto attributes (RFC 4568). */
    public List<Crypto> cryptos() {
        return attributes("crypto").stream().map(Crypto::parse).toList();
    }

    /** {@code a=fingerprint} of this section, or null. */
    public Fingerprint fingerprint() {
        String v = attribute("fingerprint");
        return v == null ? null : Fingerprint.parse(v);
    }

    /** {@code a=setup} ({@code active}, {@code passive}, {@code actpass}, {@code holdconn}), or null. */
    public String setup() {
        return attribute("setup");
    }

    /** {@code a=ice-ufrag}, or null. */
    public String iceUfrag() {
        return attribute("ice-ufrag");
    }

    /** {@code a=ice-pwd}, or null. Never log it. */
    public String icePwd() {
        return attribute("ice-pwd");
    }

    /** {@code a=ice-options} tokens. */
    public List<String> iceOptions() {
        String v = attribute("ice-options");
        return v == null || v.isBlank() ? List.of() : List.of(SdpValues.fields(v));
    }

    /** The ICE candidates. */
    public List<Candidate> candidates() {
        return attributes("candidate").stream().map(Candidate::parse).toList();
    }

    /** True if {@code a=end-of-candidates} is present. */
    public boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    /** {@code a=mid}, or null. */
    public String mid() {
        return attribute("mid");
    }

    /** The ssrc attributes. */
    public List<Ssrc> ssrcs() {
        return attributes("ssrc").stream().map(Ssrc::parse).toList();
    }

    /** The extmap attributes. */
    public List<ExtMap> extmaps() {
        return attributes("extmap").stream().map(ExtMap::parse).toList();
    }

    /** {@code a=label}, or null. */
    public String label() {
        return attribute("label");
    }

    void appendTo(StringBuilder sb) {
        sb.append("m=").append(media).append(' ').append(port);
        if (portCount >= 0) {
            sb.append('/').append(portCount);
        }
        sb.append(' ').append(protocol);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        sb.append("\r\n");
        if (information != null) {
            sb.append("i=").append(information).append("\r\n");
        }
        for (Connection c : connections) {
            sb.append("c=").append(c).append("\r\n");
        }
        for (Bandwidth b : bandwidths) {
            sb.append("b=").append(b).append("\r\n");
        }
        if (key != null) {
            sb.append("k=").append(key).append("\r\n");
        }
        for (Attribute a : attributes) {
            sb.append("a=").append(a).append("\r\n");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(256);
        appendTo(sb);
        return sb.toString();
    }
}
