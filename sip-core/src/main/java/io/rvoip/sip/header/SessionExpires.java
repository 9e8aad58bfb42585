package io.rvoip.sip.header;

import java.util.Objects;

/**
 * A delta-seconds value with parameters: Session-Expires (with {@code refresher}) and Min-SE
 * (RFC 4028 §4, §5).
 *
 * @param seconds the interval
 * @param params the parameters, raw
 */
public record SessionExpires(long seconds, Parameters params) {

    /** Validates presence. */
    public SessionExpires {
        Objects.requireNonNull(params, "params");
    }

    /** {@code seconds;refresher=refresher} (refresher null for none). */
    public static SessionExpires of(long seconds, String refresher) {
        return new SessionExpires(seconds, refresher == null ? Parameters.EMPTY : Parameters.of("refresher", refresher));
    }

    /** {@code uac}, {@code uas}, or null. */
    public String refresher() {
        return params.get("refresher");
    }

    @Override
    public String toString() {
        return seconds + params.toString();
    }
}
