package io.rvoip.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SRTP/SRTCP interop with libsrtp 2 (Debian {@code libsrtp2-dev}) through the small C helper in
 * {@code src/test/c}: packets protected here are unprotected by libsrtp and the other way
 * round, across a sequence-number wrap, for every profile. The helper is compiled by the test;
 * without a C compiler or libsrtp the test is skipped, unless {@code RVOIP_REQUIRE_INTEROP} is
 * set (CI sets it), in which case it fails.
 */
class LibsrtpInteropIT {
    private static final HexFormat HEX = HexFormat.of();
    private static Process helper;
    private static PrintWriter in;
    private static BufferedReader out;

    @BeforeAll
    static void buildHelper() throws Exception {
        Path source = Path.of("src/test/c/srtp_helper.c").toAbsolutePath();
        Path binary = Path.of("target/srtp_helper").toAbsolutePath();
        boolean required = System.getenv("RVOIP_REQUIRE_INTEROP") != null;
        String failure = null;
        try {
            Process cc = new ProcessBuilder("cc", "-O2", "-o", binary.toString(), source.toString(), "-lsrtp2")
                    .redirectErrorStream(true).start();
            String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cc.waitFor(60, TimeUnit.SECONDS) || cc.exitValue() != 0 || !Files.isExecutable(binary)) {
                failure = "cannot build the libsrtp helper: " + log;
            }
        } catch (IOException e) {
            failure = "no C compiler: " + e.getMessage();
        }
        if (failure != null) {
            if (required) {
                throw new AssertionError(failure);
            }
            Assumptions.abort(failure + " (install gcc and libsrtp2-dev)");
        }
        helper = new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
        in = new PrintWriter(helper.getOutputStream(), true, StandardCharsets.US_ASCII);
        out = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.US_ASCII));
    }

    @AfterAll
    static void stopHelper() {
        if (helper != null) {
            in.close();
            helper.destroy();
        }
    }

    private static String call(String line) throws IOException {
        in.println(line);
        String r = out.readLine();
        if (r == null) {
            throw new IOException("helper died");
        }
        return r;
    }

    private static byte[] ok(String reply) {
        assertThat(reply).startsWith("ok");
        return reply.length() > 3 ? HEX.parseHex(reply.substring(3)) : new byte[0];
    }

    private static byte[] rtp(Random r, int seq, int ssrc) {
        boolean csrc = r.nextBoolean();
        int payload = 20 + r.nextInt(300);
        byte[] b = new byte[12 + (csrc ? 4 : 0) + payload];
        b[0] = (byte) (0x80 | (csrc ? 1 : 0));
        b[1] = (byte) (r.nextBoolean() ? 0 : 0x80 | 96);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        SrtpContext.putInt(b, 4, seq * 160);
        SrtpContext.putInt(b, 8, ssrc);
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    private static byte[] rtcp(Random r, int ssrc) {
        byte[] b = new byte[28 + 24];
        b[0] = (byte) 0x81;
        b[1] = (byte) 200;
        b[3] = 12;
        SrtpContext.putInt(b, 4, ssrc);
        for (int i = 8; i < b.length; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void oursToLibsrtpAndBack(SrtpProfile profile) throws Exception {
        Random r = new Random(profile.ordinal());
        byte[] keySalt = new byte[profile.keySaltLength()];
        r.nextBytes(keySalt);
        SrtpPolicy policy = SrtpPolicy.of(profile, MasterKey.fromKeySalt(profile, keySalt, new byte[0], MasterKey.MAX_SRTP_LIFETIME));
        String key = HEX.formatHex(keySalt);
        int ssrc = 0x1234ABCD;

        // rvoip protects, libsrtp unprotects
        SrtpContext tx = SrtpContext.create(policy);
        assertThat(call("session " + profile.sdesName() + " in " + key)).isEqualTo("ok");
        for (int i = 0; i < 300; i++) {
            byte[] plain = rtp(r, (65400 + i) & 0xFFFF, ssrc);
            byte[] buf = Arrays.copyOf(plain, plain.length + tx.rtpOverhead());
            int n = tx.protectRtp(buf, 0, plain.length);
            assertThat(ok(call("rtp " + HEX.formatHex(buf, 0, n)))).as("packet %d", i).isEqualTo(plain);
        }
        for (int i = 0; i < 20; i++) {
            byte[] plain = rtcp(r, ssrc);
            byte[] buf = Arrays.copyOf(plain, plain.length + tx.rtcpOverhead());
            int n = tx.protectRtcp(buf, 0, plain.length);
            assertThat(ok(call("rtcp " + HEX.formatHex(buf, 0, n)))).isEqualTo(plain);
        }
        byte[] tampered = rtp(r, 200, ssrc);
        byte[] tb = Arrays.copyOf(tampered, tampered.length + tx.rtpOverhead());
        int tn = tx.protectRtp(tb, 0, tampered.length);
        tb[14] ^= 1;
        assertThat(call("rtp " + HEX.formatHex(tb, 0, tn))).startsWith("err");

        // libsrtp protects, rvoip unprotects
        SrtpContext rx = SrtpContext.create(policy);
        assertThat(call("session " + profile.sdesName() + " out " + key)).isEqualTo("ok");
        for (int i = 0; i < 300; i++) {
            byte[] plain = rtp(r, (65300 + i) & 0xFFFF, ssrc);
            byte[] prot = ok(call("rtp " + HEX.formatHex(plain)));
            int n = rx.unprotectRtp(prot, 0, prot.length);
            assertThat(n).as("packet %d: %s", i, n < 0 ? SrtpError.of(n) : "").isEqualTo(plain.length);
            assertThat(Arrays.copyOf(prot, n)).isEqualTo(plain);
        }
        for (int i = 0; i < 20; i++) {
            byte[] plain = rtcp(r, ssrc);
            byte[] prot = ok(call("rtcp " + HEX.formatHex(plain)));
            int n = rx.unprotectRtcp(prot, 0, prot.length);
            assertThat(n).as("rtcp %d: %s", i, n < 0 ? SrtpError.of(n) : "").isEqualTo(plain.length);
            assertThat(Arrays.copyOf(prot, n)).isEqualTo(plain);
        }
        assertThat(rx.rolloverCounter(ssrc)).isEqualTo(1);
    }
}
