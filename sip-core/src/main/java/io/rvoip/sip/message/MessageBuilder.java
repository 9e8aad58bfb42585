package io.rvoip.sip.message;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.MessageIndex;
import io.rvoip.sip.parser.SipParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The part of the request and response builders that deals with header fields and the body.
 *
 * <p>Fields keep their order. Fields copied from a parsed message keep their exact bytes;
 * new fields are written as {@code Name: value} with the value's canonical text. On
 * {@link #build()} Content-Length is set to the body's length (an existing field keeps its
 * place), and the result is parsed back, so a built message is always valid SIP: a value
 * that would not parse, or that contains a line break, is refused with
 * {@link IllegalArgumentException}.
 *
 * @param <M> the message type built
 * @param <B> the concrete builder type
 */
public abstract sealed class MessageBuilder<M extends SipMessage, B extends MessageBuilder<M, B>>
        permits SipRequest.Builder, SipResponse.Builder {

    /**
     * One header field: a name and either its exact line bytes ({@code src[start..end)},
     * terminator included; a parsed message's bytes are never modified, so they are shared, not
     * copied) or its value text. {@code typed}: the value the source message had already parsed
     * from exactly these bytes, or null.
     */
    private record Field(HeaderName name, byte[] src, int start, int end, String value, Object typed) {
        static Field text(HeaderName name, String value) {
            return new Field(name, null, 0, 0, value, null);
        }
    }

    private final List<Field> fields = new ArrayList<>();
    private byte[] body = new byte[0];
    byte[] originalStartLine;

    MessageBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    void copyFrom(SipMessage m) {
        originalStartLine = Arrays.copyOfRange(m.ix.bytes(), 0, m.ix.startLineEnd());
        for (int i = 0; i < m.headerCount(); i++) {
            copyField(m, i);
        }
        body = m.body();
    }

    void copyField(SipMessage m, int i) {
        MessageIndex ix = m.ix;
        fields.add(new Field(ix.name(i), ix.bytes(), ix.fieldStart(i), ix.fieldEnd(i), null, ix.cached(i)));
    }

    /**
     * Copies field {@code i} of {@code m} byte for byte and appends {@code suffix} (ASCII, for
     * example {@code ;tag=x}) — how a response adds its To tag without re-serialising a display
     * name that may hold escaped control characters (RFC 4475 intmeth).
     */
    void copyFieldWithSuffix(SipMessage m, int i, String suffix) {
        checkText(suffix);
        byte[] line = m.fieldBytes(i); // terminator included
        int end = line.length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'
                || line[end - 1] == '\n')) {
            end--;
        }
        byte[] s = (suffix + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(line, end + s.length);
        System.arraycopy(s, 0, out, end, s.length);
        fields.add(new Field(m.headerName(i), out, 0, out.length, null, null));
    }

    /** Appends a field with a typed value. */
    public <T> B add(HeaderType<T> type, T value) {
        fields.add(Field.text(type.name(), text(type, value)));
        return self();
    }

    /**
     * Puts a field with a typed value on top of the fields with that name (before the first
     * of them, or last if there is none): how a proxy adds its Via or a Record-Route.
     */
    public <T> B addFirst(HeaderType<T> type, T value) {
        Field f = Field.text(type.name(), text(type, value));
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(type.name())) {
                fields.add(i, f);
                return self();
            }
        }
        fields.add(f);
        return self();
    }

    /** Replaces every field of this type with one field holding {@code value}, at the first one's place. */
    public <T> B set(HeaderType<T> type, T value) {
        return setRaw(type.name(), text(type, value));
    }

    /** Replaces every field of this type with one field holding all {@code values} as a comma list. */
    public <T> B setAll(HeaderType<T> type, List<T> values) {
        if (values.isEmpty()) {
            return remove(type.name());
        }
        StringBuilder sb = new StringBuilder();
        for (T v : values) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(text(type, v));
        }
        return setRaw(type.name(), sb.toString());
    }

    /** Appends a field with a raw value (any header, including extensions). */
    public B add(String name, String value) {
        checkText(value);
        fields.add(Field.text(HeaderName.valueOf(checkName(name)), value));
        return self();
    }

    /** Replaces every field named {@code name} with one holding the raw {@code value}. */
    public B set(String name, String value) {
        return setRaw(HeaderName.valueOf(checkName(name)), value);
    }

    private B setRaw(HeaderName name, String value) {
        checkText(value);
        Field f = Field.text(name, value);
        int at = -1;
        for (int i = fields.size() - 1; i >= 0; i--) {
            if (fields.get(i).name().equals(name)) {
                fields.remove(i);
                at = i;
            }
        }
        if (at < 0) {
            fields.add(f);
        } else {
            fields.add(at, f);
        }
        return self();
    }

    /** Removes every field with this name. */
    public B remove(HeaderName name) {
        fields.removeIf(f -> f.name().equals(name));
        return self();
    }

    /** Removes the first field with this name (e.g. the top Via or Route). */
    public B removeFirst(HeaderName name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                fields.remove(i);
                break;
            }
        }
        return self();
    }

    /** True if a field with this name is present. */
    public boolean has(HeaderName name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    // ---- conveniences for the common fields ----------------------------------------------

    /** Puts a Via on top. */
    public B via(Via via) {
        return addFirst(SipHeaders.VIA, via);
    }

    /** Sets From. */
    public B from(Address from) {
        return set(SipHeaders.FROM, from);
    }

    /** Sets To. */
    public B to(Address to) {
        return set(SipHeaders.TO, to);
    }

    /** Sets Call-ID. */
    public B callId(String callId) {
        return set(SipHeaders.CALL_ID, callId);
    }

    /** Sets Max-Forwards. */
    public B maxForwards(int hops) {
        return set(SipHeaders.MAX_FORWARDS, hops);
    }

    /** Sets Contact. */
    public B contact(Address contact) {
        return set(SipHeaders.CONTACT, contact);
    }

    /** Sets the body and its Content-Type. */
    public B body(MediaType type, byte[] content) {
        set(SipHeaders.CONTENT_TYPE, type);
        this.body = content.clone();
        return self();
    }

    /** Sets the body, keeping Content-Type as it is. */
    public B body(byte[] content) {
        this.body = content.clone();
        return self();
    }

    /** Removes the body and Content-Type. */
    public B noBody() {
        this.body = new byte[0];
        return remove(HeaderName.CONTENT_TYPE);
    }

    abstract byte[] startLine();

    abstract M cast(SipMessage m);

    /**
     * Serializes and parses back. Fields copied byte for byte from a parsed message keep the
     * typed values it had parsed (the same bytes parse to the same value), so only new fields
     * and the start line are parsed again.
     *
     * @throws IllegalArgumentException if the result is not valid SIP
     */
    public M build() {
        byte[] start = startLine();
        int n = fields.size();
        // the lines to write, in order: arr[k][from[k]..to[k]), and what field k had parsed to
        byte[][] arr = new byte[n + 1][];
        int[] from = new int[n + 1];
        int[] to = new int[n + 1];
        Object[] known = null;
        int count = 0;
        boolean lengthWritten = false;
        int size = start.length + 2 + body.length;
        for (int i = 0; i < n; i++) {
            Field f = fields.get(i);
            boolean copy = f.src() != null;
            if (f.name().equals(HeaderName.CONTENT_LENGTH)) {
                if (lengthWritten) {
                    continue;
                }
                lengthWritten = true;
                copy &= declares(f.src(), f.start(), f.end(), body.length);
                if (!copy) {
                    arr[count] = contentLength(body.length);
                }
            } else if (!copy) {
                arr[count] = (f.name().name() + ": " + f.value() + "\r\n").getBytes(StandardCharsets.UTF_8);
            }
            if (copy) {
                arr[count] = f.src();
                from[count] = f.start();
                to[count] = f.end();
                if (f.typed() != null) {
                    if (known == null) {
                        known = new Object[n + 1];
                    }
                    known[count] = f.typed();
                }
            } else {
                to[count] = arr[count].length;
            }
            size += to[count] - from[count];
            count++;
        }
        if (!lengthWritten) {
            arr[count] = contentLength(body.length);
            to[count] = arr[count].length;
            size += to[count];
            count++;
        }
        byte[] out = new byte[size];
        System.arraycopy(start, 0, out, 0, start.length);
        int p = start.length;
        for (int k = 0; k < count; k++) {
            System.arraycopy(arr[k], from[k], out, p, to[k] - from[k]);
            p += to[k] - from[k];
        }
        out[p++] = '\r';
        out[p++] = '\n';
        System.arraycopy(body, 0, out, p, body.length);
        try {
            return cast(SipParser.defaults().parseOwned(out, known));
        } catch (SipParseException e) {
            throw new IllegalArgumentException("the message built is not valid SIP: " + e.getMessage(), e);
        }
    }

    private static byte[] contentLength(int length) {
        return ("Content-Length: " + length + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** True if a parsed Content-Length line ({@code line[from..to)}) already states {@code length}. */
    private static boolean declares(byte[] line, int from, int to, int length) {
        if (line == null) {
            return false;
        }
        int colon = from;
        while (colon < to && line[colon] != ':') {
            colon++;
        }
        String v = new String(line, colon + 1, to - colon - 1, StandardCharsets.ISO_8859_1).trim();
        return v.equals(Integer.toString(length));
    }

    private static <T> String text(HeaderType<T> type, T value) {
        Objects.requireNonNull(value, "value");
        String s = type.format(value);
        checkText(s);
        return s;
    }

    static void checkText(String s) {
        Objects.requireNonNull(s, "value");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("line breaks and NUL are not allowed in header values");
            }
        }
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("not a token: " + name);
            }
        }
        return name;
    }
}
