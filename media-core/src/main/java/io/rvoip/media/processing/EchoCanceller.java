package io.rvoip.media.processing;

/**
 * Acoustic echo cancellation for 10 ms frames: removes from the microphone signal the echo of
 * what the loudspeaker played.
 *
 * <p>Feed every frame played to {@link #render} and every frame captured to {@link #capture},
 * in the order they happen; the two streams must have the same sample rate and, on average, the
 * same frame rate. The device latency between them need not be known: a
 * {@linkplain DelayEstimator delay estimator} finds it (up to {@code maxDelayMs}) and aligns the
 * far end before the filter.
 *
 * <p>The linear canceller is a partitioned-block frequency-domain adaptive filter (multi-delay
 * filter, one 10 ms partition per block, {@code tailMs} of echo path), with:
 * <ul>
 *   <li>proportionate step sizes across partitions (partitions holding more of the echo path learn
 *       faster), normalised by the far end's power per bin;</li>
 *   <li>a per-bin step size set from the estimated residual echo (the leakage estimate of Valin,
 *       2007): large while the error is mostly echo, near zero while the near end talks;</li>
 *   <li>an explicit double-talk detector that freezes adaptation when the error holds much more
 *       than the estimated residual echo;</li>
 *   <li>divergence recovery: a copy of the filter is kept from moments when it removed echo well,
 *       and restored when the output grows louder than the microphone;</li>
 *   <li>the gradient constraint applied to one partition every fourth frame in turn (cheap, and
 *       the partitions do not drift).</li>
 * </ul>
 * A residual echo suppressor then attenuates, bin by bin, what the linear filter left: a Wiener
 * gain against the residual echo estimate (leakage times the echo estimate, plus a decaying
 * memory for reverberation beyond the filter), on sine-windowed 50 %-overlap frames. With it on,
 * the output is one frame (10 ms) behind the input.
 *
 * <p>One instance per call; not thread-safe; nothing is allocated per frame. Cost and echo
 * return loss enhancement (ERLE) are measured in the module README.
 */
public final class EchoCanceller {
    /** Step size while the filter first learns (before the leakage estimate is trusted). */
    private static final float MU_INIT = 0.5f;
    /** The largest per-bin step size afterwards. */
    private static final float MU_MAX = 0.6f;
    /** The leakage regression underestimates the residual echo; its estimate is scaled by this. */
    private static final float LEAK_SCALE = 3f;
    /** Double talk: the error's power above this many times the residual echo (plus noise). */
    private static final float DT_RATIO = 8f;
    /** Time smoothing of the coherence between echo estimate and error, per 10 ms frame. */
    private static final float COH_SMOOTH = 0.8f;
    /** Over-suppression of the residual echo in the suppressor's gain. */
    private static final float OVER = 2f;
    /** Per-frame decay of the residual echo memory (reverberation past the filter). */
    private static final float RES_DECAY = 0.5f;

    private final int sampleRate;
    private final int n;          // frame, = block
    private final int bins;
    private final int partitions;
    private final int maxDelayFrames;
    private final RealFft fft;
    private final DelayEstimator delayEstimator;
    private final boolean suppress;

    // far end
    // spectra of [previous frame, frame], newest at farPos; real and imaginary parts apart, so the
    // per-bin loops over partitions run on plain float arrays the JIT vectorises
    private final float[][] farRe;
    private final float[][] farIm;
    private final float[] farSpec;       // the newest, interleaved (for the delay estimator)
    private final float[] farFrameEnergy;
    private int farPos = -1;
    private static final int QUEUE = 32;
    private final short[][] queue;
    private int queueHead;
    private int queued;
    private boolean rendered;
    private long renderOverflows;
    private final float[] farPrev;
    private final float[] timeBuf;
    private final float[] farPower;       // Σ_p prop_p |X_p|², per bin: the normalisation of the whole filter's step

    // filter
    private final float[][] wRe;          // the background filter: the one that adapts
    private final float[][] wIm;
    private final float[][] wfRe;         // the foreground filter: what is heard
    private final float[][] wfIm;
    private final float[] yfSpec;
    private final float[] yRe;
    private final float[] yIm;
    private final float[] yfRe;
    private final float[] yfIm;
    private final float[] eRe;
    private final float[] eIm;
    private final float[] yFore;
    private final float[] eFore;
    private final float[] yBack;          // the background's echo estimate, time domain
    private float sebSmoothed;
    private float sefSmoothed;
    private int betterRuns;
    private int worseRuns;
    private final float[] prop;
    private int constrainNext;
    private int frameCount;

