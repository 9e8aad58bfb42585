package io.rvoip.media.io;

/** Where a media session's outgoing audio comes from, one frame per media clock tick. */
public interface AudioSource {
    /** The sample rate it delivers (the session resamples to the codec's when they differ). */
    int sampleRate();

    /**
     * Fills {@code samples} samples (mono, 16-bit) into {@code pcm[off..]}: silence where there is
     * nothing to say. Called on the media clock's thread; must not block.
     */
    void read(short[] pcm, int off, int samples);

    /** A source of digital silence at {@code rate} Hz. */
    static AudioSource silence(int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("rate " + rate);
        }
        return new AudioSource() {
            @Override
            public int sampleRate() {
                return rate;
            }

            @Override
            public void read(short[] pcm, int off, int samples) {
                java.util.Arrays.fill(pcm, off, off + samples, (short) 0);
            }
        };
    }
}
