package io.rvoip.media.processing;

/**
 * The voice processing chain of one call's audio, on 10 ms frames: echo cancellation, noise
 * suppression, voice activity detection and automatic gain control on what the microphone
 * captured, with what the loudspeaker played as the echo reference.
 *
 * <p>Order: {@link EchoCanceller} → {@link NoiseSuppressor} → {@link VoiceActivityDetector} →
 * {@link AutomaticGainControl} (which uses the detector's decision, so it never adapts to noise).
 * Each stage is chosen in the {@link Config} and can be switched off and on while the call runs
 * (a stage switched off is skipped and keeps what it learnt). With both suppressors on, the noise
 * suppressor works on the echo canceller's short-time spectra, so the two share one transform
 * pair; either way the chain delays the signal by one frame (10 ms).
 *
 * <p>Talk time is counted from the detector's decisions, for the captured side and (when the
 * detector is on) for the played side, which is what call centres report as talk and listen time.
 *
 * <p>Call {@link #render} and {@link #capture} from one thread (the media thread); the switches
 * and counters may be used from any thread. Nothing is allocated per frame.
 */
public final class VoiceProcessor {
    /**
     * Which stages run.
     *
     * @param echoCancellation  run the echo canceller
     * @param echoTailMs        the echo path it covers, 20…500 ms
     * @param noiseSuppression  run the noise suppressor
     * @param noiseAttenuationDb the most the suppressor attenuates, 6…40 dB
     * @param voiceDetection    run the detector (talk time; also needed by the gain control)
     * @param gainControl       run the gain control (turns the detector on)
     * @param gain              the gain control's settings
     */
    public record Config(boolean echoCancellation, int echoTailMs, boolean noiseSuppression, double noiseAttenuationDb,
                         boolean voiceDetection, boolean gainControl, AutomaticGainControl.Config gain) {
        /**
         * @throws IllegalArgumentException on a value out of range
         */
        public Config {
            if (echoTailMs < 20 || echoTailMs > 500) {
                throw new IllegalArgumentException("echo tail " + echoTailMs + " ms: 20…500");
            }
            if (noiseAttenuationDb < 6 || noiseAttenuationDb > 40) {
                throw new IllegalArgumentException("noise attenuation " + noiseAttenuationDb + " dB: 6…40");
            }
            java.util.Objects.requireNonNull(gain, "gain");
        }

        /** Everything on: a softphone on a laptop (150 ms echo tail, 20 dB noise attenuation, −18 dBFS target). */
        public static Config all() {
            return new Config(true, EchoCanceller.DEFAULT_TAIL_MS, true, 20, true, true, AutomaticGainControl.Config.defaults());
        }

        /** Everything off; turn stages on with the {@code with…} methods. */
        public static Config none() {
            return new Config(false, EchoCanceller.DEFAULT_TAIL_MS, false, 20, false, false, AutomaticGainControl.Config.defaults());
        }

        /** With the echo canceller on or off. */
        public Config withEchoCancellation(boolean on) {
            return new Config(on, echoTailMs, noiseSuppression, noiseAttenuationDb, voiceDetection, gainControl, gain);
        }

        /** With the noise suppressor on or off. */
        public Config withNoiseSuppression(boolean on) {
            return new Config(echoCancellation, echoTailMs, on, noiseAttenuationDb, voiceDetection, gainControl, gain);
        }

        /** With the voice activity detector on or off. */
        public Config withVoiceDetection(boolean on) {
            return new Config(echoCancellation, echoTailMs, noiseSuppression, noiseAttenuationDb, on, gainControl, gain);
        }

        /** With the gain control on or off. */
        public Config withGainControl(boolean on) {
            return new Config(echoCancellation, echoTailMs, noiseSuppression, noiseAttenuationDb, voiceDetection, on, gain);
        }

        /** With another echo tail. */
        public Config withEchoTail(int ms) {
            return new Config(echoCancellation, ms, noiseSuppression, noiseAttenuationDb, voiceDetection, gainControl, gain);
        }
    }

