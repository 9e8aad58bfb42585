package io.rvoip.sip.header;

import io.rvoip.sip.parser.HeaderValueParser;
import java.util.Locale;
import java.util.Objects;

/**
 * One Via value (RFC 3261 §20.42, RFC 3581): {@code SIP/2.0/UDP host:port;branch=...}.
 *
 * @param protocol the sent protocol name and version, e.g. {@code SIP/2.0}
 * @param transport the transport as written, e.g. {@code UDP}
 * @param host the sent-by host (IPv6 in brackets)
 * @param port the sent-by port, or -1
 * @param params the via-params, raw
 */
public record Via(String protocol, String transport, String host, int port, Parameters params) {
    /** The RFC 3261 branch prefix. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    /** Validates presence. */
    public Via {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(params, "params");
    }

    /** {@code SIP/2.0/transport host:port;branch=branch} (port -1 for none). */
    public static Via of(String transport, String host, int port, String branch) {
        return new Via("SIP/2.0", transport.toUpperCase(Locale.ROOT), host, port,
                branch == null ? Parameters.EMPTY : Parameters.of("branch", branch));
    }

    /** Parses one Via value. */
    public static Via parse(String text) {
        return HeaderValueParser.parseOne(SipHeaders.VIA, text);
    }

    /** The transport in upper case. */
    public String transportUpper() {
        return transport.toUpperCase(Locale.ROOT);
    }

    /** The branch parameter, or null. */
    public String branch() {
        return params.get("branch");
    }

    /** True if the branch starts with the RFC 3261 magic cookie (and has more after it). */
    public boolean hasRfc3261Branch() {
        String b = branch();
        return b != null && b.length() > MAGIC_COOKIE.length() && b.startsWith(MAGIC_COOKIE);
    }

    /** The received parameter, or null. */
    public String received() {
        return params.get("received");
    }

    /** The maddr parameter, or null. */
    public String maddr() {
        return params.get("maddr");
    }

    /** The ttl parameter, or -1. */
    public int ttl() {
        return intParam("ttl");
    }

    /** True if an rport parameter is present, with or without a value (RFC 3581). */
    public boolean hasRport() {
        return params.has("rport");
    }

    /** The rport value, or -1 if absent or without a value. */
    public int rport() {
        return intParam("rport");
    }

    private int intParam(String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty() || v.length() > 5) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(v);
    }

    /** {@code host[:port]}. */
    public String sentBy() {
        return port < 0 ? host : host + ":" + port;
    }

    /** A copy with one parameter set ({@code value} null for a flag). */
    public Via withParam(String name, String value) {
        return new Via(protocol, transport, host, port, params.with(name, value));
    }

    /** A copy with {@code received} set (RFC 3261 §18.2.1). */
    public Via withReceived(String address) {
        return withParam("received", address);
    }

    /** A copy with {@code rport} set to the source port (RFC 3581 §4). */
    public Via withRport(int port) {
        return withParam("rport", Integer.toString(port));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append(protocol).append('/').append(transport).append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.appendTo(sb, ';');
        return sb.toString();
    }
}
