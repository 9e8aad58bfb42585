package io.rvoip.media.processing;

/**
 * Keeps the talker's level even: brings speech to a target level, whether the microphone
 * delivers it at −40 dBFS or at −6 dBFS, without pumping up the background in pauses.
 *
 * <p>Per 10 ms frame:
 * <ul>
 *   <li>the speech level is tracked only in frames a {@link VoiceActivityDetector} calls speech
 *       (its own, or the caller's decision), as a power average over about half a second of
 *       speech;</li>
 *   <li>the gain moves toward target − level, limited to {@code maxGainDb}; it falls at the
 *       attack rate and rises at the (slower) release rate, and holds in frames without speech,
 *       so silence never makes it climb;</li>
 *   <li>a noise gate attenuates frames without speech that are quieter than the gate threshold
 *       (ramped, so it does not click);</li>
 *   <li>a peak limiter keeps the output below −1 dBFS (instant attack, 50 ms release), so a
 *       shout after a quiet stretch never clips.</li>
 * </ul>
 * The gain is interpolated across each frame. Levels are RMS in dBFS (a full-scale sine is 0).
 * One instance per stream; not thread-safe; nothing is allocated per frame.
 */
public final class AutomaticGainControl {
    /** Settings; {@link #defaults()} suits a softphone microphone. */
    public record Config(double targetDbfs, double maxGainDb, double attackDbPerSecond, double releaseDbPerSecond,
                         double gateThresholdDbfs, double gateAttenuationDb) {
        /**
         * @throws IllegalArgumentException when a value is out of range
         */
        public Config {
            if (targetDbfs > -3 || targetDbfs < -40) {
                throw new IllegalArgumentException("target " + targetDbfs + " dBFS: −40…−3");
            }
            if (maxGainDb < 0 || maxGainDb > 50) {
                throw new IllegalArgumentException("max gain " + maxGainDb + " dB: 0…50");
            }
            if (attackDbPerSecond <= 0 || releaseDbPerSecond <= 0) {
                throw new IllegalArgumentException("rates must be positive");
            }
            if (gateAttenuationDb < 0 || gateAttenuationDb > 60) {
                throw new IllegalArgumentException("gate attenuation " + gateAttenuationDb + " dB: 0…60");
            }
        }

        /** −18 dBFS target, up to +30 dB, falling at 30 dB/s and rising at 10 dB/s, gate −12 dB below −55 dBFS. */
        public static Config defaults() {
            return new Config(-18, 30, 30, 10, -55, 12);
        }

        /** A copy with another target level. */
        public Config withTarget(double dbfs) {
            return new Config(dbfs, maxGainDb, attackDbPerSecond, releaseDbPerSecond, gateThresholdDbfs, gateAttenuationDb);
        }

        /** A copy with another gain ceiling. */
        public Config withMaxGain(double db) {
            return new Config(targetDbfs, db, attackDbPerSecond, releaseDbPerSecond, gateThresholdDbfs, gateAttenuationDb);
        }
    }

    private static final double FULL_SCALE_SINE_POWER = 32768.0 * 32768.0 / 2;
    private static final float LIMIT = (float) (32767 * Math.pow(10, -1 / 20.0));

    private final Config config;
    private final int frame;
    private final VoiceActivityDetector vad;
    private final double attackPerFrame;
    private final double releasePerFrame;
    private final float limiterRecovery;  // per-sample factor: 6 dB per 50 ms
    private double speechPower = -1;     // mean power of recent speech frames, or -1 before any
    private double gainDb;
    private float appliedGain = 1f;      // linear gain at the end of the last frame (AGC × gate)
    private double gateDb;               // current gate attenuation, dB (≤ 0)
    private float limiterGain = 1f;
    private boolean lastSpeech;

    /** A controller at {@code sampleRate} with the {@linkplain Config#defaults() defaults}. */
    public AutomaticGainControl(int sampleRate) {
        this(sampleRate, Config.defaults());
    }

    /** A controller at {@code sampleRate} (a multiple of 100; 10 ms frames). */
    public AutomaticGainControl(int sampleRate, Config config) {
        this.config = config;
        this.frame = SpectralFrames.tenMillis(sampleRate);
        this.vad = new VoiceActivityDetector(sampleRate);
        this.attackPerFrame = config.attackDbPerSecond() / 100;
        this.releasePerFrame = config.releaseDbPerSecond() / 100;
        this.limiterRecovery = (float) Math.pow(10, 6 / 20.0 / (0.05 * sampleRate));
    }

    /** Samples per frame (10 ms). */
    public int frameSamples() {
        return frame;
    }

    /** Processes one frame in place, deciding speech with the controller's own detector. */
    public void process(short[] pcm, int off) {
        process(pcm, off, vad.isSpeech(pcm, off));
    }

    /** Processes one frame in place with the caller's speech decision (from a detector run on the same signal). */
    public void process(short[] pcm, int off, boolean speech) {
        lastSpeech = speech;
        double sum = 0;
        for (int i = off; i < off + frame; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        double power = sum / frame;
        double levelDb = power <= 0 ? -127 : 10 * Math.log10(power / FULL_SCALE_SINE_POWER);
        if (speech) {
            speechPower = speechPower < 0 ? power : 0.95 * speechPower + 0.05 * power;
            double speechDb = 10 * Math.log10(Math.max(speechPower, 1e-3) / FULL_SCALE_SINE_POWER);
            double wanted = Math.min(config.maxGainDb(), config.targetDbfs() - speechDb);
            if (wanted < gainDb) {
                gainDb = Math.max(wanted, gainDb - attackPerFrame);
            } else {
                gainDb = Math.min(wanted, gainDb + releasePerFrame);
            }
        }
        // the gate: ramps down in quiet frames without speech, up again at once with speech
        double gateTarget = !speech && levelDb < config.gateThresholdDbfs() ? -config.gateAttenuationDb() : 0;
        gateDb = gateTarget < gateDb ? Math.max(gateTarget, gateDb - 1.0) : gateTarget;
        float target = (float) Math.pow(10, (gainDb + gateDb) / 20);
        float start = appliedGain;
        float stepPerSample = (target - start) / frame;
        float g = start;
        for (int i = off; i < off + frame; i++) {
            g += stepPerSample;
            float v = pcm[i] * g;
            float a = Math.abs(v) * limiterGain;
            if (a > LIMIT) {
                limiterGain = LIMIT / Math.abs(v);
            }
            v *= limiterGain;
            limiterGain = Math.min(1f, limiterGain * limiterRecovery);
            pcm[i] = v >= 32767f ? 32767 : v <= -32768f ? -32768 : (short) Math.round(v);
        }
        appliedGain = target;
    }

    /** The current gain, dB (without the gate and the limiter). */
    public double gainDb() {
        return gainDb;
    }

    /** The tracked speech level of the input, dBFS, or −127 before any speech. */
    public double speechLevelDb() {
        return speechPower < 0 ? -127 : 10 * Math.log10(Math.max(speechPower, 1e-3) / FULL_SCALE_SINE_POWER);
    }

    /** Whether the last frame was taken as speech. */
    public boolean lastFrameWasSpeech() {
        return lastSpeech;
    }

    /** The settings. */
    public Config config() {
        return config;
    }
}
