package io.rvoip.sip.header;

import java.util.Objects;

/**
 * The Subscription-State value (RFC 6665 §8.2.3): {@code active}, {@code pending},
 * {@code terminated} or an extension, with reason, expires and retry-after.
 *
 * @param state the substate value as written
 * @param params the parameters, raw
 */
public record SubscriptionState(String state, Parameters params) {

    /** Validates presence. */
    public SubscriptionState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(params, "params");
    }

    /** The reason, or null. */
    public String reason() {
        return params.get("reason");
    }

    /** The expires parameter, or -1. */
    public long expires() {
        return number("expires");
    }

    /** The retry-after parameter, or -1. */
    public long retryAfter() {
        return number("retry-after");
    }

    private long number(String name) {
        String v = params.get(name);
        try {
            return v == null ? -1 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return state + params;
    }
}
