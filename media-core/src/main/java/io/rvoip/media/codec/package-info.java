/**
 * Audio codecs behind one interface: {@link io.rvoip.media.codec.AudioCodec} describes a codec
 * (RTP clock, sample rate, payload type, SDP names) and makes per-stream
 * {@link io.rvoip.media.codec.AudioEncoder}s and {@link io.rvoip.media.codec.AudioDecoder}s.
 */
package io.rvoip.media.codec;
