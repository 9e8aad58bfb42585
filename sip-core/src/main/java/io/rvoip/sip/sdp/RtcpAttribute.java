package io.rvoip.sip.sdp;

/**
 * {@code a=rtcp:<port> [<nettype> <addrtype> <address>]} (RFC 3605 §2.1).
 *
 * @param port the RTCP port
 * @param connection the RTCP address, or null
 */
public record RtcpAttribute(int port, Connection connection) {

    /** Parses the attribute value. */
    public static RtcpAttribute parse(String v) {
        String[] p = SdpValues.split(v, 1, "rtcp");
        int port = (int) SdpValues.number(p[0], 65535, "rtcp port");
        if (p.length == 1) {
            return new RtcpAttribute(port, null);
        }
        if (p.length != 4) {
            throw new io.rvoip.sip.parser.SipParseException("malformed rtcp attribute: " + v, -1);
        }
        return new RtcpAttribute(port, new Connection(p[1], p[2], p[3]));
    }

    @Override
    public String toString() {
        return connection == null ? Integer.toString(port) : port + " " + connection;
    }
}
