package io.rvoip.sip.uri;

import io.rvoip.sip.header.Parameters;
import java.util.Objects;

/**
 * A {@code tel:} URI (RFC 3966): a global ({@code +} and digits) or local number with
 * parameters such as {@code phone-context} and {@code ext}.
 *
 * @param number the number as written, visual separators included
 * @param params the parameters, raw
 */
public record TelUri(String number, Parameters params) implements Uri {

    /** Validates presence. */
    public TelUri {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(params, "params");
        if (number.isEmpty()) {
            throw new IllegalArgumentException("empty telephone number");
        }
    }

    @Override
    public String scheme() {
        return "tel";
    }

    /** True for a global number ({@code +} followed by digits). */
    public boolean isGlobal() {
        return number.startsWith("+");
    }

    /** The digits (and {@code * # +} and hex digits) without visual separators {@code - . ( )}. */
    public String digits() {
        StringBuilder sb = new StringBuilder(number.length());
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c != '-' && c != '.' && c != '(' && c != ')') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code phone-context}, or null. */
    public String phoneContext() {
        return params.get("phone-context");
    }

    @Override
    public String toString() {
        return "tel:" + number + params;
    }
}
