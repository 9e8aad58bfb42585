package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * The {@code o=} line (RFC 4566 §5.2). Numbers are kept as written so they round-trip.
 *
 * @param username the user name, {@code -} if none
 * @param sessionId the session id (digits)
 * @param sessionVersion the session version (digits); bump it on every new offer
 * @param netType {@code IN}
 * @param addrType {@code IP4} or {@code IP6}
 * @param address the originating address
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
        String address) {

    /** Validates presence. */
    public Origin {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionVersion, "sessionVersion");
        Objects.requireNonNull(netType, "netType");
        Objects.requireNonNull(addrType, "addrType");
        Objects.requireNonNull(address, "address");
    }

    /** A copy with the session version incremented by one (RFC 3264 §8). */
    public Origin nextVersion() {
        return new Origin(username, sessionId, new java.math.BigInteger(sessionVersion).add(java.math.BigInteger.ONE)
                .toString(), netType, addrType, address);
    }

    @Override
    public String toString() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addrType + " " + address;
    }
}
