package io.rvoip.sip.header;

import java.util.Objects;

/**
 * A typed header: its name, whether one header field may carry a comma-separated list of
 * values, how to parse a field's value, and how to write a value back as header text. The
 * constants are in {@link SipHeaders}; a message returns typed values with
 * {@code message.get(SipHeaders.CONTACT)} and {@code message.getAll(SipHeaders.VIA)}, and the
 * message builders write them with {@link #format(Object)}.
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

    /**
     * Writes one value as the text of a header field (for a list type, one element of the
     * comma-separated list), such that the type's parser reads the same value back.
     *
     * @param <T> the value type
     */
    @FunctionalInterface
    public interface ValueFormatter<T> {
        /** The header text of {@code value}. */
        String format(T value);
    }

    private final HeaderName name;
    private final boolean list;
    private final ValueParser parser;
    private final ValueFormatter<? super T> formatter;

    private HeaderType(HeaderName name, boolean list, ValueParser parser, ValueFormatter<? super T> formatter) {
        this.name = Objects.requireNonNull(name, "name");
        this.list = list;
        this.parser = Objects.requireNonNull(parser, "parser");
        this.formatter = Objects.requireNonNull(formatter, "formatter");
    }

    /** A header whose field holds one value, written back with the value's {@code toString()}. */
    public static <T> HeaderType<T> single(HeaderName name, ValueParser parser) {
        return new HeaderType<>(name, false, parser, String::valueOf);
    }

    /** A header whose field holds one value, written back by {@code formatter}. */
    public static <T> HeaderType<T> single(HeaderName name, ValueParser parser, ValueFormatter<? super T> formatter) {
        return new HeaderType<>(name, false, parser, formatter);
    }

    /**
     * A header whose field may hold a comma-separated list of values, each written back with its
     * {@code toString()}.
     */
    public static <T> HeaderType<T> list(HeaderName name, ValueParser parser) {
        return new HeaderType<>(name, true, parser, String::valueOf);
    }

    /** The header name. */
    public HeaderName name() {
        return name;
    }

    /** True if a field may hold several comma-separated values. */
    public boolean isList() {
        return list;
    }

    /**
     * The header text of one value: what the message builders write for it, and what this
     * type's parser reads back as an equal value.
     */
    public String format(T value) {
        return formatter.format(Objects.requireNonNull(value, "value"));
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
