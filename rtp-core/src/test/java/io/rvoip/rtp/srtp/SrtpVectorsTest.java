package io.rvoip.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.rtp.TestVectors;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3711 Appendix B, RFC 6188 §7 and RFC 7714 §16–17 vectors from shared/testdata/vectors. */
class SrtpVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource({
        "rfc3711.txt, 'B.2 AES-CM keystream, AES-128', AES-128",
        "rfc6188.txt, 7.1 AES-256-CM keystream, AES-256",
        "rfc6188.txt, 7.3 AES-192-CM keystream, AES-192",
    })
    void aesCmKeystreamMatchesTheRfcBlocks(String file, String section, String label) {
        TestVectors v = TestVectors.load(file);
        byte[] key = v.hex(section, "session_key");
        byte[] counter = v.hex(section, "initial_counter");
        byte[] salt = Arrays.copyOf(counter, 14);
        SessionKeys keys = SessionKeys.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, new byte[20], salt);
        byte[] stream = new byte[65282 * 16];
        keys.aesCm(0, 0, stream, 0, stream.length);
        int blocks = 0;
        for (Map.Entry<String, String> e : v.section(section).entrySet()) {
            if (!e.getKey().startsWith("block ")) {
                continue;
            }
            int i = Integer.parseInt(e.getKey().substring(e.getKey().length() - 4), 16);
            assertThat(HEX.formatHex(stream, i * 16, i * 16 + 16)).as("block %04x", i)
                    .isEqualToIgnoringCase(e.getValue());
            blocks++;
        }
        assertThat(blocks).as(label).isEqualTo(6);
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource({
        "rfc3711.txt, 'B.3 key derivation, AES-128 PRF, kdr = 0, index DIV kdr = 000000000000', auth_key",
        "rfc6188.txt, 7.2 AES_256_CM_PRF key derivation, auth_key",
        "rfc6188.txt, 7.4 AES_192_CM_PRF key derivation, auth_key",
    })
    void keyDerivationMatchesTheRfc(String file, String section, String authName) {
        TestVectors v = TestVectors.load(file);
        byte[] masterKey = v.hex(section, "master_key");
        byte[] masterSalt = v.hex(section, "master_salt");
        javax.crypto.Cipher prf = Crypto.aesEncryptor(masterKey);
        byte[] cipherKey = v.hex(section, "cipher_key");
        byte[] salt = v.hex(section, "cipher_salt");
        byte[] auth = v.hex(section, authName);
        assertThat(SessionKeys.prf(prf, masterSalt, 0, 0, cipherKey.length)).isEqualTo(cipherKey);
        assertThat(SessionKeys.prf(prf, masterSalt, 2, 0, salt.length)).isEqualTo(salt);
        assertThat(SessionKeys.prf(prf, masterSalt, 1, 0, auth.length)).isEqualTo(auth);
    }

    @Test
    void derivedContextUsesTheRfcSessionKeys() {
        // the same derivation through SessionKeys.derive: encrypting zeros with SSRC 0 / index 0
        // yields AES_k(salt||0000) with k and salt from B.3
        TestVectors v = TestVectors.load("rfc3711.txt");
        String s = "B.3 key derivation, AES-128 PRF, kdr = 0, index DIV kdr = 000000000000";
        MasterKey mk = MasterKey.of(v.hex(s, "master_key"), v.hex(s, "master_salt"));
        SessionKeys derived = SessionKeys.derive(SrtpProfile.AES_CM_128_HMAC_SHA1_80, mk, false, 0);
        assertThat(derived.salt).isEqualTo(v.hex(s, "cipher_salt"));
        SessionKeys direct = SessionKeys.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, v.hex(s, "cipher_key"),
                v.hex(s, "auth_key_first20"), v.hex(s, "cipher_salt"));
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        derived.aesCm(0x1234, 77, a, 0, 64);
        direct.aesCm(0x1234, 77, b, 0, 64);
        assertThat(a).isEqualTo(b);
        byte[] ta = new byte[10];
        byte[] tb = new byte[10];
        derived.tag(a, 0, 64, true, 3, ta, 0, 10);
        direct.tag(a, 0, 64, true, 3, tb, 0, 10);
        assertThat(ta).isEqualTo(tb);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"AEAD_AES_128_GCM, key_128, srtp_aes128gcm_encrypted_out",
                "AEAD_AES_256_GCM, key_256, srtp_aes256gcm_encrypted_out"})
    void gcmSrtpMatchesRfc7714(SrtpProfile profile, String keyName, String outName) {
        TestVectors v = TestVectors.load("rfc7714.txt");
        byte[] key = v.hex("common", keyName);
        byte[] salt = v.hex("common", "salt");
        byte[] packet = v.hex("SRTP", "rtp_packet");
        byte[] expected = v.hex("SRTP", outName);

        SrtpContext tx = gcmContext(profile, key, salt);
        byte[] buf = Arrays.copyOf(packet, packet.length + tx.rtpOverhead());
        int n = tx.protectRtp(buf, 0, packet.length);
        assertThat(n).isEqualTo(expected.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(expected);

        SrtpContext rx = gcmContext(profile, key, salt);
        int m = rx.unprotectRtp(buf, 0, n);
        assertThat(Arrays.copyOf(buf, m)).isEqualTo(packet);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"AEAD_AES_128_GCM, key_128, srtcp_aes128gcm_encrypted_out, srtcp_aes128gcm_tagonly_out",
                "AEAD_AES_256_GCM, key_256, srtcp_aes256gcm_encrypted_out, srtcp_aes256gcm_tagonly_out"})
    void gcmSrtcpMatchesRfc7714(SrtpProfile profile, String keyName, String encName, String tagOnlyName) {
        TestVectors v = TestVectors.load("rfc7714.txt");
        byte[] key = v.hex("common", keyName);
        byte[] salt = v.hex("common", "salt");
        byte[] packet = v.hex("SRTCP", "rtcp_packet");
        int index = Integer.parseInt(v.text("SRTCP", "srtcp_index"), 16);
        int ssrc = SrtpContext.int32(packet, 4);

        SrtpContext tx = gcmContext(profile, key, salt);
        tx.nextRtcpIndex(ssrc, index);
        byte[] buf = Arrays.copyOf(packet, packet.length + tx.rtcpOverhead());
        int n = tx.protectRtcp(buf, 0, packet.length);
        assertThat(Arrays.copyOf(buf, n)).isEqualTo(v.hex("SRTCP", encName));

        SrtpContext rx = gcmContext(profile, key, salt);
        int m = rx.unprotectRtcp(buf, 0, n);
        assertThat(Arrays.copyOf(buf, m)).isEqualTo(packet);

        // the tag-only form (E = 0) is verified and its packet returned untouched
        byte[] tagOnly = v.hex("SRTCP", tagOnlyName);
        rx = gcmContext(profile, key, salt);
        int k = rx.unprotectRtcp(tagOnly, 0, tagOnly.length);
        assertThat(k).isEqualTo(packet.length);
        assertThat(Arrays.copyOf(tagOnly, k)).isEqualTo(packet);
        // ...and the same index again is a replay
        byte[] again = v.hex("SRTCP", tagOnlyName);
        assertThat(SrtpError.of(rx.unprotectRtcp(again, 0, again.length))).isEqualTo(SrtpError.REPLAYED);
    }

    private static boolean jdkGcm;

    private static SrtpContext gcmContext(SrtpProfile profile, byte[] key, byte[] salt) {
        SrtpPolicy policy = SrtpPolicy.of(profile, MasterKey.of(key, salt));
        if (jdkGcm) {
            return SrtpContext.withSessionKeys(policy, SessionKeys.ofJdkGcm(profile, key, salt),
                    SessionKeys.ofJdkGcm(profile, key, salt));
        }
        return SrtpContext.withSessionKeys(policy, SessionKeys.of(profile, key, null, salt),
                SessionKeys.of(profile, key, null, salt));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"AEAD_AES_128_GCM, key_128, srtp_aes128gcm_encrypted_out, srtcp_aes128gcm_encrypted_out, srtcp_aes128gcm_tagonly_out",
                "AEAD_AES_256_GCM, key_256, srtp_aes256gcm_encrypted_out, srtcp_aes256gcm_encrypted_out, srtcp_aes256gcm_tagonly_out"})
    void theJdkGcmPathMatchesToo(SrtpProfile profile, String keyName, String srtpOut, String srtcpOut, String tagOnly) {
        jdkGcm = true;
        try {
            gcmSrtpMatchesRfc7714(profile, keyName, srtpOut);
            gcmSrtcpMatchesRfc7714(profile, keyName, srtcpOut, tagOnly);
        } finally {
            jdkGcm = false;
        }
    }
}
