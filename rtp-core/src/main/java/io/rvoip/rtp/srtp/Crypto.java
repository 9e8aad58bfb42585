package io.rvoip.rtp.srtp;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * JCE primitives, created once per context: the JDK's provider first (AES-NI and SHA
 * intrinsics on HotSpot), Bouncy Castle when the JDK lacks an algorithm.
 */
final class Crypto {
    private static final Provider BC = new BouncyCastleProvider();

    private Crypto() {
    }

    static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            try {
                return Cipher.getInstance(transformation, BC);
            } catch (GeneralSecurityException e2) {
                throw new IllegalStateException("no provider for " + transformation, e2);
            }
        }
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            try {
                return MessageDigest.getInstance(algorithm, BC);
            } catch (NoSuchAlgorithmException e2) {
                throw new IllegalStateException("no provider for " + algorithm, e2);
            }
        }
    }

    /** An AES block encryptor (ECB, no padding) for a key. */
    static Cipher aesEncryptor(byte[] key) {
        Cipher c = cipher("AES/ECB/NoPadding");
        try {
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key rejected", e);
        }
        return c;
    }

    /** Encrypts whole blocks; {@code in} and {@code out} must be different arrays. */
    static void ecb(Cipher c, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            c.update(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-ECB failed", e);
        }
    }

    /** Constant-time comparison of two byte ranges of the same length. */
    static boolean equal(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    /**
     * HMAC-SHA1 (RFC 2104) over a reused {@link MessageDigest}: no allocation per message, unlike
     * {@code Mac.doFinal(byte[], int)}, which allocates its result.
     */
    static final class HmacSha1 {
        private final MessageDigest md = digest("SHA-1");
        private final byte[] ipad = new byte[64];
        private final byte[] opad = new byte[64];
        private final byte[] inner = new byte[20];

        HmacSha1(byte[] key) {
            byte[] k = key.length > 64 ? md.digest(key) : key;
            for (int i = 0; i < 64; i++) {
                byte b = i < k.length ? k[i] : 0;
                ipad[i] = (byte) (b ^ 0x36);
                opad[i] = (byte) (b ^ 0x5c);
            }
            md.reset();
        }

        void start() {
            md.update(ipad, 0, 64);
        }

        void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        /** Writes the 20-byte MAC to {@code out[off..off+20)}. */
        void finish(byte[] out, int off) {
            try {
                md.digest(inner, 0, 20);
                md.update(opad, 0, 64);
                md.update(inner, 0, 20);
                md.digest(out, off, 20);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
