package io.rvoip.sip.uri;

import java.util.Locale;
import java.util.Objects;

/**
 * A URI of a scheme rvoip does not interpret (http, urn, im, soap.beep, ...), kept whole so it
 * round-trips untouched (RFC 3261 §19.1, RFC 4475 §3.3.4).
 *
 * @param text the whole URI as written, scheme included
 */
public record AbsoluteUri(String text) implements Uri {

    /** Checks that there is a scheme. */
    public AbsoluteUri {
        Objects.requireNonNull(text, "text");
        if (text.indexOf(':') <= 0) {
            throw new IllegalArgumentException("not an absolute URI: " + text);
        }
    }

    @Override
    public String scheme() {
        return text.substring(0, text.indexOf(':')).toLowerCase(Locale.ROOT);
    }

    /** Everything after the first colon. */
    public String schemeSpecificPart() {
        return text.substring(text.indexOf(':') + 1);
    }

    @Override
    public String toString() {
        return text;
    }
}
