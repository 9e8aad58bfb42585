package io.rvoip.bench.rtp;

import io.rvoip.rtp.RtpHeader;
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
 * SRTP protect and unprotect of a 172-byte packet (12-byte header + 160-byte G.711 payload),
 * replay window and ROC bookkeeping included, as in the libsrtp anchor
 * ({@code shared/anchors/README.md}: 331 ns AES_CM_128_HMAC_SHA1_80, 253 ns AEAD_AES_128_GCM with
 * OpenSSL crypto).
 *
 * <p>Each operation copies the packet into the work buffer first (≈ 10 ns), as a sender
 * writing a fresh packet would. Unprotect walks a ring of 256 packets protected at setup with
 * consecutive sequence numbers (52 KB, small enough to stay in cache, as a packet just read from
 * the socket is); the receiver forgets the SSRC at each lap so the replay window starts over.
 * {@code -p gcmTables=false} measures the GCM profile on the JDK's {@code AES/GCM} cipher.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class SrtpBenchmark {
    private static final int RING = 256;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    @Param({"true"})
    public boolean gcmTables;

    private SrtpPolicy policy;
    private SrtpContext tx;
    private SrtpContext rx;
    private byte[] plain;
    private byte[] work;
    private byte[][] ring;
    private int ringLength;
    private int seq;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        r.nextBytes(key);
        r.nextBytes(salt);
        policy = SrtpPolicy.builder(profile).masterKey(MasterKey.of(key, salt)).gcmTables(gcmTables).build();
        tx = SrtpContext.create(policy);
        byte[] payload = new byte[160];
        r.nextBytes(payload);
        RtpHeader h = new RtpHeader().payloadType(0).ssrc(0x12345678);
        plain = new byte[172];
        h.encodeTo(plain, 0, payload, 0, 160);
        work = new byte[172 + 32];

        SrtpContext ringTx = SrtpContext.create(policy);
        ring = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            byte[] b = new byte[172 + 32];
            System.arraycopy(plain, 0, b, 0, 172);
            b[2] = (byte) (i >>> 8);
            b[3] = (byte) i;
            ringLength = ringTx.protectRtp(b, 0, 172);
            ring[i] = b;
        }
        rx = SrtpContext.create(policy);
    }

    @Benchmark
    public int protect() {
        byte[] w = work;
        System.arraycopy(plain, 0, w, 0, 172);
        int s = seq++;
        w[2] = (byte) (s >>> 8);
        w[3] = (byte) s;
        return tx.protectRtp(w, 0, 172);
    }

    @Benchmark
    public int unprotect() {
        int i = next;
        if (i == RING) {
            rx.removeStream(0x12345678);
            i = 0;
        }
        next = i + 1;
        byte[] w = work;
        System.arraycopy(ring[i], 0, w, 0, ringLength);
        return rx.unprotectRtp(w, 0, ringLength);
    }
}
