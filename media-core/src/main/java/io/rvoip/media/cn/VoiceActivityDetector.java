package io.rvoip.media.cn;

/**
 * An energy voice activity detector for discontinuous transmission: a frame is active when its
 * level is well above the tracked noise floor and above an absolute floor; activity is held for
 * a hangover after the last active frame so word endings are not clipped.
 *
 * <p>The noise floor is the minimum frame level over the last two to four seconds (two windows
 * of minimum statistics), so it follows rising noise within seconds and never exceeds the
 * quietest recent frame. This is the classic energy detector, not a speech/music classifier:
 * steady loud noise above {@code -45 dBov} plus the margin counts as activity.
 *
 * <p>Not thread-safe; nothing is allocated.
 */
public final class VoiceActivityDetector {
    private final double marginDb;
    private final double absoluteFloorDb;
    private final int hangoverFrames;
    private final int windowFrames;
    private double windowMin = Double.MAX_VALUE;
    private double previousMin = Double.MAX_VALUE;
    private int inWindow;
    private int hangover;
    private boolean lastRawActive;
    private double lastLevelDb = -127;

    /**
     * A detector.
     *
     * @param frameMs the frame length the detector is fed (for the hangover and windows)
     */
    public VoiceActivityDetector(int frameMs) {
        this(frameMs, 10, -55, 200);
    }

    /**
     * A detector with explicit thresholds.
     *
     * @param frameMs         frame length, ms
     * @param marginDb        how far above the noise floor a frame must be to be active
     * @param absoluteFloorDb frames below this level (dBov) are never active
     * @param hangoverMs      how long activity is held after the last active frame
     */
    public VoiceActivityDetector(int frameMs, double marginDb, double absoluteFloorDb, int hangoverMs) {
        if (frameMs <= 0) {
            throw new IllegalArgumentException("frameMs " + frameMs);
        }
        this.marginDb = marginDb;
        this.absoluteFloorDb = absoluteFloorDb;
        this.hangoverFrames = Math.max(0, hangoverMs / frameMs);
        this.windowFrames = Math.max(1, 2000 / frameMs);
    }

    /** Classifies one frame: true while voice is active (including the hangover). */
    public boolean isActive(short[] pcm, int off, int n) {
        double sum = 0;
        for (int i = off; i < off + n; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        double db = n == 0 || sum == 0 ? -127 : 10 * Math.log10(sum / n / (32768.0 * 32768.0));
        lastLevelDb = db;
        windowMin = Math.min(windowMin, db);
        if (++inWindow >= windowFrames) {
            previousMin = windowMin;
            windowMin = Double.MAX_VALUE;
            inWindow = 0;
        }
        double floor = Math.min(windowMin, previousMin);
        lastRawActive = db > absoluteFloorDb && db > floor + marginDb;
        if (lastRawActive) {
            hangover = hangoverFrames;
            return true;
        }
        if (hangover > 0) {
            hangover--;
            return true;
        }
        return false;
    }

    /** Whether the last frame itself was active, before the hangover: inactive frames are noise to learn from. */
    public boolean lastFrameWasNoise() {
        return !lastRawActive;
    }

    /** The level of the last frame, dBov. */
    public double lastLevelDb() {
        return lastLevelDb;
    }

    /** The current noise floor estimate, dBov. */
    public double noiseFloorDb() {
        double f = Math.min(windowMin, previousMin);
        return f == Double.MAX_VALUE ? -127 : f;
    }
}
