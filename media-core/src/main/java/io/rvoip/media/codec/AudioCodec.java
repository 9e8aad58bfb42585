package io.rvoip.media.codec;

/**
 * A codec as SDP and RTP see it (RFC 3551, RFC 4566 rtpmap/fmtp), and a factory of the
 * stateful encoders and decoders each stream needs. Implementations are immutable and shared.
 */
public interface AudioCodec {
    /** The rtpmap encoding name, e.g. {@code PCMU}, {@code G722}, {@code L16}. */
    String name();

    /** The RTP clock rate (8000 for G.722, whose audio is 16 kHz, RFC 3551 §4.5.2). */
    int clockRate();

    /** The audio sample rate the encoder takes and the decoder gives, Hz. */
    int sampleRate();

    /** Audio channels (interleaved in the PCM arrays). */
    int channels();

    /** The channel count written in SDP's rtpmap (Opus always says 2, RFC 7587 §7). */
    default int sdpChannels() {
        return channels();
    }

    /** The static payload type of RFC 3551, or -1 for a dynamic one. */
    int staticPayloadType();

    /** Default fmtp parameters, or null. */
    default String fmtp() {
        return null;
    }

    /** PCM samples per channel in a frame of {@code ptimeMillis}. */
    default int samplesPerFrame(int ptimeMillis) {
        return sampleRate() * ptimeMillis / 1000;
    }

    /** RTP timestamp units in a frame of {@code ptimeMillis}. */
    default int timestampUnits(int ptimeMillis) {
        return clockRate() * ptimeMillis / 1000;
    }

    /** The most bytes an encoder writes for {@code samples} samples per channel. */
    int maxEncodedBytes(int samples);

    /** A new encoder (its own state). */
    AudioEncoder newEncoder();

    /** A new decoder (its own state, including concealment). */
    AudioDecoder newDecoder();
}
