package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * A {@code c=} line (RFC 4566 §5.7).
 *
 * @param netType {@code IN}
 * @param addrType {@code IP4} or {@code IP6}
 * @param address the address, with {@code /ttl/count} for multicast as written
 */
public record Connection(String netType, String addrType, String address) {

    /** Validates presence. */
    public Connection {
        Objects.requireNonNull(netType, "netType");
        Objects.requireNonNull(addrType, "addrType");
        Objects.requireNonNull(address, "address");
    }

    /** {@code IN IP4 address} or {@code IN IP6 address}. */
    public static Connection of(String address) {
        return new Connection("IN", address.indexOf(':') >= 0 ? "IP6" : "IP4", address);
    }

    /** The address without any {@code /ttl} or {@code /count}. */
    public String host() {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    /** True for the RFC 2543 hold address 0.0.0.0. */
    public boolean isHoldAddress() {
        return host().equals("0.0.0.0");
    }

    @Override
    public String toString() {
        return netType + " " + addrType + " " + address;
    }
}
