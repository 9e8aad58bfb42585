package io.rvoip.sip.message;

import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.parser.SipParseException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A multipart body (RFC 2046 §5.1, RFC 5621): parts separated by a boundary, each with its own
 * headers and content. Content is kept byte for byte (binary parts included).
 *
 * @param boundary the boundary
 * @param parts the parts
 */
public record MultipartBody(String boundary, List<MultipartBody.Part> parts) {
    private static final int MAX_PARTS = 64;

    /** Copies the list. */
    public MultipartBody {
        Objects.requireNonNull(boundary, "boundary");
        parts = List.copyOf(parts);
    }

    /**
     * One part.
     *
     * @param headers the part's headers, names in lower case, in order
     * @param content the part's content
     */
    public record Part(Map<String, String> headers, byte[] content) {
        /** Copies. */
        public Part {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            content = content.clone();
        }

        /** A part with a Content-Type. */
        public static Part of(MediaType type, byte[] content) {
            return new Part(Map.of("content-type", type.toString()), content);
        }

        /** The part's Content-Type, or null (then text/plain per RFC 2046 §5.1). */
        public MediaType contentType() {
            String v = headers.get("content-type");
            return v == null ? null : MediaType.parse(v);
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /**
     * Splits a message body whose Content-Type is {@code multipart/*}.
     *
     * @throws SipParseException if the boundary is missing or the body is malformed
     */
    public static MultipartBody parse(MediaType contentType, byte[] body) {
        String boundary = contentType.param("boundary");
        if (!contentType.type().equalsIgnoreCase("multipart") || boundary == null || boundary.isEmpty()) {
            throw new SipParseException("not a multipart type with a boundary: " + contentType, 0);
        }
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int p = find(body, delim, 0, true);
        if (p < 0) {
            throw new SipParseException("multipart body without its first boundary", 0);
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            int after = p + delim.length;
            if (startsWith(body, after, "--")) {
                return new MultipartBody(boundary, parts);
            }
            int lineEnd = indexOf(body, (byte) '\n', after);
            if (lineEnd < 0) {
                throw new SipParseException("multipart boundary line not terminated", after);
            }
            int next = find(body, delim, lineEnd + 1, false);
            if (next < 0) {
                throw new SipParseException("multipart body without its closing boundary", lineEnd);
            }
            int contentEnd = next;
            if (contentEnd > 0 && body[contentEnd - 1] == '\n') {
                contentEnd--;
                if (contentEnd > 0 && body[contentEnd - 1] == '\r') {
                    contentEnd--;
                }
            }
            parts.add(part(body, lineEnd + 1, Math.max(lineEnd + 1, contentEnd)));
            if (parts.size() > MAX_PARTS) {
                throw new SipParseException("more than " + MAX_PARTS + " body parts", next);
            }
            p = next;
        }
    }

    private static Part part(byte[] b, int s, int e) {
        Map<String, String> headers = new LinkedHashMap<>();
        int p = s;
        while (p < e) {
            int lf = indexOf(b, (byte) '\n', p);
            if (lf < 0 || lf >= e) {
                lf = e;
            }
            int lineEnd = lf > p && b[lf - 1] == '\r' ? lf - 1 : lf;
            if (lineEnd == p) {
                p = Math.min(lf + 1, e);
                return new Part(headers, Arrays.copyOfRange(b, p, e));
            }
            String line = new String(b, p, lineEnd - p, StandardCharsets.UTF_8);
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            if (name.isEmpty()) { // no colon, or nothing but white space before it
                throw new SipParseException("malformed body part header", p);
            }
            headers.put(name.toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            p = lf + 1;
        }
        return new Part(headers, new byte[0]);
    }

    /** The encoded body: parts between boundaries, CRLF line ends. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            write(out, "--" + boundary + "\r\n");
            part.headers().forEach((k, v) -> write(out, k + ": " + v + "\r\n"));
            write(out, "\r\n");
            out.writeBytes(part.content);
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    /** The Content-Type for this body: {@code multipart/mixed;boundary=...}. */
    public MediaType contentType() {
        return MediaType.MULTIPART_MIXED.withParam("boundary", boundary);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Finds a delimiter at a line start (or at {@code from} when {@code atStart}). */
    private static int find(byte[] b, byte[] d, int from, boolean atStart) {
        for (int i = from; i + d.length <= b.length; i++) {
            boolean lineStart = i == 0 || b[i - 1] == '\n' || (atStart && i == from);
            if (lineStart && Arrays.equals(b, i, i + d.length, d, 0, d.length)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
