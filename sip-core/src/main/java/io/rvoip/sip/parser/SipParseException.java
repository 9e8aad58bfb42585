package io.rvoip.sip.parser;

/**
 * The one error the SIP and SDP parsers raise: malformed input, or input over a configured
 * limit. It carries the byte offset (relative to the start of what was parsed) where the
 * problem was found. No other exception ever escapes the parser.
 */
public final class SipParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /** An error at {@code offset}. */
    public SipParseException(String reason, int offset) {
        super(reason + " (at offset " + offset + ")");
        this.offset = offset;
    }

    /** The byte offset where the problem was found, or -1 if not known. */
    public int offset() {
        return offset;
    }
}
