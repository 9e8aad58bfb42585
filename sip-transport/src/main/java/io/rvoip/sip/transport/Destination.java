package io.rvoip.sip.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where to send a message: a transport and a resolved address, plus the host name the peer is
 * known by (for TLS server-name indication and certificate verification; the address literal
 * if there is no name).
 *
 * @param transport the transport
 * @param address the resolved address and port
 * @param hostName the name to verify a TLS certificate against
 */
public record Destination(TransportType transport, InetSocketAddress address, String hostName) {

    /** Validates presence and that the address is resolved. */
    public Destination {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved: " + address);
        }
        if (hostName == null) {
            hostName = address.getAddress().getHostAddress();
        }
    }

    /** A destination named by its address. */
    public static Destination of(TransportType transport, InetSocketAddress address) {
        return new Destination(transport, address, null);
    }

    /** The same peer over another transport (the RFC 3261 §18.1.1 switch to TCP). */
    public Destination withTransport(TransportType other) {
        return new Destination(other, address, hostName);
    }
}
