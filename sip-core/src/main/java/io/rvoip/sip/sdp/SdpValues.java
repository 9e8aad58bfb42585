package io.rvoip.sip.sdp;

import io.rvoip.sip.parser.SipParseException;

/** Small helpers for the attribute parsers: splitting and bounded numbers, errors as {@link SipParseException}. */
final class SdpValues {
    private SdpValues() {
    }

    static String[] split(String value, int min, String what) {
        String[] parts = value.trim().split("[ \\t]+");
        if (parts.length < min || parts[0].isEmpty()) {
            throw new SipParseException("malformed " + what + ": " + value, -1);
        }
        return parts;
    }

    static long number(String s, long max, String what) {
        if (s.isEmpty() || s.length() > 19) {
            throw new SipParseException("bad " + what + ": " + s, -1);
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SipParseException("bad " + what + ": " + s, -1);
            }
            v = v * 10 + (c - '0');
            if (v > max) {
                throw new SipParseException(what + " out of range: " + s, -1);
            }
        }
        return v;
    }
}
