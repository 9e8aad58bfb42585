package io.rvoip.media.codec;

/**
 * Decodes the payloads of one stream and conceals lost frames. Not thread-safe: one per
 * stream, used on its media thread.
 */
public interface AudioDecoder {
    /**
     * Decodes one payload into {@code pcm[pcmOffset..]} (interleaved, 16-bit linear).
     *
     * @return samples written per channel
     * @throws IllegalArgumentException when the payload is malformed for this codec, or holds
     *     more samples than {@code pcm} has room for after {@code pcmOffset} (nothing is written)
     */
    int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset);

    /**
     * Refuses a payload of {@code samples} (all channels) that would not fit in {@code
     * pcm[pcmOffset..]}: a peer's oversized packet is a typed refusal, not an index error.
     *
     * @throws IllegalArgumentException when it does not fit
     */
    static void checkRoom(long samples, short[] pcm, int pcmOffset) {
        if (samples > pcm.length - pcmOffset) {
            throw new IllegalArgumentException("a payload of " + samples + " samples does not fit the "
                    + (pcm.length - pcmOffset) + " left in the buffer");
        }
    }

    /**
     * Fills {@code samples} samples per channel for a frame that never arrived (packet-loss
     * concealment: the codec's own where it has one, otherwise a generic one).
     *
     * @return samples written per channel
     */
    int conceal(short[] pcm, int pcmOffset, int samples);

    /**
     * Fills a lost frame knowing the packet after it ({@code next}), for codecs whose packets
     * carry a low-bitrate copy of the previous frame (Opus in-band FEC, RFC 6716 §2.1.7). Others
     * conceal as {@link #conceal} does.
     *
     * @return samples written per channel
     */
    default int concealFromNext(byte[] next, int offset, int length, short[] pcm, int pcmOffset, int samples) {
        return conceal(pcm, pcmOffset, samples);
    }

    /**
     * The decoder's algorithmic delay added by concealment, in samples per channel (for
     * example 30 samples, 3.75 ms, with G.711 Appendix I).
     */
    default int delaySamples() {
        return 0;
    }

    /** Back to the initial state (a new stream). */
    void reset();
}
