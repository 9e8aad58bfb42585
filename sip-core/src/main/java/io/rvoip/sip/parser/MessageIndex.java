package io.rvoip.sip.parser;

import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.uri.Uri;

/**
 * The parsed form of one message, as the parser hands it to
 * {@link io.rvoip.sip.message.SipMessage}: the message's bytes (start line, headers, blank
 * line, body, nothing else), the start line's parts, and per header field its name, the
 * offsets of the field and of its value, and a slot for the typed value.
 *
 * <p>Only the parser creates instances, so every index is consistent with its bytes. Typed
 * value slots are filled at most once per thread with equal immutable values (a benign race,
 * like {@link String#hashCode()}).
 */
public final class MessageIndex {
    private final byte[] bytes;
    private final int count;
    private final HeaderName[] names;
    /**
     * Per field: line start, value start, value end; then one more, where the fields end. A
     * field's end is the next entry (the next field's start, or the end of the fields).
     */
    private final int[] offsets;
    private final Object[] values;
    private final int bodyStart;
    private final int startLineEnd;
    private final SipMethod method;
    private final Uri requestUri;
    private final String version;
    private final int statusCode;
    private final String reasonPhrase;
    /** One bit per field name (bit = name hash mod 64): a clear bit means no field of that name. */
    private final long present;
    /** The bits of {@link #present} that more than one field set: a clear bit means at most one field. */
    private final long repeated;

    MessageIndex(byte[] bytes, int count, HeaderName[] names, int[] offsets, Object[] values, int bodyStart,
            int startLineEnd, SipMethod method, Uri requestUri, String version, int statusCode, String reasonPhrase) {
        this.bytes = bytes;
        this.count = count;
        this.names = names;
        this.offsets = offsets;
        this.values = values;
        this.bodyStart = bodyStart;
        this.startLineEnd = startLineEnd;
        this.method = method;
        this.requestUri = requestUri;
        this.version = version;
        this.statusCode = statusCode;
        this.reasonPhrase = reasonPhrase;
        long bits = 0;
        long again = 0;
        for (int i = 0; i < count; i++) {
            long bit = 1L << names[i].hashCode(); // the shift takes the hash mod 64
            again |= bits & bit;
            bits |= bit;
        }
        this.present = bits;
        this.repeated = again;
    }

    /**
     * False if no field is named {@code name} (any case, compact forms included, as
     * {@link HeaderName#equals} compares); true if one may be. Lets lookups of absent fields
     * skip the scan.
     */
    public boolean mayHave(HeaderName name) {
        return (present & (1L << name.hashCode())) != 0;
    }

    /** False if at most one field is named {@code name}; true if more may be. */
    public boolean mayRepeat(HeaderName name) {
        return (repeated & (1L << name.hashCode())) != 0;
    }

    /** The message's bytes; never modify them. */
    public byte[] bytes() {
        return bytes;
    }

    /** True for a request. */
    public boolean isRequest() {
        return method != null;
    }

    /** The request method, or null for a response. */
    public SipMethod method() {
        return method;
    }

    /** The Request-URI, or null for a response. */
    public Uri requestUri() {
        return requestUri;
    }

    /** The SIP-Version as written, e.g. {@code SIP/2.0}. */
    public String version() {
        return version;
    }

    /** The status code, or 0 for a request. */
    public int statusCode() {
        return statusCode;
    }

    /** The reason phrase, or null for a request. */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** The number of header fields. */
    public int headerCount() {
        return count;
    }

    /** The name of field {@code i}. */
    public HeaderName name(int i) {
        return names[i];
    }

    /** Where field {@code i}'s line starts (its name). */
    public int fieldStart(int i) {
        return offsets[3 * i];
    }

    /** Where field {@code i}'s value starts (after the colon and leading white space). */
    public int valueStart(int i) {
        return offsets[3 * i + 1];
    }

    /** Where field {@code i}'s value ends (before trailing white space and the line end). */
    public int valueEnd(int i) {
        return offsets[3 * i + 2];
    }

    /** Where field {@code i} ends, line terminator included (the next field's start). */
    public int fieldEnd(int i) {
        return offsets[3 * i + 3]; // the next field's start, or the end of the fields
    }

    /** Where the start line ends, line terminator included (the first field's start). */
    public int startLineEnd() {
        return startLineEnd;
    }

    /** Where the body starts (after the blank line). */
    public int bodyStart() {
        return bodyStart;
    }

    /**
     * A copy of this index with field {@code i}'s value replaced by {@code value} (bytes) whose
     * typed form is {@code typed}: the bytes are spliced and the later offsets shifted, with no
     * re-parse. The caller guarantees that {@code value} is a valid value for the field.
     */
    public MessageIndex withFieldValue(int i, byte[] value, Object typed) {
        int vs = valueStart(i);
        int ve = valueEnd(i);
        int delta = value.length - (ve - vs);
        byte[] out = new byte[bytes.length + delta];
        System.arraycopy(bytes, 0, out, 0, vs);
        System.arraycopy(value, 0, out, vs, value.length);
        System.arraycopy(bytes, ve, out, vs + value.length, bytes.length - ve);
        int[] offs = java.util.Arrays.copyOf(offsets, offsets.length);
        offs[3 * i + 2] += delta;
        for (int k = 3 * i + 3; k < offs.length; k++) { // later fields, and the end of the fields
            offs[k] += delta;
        }
        Object[] vals = java.util.Arrays.copyOf(values, values.length);
        vals[i] = typed;
        return new MessageIndex(out, count, names, offs, vals, bodyStart + delta, startLineEnd, method, requestUri,
                version, statusCode, reasonPhrase);
    }

    /** The typed value cached for field {@code i}, or null. */
    public Object cached(int i) {
        return values[i];
    }

    /** Caches the typed value of field {@code i}. */
    public void cache(int i, Object value) {
        values[i] = value;
    }
}
