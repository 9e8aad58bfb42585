package io.rvoip.sip.transport;

import io.rvoip.sip.message.SipMessage;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP message traces: every message sent and received, whole, on the logger
 * {@value #LOGGER} at DEBUG, with the secrets a message can carry replaced by
 * {@code <redacted>}:
 * <ul>
 *   <li>the digest {@code response} of Authorization and Proxy-Authorization, and the
 *       {@code rspauth} of Authentication-Info;</li>
 *   <li>SDES key parameters ({@code a=crypto:… inline:…}, RFC 4568, up to the next space) and SDP
 *       {@code k=} lines;</li>
 *   <li>ICE passwords ({@code a=ice-pwd}).</li>
 * </ul>
 * Nothing is formatted unless the logger is enabled.
 */
public final class SipTrace {
    /** The logger name: turn it to DEBUG to see the traces. */
    public static final String LOGGER = "io.rvoip.sip.trace";
    private static final Logger TRACE = LoggerFactory.getLogger(LOGGER);
    private static final String REDACTED = "<redacted>";

    private SipTrace() {
    }

    /** Whether traces are being written. */
    public static boolean enabled() {
        return TRACE.isDebugEnabled();
    }

    /** Traces a message sent to {@code to} over {@code transport}. */
    public static void sent(SipMessage message, TransportType transport, InetSocketAddress to) {
        if (TRACE.isDebugEnabled()) {
            TRACE.debug("sent {} bytes to {} over {}:\n{}", message.encodedSize(), to, transport, redact(message.toString()));
        }
    }

    /** Traces a message received from {@code from} over {@code transport}. */
    public static void received(SipMessage message, TransportType transport, InetSocketAddress from) {
        if (TRACE.isDebugEnabled()) {
            TRACE.debug("received {} bytes from {} over {}:\n{}", message.encodedSize(), from, transport, redact(message.toString()));
        }
    }

    /** The message text with its secrets replaced; line by line, header names case-insensitive. */
    public static String redact(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            end = end < 0 ? text.length() : end + 1;
            out.append(redactLine(text.substring(start, end)));
            start = end;
        }
        return out.toString();
    }

    private static String redactLine(String line) {
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("authorization") || lower.startsWith("proxy-authorization")) {
            return replaceValue(line, lower, "response");
        }
        if (lower.startsWith("authentication-info") || lower.startsWith("proxy-authentication-info")) {
            return replaceValue(line, lower, "rspauth");
        }
        if (lower.startsWith("a=crypto:")) {
            int i = lower.indexOf("inline:");
            if (i >= 0) {
                int j = i + "inline:".length();
                int k = j;
                while (k < line.length() && !Character.isWhitespace(line.charAt(k)) && line.charAt(k) != ';') {
                    k++;
                }
                return line.substring(0, j) + REDACTED + line.substring(k);
            }
            return line;
        }
        if (lower.startsWith("a=ice-pwd:")) {
            return "a=ice-pwd:" + REDACTED + lineEnd(line);
        }
        if (lower.startsWith("k=")) {
            return "k=" + REDACTED + lineEnd(line);
        }
        return line;
    }

    /** Replaces the value of every {@code name=} parameter (quoted or not) in the line. */
    private static String replaceValue(String line, String lower, String name) {
        StringBuilder out = new StringBuilder(line.length());
        int from = 0;
        while (true) {
            int i = lower.indexOf(name, from);
            if (i < 0) {
                break;
            }
            boolean boundary = i == 0 || !Character.isLetterOrDigit(lower.charAt(i - 1)) && lower.charAt(i - 1) != '-';
            int eq = i + name.length();
            while (eq < line.length() && (line.charAt(eq) == ' ' || line.charAt(eq) == '\t')) {
                eq++;
            }
            if (!boundary || eq >= line.length() || line.charAt(eq) != '=') {
                out.append(line, from, i + name.length());
                from = i + name.length();
                continue;
            }
            int v = eq + 1;
            while (v < line.length() && (line.charAt(v) == ' ' || line.charAt(v) == '\t')) {
                v++;
            }
            int e;
            if (v < line.length() && line.charAt(v) == '"') {
                e = line.indexOf('"', v + 1);
                e = e < 0 ? line.length() : e + 1;
                out.append(line, from, v).append('"').append(REDACTED).append('"');
            } else {
                e = v;
                while (e < line.length() && line.charAt(e) != ',' && line.charAt(e) != ';' && line.charAt(e) != '\r'
                        && line.charAt(e) != '\n' && !Character.isWhitespace(line.charAt(e))) {
                    e++;
                }
                out.append(line, from, v).append(REDACTED);
            }
            from = e;
        }
        out.append(line, from, line.length());
        return out.toString();
    }

    private static String lineEnd(String line) {
        return line.endsWith("\r\n") ? "\r\n" : line.endsWith("\n") ? "\n" : "";
    }
}
