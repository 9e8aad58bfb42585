package io.rvoip.bench.media;

import io.rvoip.media.codec.AudioCodec;
import io.rvoip.media.codec.AudioDecoder;
import io.rvoip.media.codec.AudioEncoder;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.codec.L16;
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
 * Codec cost per 20 ms frame on one core: encode, decode (with the codec's concealment state
 * kept current, as in a call), and conceal. "× real time" = 20 ms / the time per frame; streams
 * per core = the same for encode + decode. The input is speech-like noise shaped by a random
 * walk (G.722's ADPCM works as hard on it as on speech).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class CodecBenchmark {
    @Param({"PCMU", "PCMA", "G722", "L16/16000"})
    public String codec;

    private AudioEncoder encoder;
    private AudioDecoder decoder;
    private short[][] frames;
    private byte[][] payloads;
    private int samples;
    private short[] out;
    private byte[] encoded;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        AudioCodec c = switch (codec) {
            case "PCMU" -> G711.PCMU;
            case "PCMA" -> G711.PCMA;
            case "G722" -> G722.INSTANCE;
            case "L16/16000" -> L16.MONO_16K;
            default -> throw new IllegalArgumentException(codec);
        };
        samples = c.samplesPerFrame(20);
        encoder = c.newEncoder();
        decoder = c.newDecoder();
        Random r = new Random(1);
        frames = new short[64][samples];
        payloads = new byte[64][];
        AudioEncoder prep = c.newEncoder();
        double v = 0;
        for (int f = 0; f < frames.length; f++) {
            for (int s = 0; s < samples; s++) {
                v = 0.97 * v + r.nextGaussian() * 900;
                frames[f][s] = (short) Math.max(-32768, Math.min(32767, v));
            }
            byte[] p = new byte[c.maxEncodedBytes(samples)];
            int n = prep.encode(frames[f], 0, samples, p, 0);
            payloads[f] = java.util.Arrays.copyOf(p, n);
        }
        out = new short[samples];
        encoded = new byte[c.maxEncodedBytes(samples)];
    }

    @Benchmark
    public int encode() {
        return encoder.encode(frames[i++ & 63], 0, samples, encoded, 0);
    }

    @Benchmark
    public short decode() {
        byte[] p = payloads[i++ & 63];
        decoder.decode(p, 0, p.length, out, 0);
        return out[7];
    }

    /** A lost frame among good ones (1 in 8): decode 7, conceal 1. */
    @Benchmark
    public short decodeWithOneLossInEight() {
        int k = i++;
        if ((k & 7) == 7) {
            decoder.conceal(out, 0, samples);
        } else {
            byte[] p = payloads[k & 63];
            decoder.decode(p, 0, p.length, out, 0);
        }
        return out[7];
    }
}
