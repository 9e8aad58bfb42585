package io.rvoip.rtp.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import javax.crypto.Cipher;

/**
 * AES-GCM (NIST SP 800-38D) for SRTP packets without per-packet allocation: the counter-mode
 * keystream comes from a reused AES-ECB cipher (as for AES-CM) and GHASH from per-byte-position
 * multiplication tables (16 × 256 entries of H · x^k, 64 KB per key), so a block costs sixteen
 * independent table reads instead of a bit-serial multiplication.
 *
 * <p>Only the 96-bit IVs and 128-bit tags SRTP uses. Owned by one thread.
 */
final class Gcm {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final long R = 0xE100000000000000L;

    private final Cipher ecb;
    private final long[] table = new long[16 * 256 * 2];
    private final byte[] tag = new byte[16];
    private final byte[] one = new byte[16];
    private byte[] counters = new byte[0];
    private byte[] keystream = new byte[0];
    private byte[] aad = new byte[64];
    private long zHi;
    private long zLo;

    Gcm(byte[] key) {
        this.ecb = Crypto.aesEncryptor(key);
        byte[] h = new byte[16];
        byte[] zero = new byte[16];
        Crypto.ecb(ecb, zero, 0, 16, h, 0);
        long vHi = (long) LONG.get(h, 0);
        long vLo = (long) LONG.get(h, 8);
        long[] basisHi = new long[128];
        long[] basisLo = new long[128];
        for (int k = 0; k < 128; k++) {
            basisHi[k] = vHi;
            basisLo[k] = vLo;
            boolean lsb = (vLo & 1) != 0;
            vLo = (vLo >>> 1) | (vHi << 63);
            vHi = vHi >>> 1;
            if (lsb) {
                vHi ^= R;
            }
        }
        for (int pos = 0; pos < 16; pos++) {
            int base = pos << 9;
            for (int b = 1; b < 256; b++) {
                int low = Integer.numberOfTrailingZeros(b); // bit value 1 << low of the byte
                int k = pos * 8 + (7 - low);                 // the byte's MSB is bit 8·pos
                int prev = base + ((b & (b - 1)) << 1);
                table[base + (b << 1)] = table[prev] ^ basisHi[k];
                table[base + (b << 1) + 1] = table[prev + 1] ^ basisLo[k];
            }
        }
        java.util.Arrays.fill(h, (byte) 0);
    }

    /** Z = (Z ^ block) · H for one block given as two big-endian longs (tails and the length block). */
    private void absorb(long hi, long lo) {
        LONG.set(one, 0, hi);
        LONG.set(one, 8, lo);
        absorb(one, 0, 16);
    }

    /**
     * Z = (Z ^ block) · H for every whole block of {@code b[off..off+len)} (the last partial one
     * zero-padded): the XOR of sixteen table entries per block, one per byte position (index =
     * position · 512 + 2 · byte), summed as a tree so the additions do not form one long
     * dependency chain, with Z kept in locals.
     *
     * <p>Every index is ANDed with {@code table.length - 1} (8191). That changes no value (each
     * index is already below 8192), but it is the form {@code a[i & (a.length - 1)]} the JIT
     * proves in bounds, so the 32 table reads per block carry no range checks: −12 % per packet.
     */
    private void absorb(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        long[] t = table;
        int m = t.length - 1;
        long zh = zHi;
        long zl = zLo;
        for (; p + 16 <= end; p += 16) {
            long x = zh ^ (long) LONG.get(b, p);
            long y = zl ^ (long) LONG.get(b, p + 8);
            int e0 = (0 + ((int) (x >>> 55) & 0x1FE)) & m;
            int e1 = (512 + ((int) (x >>> 47) & 0x1FE)) & m;
            int e2 = (1024 + ((int) (x >>> 39) & 0x1FE)) & m;
            int e3 = (1536 + ((int) (x >>> 31) & 0x1FE)) & m;
            int e4 = (2048 + ((int) (x >>> 23) & 0x1FE)) & m;
            int e5 = (2560 + ((int) (x >>> 15) & 0x1FE)) & m;
            int e6 = (3072 + ((int) (x >>> 7) & 0x1FE)) & m;
            int e7 = (3584 + ((int) (x << 1) & 0x1FE)) & m;
            int e8 = (4096 + ((int) (y >>> 55) & 0x1FE)) & m;
            int e9 = (4608 + ((int) (y >>> 47) & 0x1FE)) & m;
            int e10 = (5120 + ((int) (y >>> 39) & 0x1FE)) & m;
            int e11 = (5632 + ((int) (y >>> 31) & 0x1FE)) & m;
            int e12 = (6144 + ((int) (y >>> 23) & 0x1FE)) & m;
            int e13 = (6656 + ((int) (y >>> 15) & 0x1FE)) & m;
            int e14 = (7168 + ((int) (y >>> 7) & 0x1FE)) & m;
            int e15 = (7680 + ((int) (y << 1) & 0x1FE)) & m;
            long h0 = (t[e0] ^ t[e1]) ^ (t[e2] ^ t[e3]);
            long l0 = (t[(e0 | 1) & m] ^ t[(e1 | 1) & m]) ^ (t[(e2 | 1) & m] ^ t[(e3 | 1) & m]);
            long h1 = (t[e4] ^ t[e5]) ^ (t[e6] ^ t[e7]);
            long l1 = (t[(e4 | 1) & m] ^ t[(e5 | 1) & m]) ^ (t[(e6 | 1) & m] ^ t[(e7 | 1) & m]);
            long h2 = (t[e8] ^ t[e9]) ^ (t[e10] ^ t[e11]);
            long l2 = (t[(e8 | 1) & m] ^ t[(e9 | 1) & m]) ^ (t[(e10 | 1) & m] ^ t[(e11 | 1) & m]);
            long h3 = (t[e12] ^ t[e13]) ^ (t[e14] ^ t[e15]);
            long l3 = (t[(e12 | 1) & m] ^ t[(e13 | 1) & m]) ^ (t[(e14 | 1) & m] ^ t[(e15 | 1) & m]);
            zh = (h0 ^ h1) ^ (h2 ^ h3);
            zl = (l0 ^ l1) ^ (l2 ^ l3);
        }
        zHi = zh;
        zLo = zl;
        int rem = end - p;
        if (rem > 0) {
            long hi = rem >= 8 ? (long) LONG.get(b, p) : tail(b, p, rem);
            long lo = rem > 8 ? tail(b, p + 8, rem - 8) : 0;
            absorb(hi, lo);
        }
    }