    private final int sampleRate;
    private final int frame;
    private final EchoCanceller aec;
    private final NoiseSuppressor ns;
    private final VoiceActivityDetector vad;
    private final VoiceActivityDetector farVad;
    private final AutomaticGainControl agc;
    private volatile boolean aecOn;
    private volatile boolean nsOn;
    private volatile boolean vadOn;
    private volatile boolean agcOn;
    private boolean speech;
    private volatile long frames;
    private volatile long speechFrames;
    private volatile long farFrames;
    private volatile long farSpeechFrames;

    /**
     * A chain at {@code sampleRate} (a multiple of 100; tuned and measured at 8 and 16 kHz).
     * Stages not in {@code config} are not built and cannot be switched on later.
     */
    public VoiceProcessor(int sampleRate, Config config) {
        this.sampleRate = sampleRate;
        this.frame = SpectralFrames.tenMillis(sampleRate);
        boolean detect = config.voiceDetection() || config.gainControl();
        this.aec = config.echoCancellation() ? new EchoCanceller(sampleRate, config.echoTailMs(), 200, true) : null;
        this.ns = config.noiseSuppression() ? new NoiseSuppressor(sampleRate, config.noiseAttenuationDb()) : null;
        this.vad = detect ? new VoiceActivityDetector(sampleRate) : null;
        this.farVad = detect ? new VoiceActivityDetector(sampleRate) : null;
        this.agc = config.gainControl() ? new AutomaticGainControl(sampleRate, config.gain()) : null;
        this.aecOn = aec != null;
        this.nsOn = ns != null;
        this.vadOn = vad != null;
        this.agcOn = agc != null;
    }

    /** Samples per frame (10 ms). */
    public int frameSamples() {
        return frame;
    }

    /** The sample rate, Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Takes the next frame played to the loudspeaker (the echo reference, and listen time). */
    public void render(short[] far, int off) {
        if (aec != null) {
            aec.render(far, off);
        }
        if (farVad != null && vadOn) {
            farFrames++;
            if (farVad.isSpeech(far, off)) {
                farSpeechFrames++;
            }
        }
    }

    /** Processes the next captured frame in place. */
    public void capture(short[] near, int off) {
        boolean ns = this.ns != null && nsOn;
        if (aec != null && aecOn) {
            aec.postFilter(ns ? this.ns : null); // one transform pair for both suppressors
            aec.capture(near, off);
        } else if (ns) {
            this.ns.process(near, off);
        }
        if (vad != null && (vadOn || agcOn)) {
            speech = vad.isSpeech(near, off);
            frames++;
            if (speech) {
                speechFrames++;
            }
        }
        if (agc != null && agcOn) {
            agc.process(near, off, speech);
        }
    }

    /** Whether this chain runs a voice activity detector (its decisions in {@link #speech()}). */
    public boolean detects() {
        return vad != null;
    }

    /** Whether the last captured frame was speech (false when the detector does not run). */
    public boolean speech() {
        return speech;
    }

    /** Whether the last captured frame was noise the comfort-noise encoder may learn from. */
    public boolean lastFrameWasNoise() {
        return vad == null || vad.lastFrameWasNoise();
    }

    /** Talk time: captured speech, ms (counted while the detector runs). */
    public long talkMillis() {
        return speechFrames * 10;
    }

    /** Listen time: played speech, ms (counted while the detector runs). */
    public long listenMillis() {
        return farSpeechFrames * 10;
    }

    /** Captured frames the detector looked at. */
    public long framesAnalysed() {
        return frames;
    }

    /** Switches the echo canceller (if built) off or on. */
    public void echoCancellation(boolean on) {
        aecOn = on && aec != null;
    }

    /** Switches the noise suppressor (if built) off or on. */
    public void noiseSuppression(boolean on) {
        nsOn = on && ns != null;
    }

    /** Switches talk-time detection (if built) off or on; the gain control keeps its own use of it. */
    public void voiceDetection(boolean on) {
        vadOn = on && vad != null;
    }

    /** Switches the gain control (if built) off or on. */
    public void gainControl(boolean on) {
        agcOn = on && agc != null;
    }

    /** The echo canceller, or null when not built (for its delay and ERLE estimates). */
    public EchoCanceller echoCanceller() {
        return aec;
    }

    /** The gain control, or null when not built. */
    public AutomaticGainControl gainControl() {
        return agc;
    }

    /** The noise suppressor, or null when not built. */
    public NoiseSuppressor noiseSuppressor() {
        return ns;
    }
}
