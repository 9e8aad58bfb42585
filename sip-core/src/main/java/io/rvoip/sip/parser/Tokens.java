package io.rvoip.sip.parser;

import java.nio.charset.StandardCharsets;

/**
 * The tokens nearly every message repeats (protocol, transports, common parameter names and
 * values), returned as shared constants so parsing them allocates nothing. Exact-case match:
 * anything else becomes a new string, so text is never altered.
 */
final class Tokens {
    private static final String[] COMMON = {"SIP", "2.0", "UDP", "TCP", "TLS", "WS", "WSS", "SCTP", "udp", "tcp", "tls",
        "ws", "wss", "branch", "rport", "received", "tag", "transport", "lr", "maddr", "ttl", "expires", "q", "user",
        "phone", "method", "refresher", "uac", "uas", "application", "sdp", "text", "plain", "multipart", "mixed",
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO",
        "REFER", "MESSAGE", "UPDATE", "Digest", "realm", "nonce", "opaque", "algorithm", "qop", "auth", "MD5",
        "username", "uri", "response", "cnonce", "nc", "timer", "replaces", "100rel", "path", "gruu", "outbound",
        "reg-id", "ob", "id", "reason", "cause", "text", "handling", "session", "required", "optional"};
    private static final byte[][] BYTES = new byte[COMMON.length][];
    private static final int[][] BY_LENGTH_AND_FIRST = new int[16 * 128][];

    static {
        for (int i = 0; i < COMMON.length; i++) {
            BYTES[i] = COMMON[i].getBytes(StandardCharsets.ISO_8859_1);
            int key = slot(BYTES[i].length, BYTES[i][0]);
            int[] old = BY_LENGTH_AND_FIRST[key];
            int[] grown = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = i;
            BY_LENGTH_AND_FIRST[key] = grown;
        }
    }

    private Tokens() {
    }

    private static int slot(int len, byte first) {
        return (len << 7) | (first & 0x7f);
    }

    /** The text of b[s..e) as ISO-8859-1, shared for the common tokens. */
    static String of(byte[] b, int s, int e) {
        int len = e - s;
        if (len < 16 && b[s] >= 0) {
            int[] candidates = BY_LENGTH_AND_FIRST[slot(len, b[s])];
            if (candidates != null) {
                for (int i : candidates) {
                    if (same(BYTES[i], b, s, len)) {
                        return COMMON[i];
                    }
                }
            }
        }
        return Latin1.string(b, s, e);
    }

    /**
     * {@code t} equals {@code b[s..s+len)} ({@code t.length == len}). A plain loop: tokens are
     * short, and {@code Arrays.equals} calls a vectorised intrinsic whose set-up costs more than
     * the compare.
     */
    static boolean same(byte[] t, byte[] b, int s, int len) {
        for (int i = 0; i < len; i++) {
            if (t[i] != b[s + i]) {
                return false;
            }
        }
        return true;
    }
}