    // per frame
    private final float[] ySpec;
    private final float[] eSpec;
    private final float[] e;
    private final float[] nearSpec;
    private final float[] step;
    private final float[] meanE;
    private final float[] meanY;
    private float pey;
    private float pyy;
    private float leak = 0.5f;
    private int adaptedFrames;
    private boolean adapted;
    private long resets;
    private boolean doubleTalk;
    private int delayFrames;
    private double erleSmoothed;
    private float sdd;
    private float see;

    // residual echo suppression
    private final SpectralFrames eFrames;
    private final SpectralFrames dFrames;
    private final float[] esSpec;
    private final float[] ysSpec;
    private final float[] residual;
    private final float[] cohYE;   // smoothed cross-spectrum of echo estimate and error
    private final float[] cohYY;
    private final float[] cohEE;
    private final float[] prevNear;
    private final short[] eShort;
    private final float floorGain;
    private NoiseSuppressor post;
    private final float regularisation;

    /** The echo tail covered by default, ms: a room's reverberation after the device delay is taken out. */
    public static final int DEFAULT_TAIL_MS = 150;

    /** A canceller at {@code sampleRate} with a {@value #DEFAULT_TAIL_MS} ms echo tail, delays up to 200 ms, and residual suppression. */
    public EchoCanceller(int sampleRate) {
        this(sampleRate, DEFAULT_TAIL_MS, 200, true);
    }

    /**
     * A canceller.
     *
     * @param sampleRate  Hz, a multiple of 100 (8000 and 16000 are the rates it is tuned for)
     * @param tailMs      the echo path length the filter covers after alignment, 20…500 ms
     * @param maxDelayMs  the largest device delay the estimator considers, 0…1000 ms
     * @param residualSuppression whether to run the residual echo suppressor after the filter
     */
    public EchoCanceller(int sampleRate, int tailMs, int maxDelayMs, boolean residualSuppression) {
        if (tailMs < 20 || tailMs > 500) {
            throw new IllegalArgumentException("tail " + tailMs + " ms: 20…500");
        }
        if (maxDelayMs < 0 || maxDelayMs > 1000) {
            throw new IllegalArgumentException("max delay " + maxDelayMs + " ms: 0…1000");
        }
        this.sampleRate = sampleRate;
        this.n = SpectralFrames.tenMillis(sampleRate);
        this.bins = n + 1;
        this.partitions = (tailMs + 9) / 10;
        this.maxDelayFrames = maxDelayMs / 10;
        this.fft = new RealFft(2 * n);
        this.delayEstimator = new DelayEstimator(bins, sampleRate / (2.0 * n), maxDelayFrames);
        this.suppress = residualSuppression;
        int ring = maxDelayFrames + partitions + 2;
        this.farRe = new float[ring][bins];
        this.farIm = new float[ring][bins];
        this.farSpec = new float[2 * bins];
        this.farFrameEnergy = new float[ring];
        this.farPrev = new float[n];
        this.queue = new short[QUEUE][n];
        this.timeBuf = new float[2 * n];
        this.farPower = new float[bins];
        this.wRe = new float[partitions][bins];
        this.wIm = new float[partitions][bins];
        this.wfRe = new float[partitions][bins];
        this.wfIm = new float[partitions][bins];
        this.yRe = new float[bins];
        this.yIm = new float[bins];
        this.yfRe = new float[bins];
        this.yfIm = new float[bins];
        this.eRe = new float[bins];
        this.eIm = new float[bins];
        this.yfSpec = new float[2 * bins];
        this.yFore = new float[2 * n];
        this.eFore = new float[n];
        this.yBack = new float[n];
        this.prop = new float[partitions];
        this.ySpec = new float[2 * bins];
        this.eSpec = new float[2 * bins];
        this.e = new float[n];
        this.nearSpec = new float[2 * bins];
        this.step = new float[bins];
        this.meanE = new float[bins];
        this.meanY = new float[bins];
        this.eFrames = new SpectralFrames(n);
        this.dFrames = new SpectralFrames(n);
        this.esSpec = new float[2 * bins];
        this.ysSpec = new float[2 * bins];
        this.residual = new float[bins];
        this.cohYE = new float[2 * bins];
        this.cohYY = new float[bins];
        this.cohEE = new float[bins];
        this.prevNear = new float[bins];
        this.eShort = new short[n];
        this.floorGain = 0.03f;
        this.regularisation = 2 * n * ACTIVE_POWER;
        java.util.Arrays.fill(prop, 1f / partitions);
    }

