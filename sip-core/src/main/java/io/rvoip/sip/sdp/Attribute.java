package io.rvoip.sip.sdp;

import java.util.Objects;

/**
 * An {@code a=} line (RFC 4566 §5.13): {@code a=name} (a property) or {@code a=name:value}.
 * Every attribute is kept, known or not; typed views are on {@link MediaDescription} and
 * {@link SessionDescription}.
 *
 * @param name the attribute name
 * @param value the value, or null for a property attribute
 */
public record Attribute(String name, String value) {

    /** Validates presence. */
    public Attribute {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty attribute name");
        }
    }

    /** {@code a=name}. */
    public static Attribute property(String name) {
        return new Attribute(name, null);
    }

    /** {@code a=name:value}. */
    public static Attribute of(String name, String value) {
        return new Attribute(name, Objects.requireNonNull(value, "value"));
    }

    @Override
    public String toString() {
        return value == null ? name : name + ":" + value;
    }
}
