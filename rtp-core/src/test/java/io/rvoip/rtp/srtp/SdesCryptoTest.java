package io.rvoip.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SdesCryptoTest {
    @Test
    void parsesTheRfc4568Examples() throws Exception {
        SdesCrypto c = SdesCrypto.parse(
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^20|1:4");
        assertThat(c.tag()).isEqualTo(1);
        assertThat(c.profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(c.keys()).hasSize(1);
        assertThat(c.keys().get(0).lifetime()).isEqualTo(1 << 20);
        assertThat(c.keys().get(0).mkiBytes()).containsExactly(0, 0, 0, 1);
        assertThat(c.format()).isEqualTo("1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj|2^20|1:4");

        SdesCrypto d = SdesCrypto.parse("2 AES_CM_128_HMAC_SHA1_32 inline:YUJDZGVmZ2hpSktMbW9QUXJzVHVWd3l6MTIzNDU2|1066:4 KDR=3 WSH=256");
        assertThat(d.keys().get(0).lifetime()).isZero();
        assertThat(d.keys().get(0).mki()).isEqualTo(1066);
        assertThat(d.kdrExponent()).isEqualTo(3);
        assertThat(d.windowSize()).isEqualTo(256);
        SrtpPolicy policy = d.toPolicy();
        assertThat(policy.kdrExponent()).isEqualTo(3);
        assertThat(policy.replayWindow()).isEqualTo(256);
        assertThat(policy.mkiLength()).isEqualTo(4);
    }

    @Test
    void acceptsUnpaddedBase64AndSeveralKeys() throws Exception {
        byte[] ks = new byte[46]; // AES-256: 32 + 14 -> base64 with one '=' of padding
        for (int i = 0; i < ks.length; i++) {
            ks[i] = (byte) i;
        }
        String padded = Base64.getEncoder().encodeToString(ks);
        assertThat(padded).endsWith("=");
        String unpadded = padded.replace("=", "");
        SdesCrypto c = SdesCrypto.parse("7 AES_256_CM_HMAC_SHA1_80 inline:" + unpadded + "|2^31|1:1;inline:" + padded + "|2:1");
        assertThat(c.keys()).hasSize(2);
        assertThat(c.keys().get(0).keySalt()).isEqualTo(ks);
        assertThat(c.toPolicy().masterKeys()).hasSize(2);
    }

    @Test
    void refusesWhatRfc4568CallsInvalid() {
        String key = "d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj";
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + key.substring(4)))
                .isInstanceOf(SdesException.class).hasMessageContaining("bytes");
        assertThatThrownBy(() -> SdesCrypto.parse("1 F8_128_HMAC_SHA1_80 inline:" + key))
                .isInstanceOf(SdesException.class).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + key + "|2^49"))
                .isInstanceOf(SdesException.class);
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + key + "|1:200"))
                .isInstanceOf(SdesException.class);
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + key + ";inline:" + key))
                .as("several keys without MKI").isInstanceOf(SdesException.class);
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + key + "|1:4;inline:" + key + "|2:2"))
                .isInstanceOf(SdesException.class);
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + key + "|0100"))
                .as("leading zero").isInstanceOf(SdesException.class);
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 uri:http://x"))
                .isInstanceOf(SdesException.class);
        assertThatThrownBy(() -> SdesCrypto.parse("x AES_CM_128_HMAC_SHA1_80 inline:" + key))
                .isInstanceOf(SdesException.class);
        for (String tag : new String[] {"-1", "-15711267", "+7", "1234567890", " "}) {
            assertThatThrownBy(() -> SdesCrypto.parse(tag + " AES_CM_128_HMAC_SHA1_80 inline:" + key))
                    .as("tag %s: 1*9DIGIT", tag).isInstanceOf(SdesException.class);
        }
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + key + " KDR=25"))
                .isInstanceOf(SdesException.class);
        assertThatThrownBy(() -> SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:!!!!" + key))
                .isInstanceOf(SdesException.class);
        assertThatThrownBy(() -> SdesCrypto.parse("1 " + "A".repeat(5000)))
                .isInstanceOf(SdesException.class);
    }

    @Test
    void unsupportedSessionParametersAreKeptButNotTurnedIntoAPolicy() throws Exception {
        SdesCrypto c = SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:d0RmdmcmVCspeEc3QGZiNWpVLFJhQX1cfHAwJSoj UNENCRYPTED_SRTP");
        assertThat(c.unsupportedParams()).containsExactly("UNENCRYPTED_SRTP");
        assertThatThrownBy(c::toPolicy).isInstanceOf(SdesException.class);
    }

    @Test
    void generatedOffersRoundTripAndProtectTraffic() throws Exception {
        SecureRandom random = new SecureRandom();
        for (SrtpProfile p : SrtpProfile.values()) {
            SdesCrypto offer = SdesCrypto.generate(3, p, random);
            SdesCrypto parsed = SdesCrypto.parse("a=crypto:" + offer.format());
            assertThat(parsed.keys()).isEqualTo(offer.keys());
            assertThat(offer.toString()).doesNotContain(offer.format().split("inline:")[1]);
            SrtpContext tx = SrtpContext.create(offer.toPolicy());
            SrtpContext rx = SrtpContext.create(parsed.toPolicy());
            byte[] b = SrtpContextTest.rtp(9, 42, 160, tx.rtpOverhead());
            int n = tx.protectRtp(b, 0, b.length - tx.rtpOverhead());
            assertThat(rx.unprotectRtp(b, 0, n)).isEqualTo(b.length - tx.rtpOverhead());
        }
    }
}
