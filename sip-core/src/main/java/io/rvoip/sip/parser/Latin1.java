package io.rvoip.sip.parser;

/**
 * Makes strings from ISO-8859-1 bytes on the parser's hot paths.
 *
 * <p>{@code new String(bytes, off, len, ISO_8859_1)} goes through the JDK's general decoding
 * constructor, which is too large for the JIT to inline; the parser makes a dozen strings per
 * message. The old "hibyte" constructor does the same for Latin-1 (each char is the byte's
 * unsigned value) as one small array copy that inlines. Its deprecation is about non-Latin-1
 * text, which is not what it is used for here.
 */
final class Latin1 {
    private Latin1() {
    }

    /** The text of {@code b[s..e)}, one char per byte (ISO-8859-1). */
    @SuppressWarnings("deprecation")
    static String string(byte[] b, int s, int e) {
        return new String(b, 0, s, e - s);
    }
}
