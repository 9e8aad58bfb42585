package io.rvoip.sip.transport;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A bound socket: its transport and the address it listens on (port 0 in the configuration
 * becomes the real port here), and the address advertised in Via sent-by.
 *
 * @param transport the transport
 * @param address the bound address
 * @param advertisedHost the host written in Via sent-by and Contact
 */
public record ListeningPoint(TransportType transport, InetSocketAddress address, String advertisedHost) {

    /** Validates presence. */
    public ListeningPoint {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
    }

    /** The bound port. */
    public int port() {
        return address.getPort();
    }
}
