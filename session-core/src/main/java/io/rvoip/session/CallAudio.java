package io.rvoip.session;

import io.rvoip.media.dsp.Resampler;
import io.rvoip.media.io.AudioSink;
import io.rvoip.media.io.AudioSource;

/**
 * A call's audio port: the media session always reads and writes here, at the codec's rate, and
 * the application's source and sink (any rate) can be attached, swapped or removed at any time
 * from any thread. Bridges and conferences plug their pipes and mixer participants in here.
 * The resampling buffers are made when something is attached, not per frame.
 */
final class CallAudio implements AudioSource, AudioSink {
    private final int rate;
    private final int frame;
    private volatile In in;
    private volatile Out out;
    private final io.rvoip.media.dtmf.DtmfGenerator tones;
    private final java.util.concurrent.ConcurrentLinkedQueue<Character> digits = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Set (any thread) after a digit is queued; cleared by the media thread once the queue is empty. */
    private volatile boolean digitsQueued;
    /** A digit's tone or pause is playing (media thread only). */
    private boolean tonesPlaying;
    private io.rvoip.media.dtmf.DtmfDetector detector;
    private Resampler toDetector;
    private short[] detectorBuffer;

    private record In(AudioSource source, Resampler resampler, short[] buffer) {
    }

    private record Out(AudioSink sink, Resampler resampler, short[] buffer) {
    }

    CallAudio(int rate, int ptimeMs) {
        this.rate = rate;
        this.frame = rate * ptimeMs / 1000;
        this.tones = new io.rvoip.media.dtmf.DtmfGenerator(rate, -8);
    }

    /** Queues an in-band digit: 100 ms of tone and 60 ms of pause replace the source (any thread). */
    void inbandDigit(char digit) {
        io.rvoip.media.dtmf.Dtmf.frequencies(digit); // throws for a non-digit, on the caller's thread
        digits.add(digit);
        digitsQueued = true;
    }

    /** Detects in-band digits in what the call hears (call before the media starts). */
    void detectDigits(java.util.function.Consumer<io.rvoip.media.dtmf.DtmfDetector.Digit> listener) {
        this.detector = new io.rvoip.media.dtmf.DtmfDetector(listener);
        if (rate != 8000) {
            this.toDetector = new Resampler(rate, 8000);
            this.detectorBuffer = new short[toDetector.maxOutput(frame * 3)];
        }
    }

    /**
     * Plays and records what {@code replaced} did (the call's own audio, or a bridge's pipes or a
     * conference's participant), resampled to this port's rate, with the in-band digits it had
     * queued: for a port that replaces another when the call's codec changes its sample rate.
     */
    void takeOver(CallAudio replaced) {
        In i = replaced.in;
        Out o = replaced.out;
        source(i == null ? null : i.source());
        sink(o == null ? null : o.sink());
        Character d;
        while ((d = replaced.digits.poll()) != null) {
            digits.add(d);
            digitsQueued = true;
        }
    }

    /** Plays {@code s} from the next frame (null: silence). */
    void source(AudioSource s) {
        if (s == null) {
            in = null;
        } else if (s.sampleRate() == rate) {
            in = new In(s, null, null);
        } else {
            int n = (int) ((long) frame * s.sampleRate() / rate);
            in = new In(s, new Resampler(s.sampleRate(), rate), new short[n]);
        }
    }

    /** Sends what the call hears to {@code s} from the next frame (null: nowhere). */
    void sink(AudioSink s) {
        if (s == null) {
            out = null;
        } else if (s.sampleRate() == rate) {
            out = new Out(s, null, null);
        } else {
            Resampler r = new Resampler(rate, s.sampleRate());
            out = new Out(s, r, new short[r.maxOutput(frame * 3)]);
        }
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    /**
     * Plays queued in-band digits: true when this frame was a digit's tone or pause. Only called
     * while one plays or one is queued, so a frame without digits touches neither the generator
     * nor the queue.
     */
    private boolean inband(short[] pcm, int off, int samples) {
        if (!tones.active()) {
            Character next = digits.poll();
            if (next == null) {
                digitsQueued = false;
                if (digits.isEmpty()) {
                    tonesPlaying = false;
                    return false;
                }
                digitsQueued = true; // one was added between the poll and the flag
                next = digits.poll();
            }
            tones.play(next, 100, 60);
        }
        tonesPlaying = true;
        tones.fill(pcm, off, samples);
        return true;
    }

    @Override
    public void read(short[] pcm, int off, int samples) {
        if ((tonesPlaying || digitsQueued) && inband(pcm, off, samples)) {
            return;
        }
        In i = in;
        if (i == null) {
            java.util.Arrays.fill(pcm, off, off + samples, (short) 0);
        } else if (i.resampler() == null) {
            i.source().read(pcm, off, samples);
        } else {
            i.source().read(i.buffer(), 0, i.buffer().length);
            int n = Math.min(samples, i.resampler().process(i.buffer(), 0, i.buffer().length, pcm, off));
            java.util.Arrays.fill(pcm, off + n, off + samples, (short) 0); // the filter's start-up
        }
    }

    @Override
    public void write(short[] pcm, int off, int samples) {
        if (detector != null) {
            if (toDetector == null) {
                detector.process(pcm, off, samples);
            } else {
                int n = toDetector.process(pcm, off, Math.min(samples, frame * 3), detectorBuffer, 0);
                detector.process(detectorBuffer, 0, n);
            }
        }
        Out o = out;
        if (o == null) {
            return;
        }
        if (o.resampler() == null) {
            o.sink().write(pcm, off, samples);
        } else {
            int n = o.resampler().process(pcm, off, Math.min(samples, frame * 3), o.buffer(), 0);
            o.sink().write(o.buffer(), 0, n);
        }
    }
}