    /** {@code n} (0..7) bytes from {@code b[p..)} as the high bytes of a big-endian long, zero-padded. */
    private static long tail(byte[] b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[p + i] & 0xFFL) << (56 - 8 * i);
        }
        return v;
    }

    /** Keystream blocks E(J0), E(J0+1), … for {@code len} bytes of data, into {@link #keystream}. */
    private void keystream(byte[] iv, int len) {
        int blocks = 1 + ((len + 15) >>> 4);
        int bytes = blocks << 4;
        if (counters.length < bytes) {
            counters = new byte[Math.max(bytes, 256)];
            keystream = new byte[counters.length];
        }
        long ivHi = (long) LONG.get(iv, 0);
        int ivLo = (int) INT.get(iv, 8);
        byte[] c = counters;
        for (int b = 0, p = 0; b < blocks; b++, p += 16) {
            LONG.set(c, p, ivHi);
            INT.set(c, p + 8, ivLo);
            INT.set(c, p + 12, b + 1);
        }
        Crypto.ecb(ecb, c, 0, bytes, keystream, 0);
    }

    private void xor(byte[] buf, int off, int len) {
        byte[] ks = keystream;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONG.set(buf, off + i, (long) LONG.get(buf, off + i) ^ (long) LONG.get(ks, 16 + i));
        }
        for (; i < len; i++) {
            buf[off + i] ^= ks[16 + i];
        }
    }

    /** GHASH of AAD and ciphertext, then the tag E(J0) ^ S into {@link #tag}. */
    private void computeTag(byte[] buf, int off, int aadLen, byte[] extra, int cOff, int cLen) {
        zHi = 0;
        zLo = 0;
        int aLen = aadLen + (extra == null ? 0 : extra.length);
        if (extra == null) {
            absorb(buf, off, aadLen);
        } else {
            if (aad.length < aLen) {
                aad = new byte[Math.max(aLen, aad.length * 2)];
            }
            System.arraycopy(buf, off, aad, 0, aadLen);
            System.arraycopy(extra, 0, aad, aadLen, extra.length);
            absorb(aad, 0, aLen);
        }
        absorb(buf, cOff, cLen);
        absorb((long) aLen << 3, (long) cLen << 3);
        LONG.set(tag, 0, zHi ^ (long) LONG.get(keystream, 0));
        LONG.set(tag, 8, zLo ^ (long) LONG.get(keystream, 8));
    }

    /**
     * Encrypts {@code buf[off+aadLen..off+len)} in place and writes the 16-byte tag after it.
     *
     * @return bytes after the AAD: plaintext length + 16
     */
    int seal(byte[] iv, byte[] buf, int off, int aadLen, int len, byte[] extra) {
        int pOff = off + aadLen;
        int pLen = len - aadLen;
        keystream(iv, pLen);
        xor(buf, pOff, pLen);
        computeTag(buf, off, aadLen, extra, pOff, pLen);
        System.arraycopy(tag, 0, buf, pOff + pLen, 16);
        return pLen + 16;
    }

    /**
     * Verifies and decrypts {@code buf[off+aadLen..off+len)} (ciphertext || tag) in place.
     *
     * @return the plaintext length, or -1 when the tag does not match (nothing is decrypted)
     */
    int open(byte[] iv, byte[] buf, int off, int aadLen, int len, byte[] extra) {
        int cOff = off + aadLen;
        int cLen = len - aadLen - 16;
        if (cLen < 0) {
            return -1;
        }
        keystream(iv, cLen);
        computeTag(buf, off, aadLen, extra, cOff, cLen);
        if (!Crypto.equal(tag, 0, buf, cOff + cLen, 16)) {
            return -1;
        }
        xor(buf, cOff, cLen);
        return cLen;
    }
}
