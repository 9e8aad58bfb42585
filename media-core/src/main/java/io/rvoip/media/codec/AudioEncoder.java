package io.rvoip.media.codec;

/** Encodes PCM frames of one stream. Not thread-safe: one per stream, used on its media thread. */
public interface AudioEncoder {
    /**
     * Encodes {@code samples} samples per channel (interleaved, 16-bit linear) from
     * {@code pcm[offset..]} into {@code out[outOffset..]}.
     *
     * @return the bytes written
     */
    int encode(short[] pcm, int offset, int samples, byte[] out, int outOffset);

    /** Back to the initial state (a new stream). */
    void reset();
}
