package io.rvoip.rtp.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session keys for SRTP or SRTCP derived from one master key (RFC 3711 §4.3) and the
 * primitives that use them. Owned by one thread.
 */
final class SessionKeys {
    /** RFC 3711 §4.3.2 labels, SRTP then SRTCP: encryption, authentication, salt. */
    private static final int LABEL_ENC = 0;
    private static final int LABEL_AUTH = 1;
    private static final int LABEL_SALT = 2;
    private static final int RTCP_LABEL_OFFSET = 3;

    final SrtpProfile profile;
    final byte[] salt;
    final long r;
    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private final long saltHi;
    private final long saltLo;
    private final Cipher ctr;
    private final Crypto.HmacSha1 hmac;
    private final Cipher gcm;
    private final SecretKeySpec gcmKey;
    private final Gcm fastGcm;
    private final byte[] iv12 = new byte[12];
    private final byte[] mac = new byte[20];
    private final byte[] rocBytes = new byte[4];
    private byte[] counters = new byte[0];
    private byte[] keystream = new byte[0];

    private SessionKeys(SrtpProfile profile, byte[] encKey, byte[] authKey, byte[] salt, long r) {
        this(profile, encKey, authKey, salt, r, true);
    }

    private SessionKeys(SrtpProfile profile, byte[] encKey, byte[] authKey, byte[] salt, long r, boolean tables) {
        this.profile = profile;
        this.salt = salt;
        this.r = r;
        byte[] s16 = java.util.Arrays.copyOf(salt, 16);
        this.saltHi = (long) LONG.get(s16, 0);
        this.saltLo = salt.length >= 14 ? (long) LONG.get(s16, 8) & ~0xFFFFL : 0;
        if (profile.aead()) {
            // SRTP packets: GCM composed here (no allocation); SRTCP (a few packets a second): the JDK's
            if (tables) {
                this.fastGcm = new Gcm(encKey);
                this.gcm = null;
                this.gcmKey = null;
            } else {
                this.fastGcm = null;
                this.gcm = Crypto.cipher("AES/GCM/NoPadding");
                this.gcmKey = new SecretKeySpec(encKey, "AES");
            }
            this.ctr = null;
            this.hmac = null;
        } else {
            this.fastGcm = null;
            this.gcm = null;
            this.gcmKey = null;
            this.ctr = profile.encrypts() ? Crypto.aesEncryptor(encKey) : null;
            this.hmac = new Crypto.HmacSha1(authKey);
        }
        java.util.Arrays.fill(encKey, (byte) 0);
        if (authKey != null) {
            java.util.Arrays.fill(authKey, (byte) 0);
        }
    }

    /** Session keys given directly (test vectors give session keys, not master keys). */
    static SessionKeys of(SrtpProfile profile, byte[] encKey, byte[] authKey, byte[] salt) {
        return new SessionKeys(profile, encKey.clone(), authKey == null ? null : authKey.clone(), salt.clone(), 0);
    }

    /** Like {@link #of} with the JDK's GCM instead of the table-driven one. */
    static SessionKeys ofJdkGcm(SrtpProfile profile, byte[] encKey, byte[] salt) {
        return new SessionKeys(profile, encKey.clone(), null, salt.clone(), 0, false);
    }

    /** Derives the SRTP ({@code rtcp == false}) or SRTCP session keys for {@code r = index DIV kdr}. */
    static SessionKeys derive(SrtpProfile profile, MasterKey master, boolean rtcp, long r) {
        return derive(profile, master, rtcp, r, true);
    }

    /** As above; {@code gcmTables} chooses the table-driven GCM for SRTP. */
    static SessionKeys derive(SrtpProfile profile, MasterKey master, boolean rtcp, long r, boolean gcmTables) {
        Cipher prf = Crypto.aesEncryptor(master.key());
        int base = rtcp ? RTCP_LABEL_OFFSET : 0;
        byte[] enc = prf(prf, master.salt(), base + LABEL_ENC, r, profile.keyLength());
        byte[] auth = profile.aead() ? null : prf(prf, master.salt(), base + LABEL_AUTH, r, profile.authKeyLength());
        byte[] salt = prf(prf, master.salt(), base + LABEL_SALT, r, profile.saltLength());
        return new SessionKeys(profile, enc, auth, salt, r, !rtcp && gcmTables);
    }

