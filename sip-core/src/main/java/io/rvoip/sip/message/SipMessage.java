package io.rvoip.sip.message;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.CSeq;
import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.parser.MessageIndex;
import io.rvoip.sip.parser.SipParseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable SIP message, backed by its wire bytes (RFC 3261 §7).
 *
 * <p>Header fields keep their order and their exact bytes, so {@link #encodeTo(ByteBuffer)}
 * writes back exactly what was parsed (or built). Typed values are parsed on first access
 * and cached; the hot ones (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length) are
 * parsed with the message, and so is every typed header when the parser works at
 * {@link io.rvoip.sip.parser.SipParser.Depth#FULL}. Accessing a malformed non-hot header throws
 * {@link SipParseException} (at full depth such a message is never made). Change a message
 * with {@link #toBuilder()}.
 *
 * <p>Thread safety: immutable; safe to share between threads.
 */
public abstract sealed class SipMessage permits SipRequest, SipResponse {
    final MessageIndex ix;

    SipMessage(MessageIndex ix) {
        this.ix = ix;
    }

    /**
     * Wraps a parser result. Only the parser can make a {@link MessageIndex}, so this cannot
     * produce an inconsistent message.
     */
    public static SipMessage fromIndex(MessageIndex ix) {
        Objects.requireNonNull(ix, "ix");
        return ix.isRequest() ? new SipRequest(ix) : new SipResponse(ix);
    }

    /** The SIP-Version as written, usually {@code SIP/2.0}. */
    public String version() {
        return ix.version();
    }

    /** True for a request. */
    public abstract boolean isRequest();

    // ---- header fields ------------------------------------------------------------------

    /** The number of header fields. */
    public int headerCount() {
        return ix.headerCount();
    }

    /** The name of field {@code i} (0-based, in message order). */
    public HeaderName headerName(int i) {
        Objects.checkIndex(i, ix.headerCount());
        return ix.name(i);
    }

    /** The raw value of field {@code i}, line folds replaced by one space. */
    public String headerValue(int i) {
        Objects.checkIndex(i, ix.headerCount());
        return text(ix.valueStart(i), ix.valueEnd(i));
    }

    /** True if at least one field has this name (compact forms included). */
    public boolean has(HeaderName name) {
        return indexOf(name, 0) >= 0;
    }

    /** The raw value of the first field with this name, or null. */
    public String header(HeaderName name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : headerValue(i);
    }

    /** The raw value of the first field named {@code name} (any spelling), or null. */
    public String header(String name) {
        return header(HeaderName.valueOf(name));
    }

    /** The raw values of every field with this name, in order (not split at commas). */
    public List<String> headers(HeaderName name) {
        List<String> out = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            out.add(headerValue(i));
        }
        return out;
    }

    /** The number of fields with this name. */
    public int count(HeaderName name) {
        int n = 0;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * The first typed value of {@code type}, or null if absent.
     *
     * @throws SipParseException if the field is malformed
     */
    @SuppressWarnings("unchecked")
    public <T> T get(HeaderType<T> type) {
        int i = indexOf(type.name(), 0);
        while (i >= 0) {
            Object v = typed(type, i);
            if (!type.isList()) {
                return (T) v;
            }
            List<T> list = (List<T>) v;
            if (!list.isEmpty()) {
                return list.get(0);
            }
            i = indexOf(type.name(), i + 1);
        }
        return null;
    }

    /**
     * Every typed value of {@code type}: the values of all fields, comma lists flattened, in
     * message order (RFC 3261 §7.3.1: repeated fields and comma lists are equivalent).
     *
     * @throws SipParseException if a field is malformed
     */
    @SuppressWarnings("unchecked")
    public <T> List<T> getAll(HeaderType<T> type) {
        int first = indexOf(type.name(), 0);
        if (first < 0) {
            return List.of();
        }
        int second = ix.mayRepeat(type.name()) ? indexOf(type.name(), first + 1) : -1;
        if (second < 0) {
            Object v = typed(type, first);
            return type.isList() ? (List<T>) v : List.of((T) v);
        }
        List<T> out = new ArrayList<>();
        for (int i = first; i >= 0; i = indexOf(type.name(), i + 1)) {
            Object v = typed(type, i);
            if (type.isList()) {
                out.addAll((List<T>) v);
            } else {
                out.add((T) v);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private Object typed(HeaderType<?> type, int i) {
        Object v = ix.cached(i);
        if (v == null) {
            try {
                v = type.parseField(ix.bytes(), ix.valueStart(i), ix.valueEnd(i), 0);
            } catch (RuntimeException e) {
                if (e instanceof SipParseException p) {
                    throw p;
                }
                SipParseException internal = new SipParseException("internal parser error in " + type + ": " + e,
                        ix.valueStart(i));
                internal.initCause(e);
                throw internal;
            }
            ix.cache(i, v);
        }
        return v;
    }

    int indexOf(HeaderName name, int from) {
        if (!ix.mayHave(name)) {
            return -1;
        }
        int n = ix.headerCount();
        if (name.isKnown()) {
            for (int i = from; i < n; i++) {
                if (ix.name(i) == name) {
                    return i;
                }
            }
            return -1;
        }
        for (int i = from; i < n; i++) {
            if (name.sameAs(ix.name(i))) {
                return i;
            }
        }
        return -1;
    }

    // ---- hot headers --------------------------------------------------------------------

    /** The top Via, or null. */
    public Via via() {
        return get(SipHeaders.VIA);
    }

    /** All Via values, top first. */
    public List<Via> vias() {
        return getAll(SipHeaders.VIA);
    }

    /** From, or null if absent. */
    public Address from() {
        return get(SipHeaders.FROM);
    }

    /** To, or null if absent. */
    public Address to() {
        return get(SipHeaders.TO);
    }

    /** Call-ID, or null if absent. */
    public String callId() {
        return get(SipHeaders.CALL_ID);
    }

    /** CSeq, or null if absent. */
    public CSeq cseq() {
        return get(SipHeaders.CSEQ);
    }

    /** Max-Forwards, or -1 if absent. */
    public int maxForwards() {
        Integer v = get(SipHeaders.MAX_FORWARDS);
        return v == null ? -1 : v;
    }

    /** The first Contact, or null. */
    public Address contact() {
        return get(SipHeaders.CONTACT);
    }

    /** Content-Type, or null. */
    public MediaType contentType() {
        return get(SipHeaders.CONTENT_TYPE);
    }

    // ---- body ---------------------------------------------------------------------------

    /** The body length in bytes. */
    public int bodyLength() {
        return ix.bytes().length - ix.bodyStart();
    }

    /** A copy of the body (empty if none). */
    public byte[] body() {
        return Arrays.copyOfRange(ix.bytes(), ix.bodyStart(), ix.bytes().length);
    }

    /** A read-only view of the body. */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(ix.bytes(), ix.bodyStart(), bodyLength()).slice().asReadOnlyBuffer();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(ix.bytes(), ix.bodyStart(), bodyLength(), StandardCharsets.UTF_8);
    }

    // ---- wire form ----------------------------------------------------------------------

    /** The number of bytes {@link #encodeTo(ByteBuffer)} writes. */
    public int encodedSize() {
        return ix.bytes().length;
    }

    /**
     * The wire form as a read-only view (no copy): for transports that hand it to the socket,
     * and for holders that want to keep only the bytes of a message they no longer need parsed.
     */
    public ByteBuffer wireBuffer() {
        return ByteBuffer.wrap(ix.bytes()).asReadOnlyBuffer();
    }

    /** Writes the wire form into {@code dst}. */
    public void encodeTo(ByteBuffer dst) {
        dst.put(ix.bytes());
    }

    /** Writes the wire form into {@code dst} at {@code offset}; returns the bytes written. */
    public int encodeTo(byte[] dst, int offset) {
        byte[] b = ix.bytes();
        System.arraycopy(b, 0, dst, offset, b.length);
        return b.length;
    }

    /** A copy of the wire form. */
    public byte[] toByteArray() {
        return ix.bytes().clone();
    }

    /**
     * This message with its top Via replaced, e.g. to add {@code received}/{@code rport}
     * (RFC 3261 §18.2.1, RFC 3581) or fill in the transport and sent-by before sending. Only
     * the top Via field is rewritten; everything else keeps its bytes. Cheap: no re-parse.
     *
     * @throws IllegalStateException if the message has no Via
     */
    public SipMessage withTopVia(Via via) {
        java.util.Objects.requireNonNull(via, "via");
        int i = indexOf(HeaderName.VIA, 0);
        if (i < 0) {
            throw new IllegalStateException("message has no Via");
        }
        String text = via.toString();
        MessageBuilder.checkText(text);
        @SuppressWarnings("unchecked")
        List<Via> field = (List<Via>) typed(io.rvoip.sip.header.SipHeaders.VIA, i);
        List<Via> replaced = new ArrayList<>(field);
        replaced.set(0, via);
        StringBuilder value = new StringBuilder(text);
        for (int k = 1; k < replaced.size(); k++) {
            value.append(", ").append(replaced.get(k));
        }
        MessageIndex updated = ix.withFieldValue(i, value.toString().getBytes(StandardCharsets.UTF_8),
                List.copyOf(replaced));
        return fromIndex(updated);
    }

    /** A builder holding this message's start line, fields (with their bytes) and body. */
    public abstract MessageBuilder<?, ?> toBuilder();

    /** The wire form as text (UTF-8); for logs at TRACE level on the wire logger only. */
    @Override
    public String toString() {
        return new String(ix.bytes(), StandardCharsets.UTF_8);
    }

    String text(int s, int e) {
        byte[] b = ix.bytes();
        boolean plain = true;
        for (int i = s; i < e; i++) {
            if (b[i] == '\r' || b[i] == '\n' || b[i] < 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        }
        return new String(b, s, e - s, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+[ \\t]*", " ");
    }

    /** Field {@code i}'s whole line, terminator included, as bytes (for the builders). */
    byte[] fieldBytes(int i) {
        return Arrays.copyOfRange(ix.bytes(), ix.fieldStart(i), ix.fieldEnd(i));
    }

    Object cachedValue(int i) {
        return ix.cached(i);
    }
}
