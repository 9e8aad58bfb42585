package io.rvoip.sip.transport;

/**
 * Identifies one stream connection (TCP, TLS) for its lifetime, so a response can go back on
 * the connection its request came on (RFC 3261 §18.2.2).
 *
 * @param value a number unique within one {@link SipTransport}
 */
public record ConnectionId(long value) {
    @Override
    public String toString() {
        return "conn-" + value;
    }
}
