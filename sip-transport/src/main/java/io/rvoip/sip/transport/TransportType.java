package io.rvoip.sip.transport;

import java.util.Locale;

/** The transports SIP runs over (RFC 3261 §18, RFC 7118), with their Via tokens. */
public enum TransportType {
    UDP(false, false, 5060),
    TCP(true, false, 5060),
    TLS(true, true, 5061),
    /** SIP over WebSocket (RFC 7118); port 80 as for ws: URIs. */
    WS(true, false, 80),
    /** SIP over secure WebSocket (RFC 7118); port 443 as for wss: URIs. */
    WSS(true, true, 443);

    private final boolean reliable;
    private final boolean secure;
    private final int defaultPort;

    TransportType(boolean reliable, boolean secure, int defaultPort) {
        this.reliable = reliable;
        this.secure = secure;
        this.defaultPort = defaultPort;
    }

    /** True for connection-oriented transports (no retransmission timers). */
    public boolean isReliable() {
        return reliable;
    }

    /** True for TLS and WSS. */
    public boolean isSecure() {
        return secure;
    }

    /** True for WS and WSS (messages are WebSocket messages, not a byte stream). */
    public boolean isWebSocket() {
        return this == WS || this == WSS;
    }

    /** 5060, or 5061 for TLS (RFC 3261 §19.1.2). */
    public int defaultPort() {
        return defaultPort;
    }

    /** The token in a Via's sent-protocol and in a URI's transport parameter. */
    public String viaToken() {
        return name();
    }

    /** The transport named by a Via token or transport parameter (any case), or null. */
    public static TransportType fromToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            return valueOf(token.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
