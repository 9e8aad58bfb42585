package io.rvoip.sip.sdp;

import io.rvoip.sip.parser.SipParseException;

/** Small helpers for the attribute parsers: splitting and bounded numbers, errors as {@link SipParseException}. */
final class SdpValues {
    private SdpValues() {
    }

    static String[] split(String value, int min, String what) {
        String[] parts = fields(value);
        if (parts.length < min || parts.length == 0) {
            throw new SipParseException("malformed " + what + ": " + value, -1);
        }
        return parts;
    }

    /** The fields of {@code s} separated by runs of spaces and tabs (no regex). */
    static String[] fields(String s) {
        int n = 0;
        int len = s.length();
        for (int i = 0; i < len; ) {
            while (i < len && isBlank(s.charAt(i))) {
                i++;
            }
            if (i < len) {
                n++;
                while (i < len && !isBlank(s.charAt(i))) {
                    i++;
                }
            }
        }
        String[] out = new String[n];
        int k = 0;
        for (int i = 0; i < len; ) {
            while (i < len && isBlank(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < len && !isBlank(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out[k++] = s.substring(start, i);
            }
        }
        return out;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
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
