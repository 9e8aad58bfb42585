package io.rvoip.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The table-driven GCM against the JDK's {@code AES/GCM/NoPadding}: every plaintext length up to
 * five blocks and random longer ones, AADs from empty to several blocks, with and without the
 * extra AAD bytes SRTCP appends, both key sizes, at offsets inside a larger buffer.
 */
class GcmTest {
    private final Random random = new Random(7714);

    @Test
    void sealAndOpenAgreeWithTheJdkForEveryShape() throws Exception {
        for (int keyLen : new int[] {16, 32}) {
            byte[] key = bytes(keyLen);
            Gcm gcm = new Gcm(key);
            for (int round = 0; round < 400; round++) {
                int pLen = round < 81 ? round : random.nextInt(1500);
                int aadLen = random.nextInt(73);
                byte[] extra = random.nextBoolean() ? null : bytes(4);
                check(gcm, key, bytes(12), bytes(aadLen), bytes(pLen), extra);
            }
        }
    }

    private void check(Gcm gcm, byte[] key, byte[] iv, byte[] aad, byte[] plain, byte[] extra) throws Exception {
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        jdk.updateAAD(aad);
        if (extra != null) {
            jdk.updateAAD(extra);
        }
        byte[] expected = jdk.doFinal(plain); // ciphertext || tag

        int off = random.nextInt(9);
        byte[] buf = new byte[off + aad.length + plain.length + 16 + 3];
        System.arraycopy(aad, 0, buf, off, aad.length);
        System.arraycopy(plain, 0, buf, off + aad.length, plain.length);
        int n = gcm.seal(iv, buf, off, aad.length, aad.length + plain.length, extra);
        assertThat(n).isEqualTo(plain.length + 16);
        assertThat(Arrays.copyOfRange(buf, off + aad.length, off + aad.length + n))
                .as("%d bytes, %d of AAD", plain.length, aad.length).isEqualTo(expected);

        byte[] tampered = buf.clone();
        int p = gcm.open(iv, buf, off, aad.length, aad.length + n, extra);
        assertThat(p).isEqualTo(plain.length);
        assertThat(Arrays.copyOfRange(buf, off + aad.length, off + aad.length + p)).isEqualTo(plain);

        tampered[off + random.nextInt(aad.length + n)] ^= (byte) (1 << random.nextInt(8));
        assertThat(gcm.open(iv, tampered, off, aad.length, aad.length + n, extra)).as("one flipped bit").isEqualTo(-1);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
