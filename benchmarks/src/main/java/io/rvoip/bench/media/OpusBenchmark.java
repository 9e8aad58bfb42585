package io.rvoip.bench.media;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import io.rvoip.media.codec.AudioDecoder;
import io.rvoip.media.codec.AudioEncoder;
import io.rvoip.media.codec.Opus;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opus per 20 ms frame at the anchor's settings (48 kHz mono, 32 kbit/s, complexity 10, VoIP
 * mode): through media-core's {@link Opus} and through bare Concentus, to show the wrapper's
 * cost. The input is speech-like shaped noise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class OpusBenchmark {
    private static final int FRAME = 960;
    private final short[][] frames = new short[32][FRAME];
    private final byte[][] packets = new byte[32][];
    private final byte[] out = new byte[4000];
    private final short[] pcm = new short[FRAME * 6];
    private AudioEncoder encoder;
    private AudioDecoder decoder;
    private OpusEncoder bareEncoder;
    private OpusDecoder bareDecoder;
    private int i;

    @Setup(Level.Trial)
    public void setUp() throws OpusException {
        Opus opus = new Opus(new Opus.Config(48000, 1, 32000, 10, false, false, 48000, 0));
        encoder = opus.newEncoder();
        decoder = opus.newDecoder();
        bareEncoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        bareEncoder.setBitrate(32000);
        bareEncoder.setComplexity(10);
        bareEncoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        bareDecoder = new OpusDecoder(48000, 1);
        Random r = new Random(1);
        double v = 0;
        AudioEncoder prep = opus.newEncoder();
        for (int f = 0; f < frames.length; f++) {
            for (int s = 0; s < FRAME; s++) {
                v = 0.97 * v + r.nextGaussian() * 900;
                frames[f][s] = (short) Math.max(-32768, Math.min(32767, v));
            }
            int n = prep.encode(frames[f], 0, FRAME, out, 0);
            packets[f] = java.util.Arrays.copyOf(out, n);
        }
    }

    @Benchmark
    public int encode() {
        return encoder.encode(frames[i++ & 31], 0, FRAME, out, 0);
    }

    @Benchmark
    public int encodeBareConcentus() throws OpusException {
        return bareEncoder.encode(frames[i++ & 31], 0, FRAME, out, 0, out.length);
    }

    @Benchmark
    public int decode() {
        byte[] p = packets[i++ & 31];
        return decoder.decode(p, 0, p.length, pcm, 0);
    }

    @Benchmark
    public int decodeBareConcentus() throws OpusException {
        byte[] p = packets[i++ & 31];
        return bareDecoder.decode(p, 0, p.length, pcm, 0, FRAME * 6, false);
    }
}
