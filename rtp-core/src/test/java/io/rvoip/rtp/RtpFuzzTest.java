package io.rvoip.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.rvoip.rtp.rtcp.RtcpPacket;
import io.rvoip.rtp.rtcp.RtcpParser;
import io.rvoip.rtp.srtp.MasterKey;
import io.rvoip.rtp.srtp.SrtpContext;
import io.rvoip.rtp.srtp.SrtpPolicy;
import io.rvoip.rtp.srtp.SrtpProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What arrives on an RTP port is untrusted: mutated RTP, RTCP and SRTP/SRTCP packets (bit flips,
 * bytes set to extremes, length fields overwritten, truncation, extension, random bytes) must
 * give a parse result whose offsets stay inside the datagram or an {@link RtpFormatException},
 * and SRTP must refuse every changed packet with an error code. Nothing else may come out: no
 * other exception, no hang. Seeded, so a failure repeats.
 */
class RtpFuzzTest {
    private static final int ROUNDS = 200_000;
    private final Random random = new Random(3550);

    @Test
    void mutatedRtpParsesWithinItsBoundsOrIsRefused() {
        List<byte[]> seeds = rtpSeeds();
        RtpPacket reused = new RtpPacket();
        int valid = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] b = mutate(seeds.get(random.nextInt(seeds.size())));
            try {
                RtpPacket p = RtpPacket.parse(b, 0, b.length);
                inBounds(p, b.length);
                valid++;
            } catch (RtpFormatException expected) {
                // refused: fine
            } catch (RuntimeException e) {
                fail("RTP input " + hex(b) + " threw " + e, e);
            }
            boolean ok = reused.wrap(b, 0, b.length);
            assertThat(ok == reused.isValid()).isTrue();
            if (ok) {
                inBounds(reused, b.length);
            } else {
                assertThat(reused.error()).isNotBlank();
            }
        }
        assertThat(valid).as("some mutants still parse, so the checks above ran").isGreaterThan(ROUNDS / 20);
    }

    @Test
    void mutatedRtcpParsesAndReencodesOrIsRefused() {
        List<byte[]> seeds = rtcpSeeds();
        int valid = 0;
        byte[] out = new byte[1 << 17];
        for (int i = 0; i < ROUNDS; i++) {
            byte[] b = mutate(seeds.get(random.nextInt(seeds.size())));
            for (boolean reducedSize : new boolean[] {false, true}) {
                try {
                    List<RtcpPacket> packets = RtcpParser.parse(b, 0, b.length, reducedSize);
                    int size = RtcpParser.encodedSize(packets);
                    assertThat(RtcpParser.encode(packets, out, 0)).isEqualTo(size);
                    for (RtcpPacket p : packets) {
                        assertThat(p.toString()).isNotNull();
                    }
                    valid++;
                } catch (RtpFormatException expected) {
                    // refused: fine
                } catch (RuntimeException e) {
                    fail("RTCP input " + hex(b) + " (reduced size " + reducedSize + ") threw " + e, e);
                }
            }
        }
        assertThat(valid).as("some mutants still parse").isGreaterThan(ROUNDS / 20);
    }

    @Test
    void srtpRefusesEveryChangedPacketWithAnErrorCode() {
        for (SrtpProfile profile : new SrtpProfile[] {SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM}) {
            byte[] key = new byte[profile.keyLength()];
            byte[] salt = new byte[profile.saltLength()];
            random.nextBytes(key);
            random.nextBytes(salt);
            SrtpPolicy policy = SrtpPolicy.of(profile, MasterKey.of(key, salt));
            SrtpContext tx = SrtpContext.create(policy);
            SrtpContext rx = SrtpContext.create(policy);
            List<byte[]> srtp = new ArrayList<>();
            List<byte[]> srtcp = new ArrayList<>();
            for (byte[] rtp : rtpSeeds()) {
                byte[] buf = Arrays.copyOf(rtp, rtp.length + 64);
                int n = tx.protectRtp(buf, 0, rtp.length);
                assertThat(n).isPositive();
                srtp.add(Arrays.copyOf(buf, n));
            }
            for (byte[] rtcp : rtcpSeeds()) {
                byte[] buf = Arrays.copyOf(rtcp, rtcp.length + 64);
                int n = tx.protectRtcp(buf, 0, rtcp.length);
                assertThat(n).isPositive();
                srtcp.add(Arrays.copyOf(buf, n));
            }
            for (int i = 0; i < ROUNDS / 4; i++) {
                boolean control = random.nextBoolean();
                List<byte[]> seeds = control ? srtcp : srtp;
                byte[] original = seeds.get(random.nextInt(seeds.size()));
                byte[] b = mutate(original);
                if (Arrays.equals(b, original)) {
                    continue;
                }
                byte[] work = Arrays.copyOf(b, b.length);
                int r;
                try {
                    r = control ? rx.unprotectRtcp(work, 0, work.length) : rx.unprotectRtp(work, 0, work.length);
                } catch (RuntimeException e) {
                    throw new AssertionError(profile + (control ? " SRTCP " : " SRTP ") + hex(b) + " threw " + e, e);
                }
                assertThat(r).as("%s %s changed packet %s", profile, control ? "SRTCP" : "SRTP", hex(b)).isNegative();
            }
        }
    }

    private static void inBounds(RtpPacket p, int len) {
        assertThat(p.headerLength()).isBetween(12, len);
        assertThat(p.payloadOffset()).isBetween(0, len);
        assertThat(p.payloadLength()).isBetween(0, len - p.payloadOffset());
        for (int c = 0; c < p.csrcCount(); c++) {
            p.csrc(c);
        }
        if (p.hasExtension()) {
            assertThat(p.extensionDataOffset() + p.extensionDataLength()).isLessThanOrEqualTo(len);
            for (int id = 1; id < 256; id++) {
                long e = p.extension(id);
                if (e >= 0) {
                    assertThat(RtpPacket.elementOffset(e)).isBetween(0, len);
                }
            }
        }
        p.marker();
        p.payloadType();
        p.sequenceNumber();
        p.timestamp();
        p.ssrc();
    }

    private byte[] mutate(byte[] seed) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(8)) {
                case 0, 1 -> {
                    if (b.length > 0) {
                        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 2 -> {
                    if (b.length > 0) {
                        int[] extremes = {0x00, 0xFF, 0x7F, 0x80, random.nextInt(256)};
                        b[random.nextInt(b.length)] = (byte) extremes[random.nextInt(extremes.length)];
                    }
                }
                case 3 -> { // a 16-bit length or count field at an even offset
                    if (b.length > 1) {
                        int at = random.nextInt(b.length / 2) * 2;
                        int v = random.nextBoolean() ? 0xFFFF : random.nextInt(0x10000);
                        b[at] = (byte) (v >>> 8);
                        b[at + 1] = (byte) v;
                    }
                }
                case 4 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 5 -> {
                    byte[] more = new byte[1 + random.nextInt(32)];
                    random.nextBytes(more);
                    byte[] c = Arrays.copyOf(b, b.length + more.length);
                    System.arraycopy(more, 0, c, b.length, more.length);
                    b = c;
                }
                case 6 -> { // the first byte: version, padding, extension, counts
                    if (b.length > 0) {
                        b[0] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    if (random.nextInt(50) == 0) {
                        b = new byte[random.nextInt(200)];
                        random.nextBytes(b);
                    }
                }
            }
        }
        return b;
    }

    /** RTP with CSRCs, one- and two-byte header extensions, padding, and a plain G.711 packet. */
    private static List<byte[]> rtpSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        byte[] plain = new byte[172];
        plain[0] = (byte) 0x80;
        plain[1] = 0;
        plain[3] = 1;
        plain[11] = 0x42;
        seeds.add(plain);
        seeds.add(hexBytes("82e0000100000a0011223344aabbccdd01020304" + "cafebabe".repeat(10))); // 2 CSRCs, marker
        seeds.add(hexBytes("9060002a0000c350deadbeef" + "bede0002" + "10aa22bbcc000000" + "00".repeat(40))); // one-byte ext
        seeds.add(hexBytes("9060002b0000c3f0deadbeef" + "10000002" + "0102aabb03010c00" + "11".repeat(20))); // two-byte ext
        seeds.add(hexBytes("a0000007000100000badf00d" + "55".repeat(17) + "000000000004")); // padding 4
        return seeds;
    }

    /** SR + SDES + BYE, RR + APP, NACK + PLI, XR, and a reduced-size PLI alone. */
    private static List<byte[]> rtcpSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        RtcpPacket.ReportBlock block = new RtcpPacket.ReportBlock(0x11111111, 12, 345, 0x10010L, 77, 0xABCDL, 0x100L);
        seeds.add(encode(List.of(
                new RtcpPacket.SenderReport(0x22222222, 0xE1234567_89ABCDEFL, 160_000, 1000, 160_000, List.of(block, block)),
                RtcpPacket.SourceDescription.cname(0x22222222, "alice@example.com"),
                new RtcpPacket.Bye(List.of(0x22222222, 0x33333333), "hangup"))));
        seeds.add(encode(List.of(
                new RtcpPacket.ReceiverReport(0x44444444, List.of(block)),
                new RtcpPacket.App(3, 0x44444444, "rvip", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))));
        seeds.add(encode(List.of(
                new RtcpPacket.ReceiverReport(0x55555555, List.of()),
                new RtcpPacket.GenericNack(0x55555555, 0x66666666, new int[] {100, 200}, new int[] {0x8001, 0}),
                new RtcpPacket.PictureLossIndication(0x55555555, 0x66666666))));
        seeds.add(encode(List.of(
                new RtcpPacket.ReceiverReport(0x77777777, List.of(block)),
                new RtcpPacket.ExtendedReport(0x77777777, List.of(new RtcpPacket.UnknownXrBlock(42, 0, new byte[8]))))));
        seeds.add(encode(List.of(new RtcpPacket.PictureLossIndication(1, 2))));
        return seeds;
    }

    private static byte[] encode(List<RtcpPacket> packets) {
        byte[] b = new byte[RtcpParser.encodedSize(packets)];
        RtcpParser.encode(packets, b, 0);
        return b;
    }

    private static byte[] hexBytes(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