    /** Samples per frame (10 ms). */
    public int frameSamples() {
        return n;
    }

    /** The sample rate, Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Takes the next frame played to the loudspeaker (the far end). Frames wait in a queue until
     * a captured frame takes one (one per {@link #capture}), so render and capture may come in
     * bursts — two 10 ms frames of each per 20 ms packet, say — without the alignment jumping.
     * A queue longer than {@value #QUEUE} frames drops its oldest (counted).
     */
    public void render(short[] far, int off) {
        if (queued == QUEUE) {
            queueHead = (queueHead + 1) % QUEUE;
            queued--;
            renderOverflows++;
        }
        System.arraycopy(far, off, queue[(queueHead + queued) % QUEUE], 0, n);
        queued++;
        rendered = true;
    }

    /** Moves the next queued far frame (or silence, when the loudspeaker had nothing) into the filter's history. */
    private void ingestFar() {
        farPos = (farPos + 1) % farRe.length;
        short[] frame = null;
        if (queued > 0) {
            frame = queue[queueHead];
            queueHead = (queueHead + 1) % QUEUE;
            queued--;
        }
        float energy = 0;
        for (int i = 0; i < n; i++) {
            float v = frame == null ? 0 : frame[i];
            timeBuf[i] = farPrev[i];
            timeBuf[n + i] = v;
            farPrev[i] = v;
            energy += v * v;
        }
        fft.forward(timeBuf, farSpec);
        float[] re = farRe[farPos];
        float[] im = farIm[farPos];
        for (int k = 0; k < bins; k++) {
            re[k] = farSpec[2 * k];
            im[k] = farSpec[2 * k + 1];
        }
        farFrameEnergy[farPos] = energy / n;
        delayEstimator.far(farSpec, energy / n > ACTIVE_POWER);
    }

    /** Far frames the queue dropped because render ran more than {@value #QUEUE} frames ahead of capture. */
    public long renderOverflows() {
        return renderOverflows;
    }

    /** Mean square of a frame above which a signal counts as present (about −60 dBFS). */
    private static final float ACTIVE_POWER = 0.5f * 32768f * 32768f * 1e-6f;

