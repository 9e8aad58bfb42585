package io.rvoip.bench.media;

import io.rvoip.media.processing.AutomaticGainControl;
import io.rvoip.media.processing.EchoCanceller;
import io.rvoip.media.processing.NoiseSuppressor;
import io.rvoip.media.processing.VoiceActivityDetector;
import io.rvoip.media.processing.VoiceProcessor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of voice processing per 10 ms frame on one core, at 8 and 16 kHz: each processor alone
 * and the whole chain (echo canceller with its default 150 ms tail, noise suppressor, detector, gain
 * control). The far end is speech-like noise switching on and off every half second; the
 * microphone holds its echo through a decaying random room response plus noise, so the
 * canceller adapts, detects and suppresses as in a call. {@code aec250} is the canceller with a
 * 250 ms tail; {@code aecLinear} is the default canceller without its residual suppressor;
 * {@code fft} is one forward and one inverse real FFT of two frames (the unit most stages use).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class VoiceProcessingBenchmark {
    @Param({"8000", "16000"})
    public int rate;

    @Param({"aec", "aec250", "aecLinear", "ns", "vad", "agc", "chain", "fft"})
    public String processor;

    private short[] far;
    private short[] mic;
    private short[] work;
    private int frame;
    private int frames;
    private int i;
    private EchoCanceller aec;
    private NoiseSuppressor ns;
    private VoiceActivityDetector vad;
    private AutomaticGainControl agc;
    private VoiceProcessor chain;
    private io.rvoip.media.processing.RealFft fft;
    private float[] fftIn;
    private float[] fftOut;

    @Setup(Level.Trial)
    public void setUp() {
        frame = rate / 100;
        int n = rate * 4;
        Random r = new Random(1);
        far = new short[n];
        double v = 0;
        for (int s = 0; s < n; s++) {
            v = 0.95 * v + r.nextGaussian() * 1500;
            boolean on = (s / (rate / 2)) % 2 == 0;
            far[s] = (short) Math.max(-32768, Math.min(32767, on ? v : v * 0.001));
        }
        int taps = rate / 5;
        double[] h = new double[taps];
        for (int k = 0; k < taps; k++) {
            h[k] = r.nextGaussian() * Math.exp(-k * 6.9 / taps) * 0.1;
        }
        mic = new short[n];
        for (int s = 0; s < n; s++) {
            double e = r.nextGaussian() * 30;
            int d = s - rate * 40 / 1000;
            for (int k = 0; k < taps && d - k >= 0; k++) {
                e += h[k] * far[d - k];
            }
            mic[s] = (short) Math.max(-32768, Math.min(32767, Math.round(e)));
        }
        frames = n / frame;
        work = new short[frame];
        switch (processor) {
            case "aec" -> aec = new EchoCanceller(rate, EchoCanceller.DEFAULT_TAIL_MS, 200, true);
            case "aec250" -> aec = new EchoCanceller(rate, 250, 200, true);
            case "aecLinear" -> aec = new EchoCanceller(rate, EchoCanceller.DEFAULT_TAIL_MS, 200, false);
            case "ns" -> ns = new NoiseSuppressor(rate);
            case "vad" -> vad = new VoiceActivityDetector(rate);
            case "agc" -> agc = new AutomaticGainControl(rate);
            case "chain" -> chain = new VoiceProcessor(rate, VoiceProcessor.Config.all());
            case "fft" -> {
                fft = new io.rvoip.media.processing.RealFft(2 * frame);
                fftIn = new float[2 * frame];
                fftOut = new float[2 * frame + 2];
            }
            default -> throw new IllegalArgumentException(processor);
        }
    }

    /** One 10 ms frame: the played frame in, the captured frame processed. */
    @Benchmark
    public short frame() {
        int off = (i++ % frames) * frame;
        System.arraycopy(mic, off, work, 0, frame);
        if (aec != null) {
            aec.render(far, off);
            aec.capture(work, 0);
        } else if (ns != null) {
            ns.process(work, 0);
        } else if (vad != null) {
            return vad.isSpeech(work, 0) ? (short) 1 : 0;
        } else if (agc != null) {
            agc.process(work, 0);
        } else if (fft != null) {
            for (int k = 0; k < frame; k++) {
                fftIn[k] = work[k];
            }
            fft.forward(fftIn, fftOut);
            fft.inverse(fftOut, fftIn);
            return (short) fftIn[3];
        } else {
            chain.render(far, off);
            chain.capture(work, 0);
        }
        return work[0];
    }
}
