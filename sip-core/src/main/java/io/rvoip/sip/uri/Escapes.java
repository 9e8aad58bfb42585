package io.rvoip.sip.uri;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** %-escaping of URI components (RFC 3261 §19.1.2, RFC 3986 §2.1). */
public final class Escapes {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final String USER_SAFE = "-_.!~*'()&=+$,;?/";

    private Escapes() {
    }

    /** Decodes %HH sequences (as UTF-8); text without {@code %} is returned as is. */
    public static String unescape(String s) {
        if (s == null || s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Escapes everything a SIP URI user part may not carry literally. */
    public static String escapeUser(String s) {
        return escape(s, USER_SAFE);
    }

    /** Escapes everything but unreserved characters and {@code safe}. */
    public static String escape(String s, String safe) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c < 128 && safe.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return sb.toString();
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
