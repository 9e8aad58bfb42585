package io.rvoip.sip.parser;

import io.rvoip.sip.internal.AsciiTokens;

/**
 * The tokens nearly every message repeats (protocol, transports, common parameter names and
 * values), returned as shared constants so parsing them allocates nothing. Exact-case match:
 * anything else becomes a new string, so text is never altered.
 */
final class Tokens {
    private static final AsciiTokens COMMON = new AsciiTokens("SIP", "2.0", "UDP", "TCP", "TLS", "WS", "WSS", "SCTP", "udp", "tcp", "tls",
        "ws", "wss", "branch", "rport", "received", "tag", "transport", "lr", "maddr", "ttl", "expires", "q", "user",
        "phone", "method", "refresher", "uac", "uas", "application", "sdp", "text", "plain", "multipart", "mixed",
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO",
        "REFER", "MESSAGE", "UPDATE", "Digest", "realm", "nonce", "opaque", "algorithm", "qop", "auth", "MD5",
        "username", "uri", "response", "cnonce", "nc", "timer", "replaces", "100rel", "path", "gruu", "outbound",
        "reg-id", "ob", "id", "reason", "cause", "text", "handling", "session", "required", "optional",
        // event packages (Event, Allow-Events), subscription states and option tags, as phones list them
        "talk", "hold", "refer", "presence", "dialog", "message-summary", "conference", "reg", "ua-profile",
        "kpml", "active", "pending", "terminated", "norefersub", "join", "early-session", "from-change",
        "histinfo", "precondition", "resource-priority", "sec-agree", "tdialog", "eventlist");

    private Tokens() {
    }

    /**
     * The shared constant spelled exactly by b[s..e), or null. Every constant is token
     * characters only, so a hit also says that the range is a token.
     */
    static String known(byte[] b, int s, int e) {
        return COMMON.find(b, s, e);
    }

    /** The text of b[s..e) as ISO-8859-1, shared for the common tokens. */
    static String of(byte[] b, int s, int e) {
        return COMMON.latin1(b, s, e);
    }
}
