package io.rvoip.media.mix;

import io.rvoip.media.dsp.Resampler;
import io.rvoip.media.io.AudioSink;
import io.rvoip.media.io.AudioSource;
import java.util.Arrays;

/**
 * A conference mixer: each participant writes what it says and reads the mix of everybody else
 * (mix-minus: nobody hears themselves). Participants may run at different sample rates; the
 * mixer converts to and from its own rate. Sums are taken in 32 bits and brought back to 16
 * with a soft limiter (linear up to −2.5 dBFS, then a tanh knee towards full scale), so loud
 * overlaps compress instead of wrapping or hard-clipping.
 *
 * <p>A {@link Participant} is both an {@link AudioSink} (what its media session received) and
 * an {@link AudioSource} (what its media session sends), so a conference is built by giving
 * each session its participant as source and sink, and calling {@link #mix()} once per frame
 * after every session ticked. A participant hears the mix of the previous tick: one frame of
 * added delay.
 *
 * <p>Threading: one mixer and its participants belong to one thread (the conference's shard):
 * {@code write}, {@code read}, {@link #mix()}, {@link #join} and {@link Participant#leave()} are
 * called there. Nothing is allocated per frame.
 *
 * <pre>{@code
 * AudioMixer mixer = new AudioMixer(16000, 20);
 * AudioMixer.Participant alice = mixer.join(8000);   // a G.711 leg
 * MediaSession a = MediaSession.builder(G711.PCMU, 0).source(alice).sink(alice).build();
 * every 20 ms, on the conference's shard: a.tick(now); b.tick(now); ...; mixer.mix();
 * }</pre>
 */
public final class AudioMixer {
    private static final int KNEE = 24576;   // −2.5 dBFS
    private static final int FULL = 32767;

    private final int rate;
    private final int ptime;
    private final int frame;
    private final int[] total;
    private Participant[] participants = new Participant[0];

    /**
     * A mixer.
     *
     * @param rate  the mixing rate, Hz (use the widest participant's: 16000 for G.722, 48000 for Opus)
     * @param ptime the frame length, ms
     */
    public AudioMixer(int rate, int ptime) {
        if (rate <= 0 || ptime <= 0 || (long) rate * ptime % 1000 != 0) {
            throw new IllegalArgumentException(rate + " Hz, " + ptime + " ms");
        }
        this.rate = rate;
        this.ptime = ptime;
        this.frame = rate * ptime / 1000;
        this.total = new int[frame];
    }

    /** The mixing rate, Hz. */
    public int sampleRate() {
        return rate;
    }

    /** The participants now in the mix. */
    public int size() {
        return participants.length;
    }

    /** Adds a participant that writes and reads audio at {@code participantRate} Hz. */
    public Participant join(int participantRate) {
        Participant p = new Participant(participantRate);
        Participant[] next = Arrays.copyOf(participants, participants.length + 1);
        next[participants.length] = p;
        participants = next;
        return p;
    }

    /** Mixes the frame every participant wrote since the last call. */
    public void mix() {
        Participant[] ps = participants;
        Arrays.fill(total, 0);
        for (Participant p : ps) {
            if (p.hasInput && !p.muted) {
                short[] in = p.input;
                for (int i = 0; i < frame; i++) {
                    total[i] += in[i];
                }
            }
        }
        for (Participant p : ps) {
            boolean own = p.hasInput && !p.muted;
            short[] in = p.input;
            short[] out = p.mixed;
            for (int i = 0; i < frame; i++) {
                out[i] = limit(own ? total[i] - in[i] : total[i]);
            }
            p.hasInput = false;
            if (p.fromMixer == null) {
                System.arraycopy(out, 0, p.output, 0, frame);
                p.outputLength = frame;
            } else {
                p.outputLength = p.fromMixer.process(out, 0, frame, p.output, 0);
            }
        }
    }

    /** The soft limiter: identity below the knee, then {@code knee + (full − knee)·tanh(excess / (full − knee))}. */
    static short limit(int x) {
        int a = x < 0 ? -x : x;
        if (a <= KNEE) {
            return (short) x;
        }
        double range = FULL - KNEE;
        int y = KNEE + (int) Math.round(range * Math.tanh((a - KNEE) / range));
        return (short) (x < 0 ? -y : y);
    }

    /** One party of the conference: an {@link AudioSink} for what it says, an {@link AudioSource} for what it hears. */
    public final class Participant implements AudioSource, AudioSink {
        private final int participantRate;
        private final Resampler toMixer;
        private final Resampler fromMixer;
        private final short[] input = new short[frame];
        private final short[] mixed = new short[frame];
        private final short[] output;
        private final short[] scratch;
        private final int ownFrame;
        private int outputLength;
        private boolean hasInput;
        private boolean muted;
        private boolean left;

        private Participant(int participantRate) {
            if (participantRate <= 0 || (long) participantRate * ptime % 1000 != 0) {
                throw new IllegalArgumentException("rate " + participantRate);
            }
            this.participantRate = participantRate;
            this.toMixer = participantRate == rate ? null : new Resampler(participantRate, rate);
            this.fromMixer = participantRate == rate ? null : new Resampler(rate, participantRate);
            this.ownFrame = participantRate * ptime / 1000;
            this.output = new short[fromMixer == null ? frame : fromMixer.maxOutput(frame)];
            this.scratch = new short[toMixer == null ? 0 : toMixer.maxOutput(ownFrame)];
        }

        @Override
        public int sampleRate() {
            return participantRate;
        }

        /** What this participant said this frame (its session's decoded audio), at its rate. */
        @Override
        public void write(short[] pcm, int off, int samples) {
            if (left) {
                return;
            }
            if (toMixer == null) {
                int n = Math.min(samples, frame);
                System.arraycopy(pcm, off, input, 0, n);
                Arrays.fill(input, n, frame, (short) 0);
            } else {
                int n = Math.min(toMixer.process(pcm, off, Math.min(samples, ownFrame), scratch, 0), frame);
                System.arraycopy(scratch, 0, input, 0, n);
                Arrays.fill(input, n, frame, (short) 0);
            }
            hasInput = true;
        }

        /** What this participant hears: the others' mix from the last {@link #mix()}, at its rate. */
        @Override
        public void read(short[] pcm, int off, int samples) {
            int n = Math.min(samples, outputLength);
            System.arraycopy(output, 0, pcm, off, n);
            Arrays.fill(pcm, off + n, off + samples, (short) 0);
        }

        /** A muted participant hears the others but is not heard. */
        public void setMuted(boolean mute) {
            this.muted = mute;
        }

        /** True when muted. */
        public boolean muted() {
            return muted;
        }

        /** Leaves the conference. */
        public void leave() {
            if (left) {
                return;
            }
            left = true;
            Participant[] ps = participants;
            int i = Arrays.asList(ps).indexOf(this);
            if (i >= 0) {
                Participant[] next = new Participant[ps.length - 1];
                System.arraycopy(ps, 0, next, 0, i);
                System.arraycopy(ps, i + 1, next, i, ps.length - i - 1);
                participants = next;
            }
            outputLength = 0;
        }
    }
}
