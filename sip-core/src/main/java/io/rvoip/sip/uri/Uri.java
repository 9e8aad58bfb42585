package io.rvoip.sip.uri;

import io.rvoip.sip.parser.HeaderValueParser;

/**
 * A URI as SIP carries it: {@link SipUri} (sip and sips), {@link TelUri} (RFC 3966), or any
 * other scheme kept whole as an {@link AbsoluteUri}. Immutable; {@link #toString()} gives the
 * wire form.
 */
public sealed interface Uri permits SipUri, TelUri, AbsoluteUri {

    /** The scheme in lower case ({@code sip}, {@code sips}, {@code tel}, ...). */
    String scheme();

    /**
     * Parses a URI.
     *
     * @throws io.rvoip.sip.parser.SipParseException if it is malformed
     */
    static Uri parse(String text) {
        return HeaderValueParser.uri(text);
    }
}
