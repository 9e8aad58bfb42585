/**
 * The SIP parser (RFC 3261 §7 and §25, RFC 4475 torture cases): datagram and stream framing,
 * header value grammars, limits, and the single {@link io.rvoip.sip.parser.SipParseException}.
 */
package io.rvoip.sip.parser;
