package io.rvoip.sip.parser;

/**
 * Upper bounds on what the parser accepts from the network. Anything larger is refused with
 * a {@link SipParseException} before it can cost memory or time.
 *
 * @param maxMessageSize bytes of one message: start line, headers and body
 * @param maxHeaders header fields (lines, after unfolding) in one message
 * @param maxLineLength bytes of one header field, folded continuation lines included
 * @param maxUriLength bytes of one URI
 * @param maxBodySize bytes of the body
 * @param maxViaCount Via values, over all Via header fields
 * @param maxRouteCount Route plus Record-Route values
 */
public record ParserLimits(int maxMessageSize, int maxHeaders, int maxLineLength, int maxUriLength,
        int maxBodySize, int maxViaCount, int maxRouteCount) {

    /**
     * Defaults sized for real traffic with room to spare: 64 KiB messages, 256 header fields,
     * 16 KiB per field, 8 KiB URIs, 64 KiB bodies, 128 Vias, 128 routes.
     */
    public static final ParserLimits DEFAULT = new ParserLimits(65_536, 256, 16_384, 8_192, 65_536, 128, 128);

    /** Validates that every limit is positive. */
    public ParserLimits {
        if (maxMessageSize <= 0 || maxHeaders <= 0 || maxLineLength <= 0 || maxUriLength <= 0
                || maxBodySize < 0 || maxViaCount <= 0 || maxRouteCount <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
