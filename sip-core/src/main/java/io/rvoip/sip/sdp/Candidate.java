package io.rvoip.sip.sdp;

import java.util.List;
import java.util.Objects;

/**
 * {@code a=candidate:} (RFC 8839 §5.1): an ICE candidate.
 *
 * @param foundation the foundation
 * @param component 1 (RTP) or 2 (RTCP)
 * @param transport {@code UDP} (or {@code TCP})
 * @param priority the priority
 * @param address the connection address
 * @param port the port
 * @param type {@code host}, {@code srflx}, {@code prflx}, {@code relay}
 * @param relatedAddress {@code raddr}, or null
 * @param relatedPort {@code rport}, or -1
 * @param extensions further name/value pairs as written (alternating)
 */
public record Candidate(String foundation, int component, String transport, long priority, String address, int port,
        String type, String relatedAddress, int relatedPort, List<String> extensions) {

    /** Copies the list. */
    public Candidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        extensions = List.copyOf(extensions);
    }

    /** Parses the attribute value. */
    public static Candidate parse(String v) {
        String[] p = SdpValues.split(v, 8, "candidate");
        if (!p[6].equals("typ")) {
            throw new io.rvoip.sip.parser.SipParseException("candidate without typ: " + v, -1);
        }
        int component = (int) SdpValues.number(p[1], 256, "component");
        long priority = SdpValues.number(p[3], 0xFFFFFFFFL, "priority");
        int port = (int) SdpValues.number(p[5], 65535, "port");
        String raddr = null;
        int rport = -1;
        List<String> ext = new java.util.ArrayList<>();
        for (int i = 8; i + 1 < p.length; i += 2) {
            switch (p[i]) {
                case "raddr" -> raddr = p[i + 1];
                case "rport" -> rport = (int) SdpValues.number(p[i + 1], 65535, "rport");
                default -> {
                    ext.add(p[i]);
                    ext.add(p[i + 1]);
                }
            }
        }
        if ((p.length - 8) % 2 != 0) {
            throw new io.rvoip.sip.parser.SipParseException("odd candidate extension list: " + v, -1);
        }
        return new Candidate(p[0], component, p[2], priority, p[4], port, p[7], raddr, rport, ext);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96).append(foundation).append(' ').append(component).append(' ')
                .append(transport).append(' ').append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            sb.append(" rport ").append(relatedPort);
        }
        for (String e : extensions) {
            sb.append(' ').append(e);
        }
        return sb.toString();
    }
}