    /**
     * Cancels the echo in the next captured frame, in place. With residual suppression the
     * output is the frame before (10 ms of latency).
     */
    public void capture(short[] near, int off) {
        // the microphone's short-time spectrum: for the delay estimator, and (less the error's) the suppressor's echo estimate
        float dEnergy = 0;
        for (int i = 0; i < n; i++) {
            float v = near[off + i];
            dEnergy += v * v;
        }
        dFrames.analyse(near, off, nearSpec);
        sdd = dEnergy / n;
        delayEstimator.near(nearSpec, sdd > ACTIVE_POWER);
        if (!rendered) {
            passThrough(near, off); // nothing was ever played: there is no echo to cancel
            return;
        }
        ingestFar();
        alignTo(Math.max(0, delayEstimator.delay() - 1));

        // both echo estimates, Y = Σ W_p X_p, and the step normalisation Σ prop_p |X_p|²
        if ((++frameCount & 3) == 0) {
            proportions(); // the weights move slowly: every fourth frame is enough
        }
        java.util.Arrays.fill(yRe, 0);
        java.util.Arrays.fill(yIm, 0);
        java.util.Arrays.fill(yfRe, 0);
        java.util.Arrays.fill(yfIm, 0);
        java.util.Arrays.fill(farPower, 0);
        for (int p = 0; p < partitions; p++) {
            int slot = farSlot(p);
            filter(farRe[slot], farIm[slot], wRe[p], wIm[p], wfRe[p], wfIm[p], prop[p]);
        }
        for (int k = 0; k < bins; k++) {
            ySpec[2 * k] = yRe[k];
            ySpec[2 * k + 1] = yIm[k];
            yfSpec[2 * k] = yfRe[k];
            yfSpec[2 * k + 1] = yfIm[k];
        }
        fft.inverse(yfSpec, yFore);
        fft.inverse(ySpec, timeBuf);
        float eEnergy = 0;
        float yEnergy = 0;
        float fEnergy = 0;
        for (int i = 0; i < n; i++) {
            float d = near[off + i];
            float yb = timeBuf[n + i];
            yBack[i] = yb;
            float eb = d - yb;
            float ef = d - yFore[n + i];
            e[i] = eb;
            eFore[i] = ef;
            eEnergy += eb * eb;
            yEnergy += yb * yb;
            fEnergy += ef * ef;
        }
        see = eEnergy / n;
        float syy = yEnergy / n;
        float sff = fEnergy / n;
        boolean farActive = farEnergy(0) > ACTIVE_POWER;
        adapt(farActive, syy);
        boolean useBackground = choosePath(farActive, sff);
        float[] out = useBackground ? e : eFore;
        float sOut = useBackground ? see : sff;
        if (farActive && sdd > ACTIVE_POWER) {
            double erle = 10 * Math.log10(sdd / Math.max(sOut, 1e-3f));
            erleSmoothed += 0.05 * (erle - erleSmoothed);
        }
        if (!suppress) {
            for (int i = 0; i < n; i++) {
                near[off + i] = clip(out[i]);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            eShort[i] = clip(out[i]);
        }
        eFrames.analyse(eShort, 0, esSpec);
        for (int k = 0; k < 2 * bins; k++) {
            ysSpec[k] = nearSpec[k] - esSpec[k]; // the echo estimate's short-time spectrum: D − E
        }
        suppressResidual(farActive);
        if (post != null) {
            post.suppress(esSpec);
        }
        eFrames.synthesise(esSpec, near, off);
    }

    /**
     * Runs {@code ns} (or nothing, for null) on the suppressor's spectra before synthesis, so
     * echo and noise suppression share one transform pair and one frame of latency. Only with
     * residual suppression on; same sample rate.
     */
    void postFilter(NoiseSuppressor ns) {
        if (ns != null && (!suppress || ns.frameSamples() != n)) {
            throw new IllegalArgumentException("a post filter needs the residual suppressor at the same rate");
        }
        this.post = ns;
    }

    private void adapt(boolean farActive, float syy) {
        float noise = noiseFloor();
        if (!farActive) {
            doubleTalk = false;
            return;
        }
        // the background's echo estimate and error as spectra of [0, y] and [0, e] (only needed to adapt)
        for (int i = 0; i < n; i++) {
            timeBuf[i] = 0;
            timeBuf[n + i] = yBack[i];
        }
        fft.forward(timeBuf, ySpec);
        for (int i = 0; i < n; i++) {
            timeBuf[i] = 0;
            timeBuf[n + i] = e[i];
        }
        fft.forward(timeBuf, eSpec);
        // the leakage estimate: the regression of the error's power on the echo estimate's, per bin over time
        float dey = 0;
        float dyy = 0;
        for (int k = 0; k < bins; k++) {
            float er = eSpec[2 * k];
            float ei = eSpec[2 * k + 1];
            float yr = ySpec[2 * k];
            float yi = ySpec[2 * k + 1];
            float pe = er * er + ei * ei;
            float py = yr * yr + yi * yi;
            meanE[k] += 0.05f * (pe - meanE[k]);
            meanY[k] += 0.05f * (py - meanY[k]);
            float de = pe - meanE[k];
            float dy = py - meanY[k];
            dey += de * dy;
            dyy += dy * dy;
        }
        pey = 0.9f * pey + 0.1f * dey;
        pyy = 0.9f * pyy + 0.1f * dyy;
        if (pyy > 0) {
            leak = Math.max(0.005f, Math.min(1f, pey / pyy));
        }
        // residual echo to error ratio of the frame (the regression runs low: scaled by LEAK_SCALE)
        float residualEcho = Math.min(see, LEAK_SCALE * leak * syy);
        float rer = Math.min(0.5f, (residualEcho + 1e-4f * farEnergy(0)) / (see + 1f));
        // double talk: the error holds much more than the residual echo can explain
        doubleTalk = adapted && erleSmoothed > 6 && see > DT_RATIO * (residualEcho + noise) && sdd > 4 * noise;
        if (!adapted) {
            for (int k = 0; k < bins; k++) {
                step[k] = MU_INIT / (farPower[k] + regularisation);
            }
            if (++adaptedFrames > 2 * partitions + 20 && syy > 0.05f * sdd) {
                adapted = true;
            }
        } else if (doubleTalk) {
            return; // frozen
        } else {
            for (int k = 0; k < bins; k++) {
                float er = eSpec[2 * k];
                float ei = eSpec[2 * k + 1];
                float yr = ySpec[2 * k];
                float yi = ySpec[2 * k + 1];
                float pe = er * er + ei * ei + 1f;
                float r = 0.7f * LEAK_SCALE * leak * (yr * yr + yi * yi) + 0.3f * rer * pe;
                step[k] = Math.min(MU_MAX, r / pe) / (farPower[k] + regularisation);
            }
        }
        // W_p += prop_p · step ⊙ conj(X_p) ⊙ E
        for (int k = 0; k < bins; k++) {
            eRe[k] = eSpec[2 * k];
            eIm[k] = eSpec[2 * k + 1];
        }
        for (int p = 0; p < partitions; p++) {
            int slot = farSlot(p);
            update(farRe[slot], farIm[slot], wRe[p], wIm[p], prop[p]);
        }
        // gradient constraint on one partition every fourth frame: its impulse response must fit in one block
        if ((frameCount & 3) != 2) {
            return;
        }
        float[] cr = wRe[constrainNext];
        float[] ci = wIm[constrainNext];
        float[] wc = farSpec; // scratch: the delay estimator is done with it
        for (int k = 0; k < bins; k++) {
            wc[2 * k] = cr[k];
            wc[2 * k + 1] = ci[k];
        }
        fft.inverse(wc, timeBuf);
        for (int i = n; i < 2 * n; i++) {
            timeBuf[i] = 0;
        }
        fft.forward(timeBuf, wc);
        for (int k = 0; k < bins; k++) {
            cr[k] = wc[2 * k];
            ci[k] = wc[2 * k + 1];
        }
        constrainNext = (constrainNext + 1) % partitions;
    }

    /**
     * The two-path decision: the foreground filter (the one heard) takes the background's
     * coefficients when the background has removed clearly more for a few frames; the background
     * goes back to the foreground when it has clearly diverged (double talk it adapted through,
     * or instability). Returns whether this frame's output is the background's.
     */
    private boolean choosePath(boolean farActive, float sff) {
        sebSmoothed = 0.7f * sebSmoothed + 0.3f * see;
        sefSmoothed = 0.7f * sefSmoothed + 0.3f * sff;
        float noise = noiseFloor();
        if (farActive && sebSmoothed + noise < 0.8f * (sefSmoothed + noise)) {
            if (++betterRuns >= 2) {
                for (int p = 0; p < partitions; p++) {
                    System.arraycopy(wRe[p], 0, wfRe[p], 0, bins);
                    System.arraycopy(wIm[p], 0, wfIm[p], 0, bins);
                }
                sefSmoothed = sebSmoothed;
                betterRuns = 0;
                return true;
            }
        } else {
            betterRuns = 0;
        }
        if (sebSmoothed > 4 * (sefSmoothed + noise) && sdd > ACTIVE_POWER) {
            if (++worseRuns >= 3) {
                for (int p = 0; p < partitions; p++) {
                    System.arraycopy(wfRe[p], 0, wRe[p], 0, bins);
                    System.arraycopy(wfIm[p], 0, wIm[p], 0, bins);
                }
                sebSmoothed = sefSmoothed;
                worseRuns = 0;
                resets++;
            }
        } else {
            worseRuns = 0;
        }
        return false;
    }

    /** Proportionate weights (mean 1): partitions holding more of the echo path take larger steps. */
    private void proportions() {
        float total = 0;
        for (int p = 0; p < partitions; p++) {
            float s = 0;
            float[] re = wRe[p];
            float[] im = wIm[p];
            for (int k = 0; k < bins; k++) {
                s += re[k] * re[k] + im[k] * im[k];
            }
            prop[p] = (float) Math.sqrt(s);
            total += prop[p];
        }
        float mean = total / partitions;
        float sum = 0;
        for (int p = 0; p < partitions; p++) {
            prop[p] = prop[p] + 0.5f * mean + 1e-6f;
            sum += prop[p];
        }
        for (int p = 0; p < partitions; p++) {
            prop[p] = prop[p] * partitions / sum;
        }
    }

    /**
     * The residual echo suppressor. The residual echo in each bin is the larger of two estimates:
     * the leakage times the echo estimate's power, and the error's power times its coherence with
     * the echo estimate (coherence is blind to gain, so a filter that has the echo's shape but not
     * yet its level still tells how much of the error is echo). A decaying memory covers
     * reverberation past the filter. The gain is a Wiener gain of the near-end estimate against
     * the residual echo, floored.
     */
    private void suppressResidual(boolean farActive) {
        // every array in a local and no branches in the loop: the JIT compiles it the same way whatever the profile
        float[] ys = ysSpec;
        float[] es = esSpec;
        float[] ye = cohYE;
        float[] yy = cohYY;
        float[] ee = cohEE;
        float[] res = residual;
        float[] prev = prevNear;
        float leakTerm = LEAK_SCALE * leak;
        float floor = floorGain;
        int count = Math.min(bins, Math.min(yy.length, res.length));
        for (int k = 0; k < count; k++) {
            float yr = ys[2 * k];
            float yi = ys[2 * k + 1];
            float er = es[2 * k];
            float ei = es[2 * k + 1];
            float py = yr * yr + yi * yi;
            float pe = er * er + ei * ei;
            // cross-spectrum Y·conj(E) and the two powers, smoothed over time
            float cr = COH_SMOOTH * ye[2 * k] + (1 - COH_SMOOTH) * (yr * er + yi * ei);
            float ci = COH_SMOOTH * ye[2 * k + 1] + (1 - COH_SMOOTH) * (yi * er - yr * ei);
            ye[2 * k] = cr;
            ye[2 * k + 1] = ci;
            float syy = COH_SMOOTH * yy[k] + (1 - COH_SMOOTH) * py;
            float see = COH_SMOOTH * ee[k] + (1 - COH_SMOOTH) * pe;
            yy[k] = syy;
            ee[k] = see;
            // coherence |Syе|² / (Syy·See), 0 for silence (the +1 keeps the division finite)
            float coherence = Math.min(1f, (cr * cr + ci * ci) / (syy * see + 1f));
            float r = Math.max(leakTerm * py, coherence * pe);
            float rk = Math.max(r, RES_DECAY * res[k]);
            res[k] = rk;
            float nearPost = Math.max(pe - OVER * rk, 0f);
            float nearPrior = 0.7f * prev[k] + 0.3f * nearPost;
            float g = Math.max(floor, nearPrior / (nearPrior + OVER * rk + 1e-3f));
            prev[k] = g * g * pe;
            es[2 * k] = er * g;
            es[2 * k + 1] = ei * g;
        }
    }

    private float noiseFloor() {
        return 0.5f * 32768f * 32768f * 1e-7f; // −70 dBFS
    }

    /** Moves the alignment to {@code frames} of delay, keeping what the filter learnt where it still applies. */
    private void alignTo(int frames) {
        int target = Math.min(frames, maxDelayFrames);
        int shift = target - delayFrames;
        if (shift == 0) {
            return;
        }
        shift(wRe, shift);
        shift(wIm, shift);
        shift(wfRe, shift);
        shift(wfIm, shift);
        delayFrames = target;
    }

    /** Partition p covered lag delayFrames + p; after the shift it covers delayFrames + shift + p. */
    private void shift(float[][] f, int shift) {
        if (shift > 0) {
            for (int p = 0; p < partitions; p++) {
                if (p + shift < partitions) {
                    System.arraycopy(f[p + shift], 0, f[p], 0, bins);
                } else {
                    java.util.Arrays.fill(f[p], 0);
                }
            }
        } else {
            for (int p = partitions - 1; p >= 0; p--) {
                if (p + shift >= 0) {
                    System.arraycopy(f[p + shift], 0, f[p], 0, bins);
                } else {
                    java.util.Arrays.fill(f[p], 0);
                }
            }
        }
    }

    /** The ring slot of the far spectrum partition p of the filter sees: delayFrames + p frames before the newest. */
    private int farSlot(int p) {
        return Math.floorMod(farPos - delayFrames - p, farRe.length);
    }

    private float farEnergy(int p) {
        return farFrameEnergy[farSlot(p)];
    }

    /** Both echo estimates for one partition, and its share of the step normalisation (a loop the JIT vectorises). */
    private void filter(float[] xr, float[] xi, float[] br, float[] bi, float[] fr, float[] fi, float g) {
        float[] yr = yRe;
        float[] yi = yIm;
        float[] zr = yfRe;
        float[] zi = yfIm;
        float[] pw = farPower;
        int count = Math.min(bins, Math.min(xr.length, yr.length));
        for (int k = 0; k < count; k++) {
            float a = xr[k];
            float b = xi[k];
            yr[k] += br[k] * a - bi[k] * b;
            yi[k] += br[k] * b + bi[k] * a;
            zr[k] += fr[k] * a - fi[k] * b;
            zi[k] += fr[k] * b + fi[k] * a;
            pw[k] += g * (a * a + b * b);
        }
    }

    /** The background filter's update for one partition: W += g · step ⊙ conj(X) ⊙ E. */
    private void update(float[] xr, float[] xi, float[] wr, float[] wi, float g) {
        float[] st = step;
        float[] er = eRe;
        float[] ei = eIm;
        int count = Math.min(bins, Math.min(xr.length, wr.length));
        for (int k = 0; k < count; k++) {
            float s = g * st[k];
            float a = xr[k];
            float b = xi[k];
            wr[k] += s * (a * er[k] + b * ei[k]);
            wi[k] += s * (a * ei[k] - b * er[k]);
        }
    }

    private void passThrough(short[] near, int off) {
        if (suppress) {
            eFrames.analyse(near, off, esSpec);
            if (post != null) {
                post.suppress(esSpec);
            }
            eFrames.synthesise(esSpec, near, off);
        }
    }

    private static short clip(float v) {
        return v >= 32767f ? 32767 : v <= -32768f ? -32768 : (short) Math.round(v);
    }

    /** The device delay in use, ms (the estimate, less one frame of margin), or 0 before one is found. */
    public int delayMs() {
        return delayFrames * 10;
    }

    /** The delay estimator's latest estimate, ms, or -1 before it is confident. */
    public int estimatedDelayMs() {
        int d = delayEstimator.delay();
        return d < 0 ? -1 : d * 10;
    }

    /** A running estimate of the linear filter's echo return loss enhancement while the far end talks, dB. */
    public double erleDb() {
        return erleSmoothed;
    }

    /** How many times the filter diverged and was restored (or cleared). */
    public long divergenceResets() {
        return resets;
    }

    /** Whether the last frame was judged double talk (adaptation frozen). */
    public boolean doubleTalk() {
        return doubleTalk;
    }

    /** The filter's current leakage estimate: the share of the echo estimate still left in the output. */
    public double leakage() {
        return leak;
    }

    /** Forgets the echo path, the alignment and all history (for a new call or a new device). */
    public void reset() {
        for (int p = 0; p < partitions; p++) {
            java.util.Arrays.fill(wRe[p], 0);
            java.util.Arrays.fill(wIm[p], 0);
            java.util.Arrays.fill(wfRe[p], 0);
            java.util.Arrays.fill(wfIm[p], 0);
        }
        sebSmoothed = 0;
        sefSmoothed = 0;
        betterRuns = 0;
        worseRuns = 0;
        for (int r = 0; r < farRe.length; r++) {
            java.util.Arrays.fill(farRe[r], 0);
            java.util.Arrays.fill(farIm[r], 0);
        }
        java.util.Arrays.fill(farFrameEnergy, 0);
        java.util.Arrays.fill(farPrev, 0);
        java.util.Arrays.fill(farPower, 0);
        java.util.Arrays.fill(meanE, 0);
        java.util.Arrays.fill(meanY, 0);
        java.util.Arrays.fill(residual, 0);
        java.util.Arrays.fill(cohYE, 0);
        java.util.Arrays.fill(cohYY, 0);
        java.util.Arrays.fill(cohEE, 0);
        java.util.Arrays.fill(prevNear, 0);
        java.util.Arrays.fill(prop, 1f / partitions);
        farPos = -1;
        queueHead = 0;
        queued = 0;
        rendered = false;
        delayFrames = 0;
        delayEstimator.reset();
        eFrames.reset();
        dFrames.reset();
        pey = 0;
        pyy = 0;
        leak = 0.5f;
        adapted = false;
        adaptedFrames = 0;
        erleSmoothed = 0;
        doubleTalk = false;
        frameCount = 0;
        constrainNext = 0;
        java.util.Arrays.fill(yBack, 0);
        java.util.Arrays.fill(eFore, 0);
    }
}
