package io.rvoip.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpContextTest {
    private static final int SSRC = 0xCAFEBABE;

    static MasterKey key(SrtpProfile p, int seed) {
        Random r = new Random(seed);
        byte[] k = new byte[p.keyLength()];
        byte[] s = new byte[p.saltLength()];
        r.nextBytes(k);
        r.nextBytes(s);
        return MasterKey.of(k, s);
    }

    /** An RTP packet with 2 CSRCs and a one-byte-header extension, in a buffer with room. */
    static byte[] rtp(int seq, int ssrc, int payloadLength, int room) {
        byte[] b = new byte[12 + 8 + 8 + payloadLength + room];
        b[0] = (byte) 0x92; // V=2, X=1, CC=2
        b[1] = (byte) 0x80; // M=1, PT=0
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        SrtpContext.putInt(b, 4, seq * 160);
        SrtpContext.putInt(b, 8, ssrc);
        SrtpContext.putInt(b, 12, 1111);
        SrtpContext.putInt(b, 16, 2222);
        b[20] = (byte) 0xBE;
        b[21] = (byte) 0xDE;
        b[23] = 1;
        b[24] = 0x10; // id 1, len 1
        b[25] = 0x55;
        for (int i = 0; i < payloadLength; i++) {
            b[28 + i] = (byte) (i * 7 + seq);
        }
        return b;
    }

    static byte[] rtcpSr(int ssrc, int room) {
        byte[] b = new byte[28 + room];
        b[0] = (byte) 0x80;
        b[1] = (byte) 200;
        b[3] = 6;
        SrtpContext.putInt(b, 4, ssrc);
        for (int i = 8; i < 28; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyProfileRoundTripsRtpAndRtcp(SrtpProfile profile) {
        SrtpPolicy policy = SrtpPolicy.of(profile, key(profile, 1));
        SrtpContext tx = SrtpContext.create(policy);
        SrtpContext rx = SrtpContext.create(policy);
        for (int seq = 65000; seq < 65000 + 1000; seq++) {
            int s = seq & 0xFFFF;
            byte[] plain = rtp(s, SSRC, 160, 0);
            byte[] buf = rtp(s, SSRC, 160, tx.rtpOverhead());
            int n = tx.protectRtp(buf, 0, plain.length);
            assertThat(n).isEqualTo(plain.length + tx.rtpOverhead());
            if (profile.encrypts()) {
                assertThat(Arrays.copyOfRange(buf, 28, plain.length)).isNotEqualTo(Arrays.copyOfRange(plain, 28, plain.length));
            }
            assertThat(Arrays.copyOf(buf, 28)).as("header stays clear").isEqualTo(Arrays.copyOf(plain, 28));
            int m = rx.unprotectRtp(buf, 0, n);
            assertThat(m).isEqualTo(plain.length);
            assertThat(Arrays.copyOf(buf, m)).isEqualTo(plain);
        }
        assertThat(rx.rolloverCounter(SSRC)).as("ROC after 65535 -> 0").isEqualTo(1);
        assertThat(tx.rolloverCounter(SSRC)).isEqualTo(1);

        for (int i = 0; i < 5; i++) {
            byte[] plain = rtcpSr(SSRC, 0);
            byte[] buf = rtcpSr(SSRC, tx.rtcpOverhead());
            int n = tx.protectRtcp(buf, 0, plain.length);
            assertThat(n).isEqualTo(plain.length + tx.rtcpOverhead());
            assertThat(SrtpContext.int32(buf, profile.aead() ? n - 4 : n - 4 - profile.rtcpTagLength()))
                    .isEqualTo((profile.encrypts() ? 0x80000000 : 0) | i);
            int m = rx.unprotectRtcp(buf, 0, n);
            assertThat(m).isEqualTo(plain.length);
            assertThat(Arrays.copyOf(buf, m)).isEqualTo(plain);
        }
        assertThat(rx.counters().refusedTotal()).isZero();
        assertThat(rx.counters().rtpUnprotected()).isEqualTo(1000);
        assertThat(rx.counters().rtcpUnprotected()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedReplayedAndWrongKeyPacketsAreRefused(SrtpProfile profile) {
        SrtpContext tx = SrtpContext.create(SrtpPolicy.of(profile, key(profile, 1)));
        SrtpContext rx = SrtpContext.create(SrtpPolicy.of(profile, key(profile, 1)));
        SrtpContext wrong = SrtpContext.create(SrtpPolicy.of(profile, key(profile, 2)));
        byte[] buf = rtp(10, SSRC, 160, tx.rtpOverhead());
        int n = tx.protectRtp(buf, 0, buf.length - tx.rtpOverhead());
        byte[] copy = buf.clone();
        byte[] copy2 = buf.clone();

        assertThat(SrtpError.of(wrong.unprotectRtp(buf.clone(), 0, n))).isEqualTo(SrtpError.AUTH_FAILED);
        assertThat(wrong.streamCount()).as("an unauthenticated SSRC is not remembered").isZero();
        byte[] flipped = buf.clone();
        flipped[40] ^= 1;
        assertThat(SrtpError.of(rx.unprotectRtp(flipped, 0, n))).isEqualTo(SrtpError.AUTH_FAILED);
        byte[] badTag = buf.clone();
        badTag[n - 1] ^= (byte) 0x80;
        assertThat(SrtpError.of(rx.unprotectRtp(badTag, 0, n))).isEqualTo(SrtpError.AUTH_FAILED);

        assertThat(rx.unprotectRtp(copy, 0, n)).isPositive();
        assertThat(SrtpError.of(rx.unprotectRtp(copy2, 0, n))).isEqualTo(SrtpError.REPLAYED);
        assertThat(SrtpError.of(rx.unprotectRtp(buf, 0, 11))).isEqualTo(SrtpError.TOO_SHORT);
        assertThat(SrtpError.of(rx.unprotectRtp(buf, 0, 28 + 3))).isEqualTo(SrtpError.TOO_SHORT);
        byte[] v1 = copy.clone();
        v1[0] = 0x40;
        assertThat(SrtpError.of(rx.unprotectRtp(v1, 0, n))).isEqualTo(SrtpError.MALFORMED);
        assertThat(rx.counters().refused(SrtpError.AUTH_FAILED)).isEqualTo(2);
        assertThat(rx.counters().refused(SrtpError.REPLAYED)).isEqualTo(1);

        byte[] sr = rtcpSr(SSRC, tx.rtcpOverhead());
        int k = tx.protectRtcp(sr, 0, 28);
        byte[] srCopy = sr.clone();
        byte[] srBad = sr.clone();
        srBad[12] ^= 4;
        assertThat(SrtpError.of(rx.unprotectRtcp(srBad, 0, k))).isEqualTo(SrtpError.AUTH_FAILED);
        assertThat(rx.unprotectRtcp(sr, 0, k)).isEqualTo(28);
        assertThat(SrtpError.of(rx.unprotectRtcp(srCopy, 0, k))).isEqualTo(SrtpError.REPLAYED);
        assertThat(SrtpError.of(rx.unprotectRtp(srCopy, 0, k))).as("RTCP on the RTP path").isEqualTo(SrtpError.MALFORMED);
    }

    @Test
    void replayWindowAcceptsReorderingInsideAndRefusesOlder() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpContext tx = SrtpContext.create(SrtpPolicy.of(p, key(p, 3)));
        SrtpContext rx = SrtpContext.create(SrtpPolicy.builder(p).masterKey(key(p, 3)).replayWindow(64).build());
        List<byte[]> packets = new ArrayList<>();
        for (int seq = 0; seq < 200; seq++) {
            byte[] b = rtp(seq, SSRC, 20, tx.rtpOverhead());
            int n = tx.protectRtp(b, 0, b.length - tx.rtpOverhead());
            packets.add(Arrays.copyOf(b, n));
        }
        assertThat(rx.unprotectRtp(packets.get(150).clone(), 0, packets.get(150).length)).isPositive();
        assertThat(rx.unprotectRtp(packets.get(100).clone(), 0, packets.get(100).length)).as("inside 64").isPositive();
        assertThat(rx.unprotectRtp(packets.get(87).clone(), 0, packets.get(87).length)).as("150-87 = 63").isPositive();
        assertThat(SrtpError.of(rx.unprotectRtp(packets.get(86).clone(), 0, packets.get(86).length)))
                .as("150-86 = 64: too old").isEqualTo(SrtpError.REPLAYED);
        assertThat(SrtpError.of(rx.unprotectRtp(packets.get(100).clone(), 0, packets.get(100).length)))
                .isEqualTo(SrtpError.REPLAYED);
        assertThat(rx.unprotectRtp(packets.get(199).clone(), 0, packets.get(199).length)).isPositive();
        assertThat(rx.unprotectRtp(packets.get(151).clone(), 0, packets.get(151).length)).isPositive();
    }

    @Test
    void senderRefusesToReuseAnIndex() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpContext tx = SrtpContext.create(SrtpPolicy.of(p, key(p, 3)));
        byte[] b = rtp(5, SSRC, 20, tx.rtpOverhead());
        assertThat(tx.protectRtp(b, 0, b.length - tx.rtpOverhead())).isPositive();
        byte[] again = rtp(5, SSRC, 20, tx.rtpOverhead());
        assertThat(SrtpError.of(tx.protectRtp(again, 0, again.length - tx.rtpOverhead()))).isEqualTo(SrtpError.REPLAYED);
        assertThat(SrtpError.of(tx.protectRtp(again, 0, again.length - tx.rtpOverhead() + 1)))
                .as("no room for the tag").isEqualTo(SrtpError.NO_ROOM);
    }

    @Test
    void rocSetOutOfBandLetsALateJoinerDecrypt() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_32;
        SrtpContext tx = SrtpContext.create(SrtpPolicy.of(p, key(p, 4)));
        byte[] last = null;
        int n = 0;
        for (int i = 0; i < 70000; i++) {
            last = rtp(i & 0xFFFF, SSRC, 4, tx.rtpOverhead());
            n = tx.protectRtp(last, 0, last.length - tx.rtpOverhead());
        }
        SrtpContext naive = SrtpContext.create(SrtpPolicy.of(p, key(p, 4)));
        assertThat(SrtpError.of(naive.unprotectRtp(last.clone(), 0, n))).isEqualTo(SrtpError.AUTH_FAILED);
        SrtpContext informed = SrtpContext.create(SrtpPolicy.of(p, key(p, 4)));
        informed.setRolloverCounter(SSRC, 1);
        assertThat(informed.unprotectRtp(last, 0, n)).isPositive();
    }

    @Test
    void mkiSelectsTheMasterKeyAndUnknownMkiIsRefused() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        MasterKey k1 = MasterKey.of(key(p, 5).key(), key(p, 5).salt(), new byte[] {0, 1}, MasterKey.MAX_SRTP_LIFETIME);
        MasterKey k2 = MasterKey.of(key(p, 6).key(), key(p, 6).salt(), new byte[] {0, 2}, MasterKey.MAX_SRTP_LIFETIME);
        SrtpPolicy policy = SrtpPolicy.builder(p).masterKey(k1).masterKey(k2).build();
        SrtpContext tx = SrtpContext.create(policy);
        SrtpContext rx = SrtpContext.create(policy);
        assertThat(tx.rtpOverhead()).isEqualTo(12);
        byte[] a = rtp(1, SSRC, 50, tx.rtpOverhead());
        int n = tx.protectRtp(a, 0, a.length - 12);
        assertThat(a[n - 12]).isEqualTo((byte) 0);
        assertThat(a[n - 11]).isEqualTo((byte) 1);
        assertThat(rx.unprotectRtp(a, 0, n)).isPositive();
        tx.useMasterKey(new byte[] {0, 2});
        byte[] b = rtp(2, SSRC, 50, tx.rtpOverhead());
        n = tx.protectRtp(b, 0, b.length - 12);
        assertThat(b[n - 11]).isEqualTo((byte) 2);
        byte[] c = b.clone();
        assertThat(rx.unprotectRtp(b, 0, n)).isPositive();
        c[n - 11] = 9;
        assertThat(SrtpError.of(rx.unprotectRtp(c, 0, n))).isEqualTo(SrtpError.UNKNOWN_MKI);

        byte[] sr = rtcpSr(SSRC, tx.rtcpOverhead());
        int k = tx.protectRtcp(sr, 0, 28);
        assertThat(rx.unprotectRtcp(sr, 0, k)).isEqualTo(28);
    }

    @Test
    void keyLifetimeWarnsThenRefuses() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        List<String> events = new ArrayList<>();
        MasterKey mk = MasterKey.of(key(p, 7).key(), key(p, 7).salt(), new byte[0], 32);
        SrtpContext tx = SrtpContext.create(SrtpPolicy.builder(p).masterKey(mk)
                .keyLimitListener((k, exhausted) -> events.add(exhausted ? "exhausted" : "warning")).build());
        for (int i = 0; i < 32; i++) {
            byte[] b = rtp(i, SSRC, 10, tx.rtpOverhead());
            assertThat(tx.protectRtp(b, 0, b.length - tx.rtpOverhead())).isPositive();
            if (i == 29) {
                assertThat(events).containsExactly("warning");
            }
        }
        assertThat(events).containsExactly("warning", "exhausted");
        byte[] b = rtp(32, SSRC, 10, tx.rtpOverhead());
        assertThat(SrtpError.of(tx.protectRtp(b, 0, b.length - tx.rtpOverhead()))).isEqualTo(SrtpError.KEY_EXPIRED);
        assertThat(tx.counters().refused(SrtpError.KEY_EXPIRED)).isEqualTo(1);
    }

    @Test
    void keyDerivationRateRederivesAndStillInteroperates() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpPolicy policy = SrtpPolicy.builder(p).masterKey(key(p, 8)).kdrExponent(4).build();
        SrtpContext tx = SrtpContext.create(policy);
        SrtpContext rx = SrtpContext.create(policy);
        SrtpContext noKdr = SrtpContext.create(SrtpPolicy.of(p, key(p, 8)));
        for (int seq = 0; seq < 100; seq++) {
            byte[] b = rtp(seq, SSRC, 40, tx.rtpOverhead());
            int n = tx.protectRtp(b, 0, b.length - tx.rtpOverhead());
            if (seq == 16) {
                assertThat(SrtpError.of(noKdr.unprotectRtp(b.clone(), 0, n))).as("r = 1 uses other keys")
                        .isEqualTo(SrtpError.AUTH_FAILED);
            }
            assertThat(rx.unprotectRtp(b, 0, n)).isEqualTo(b.length - tx.rtpOverhead());
        }
    }

    @Test
    void streamTableIsBoundedAndForgedSsrcsDoNotFillIt() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpPolicy policy = SrtpPolicy.builder(p).masterKey(key(p, 9)).maxStreams(3).build();
        SrtpContext tx = SrtpContext.create(policy);
        SrtpContext rx = SrtpContext.create(policy);
        for (int i = 0; i < 1000; i++) {
            byte[] forged = rtp(i, 5000 + i, 20, 10);
            assertThat(SrtpError.of(rx.unprotectRtp(forged, 0, forged.length))).isEqualTo(SrtpError.AUTH_FAILED);
        }
        assertThat(rx.streamCount()).isZero();
        for (int s = 1; s <= 3; s++) {
            byte[] b = rtp(1, s, 20, tx.rtpOverhead());
            assertThat(rx.unprotectRtp(b, 0, tx.protectRtp(b, 0, b.length - tx.rtpOverhead()))).isPositive();
        }
        byte[] fourth = rtp(1, 4, 20, tx.rtpOverhead());
        assertThat(SrtpError.of(tx.protectRtp(fourth, 0, fourth.length - tx.rtpOverhead())))
                .isEqualTo(SrtpError.TOO_MANY_STREAMS);
        rx.removeStream(2);
        tx.removeStream(2);
        assertThat(rx.streamCount()).isEqualTo(2);
        byte[] again = rtp(1, 4, 20, tx.rtpOverhead());
        assertThat(rx.unprotectRtp(again, 0, tx.protectRtp(again, 0, again.length - tx.rtpOverhead()))).isPositive();
        assertThat(rx.rolloverCounter(3)).isZero();
        assertThat(rx.rolloverCounter(2)).isEqualTo(-1);
    }

    @Test
    void errorCodesMapBack() {
        for (SrtpError e : SrtpError.values()) {
            assertThat(e.code()).isNegative();
            assertThat(SrtpError.of(e.code())).isEqualTo(e);
        }
        assertThat(MasterKey.of(new byte[16], new byte[14]).toString()).doesNotContain("00000000");
    }

    @Test
    void policiesAreTheSameKeysOnlyWhenEveryKeyByteAndParameterMatches() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpPolicy base = SrtpPolicy.of(p, key(p, 1));
        // equal copies; replay window, stream limit and listener do not count
        assertThat(base.sameKeys(SrtpPolicy.of(p, key(p, 1)))).isTrue();
        assertThat(base.sameKeys(SrtpPolicy.builder(p).masterKey(key(p, 1)).replayWindow(1024).maxStreams(4)
                .keyLimitListener((k, exhausted) -> { }).build())).isTrue();
        assertThat(base.sameKeys(base.withKeyLimitListener((k, exhausted) -> { }))).isTrue();

        MasterKey k = key(p, 1);
        byte[] keyBytes = k.key().clone();
        byte[] salt = k.salt().clone();
        keyBytes[15] ^= 1;
        assertThat(base.sameKeys(SrtpPolicy.of(p, MasterKey.of(keyBytes, k.salt())))).as("last key bit").isFalse();
        salt[13] ^= 1;
        assertThat(base.sameKeys(SrtpPolicy.of(p, MasterKey.of(k.key(), salt)))).as("last salt bit").isFalse();
        assertThat(base.sameKeys(SrtpPolicy.of(p, MasterKey.of(k.key(), k.salt(), new byte[] {1}, MasterKey.MAX_SRTP_LIFETIME))))
                .as("an MKI").isFalse();
        assertThat(base.sameKeys(SrtpPolicy.of(p, MasterKey.of(k.key(), k.salt(), new byte[0], 1000)))).as("lifetime").isFalse();
        assertThat(base.sameKeys(SrtpPolicy.of(SrtpProfile.AES_CM_128_HMAC_SHA1_32, k))).as("profile").isFalse();
        assertThat(base.sameKeys(SrtpPolicy.builder(p).masterKey(k).kdrExponent(16).build())).as("KDR").isFalse();
        MasterKey withMki = MasterKey.of(k.key(), k.salt(), new byte[] {1}, MasterKey.MAX_SRTP_LIFETIME);
        MasterKey other = MasterKey.of(key(p, 2).key(), key(p, 2).salt(), new byte[] {2}, MasterKey.MAX_SRTP_LIFETIME);
        assertThat(SrtpPolicy.of(p, withMki).sameKeys(SrtpPolicy.builder(p).masterKey(withMki).masterKey(other).build()))
                .as("a second key").isFalse();
        assertThat(base.sameKeys(null)).isFalse();
    }
}
