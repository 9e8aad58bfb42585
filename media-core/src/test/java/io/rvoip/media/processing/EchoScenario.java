package io.rvoip.media.processing;

/**
 * An echo cancellation scenario after the anchors' description: far-end speech through a seeded
 * synthetic room (exponentially decaying noise), a device delay, an echo level, microphone noise,
 * optionally near-end speech (another talker) in a time window and an echo-path change.
 */
public final class EchoScenario {
    public final int rate;
    public final short[] far;
    public final float[] echo;
    public final float[] nearSpeech;
    public final float[] noise;
    public final short[] mic;

    private EchoScenario(int rate, short[] far, float[] echo, float[] nearSpeech, float[] noise) {
        this.rate = rate;
        this.far = far;
        this.echo = echo;
        this.nearSpeech = nearSpeech;
        this.noise = noise;
        this.mic = Scenarios.mix(echo, nearSpeech, noise);
    }

    /** Builds a scenario. */
    public static final class Builder {
        int rate = 16000;
        double seconds = 20;
        int delayMs = 40;
        int rt60Ms = 200;
        int tailMs = 250;
        double echoDb = -10;
        double noiseDbfs = -50;
        double nearDb = -11.5;
        double doubleTalkFrom = -1;
        double doubleTalkTo = -1;
        double pathChangeAt = -1;
        long seed = 1;

        public Builder rate(int r) {
            rate = r;
            return this;
        }

        public Builder seconds(double s) {
            seconds = s;
            return this;
        }

        public Builder delayMs(int d) {
            delayMs = d;
            return this;
        }

        public Builder room(int rt60, int tail) {
            rt60Ms = rt60;
            tailMs = tail;
            return this;
        }

        public Builder echoDb(double db) {
            echoDb = db;
            return this;
        }

        public Builder noiseDbfs(double db) {
            noiseDbfs = db;
            return this;
        }

        /** The near-end talker's level relative to the far end's clip, dB. */
        public Builder nearDb(double db) {
            nearDb = db;
            return this;
        }

        public Builder doubleTalk(double from, double to) {
            doubleTalkFrom = from;
            doubleTalkTo = to;
            return this;
        }

        public Builder pathChangeAt(double s) {
            pathChangeAt = s;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public EchoScenario build() {
            int n = (int) (rate * seconds);
            short[] clip = Scenarios.speech(rate);
            float[] farF = Scenarios.loop(clip, n, 0, false);
            int d = rate * delayMs / 1000;
            float[] echo = Scenarios.echo(farF, Scenarios.roomImpulse(rate, tailMs, rt60Ms, seed), d, echoDb);
            if (pathChangeAt >= 0) {
                float[] other = Scenarios.echo(farF, Scenarios.roomImpulse(rate, tailMs, rt60Ms, seed + 1000), d, echoDb);
                int from = (int) (pathChangeAt * rate);
                System.arraycopy(other, from, echo, from, n - from);
            }
            float[] near = new float[n];
            if (doubleTalkFrom >= 0) {
                float[] talker = Scenarios.loop(clip, n, clip.length / 3, true);
                float g = (float) Math.pow(10, nearDb / 20);
                for (int i = (int) (doubleTalkFrom * rate); i < Math.min(n, (int) (doubleTalkTo * rate)); i++) {
                    near[i] = g * talker[i];
                }
            }
            float[] noise = Scenarios.whiteNoise(n, noiseDbfs, seed + 7);
            return new EchoScenario(rate, Scenarios.mix(farF), echo, near, noise);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs a canceller over the scenario frame by frame: render, then capture; returns the output. */
    public short[] run(EchoCanceller aec) {
        short[] out = mic.clone();
        int frame = aec.frameSamples();
        for (int off = 0; off + frame <= out.length; off += frame) {
            aec.render(far, off);
            aec.capture(out, off);
        }
        return out;
    }

    /** The frames (10 ms) where the echo is above −45 dBFS. */
    public boolean[] echoActive() {
        return Scenarios.labels(echo, rate);
    }

    /**
     * ERLE over [from, to) seconds: microphone energy over output energy in the frames where the
     * echo is active and no near-end speech is present; {@code lag} is the output's latency in samples.
     */
    public double erle(short[] out, int lag, double from, double to) {
        int frame = rate / 100;
        boolean[] active = echoActive();
        boolean[] nearActive = Scenarios.labels(nearSpeech, rate);
        double m = 0;
        double o = 0;
        for (int f = (int) (from * 100); f < Math.min(active.length, (int) (to * 100)); f++) {
            if (!active[f] || nearActive[f]) {
                continue;
            }
            for (int i = f * frame; i < (f + 1) * frame && i + lag < out.length; i++) {
                m += (double) mic[i] * mic[i];
                o += (double) out[i + lag] * out[i + lag];
            }
        }
        return 10 * Math.log10(m / Math.max(o, 1));
    }

    /** The first time (s) from which the ERLE over the next 0.5 s of echo reaches {@code db}, searching from {@code from}. */
    public double timeTo(short[] out, int lag, double db, double from) {
        for (double t = from; t < from + 10; t += 0.05) {
            if (erle(out, lag, t, t + 0.5) >= db) {
                return t - from;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Segmental SNR of the near-end speech in a signal over [from, to) s (mic: lag 0; output: its latency). */
    public double nearSegSnr(short[] signal, int lag, double from, double to) {
        return Scenarios.segmentalSnr(nearSpeech, Scenarios.floats(signal), lag, rate, (int) (from * rate), (int) (to * rate));
    }
}
