package io.rvoip.sip.header;

import java.util.Objects;

/**
 * A typed header: its name, whether one header field may carry a comma-separated list of
 * values, and how to parse a field's value. The constants are in {@link SipHeaders}; a
 * message returns typed values with {@code message.get(SipHeaders.CONTACT)} and
 * {@code message.getAll(SipHeaders.VIA)}.
 *
 * @param <T> the value type
 */
public final class HeaderType<T> {

    /**
     * Parses the value of one header field, {@code b[start..end)}: returns a {@code T}, or for
     * list types a {@code List<T>}. Offsets in errors are relative to {@code base}.
     */
    @FunctionalInterface
    public interface ValueParser {
        /** Parses; throws {@link io.rvoip.sip.parser.SipParseException} on malformed input. */
        Object parse(byte[] b, int start, int end, int base);
    }

    private final HeaderName name;
    private final boolean list;
    private final ValueParser parser;

    private HeaderType(HeaderName name, boolean list, ValueParser parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.list = list;
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /** A header whose field holds one value. */
    public static <T> HeaderType<T> single(HeaderName name, ValueParser parser) {
        return new HeaderType<>(name, false, parser);
    }

    /** A header whose field may hold a comma-separated list of values. */
    public static <T> HeaderType<T> list(HeaderName name, ValueParser parser) {
        return new HeaderType<>(name, true, parser);
    }

    /** The header name. */
    public HeaderName name() {
        return name;
    }

    /** True if a field may hold several comma-separated values. */
    public boolean isList() {
        return list;
    }

    /** Parses a field's value: {@code T}, or {@code List<T>} for list types. */
    public Object parseField(byte[] b, int start, int end, int base) {
        return parser.parse(b, start, end, base);
    }

    @Override
    public String toString() {
        return name.name();
    }
}
