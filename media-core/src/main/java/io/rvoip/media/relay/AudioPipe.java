package io.rvoip.media.relay;

import io.rvoip.media.io.AudioSink;
import io.rvoip.media.io.AudioSource;

/**
 * The transcoding path between two call legs with different codecs: one leg's media session
 * writes its decoded audio in as an {@link AudioSink}, the other's reads it out as an {@link
 * AudioSource} and encodes it with its own codec (each session resamples to and from the
 * pipe's rate). A bounded FIFO: when the writer runs ahead by more than the capacity the oldest
 * audio is dropped, when the reader runs dry it reads silence; both are counted.
 *
 * <p>Threading: single writer and single reader on the same thread (the bridge's shard, where
 * both legs' sessions tick). Nothing is allocated per frame.
 *
 * <pre>{@code
 * AudioPipe aToB = new AudioPipe(16000, 60), bToA = new AudioPipe(16000, 60);
 * MediaSession legA = MediaSession.builder(G722.INSTANCE, 9).sink(aToB).source(bToA).build();
 * MediaSession legB = MediaSession.builder(G711.PCMU, 0).sink(bToA).source(aToB).build();
 * }</pre>
 */
public final class AudioPipe implements AudioSink, AudioSource {
    private final int rate;
    private final short[] ring;
    private long written;
    private long read;
    private long overruns;
    private long underruns;

    /**
     * A pipe.
     *
     * @param rate       sample rate of the audio in it, Hz
     * @param capacityMs how much audio it holds before the oldest is dropped
     */
    public AudioPipe(int rate, int capacityMs) {
        if (rate <= 0 || capacityMs <= 0) {
            throw new IllegalArgumentException(rate + " Hz, " + capacityMs + " ms");
        }
        this.rate = rate;
        this.ring = new short[(int) ((long) rate * capacityMs / 1000)];
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public void write(short[] pcm, int off, int samples) {
        int cap = ring.length;
        if (samples > cap) { // only the newest capacity's worth can be kept
            off += samples - cap;
            written += samples - cap;
            samples = cap;
        }
        int at = (int) (written % cap);
        int first = Math.min(samples, cap - at);
        System.arraycopy(pcm, off, ring, at, first);
        System.arraycopy(pcm, off + first, ring, 0, samples - first);
        written += samples;
        if (written - read > cap) {
            overruns += written - read - cap;
            read = written - cap;
        }
    }

    @Override
    public void read(short[] pcm, int off, int samples) {
        int available = (int) Math.min(samples, written - read);
        int cap = ring.length;
        int at = (int) (read % cap);
        int first = Math.min(available, cap - at);
        System.arraycopy(ring, at, pcm, off, first);
        System.arraycopy(ring, 0, pcm, off + first, available - first);
        read += available;
        if (available < samples) {
            java.util.Arrays.fill(pcm, off + available, off + samples, (short) 0);
            underruns += samples - available;
        }
    }

    /** Samples buffered now. */
    public int buffered() {
        return (int) (written - read);
    }

    /** Samples dropped because the writer ran ahead. */
    public long overruns() {
        return overruns;
    }

    /** Samples of silence read because the pipe was empty. */
    public long underruns() {
        return underruns;
    }
}
