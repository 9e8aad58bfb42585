package io.rvoip.bench.rtp;

import io.rvoip.rtp.RtpHeader;
import io.rvoip.rtp.RtpPacket;
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
 * RTP parse + serialize of a 172-byte G.711 packet: wrap the received bytes in a reused
 * {@link RtpPacket}, read the header fields, and write a packet with a reused {@link RtpHeader}
 * (what a relay or a sender does per packet). Target ≥ 2,000,000 per second per core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class RtpBenchmark {
    private final RtpPacket view = new RtpPacket();
    private final RtpHeader header = new RtpHeader().payloadType(0).ssrc(0x1234);
    private byte[] in;
    private byte[] out;

    @Setup(Level.Trial)
    public void setUp() {
        in = new byte[172];
        byte[] payload = new byte[160];
        new RtpHeader().payloadType(0).ssrc(99).sequenceNumber(7).timestamp(1234).encodeTo(in, 0, payload, 0, 160);
        out = new byte[256];
    }

    @Benchmark
    public int parseAndSerialize() {
        RtpPacket p = view;
        if (!p.wrap(in, 0, in.length)) {
            return -1;
        }
        return header.sequenceNumber(p.sequenceNumber() + 1).timestamp(p.timestamp() + 160).marker(p.marker())
                .encodeTo(out, 0, p.buffer(), p.payloadOffset(), p.payloadLength()) + p.ssrc();
    }
}
