package io.rvoip.rtp.srtp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One SRTP master key with its salt, optional MKI value and packet lifetime.
 *
 * <p>The key bytes are copied in and never printed: {@link #toString()} shows only lengths
 * and the MKI.
 */
public final class MasterKey {
    /** RFC 3711 §9.2: at most 2^48 SRTP packets per master key. */
    public static final long MAX_SRTP_LIFETIME = 1L << 48;
    /** RFC 3711 §9.2: at most 2^31 SRTCP packets per master key. */
    public static final long MAX_SRTCP_LIFETIME = 1L << 31;

    private final byte[] key;
    private final byte[] salt;
    private final byte[] mki;
    private final long lifetime;

    private MasterKey(byte[] key, byte[] salt, byte[] mki, long lifetime) {
        this.key = key.clone();
        this.salt = salt.clone();
        this.mki = mki.clone();
        this.lifetime = lifetime;
    }

    /** A master key without MKI and with the maximum lifetime. */
    public static MasterKey of(byte[] key, byte[] salt) {
        return new MasterKey(key, salt, new byte[0], MAX_SRTP_LIFETIME);
    }

    /**
     * A master key with an MKI value (empty for none) and a lifetime in packets.
     *
     * @throws IllegalArgumentException when the lifetime is not positive or the MKI is longer
     *                                  than 128 bytes (RFC 4568 §6.1 allows 1..128)
     */
    public static MasterKey of(byte[] key, byte[] salt, byte[] mki, long lifetime) {
        if (lifetime <= 0) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
        if (mki.length > 128) {
            throw new IllegalArgumentException("MKI longer than 128 bytes");
        }
        return new MasterKey(key, salt, mki, Math.min(lifetime, MAX_SRTP_LIFETIME));
    }

    /** Splits SDES key||salt material for a profile into a master key. */
    public static MasterKey fromKeySalt(SrtpProfile profile, byte[] keySalt, byte[] mki, long lifetime) {
        if (keySalt.length != profile.keySaltLength()) {
            throw new IllegalArgumentException("key||salt must be " + profile.keySaltLength()
                    + " bytes for " + profile + ", got " + keySalt.length);
        }
        return of(Arrays.copyOfRange(keySalt, 0, profile.keyLength()),
                Arrays.copyOfRange(keySalt, profile.keyLength(), keySalt.length), mki, lifetime);
    }

    byte[] key() {
        return key;
    }

    byte[] salt() {
        return salt;
    }

    /** A copy of the MKI value; empty when the key has none. */
    public byte[] mki() {
        return mki.clone();
    }

    int mkiLength() {
        return mki.length;
    }

    boolean mkiEquals(byte[] buf, int off, int len) {
        if (len != mki.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= mki[i] ^ buf[off + i];
        }
        return diff == 0;
    }

    void writeMki(byte[] buf, int off) {
        System.arraycopy(mki, 0, buf, off, mki.length);
    }

    /**
     * True when {@code other} is the same key material: key, salt and MKI (compared in constant
     * time), and lifetime.
     */
    boolean sameAs(MasterKey other) {
        if (key.length != other.key.length || salt.length != other.salt.length || mki.length != other.mki.length
                || lifetime != other.lifetime) {
            return false;
        }
        // all three compared whatever the first says: no early exit on key bytes
        return Crypto.equal(key, 0, other.key, 0, key.length)
                & Crypto.equal(salt, 0, other.salt, 0, salt.length)
                & Crypto.equal(mki, 0, other.mki, 0, mki.length);
    }

    /** Packets (SRTP) this key may protect. */
    public long lifetime() {
        return lifetime;
    }

    /** Key length in bytes. */
    public int keyLength() {
        return key.length;
    }

    /** Salt length in bytes. */
    public int saltLength() {
        return salt.length;
    }

    @Override
    public String toString() {
        return "MasterKey{key=" + key.length * 8 + " bits, salt=" + salt.length * 8 + " bits"
                + (mki.length > 0 ? ", mki=" + HexFormat.of().formatHex(mki) : "")
                + ", lifetime=" + lifetime + '}';
    }
}
