package io.rvoip.rtp.srtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link SrtpContext} needs: the profile, one or more master keys (several only
 * with MKI), the key derivation rate, the replay window and the stream limit.
 *
 * <pre>{@code
 * SrtpPolicy policy = SrtpPolicy.builder(SrtpProfile.AES_CM_128_HMAC_SHA1_80)
 *         .masterKey(MasterKey.of(key, salt))
 *         .build();
 * }</pre>
 */
public final class SrtpPolicy {
    /** Default replay window, in packets (RFC 3711 asks for at least 64). */
    public static final int DEFAULT_REPLAY_WINDOW = 128;
    /** Default number of SSRCs one context tracks. */
    public static final int DEFAULT_MAX_STREAMS = 32;

    private final SrtpProfile profile;
    private final List<MasterKey> keys;
    private final int kdrExponent;
    private final int replayWindow;
    private final int maxStreams;
    private final KeyLimitListener keyLimitListener;
    private final boolean gcmTables;

    private SrtpPolicy(Builder b) {
        this.gcmTables = b.gcmTables;
        this.profile = b.profile;
        this.keys = List.copyOf(b.keys);
        this.kdrExponent = b.kdrExponent;
        this.replayWindow = b.replayWindow;
        this.maxStreams = b.maxStreams;
        this.keyLimitListener = b.keyLimitListener;
    }

    /** Starts a policy for a profile. */
    public static Builder builder(SrtpProfile profile) {
        return new Builder(profile);
    }

    /** The shortcut for one master key without MKI and all defaults. */
    public static SrtpPolicy of(SrtpProfile profile, MasterKey key) {
        return builder(profile).masterKey(key).build();
    }

    /**
     * True when a context made from {@code other} would protect and unprotect exactly as one made
     * from this policy: the same profile, master keys (compared in constant time), MKIs,
     * lifetimes and key derivation rate. The replay window, stream limit and listener do not
     * count. A renegotiation that keeps the keys keeps its context (and with it each stream's
     * rollover counter); new keys need a new context (RFC 4568 §7.1.4).
     */
    public boolean sameKeys(SrtpPolicy other) {
        if (other == this) {
            return true;
        }
        if (other == null || other.profile != profile || other.kdrExponent != kdrExponent
                || other.keys.size() != keys.size()) {
            return false;
        }
        boolean same = true;
        for (int i = 0; i < keys.size(); i++) {
            same &= keys.get(i).sameAs(other.keys.get(i));
        }
        return same;
    }

    /** The protection profile. */
    public SrtpProfile profile() {
        return profile;
    }

    /** The master keys; the first one protects outgoing packets until another is chosen. */
    public List<MasterKey> masterKeys() {
        return keys;
    }

    /** log2 of the key derivation rate, or -1 when keys are derived once (KDR 0). */
    public int kdrExponent() {
        return kdrExponent;
    }

    /** Replay window size in packets. */
    public int replayWindow() {
        return replayWindow;
    }

    /** Most SSRCs one context tracks. */
    public int maxStreams() {
        return maxStreams;
    }

    /** Whether the GCM profiles use the table-driven GHASH for SRTP (see {@link Builder#gcmTables}). */
    public boolean gcmTables() {
        return gcmTables;
    }

    /** MKI length in bytes, 0 without MKI. */
    public int mkiLength() {
        return keys.get(0).mkiLength();
    }

    /** A copy of this policy that reports key lifetimes to {@code listener}. */
    public SrtpPolicy withKeyLimitListener(KeyLimitListener listener) {
        Builder b = builder(profile).kdrExponent(kdrExponent).replayWindow(replayWindow).maxStreams(maxStreams)
                .keyLimitListener(listener).gcmTables(gcmTables);
        keys.forEach(b::masterKey);
        return b.build();
    }

    KeyLimitListener keyLimitListener() {
        return keyLimitListener;
    }

    /** Told when a master key nears and when it reaches its lifetime, so the owner can re-key. */
    @FunctionalInterface
    public interface KeyLimitListener {
        /**
         * Called on the thread using the context.
         *
         * @param key       the master key concerned
         * @param exhausted false for the early warning (15/16 of the lifetime used), true when
         *                  the key may no longer be used
         */
        void keyLimit(MasterKey key, boolean exhausted);
    }

    /** Builder of {@link SrtpPolicy}. */
    public static final class Builder {
        private final SrtpProfile profile;
        private final List<MasterKey> keys = new ArrayList<>();
        private int kdrExponent = -1;
        private int replayWindow = DEFAULT_REPLAY_WINDOW;
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private KeyLimitListener keyLimitListener = (k, e) -> { };
        private boolean gcmTables = true;

        private Builder(SrtpProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
        }

        /** Adds a master key (the first added protects outgoing packets). */
        public Builder masterKey(MasterKey key) {
            if (key.keyLength() != profile.keyLength() || key.saltLength() != profile.saltLength()) {
                throw new IllegalArgumentException(profile + " needs a " + profile.keyLength()
                        + "-byte key and a " + profile.saltLength() + "-byte salt");
            }
            keys.add(key);
            return this;
        }

        /**
         * Sets the key derivation rate to 2^exponent packets (0..24, RFC 3711 §4.3.1), or -1 for
         * "derive once" (the default).
         */
        public Builder kdrExponent(int exponent) {
            if (exponent < -1 || exponent > 24) {
                throw new IllegalArgumentException("KDR exponent must be -1 or 0..24: " + exponent);
            }
            this.kdrExponent = exponent;
            return this;
        }

        /** Replay window size in packets, 64..32768, rounded up to a multiple of 64. */
        public Builder replayWindow(int packets) {
            if (packets < 64 || packets > 32768) {
                throw new IllegalArgumentException("replay window must be 64..32768: " + packets);
            }
            this.replayWindow = (packets + 63) & ~63;
            return this;
        }

        /** Most SSRCs the context tracks (1..4096). */
        public Builder maxStreams(int streams) {
            if (streams < 1 || streams > 4096) {
                throw new IllegalArgumentException("max streams must be 1..4096: " + streams);
            }
            this.maxStreams = streams;
            return this;
        }

        /**
         * For the GCM profiles: {@code true} (default) computes GHASH for SRTP packets here with
         * 64 KB of multiplication tables per key — no allocation per packet and about 20 %
         * faster on one stream; {@code false} uses the JDK's {@code AES/GCM} cipher (PCLMULQDQ
         * intrinsic, no tables, but re-initialised and allocating about 1 KB per packet), which
         * may suit a server holding thousands of GCM streams whose tables would not stay in
         * cache. SRTCP always uses the JDK's cipher.
         */
        public Builder gcmTables(boolean tables) {
            this.gcmTables = tables;
            return this;
        }

        /** Who hears about key lifetimes. */
        public Builder keyLimitListener(KeyLimitListener listener) {
            this.keyLimitListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalStateException without a master key, or when several keys lack MKIs or
         *                               have MKIs of different lengths
         */
        public SrtpPolicy build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("an SRTP policy needs a master key");
            }
            int mkiLength = keys.get(0).mkiLength();
            for (MasterKey k : keys) {
                if (k.mkiLength() != mkiLength) {
                    throw new IllegalStateException("all MKIs must have the same length");
                }
            }
            if (keys.size() > 1 && mkiLength == 0) {
                throw new IllegalStateException("several master keys need MKIs to tell them apart");
            }
            return new SrtpPolicy(this);
        }
    }
}