    /**
     * The AES-CM PRF of RFC 3711 §4.3.1/§4.3.3: x = (label || r) XOR master salt, keystream of
     * AES_CM(master key, x * 2^16) truncated to {@code length}. A 96-bit (GCM) master salt is
     * used left-aligned in the 112-bit field, as RFC 7714 implementations do.
     */
    static byte[] prf(Cipher masterEcb, byte[] masterSalt, int label, long r, int length) {
        byte[] x = new byte[14];
        System.arraycopy(masterSalt, 0, x, 0, masterSalt.length);
        x[7] ^= (byte) label;
        for (int i = 0; i < 6; i++) {
            x[8 + i] ^= (byte) (r >>> (40 - 8 * i));
        }
        int blocks = (length + 15) >>> 4;
        byte[] in = new byte[blocks * 16];
        byte[] out = new byte[blocks * 16];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(x, 0, in, b * 16, 14);
            in[b * 16 + 14] = (byte) (b >>> 8);
            in[b * 16 + 15] = (byte) b;
        }
        Crypto.ecb(masterEcb, in, 0, in.length, out, 0);
        return java.util.Arrays.copyOf(out, length);
    }

    /**
     * XORs the AES-CM keystream for (SSRC, index) into {@code buf[off..off+len)} (RFC 3711
     * §4.1.1): IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16).
     */
    void aesCm(int ssrc, long index, byte[] buf, int off, int len) {
        if (ctr == null || len <= 0) {
            return;
        }
        // IV as two big-endian longs: hi = salt[0..8) ^ (SSRC at bytes 4..8),
        // lo = salt[8..14) || 0000 ^ (index << 16); the block number goes in the low 16 bits.
        long hi = saltHi ^ (ssrc & 0xFFFFFFFFL);
        long lo = (saltLo ^ (index << 16)) & ~0xFFFFL;
        int blocks = (len + 15) >>> 4;
        int bytes = blocks << 4;
        if (counters.length < bytes) {
            counters = new byte[Math.max(bytes, 256)];
            keystream = new byte[counters.length];
        }
        byte[] c = counters;
        for (int b = 0, p = 0; b < blocks; b++, p += 16) {
            LONG.set(c, p, hi);
            LONG.set(c, p + 8, lo | b);
        }
        Crypto.ecb(ctr, c, 0, bytes, keystream, 0);
        byte[] ks = keystream;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            LONG.set(buf, off + i, (long) LONG.get(buf, off + i) ^ (long) LONG.get(ks, i));
        }
        for (; i < len; i++) {
            buf[off + i] ^= ks[i];
        }
    }

    /**
     * HMAC-SHA1 over {@code buf[off..off+len)} followed by {@code roc} as 4 bytes when
     * {@code withRoc}; the first {@code tagLength} bytes land at {@code out[outOff..)}.
     */
    void tag(byte[] buf, int off, int len, boolean withRoc, int roc, byte[] out, int outOff, int tagLength) {
        mac(buf, off, len, withRoc, roc);
        System.arraycopy(mac, 0, out, outOff, tagLength);
    }

    /** Like {@link #tag} but compares with the tag at {@code buf[tagOff..)} in constant time. */
    boolean verify(byte[] buf, int off, int len, boolean withRoc, int roc, int tagOff, int tagLength) {
        mac(buf, off, len, withRoc, roc);
        return Crypto.equal(mac, 0, buf, tagOff, tagLength);
    }

    private void mac(byte[] buf, int off, int len, boolean withRoc, int roc) {
        hmac.start();
        hmac.update(buf, off, len);
        if (withRoc) {
            byte[] r = rocBytes;
            r[0] = (byte) (roc >>> 24);
            r[1] = (byte) (roc >>> 16);
            r[2] = (byte) (roc >>> 8);
            r[3] = (byte) roc;
            hmac.update(r, 0, 4);
        }
        hmac.finish(mac, 0);
    }

    /** The 12-byte GCM IV: (00 00 || SSRC || ROC || SEQ) or (00 00 || SSRC || 00 00 || index), XOR salt. */
    private byte[] gcmIv(int ssrc, int a, int b16orIdx, boolean rtcp) {
        byte[] iv = fastGcm != null ? iv12 : new byte[12];
        java.util.Arrays.fill(iv, (byte) 0);
        iv[2] = (byte) (ssrc >>> 24);
        iv[3] = (byte) (ssrc >>> 16);
        iv[4] = (byte) (ssrc >>> 8);
        iv[5] = (byte) ssrc;
        if (rtcp) {
            iv[8] = (byte) (b16orIdx >>> 24);
            iv[9] = (byte) (b16orIdx >>> 16);
            iv[10] = (byte) (b16orIdx >>> 8);
            iv[11] = (byte) b16orIdx;
        } else {
            iv[6] = (byte) (a >>> 24);
            iv[7] = (byte) (a >>> 16);
            iv[8] = (byte) (a >>> 8);
            iv[9] = (byte) a;
            iv[10] = (byte) (b16orIdx >>> 8);
            iv[11] = (byte) b16orIdx;
        }
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        return iv;
    }

    /**
     * GCM encrypts {@code buf[off+aadLen..off+len)} in place with AAD {@code buf[off..off+aadLen)}
     * plus the optional {@code extraAad}; the tag follows the ciphertext. Returns the bytes
     * written after the AAD (plaintext length + 16).
     */
    int gcmSeal(int ssrc, int rocOrZero, int seqOrIndex, boolean rtcp, byte[] buf, int off, int aadLen,
                int len, byte[] extraAad) {
        if (fastGcm != null) {
            return fastGcm.seal(gcmIv(ssrc, rocOrZero, seqOrIndex, rtcp), buf, off, aadLen, len, extraAad);
        }
        try {
            gcm.init(Cipher.ENCRYPT_MODE, gcmKey, new GCMParameterSpec(128, gcmIv(ssrc, rocOrZero, seqOrIndex, rtcp)));
            gcm.updateAAD(buf, off, aadLen);
            if (extraAad != null) {
                gcm.updateAAD(extraAad);
            }
            return gcm.doFinal(buf, off + aadLen, len - aadLen, buf, off + aadLen);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * GCM opens {@code buf[off+aadLen..off+len)} (ciphertext || tag) in place; returns the
     * plaintext length or -1 when the tag does not verify.
     */
    int gcmOpen(int ssrc, int rocOrZero, int seqOrIndex, boolean rtcp, byte[] buf, int off, int aadLen,
                int len, byte[] extraAad) {
        if (fastGcm != null) {
            return fastGcm.open(gcmIv(ssrc, rocOrZero, seqOrIndex, rtcp), buf, off, aadLen, len, extraAad);
        }
        try {
            gcm.init(Cipher.DECRYPT_MODE, gcmKey, new GCMParameterSpec(128, gcmIv(ssrc, rocOrZero, seqOrIndex, rtcp)));
            gcm.updateAAD(buf, off, aadLen);
            if (extraAad != null) {
                gcm.updateAAD(extraAad);
            }
            return gcm.doFinal(buf, off + aadLen, len - aadLen, buf, off + aadLen);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }
}
