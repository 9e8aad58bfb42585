package io.rvoip.media.io;

/** Where a media session's incoming audio goes, one frame per media clock tick. */
public interface AudioSink {
    /** The sample rate it takes (the session resamples from the codec's when they differ). */
    int sampleRate();

    /** Takes {@code samples} samples (mono, 16-bit). Called on the media clock's thread; must not block. */
    void write(short[] pcm, int off, int samples);
}
