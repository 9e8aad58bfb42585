package io.rvoip.bench.media;

import io.rvoip.media.codec.AudioCodec;
import io.rvoip.media.codec.AudioDecoder;
import io.rvoip.media.codec.AudioEncoder;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.codec.Opus;
import io.rvoip.media.io.PcmSource;
import io.rvoip.rtp.RtpHeader;
import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.jitter.Frame;
import io.rvoip.rtp.jitter.JitterBuffer;
import io.rvoip.rtp.srtp.MasterKey;
import io.rvoip.rtp.srtp.SrtpContext;
import io.rvoip.rtp.srtp.SrtpPolicy;
import io.rvoip.rtp.srtp.SrtpProfile;
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
 * The media path of one stream per 20 ms frame, without the socket (that is Netty's cost,
 * measured in {@code RtpBenchmark}):
 * <ul>
 *   <li>{@code send}: source → encode → RTP header → SRTP protect (AES_CM_128_HMAC_SHA1_80);</li>
 *   <li>{@code receive}: SRTP unprotect → RTP parse → jitter buffer put → jitter buffer pull at
 *       the frame's playout time → decode → sink (a level reading stands for the sink).</li>
 * </ul>
 * Streams per core = 20 ms / (send + receive). The receive side walks a ring of 4,096 packets
 * protected at setup with consecutive sequence numbers (0.8 MB); at each lap the SRTP receiver
 * forgets the stream and the jitter buffer restarts (amortised: under 1 ns per frame).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class MediaPathBenchmark {
    private static final int RING = 4096;
    private static final long FRAME_NANOS = 20_000_000L;

    @Param({"PCMU", "G722", "OPUS"})
    public String codec;

    private AudioCodec c;
    private int samples;
    private int units;
    private PcmSource source;
    private AudioEncoder encoder;
    private AudioDecoder decoder;
    private short[] pcm;
    private short[] out;
    private byte[] encoded;
    private byte[] packet;
    private final RtpHeader header = new RtpHeader().payloadType(0).ssrc(0x1234);
    private SrtpContext tx;
    private SrtpContext rx;
    private SrtpPolicy policy;
    private byte[][] ring;
    private int[] ringLength;
    private byte[] work;
    private final RtpPacket view = new RtpPacket();
    private JitterBuffer jitter;
    private int next;
    private int sendSeq;
    private long level;

    @Setup(Level.Trial)
    public void setUp() {
        c = switch (codec) {
            case "PCMU" -> G711.PCMU;
            case "G722" -> G722.INSTANCE;
            case "OPUS" -> Opus.VOICE; // 48 kHz mono, 32 kbit/s, complexity 5, FEC
            default -> throw new IllegalArgumentException(codec);
        };
        samples = c.samplesPerFrame(20);
        units = c.timestampUnits(20);
        Random r = new Random(1);
        short[] speech = new short[c.sampleRate() * 4];
        double v = 0;
        for (int i = 0; i < speech.length; i++) {
            v = 0.97 * v + r.nextGaussian() * 900;
            speech[i] = (short) Math.max(-32768, Math.min(32767, v));
        }
        source = new PcmSource(speech, c.sampleRate(), true);
        encoder = c.newEncoder();
        decoder = c.newDecoder();
        pcm = new short[samples];
        out = new short[samples];
        encoded = new byte[c.maxEncodedBytes(samples)];
        packet = new byte[12 + encoded.length + 16];
        byte[] key = new byte[16];
        byte[] salt = new byte[14];
        r.nextBytes(key);
        r.nextBytes(salt);
        policy = SrtpPolicy.builder(SrtpProfile.AES_CM_128_HMAC_SHA1_80).masterKey(MasterKey.of(key, salt)).build();
        tx = SrtpContext.create(policy);
        rx = SrtpContext.create(policy);
        // the receive ring: real encoded frames, consecutive sequence numbers and timestamps
        SrtpContext ringTx = SrtpContext.create(policy);
        AudioEncoder prep = c.newEncoder();
        ring = new byte[RING][];
        ringLength = new int[RING];
        RtpHeader h = new RtpHeader().payloadType(0).ssrc(0x5678);
        for (int i = 0; i < RING; i++) {
            source.read(pcm, 0, samples);
            int n = prep.encode(pcm, 0, samples, encoded, 0);
            byte[] b = new byte[12 + n + 16];
            h.sequenceNumber(i).timestamp((long) i * units);
            h.encodeTo(b, 0, encoded, 0, n);
            ringLength[i] = ringTx.protectRtp(b, 0, 12 + n);
            ring[i] = b;
        }
        work = new byte[ring[0].length + 16];
        jitter = newJitterBuffer();
    }

    private JitterBuffer newJitterBuffer() {
        return new JitterBuffer(JitterBuffer.Config.builder(c.clockRate(), units).build());
    }

    @Benchmark
    public int send() {
        source.read(pcm, 0, samples);
        int n = encoder.encode(pcm, 0, samples, encoded, 0);
        int s = sendSeq++;
        header.sequenceNumber(s & 0xFFFF).timestamp((long) s * units);
        header.encodeTo(packet, 0, encoded, 0, n);
        return tx.protectRtp(packet, 0, 12 + n);
    }

    @Benchmark
    public long receive() {
        int i = next;
        if (i == RING) {
            rx.removeStream(0x5678);
            jitter = newJitterBuffer();
            i = 0;
        }
        next = i + 1;
        byte[] w = work;
        int len = ringLength[i];
        System.arraycopy(ring[i], 0, w, 0, len);
        int plain = rx.unprotectRtp(w, 0, len);
        if (plain < 0 || !view.wrap(w, 0, plain)) {
            throw new IllegalStateException("bad packet " + i);
        }
        long now = i * FRAME_NANOS;
        jitter.put(view.sequenceNumber(), view.timestamp(), view.marker(), w, view.payloadOffset(), view.payloadLength(), now);
        Frame f = jitter.pull(now);
        if (f.kind() == Frame.Kind.PACKET) {
            decoder.decode(f.payload(), 0, f.length(), out, 0);
        } else {
            decoder.conceal(out, 0, samples);
        }
        // the sink: a running level stands for writing the frame somewhere
        long acc = level;
        for (int k = 0; k < samples; k += 8) {
            acc += out[k];
        }
        level = acc;
        return acc;
    }
}
