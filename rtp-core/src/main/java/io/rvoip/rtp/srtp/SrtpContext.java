package io.rvoip.rtp.srtp;

import java.util.ArrayList;
import java.util.List;

/**
 * SRTP and SRTCP protection for one direction of one session (RFC 3711, RFC 6188, RFC 7714):
 * the master keys of one sender, per-SSRC rollover counters and replay windows, and the
 * session keys derived from them.
 *
 * <p>Use one context to protect what you send (your key) and another to unprotect what you
 * receive (the peer's key). Any keying feeds it: SDES ({@link SdesCrypto}) now, DTLS-SRTP
 * later — both end in an {@link SrtpPolicy}.
 *
 * <p>Packets are processed in place in a {@code byte[]}: protect needs {@link #rtpOverhead()}
 * (or {@link #rtcpOverhead()}) spare bytes after the packet. The methods return the new length,
 * or a negative {@link SrtpError#code()}; a refused packet is counted in {@link #counters()} and
 * the buffer must be discarded. Nothing is allocated per packet for the AES-CM profiles.
 *
 * <p>Not thread-safe: a context belongs to the one thread that sends (or receives) the stream,
 * as the RTP session model of rtp-core arranges.
 *
 * <pre>{@code
 * SrtpContext tx = SrtpContext.create(SrtpPolicy.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key));
 * int n = tx.protectRtp(buf, 0, len);          // buf.length >= len + tx.rtpOverhead()
 * if (n < 0) log.debug("dropped: {}", SrtpError.of(n));
 * }</pre>
 */
public final class SrtpContext {
    private static final int RTP_VERSION = 2;

    private final SrtpPolicy policy;
    private final SrtpProfile profile;
    private final KeyState[] keys;
    private KeyState active;
    private final int mkiLength;
    private final int rtpTag;
    private final int rtcpTag;
    private final StreamTable streams;
    private final SrtpCounters counters = new SrtpCounters();
    private final byte[] rtcpWord = new byte[4];
    /** A stream object for an SSRC not yet authenticated; kept for the next one when refused. */
    private SrtpStream spare;

    private SrtpContext(SrtpPolicy policy) {
        this.policy = policy;
        this.profile = policy.profile();
        List<MasterKey> mks = policy.masterKeys();
        this.keys = new KeyState[mks.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new KeyState(mks.get(i), profile, policy.kdrExponent(), policy.gcmTables());
        }
        this.active = keys[0];
        this.mkiLength = policy.mkiLength();
        this.rtpTag = profile.rtpTagLength();
        this.rtcpTag = profile.rtcpTagLength();
        this.streams = new StreamTable(policy.maxStreams());
    }

    /** A context whose first master key uses the given session keys (test vectors). */
    static SrtpContext withSessionKeys(SrtpPolicy policy, SessionKeys rtp, SessionKeys rtcp) {
        SrtpContext c = new SrtpContext(policy);
        c.keys[0] = new KeyState(policy.masterKeys().get(0), rtp, rtcp);
        c.active = c.keys[0];
        return c;
    }

    /** A context for a policy. Derives the session keys (unless a KDR asks for per-index keys). */
    public static SrtpContext create(SrtpPolicy policy) {
        return new SrtpContext(policy);
    }

    /** The policy this context runs. */
    public SrtpPolicy policy() {
        return policy;
    }

    /** Spare bytes protectRtp needs after the packet: MKI plus tag. */
    public int rtpOverhead() {
        return mkiLength + rtpTag;
    }

    /** Spare bytes protectRtcp needs after the packet: SRTCP index word, MKI and tag. */
    public int rtcpOverhead() {
        return 4 + mkiLength + rtcpTag;
    }

    /** What was accepted and refused, by reason. */
    public SrtpCounters counters() {
        return counters;
    }

    /** Number of SSRCs this context currently tracks. */
    public int streamCount() {
        return streams.size();
    }

    /**
     * Switches outgoing protection to the master key with this MKI (re-keying with MKI).
     *
     * @throws IllegalArgumentException when no key has this MKI
     */
    public void useMasterKey(byte[] mki) {
        for (KeyState k : keys) {
            if (k.master.mkiEquals(mki, 0, mki.length)) {
                active = k;
                return;
            }
        }
        throw new IllegalArgumentException("no master key with that MKI");
    }

    /**
     * Sets the rollover counter of an SSRC before its first packet (a receiver joining a stream
     * late learns it out of band). Ignored once the stream has started.
     */
    public void setRolloverCounter(int ssrc, int roc) {
        SrtpStream s = streams.get(ssrc);
        if (s == null) {
            s = newStream(ssrc);
            if (s == null) {
                return;
            }
            streams.put(s);
            spare = null;
        }
        if (!s.started) {
            s.roc = roc;
        }
    }

    /** Sets the next SRTCP index of an SSRC (test vectors start mid-stream). */
    void nextRtcpIndex(int ssrc, int index) {
        setRolloverCounter(ssrc, 0);
        streams.get(ssrc).nextRtcpIndex = index;
    }

    /** The current rollover counter of an SSRC, or -1 when the SSRC is unknown. */
    public long rolloverCounter(int ssrc) {
        SrtpStream s = streams.get(ssrc);
        return s == null ? -1 : s.roc & 0xFFFFFFFFL;
    }

    /** Forgets an SSRC (after an RTCP BYE); its slot can be reused. */
    public void removeStream(int ssrc) {
        SrtpStream s = streams.remove(ssrc);
        if (s != null && spare == null) {
            spare = s; // reused for the next new SSRC
        }
    }

    // ---------------------------------------------------------------- SRTP

    /**
     * Protects the RTP packet in {@code buf[off..off+len)} in place.
     *
     * @return the SRTP packet length, or a negative {@link SrtpError#code()}
     */
    public int protectRtp(byte[] buf, int off, int len) {
        int hdr = rtpHeaderLength(buf, off, len);
        if (hdr < 0) {
            return refuse(hdr);
        }
        int outLen = len + mkiLength + rtpTag;
        if (off + outLen > buf.length) {
            return refuse(SrtpError.NO_ROOM.code());
        }
        int ssrc = int32(buf, off + 8);
        int seq = u16(buf, off + 2);
        int located = locateRtp(ssrc, seq);
        if (located != 0) {
            return refuse(located);
        }
        SrtpStream s = curStream;
        boolean fresh = curFresh;
        int roc = curRoc;
        long index = curIndex;
        KeyState k = active;
        int limit = k.useRtp(policy);
        if (limit != 0) {
            return refuse(limit);
        }
        if (fresh) {
            streams.put(s);
            spare = null;
        }
        SessionKeys sk = rtpKeys(s, k, index);
        if (profile.aead()) {
            sk.gcmSeal(ssrc, roc, seq, false, buf, off, hdr, len, null);
            if (mkiLength > 0) {
                k.master.writeMki(buf, off + len + rtpTag);
            }
        } else {
            sk.aesCm(ssrc, index, buf, off + hdr, len - hdr);
            if (mkiLength > 0) {
                k.master.writeMki(buf, off + len);
            }
            sk.tag(buf, off, len, true, roc, buf, off + len + mkiLength, rtpTag);
        }
        s.rtpReplay.accept(index);
        s.update(roc, seq);
        counters.rtpProtected++;
        return outLen;
    }

    /**
     * Authenticates, replay-checks and decrypts the SRTP packet in {@code buf[off..off+len)} in
     * place.
     *
     * @return the RTP packet length, or a negative {@link SrtpError#code()}
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        int hdr = rtpHeaderLength(buf, off, len);
        if (hdr < 0) {
            return refuse(hdr);
        }
        int trailer = mkiLength + rtpTag;
        if (len - trailer < hdr) {
            return refuse(SrtpError.TOO_SHORT.code());
        }
        KeyState k = keyFor(buf, profile.aead() ? off + len - mkiLength : off + len - trailer);
        if (k == null) {
            return refuse(SrtpError.UNKNOWN_MKI.code());
        }
        int ssrc = int32(buf, off + 8);
        int seq = u16(buf, off + 2);
        int located = locateRtp(ssrc, seq);
        if (located != 0) {
            return refuse(located);
        }
        SrtpStream s = curStream;
        boolean fresh = curFresh;
        int roc = curRoc;
        long index = curIndex;
        int limit = k.useRtp(policy);
        if (limit != 0) {
            return refuse(limit);
        }
        SessionKeys sk = rtpKeys(s, k, index);
        int outLen;
        if (profile.aead()) {
            int cipherEnd = len - mkiLength;
            int plain = sk.gcmOpen(ssrc, roc, seq, false, buf, off, hdr, cipherEnd, null);
            if (plain < 0) {
                return refuse(SrtpError.AUTH_FAILED.code());
            }
            outLen = hdr + plain;
        } else {
            int authLen = len - trailer;
            if (!sk.verify(buf, off, authLen, true, roc, off + authLen + mkiLength, rtpTag)) {
                return refuse(SrtpError.AUTH_FAILED.code());
            }
            sk.aesCm(ssrc, index, buf, off + hdr, authLen - hdr);
            outLen = authLen;
        }
        if (fresh) {
            streams.put(s);
            spare = null;
        }
        s.rtpReplay.accept(index);
        s.update(roc, seq);
        counters.rtpUnprotected++;
        return outLen;
    }

    // ---------------------------------------------------------------- SRTCP

    /**
     * Protects the (compound) RTCP packet in {@code buf[off..off+len)} in place, encrypting it
     * (E flag set) unless the profile is NULL.
     *
     * @return the SRTCP packet length, or a negative {@link SrtpError#code()}
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        int check = rtcpHeaderCheck(buf, off, len, 8);
        if (check < 0) {
            return refuse(check);
        }
        int outLen = len + rtcpOverhead() + (profile.aead() ? 16 - rtcpTag : 0);
        if (off + outLen > buf.length) {
            return refuse(SrtpError.NO_ROOM.code());
        }
        int ssrc = int32(buf, off + 4);
        SrtpStream s = streams.get(ssrc);
        boolean fresh = false;
        if (s == null) {
            s = newStream(ssrc);
            if (s == null) {
                return refuse(SrtpError.TOO_MANY_STREAMS.code());
            }
            fresh = true;
        }
        int index = s.nextRtcpIndex;
        if (index < 0) {
            return refuse(SrtpError.KEY_EXPIRED.code());
        }
        KeyState k = active;
        int limit = k.useRtcp(policy);
        if (limit != 0) {
            return refuse(limit);
        }
        if (fresh) {
            streams.put(s);
            spare = null;
        }
        boolean encrypt = profile.encrypts();
        int word = (encrypt ? 0x80000000 : 0) | index;
        SessionKeys sk = rtcpKeys(s, k, index);
        if (profile.aead()) {
            putInt(rtcpWord, 0, word);
            int sealed = sk.gcmSeal(ssrc, 0, index, true, buf, off, 8, len, rtcpWord);
            int p = off + 8 + sealed;
            putInt(buf, p, word);
            if (mkiLength > 0) {
                k.master.writeMki(buf, p + 4);
            }
        } else {
            if (encrypt) {
                sk.aesCm(ssrc, index, buf, off + 8, len - 8);
            }
            putInt(buf, off + len, word);
            if (mkiLength > 0) {
                k.master.writeMki(buf, off + len + 4);
            }
            sk.tag(buf, off, len + 4, false, 0, buf, off + len + 4 + mkiLength, rtcpTag);
        }
        s.nextRtcpIndex = index + 1 == 0x80000000 ? -1 : index + 1;
        counters.rtcpProtected++;
        return outLen;
    }

    /**
     * Authenticates, replay-checks and (when the E flag says so) decrypts the SRTCP packet in
     * {@code buf[off..off+len)} in place.
     *
     * @return the RTCP packet length, or a negative {@link SrtpError#code()}
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        int tag = profile.aead() ? 0 : rtcpTag;
        int check = rtcpHeaderCheck(buf, off, len, 8 + 4 + mkiLength + tag);
        if (check < 0) {
            return refuse(check);
        }
        int wordPos = off + len - tag - mkiLength - 4;
        KeyState k = keyFor(buf, wordPos + 4);
        if (k == null) {
            return refuse(SrtpError.UNKNOWN_MKI.code());
        }
        int word = int32(buf, wordPos);
        boolean encrypted = word < 0;
        int index = word & 0x7FFFFFFF;
        int ssrc = int32(buf, off + 4);
        SrtpStream s = streams.get(ssrc);
        boolean fresh = false;
        if (s == null) {
            s = newStream(ssrc);
            if (s == null) {
                return refuse(SrtpError.TOO_MANY_STREAMS.code());
            }
            fresh = true;
        }
        if (!s.rtcpReplay.check(index)) {
            return refuse(SrtpError.REPLAYED.code());
        }
        int limit = k.useRtcp(policy);
        if (limit != 0) {
            return refuse(limit);
        }
        SessionKeys sk = rtcpKeys(s, k, index);
        int outLen;
        if (profile.aead()) {
            if (wordPos - off < 8 + 16) {
                return refuse(SrtpError.TOO_SHORT.code());
            }
            putInt(rtcpWord, 0, word);
            int plain;
            if (encrypted) {
                plain = sk.gcmOpen(ssrc, 0, index, true, buf, off, 8, wordPos - off, rtcpWord);
                outLen = plain < 0 ? -1 : 8 + plain;
            } else {
                int aad = wordPos - off - 16;
                plain = sk.gcmOpen(ssrc, 0, index, true, buf, off, aad, wordPos - off, rtcpWord);
                outLen = plain < 0 ? -1 : aad;
            }
            if (plain < 0) {
                return refuse(SrtpError.AUTH_FAILED.code());
            }
        } else {
            if (!sk.verify(buf, off, wordPos + 4 - off, false, 0, wordPos + 4 + mkiLength, rtcpTag)) {
                return refuse(SrtpError.AUTH_FAILED.code());
            }
            if (encrypted) {
                sk.aesCm(ssrc, index, buf, off + 8, wordPos - off - 8);
            }
            outLen = wordPos - off;
        }
        if (fresh) {
            streams.put(s);
            spare = null;
        }
        s.rtcpReplay.accept(index);
        counters.rtcpUnprotected++;
        return outLen;
    }

    // ---------------------------------------------------------------- helpers

    // what locateRtp found (the context belongs to one thread: fields instead of an object)
    private SrtpStream curStream;
    private boolean curFresh;
    private int curRoc;
    private long curIndex;

    /**
     * Finds (or prepares, unless the table is full) the stream of an SSRC, guesses the ROC and
     * checks the packet index against the replay window; 0 or an error code.
     */
    private int locateRtp(int ssrc, int seq) {
        SrtpStream s = streams.get(ssrc);
        boolean fresh = false;
        if (s == null) {
            s = newStream(ssrc);
            if (s == null) {
                return SrtpError.TOO_MANY_STREAMS.code();
            }
            fresh = true;
        }
        int roc = s.guessRoc(seq);
        if (s.started && roc == s.roc - 1 && s.roc == 0) {
            return SrtpError.REPLAYED.code(); // from before the stream's first rollover
        }
        long index = SrtpStream.index(roc, seq);
        if (!s.rtpReplay.check(index)) {
            return SrtpError.REPLAYED.code();
        }
        curStream = s;
        curFresh = fresh;
        curRoc = roc;
        curIndex = index;
        return 0;
    }

    private int refuse(int code) {
        counters.count(SrtpError.of(code));
        return code;
    }

    private SrtpStream newStream(int ssrc) {
        if (streams.size() >= policy.maxStreams()) {
            return null;
        }
        SrtpStream s = spare;
        if (s == null) {
            s = new SrtpStream(policy.replayWindow());
            spare = s;
        }
        s.reset(ssrc);
        return s;
    }

    private KeyState keyFor(byte[] buf, int mkiOff) {
        if (mkiLength == 0) {
            return keys[0];
        }
        for (KeyState k : keys) {
            if (k.master.mkiEquals(buf, mkiOff, mkiLength)) {
                return k;
            }
        }
        return null;
    }

    private SessionKeys rtpKeys(SrtpStream s, KeyState k, long index) {
        if (k.rtp != null) {
            return k.rtp;
        }
        long r = index >>> policy.kdrExponent();
        if (s.rtpKeys == null || s.keysOwner != k || s.rtpKeys.r != r) {
            s.rtpKeys = SessionKeys.derive(profile, k.master, false, r, policy.gcmTables());
            if (s.keysOwner != k) {
                s.rtcpKeys = null;
            }
            s.keysOwner = k;
        }
        return s.rtpKeys;
    }

    private SessionKeys rtcpKeys(SrtpStream s, KeyState k, long index) {
        if (k.rtcp != null) {
            return k.rtcp;
        }
        long r = index >>> policy.kdrExponent();
        if (s.rtcpKeys == null || s.keysOwner != k || s.rtcpKeys.r != r) {
            s.rtcpKeys = SessionKeys.derive(profile, k.master, true, r);
            if (s.keysOwner != k) {
                s.rtpKeys = null;
            }
            s.keysOwner = k;
        }
        return s.rtcpKeys;
    }

    /** Length of the RTP header (with CSRCs and extension), or a negative error code. */
    static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < 12) {
            return SrtpError.TOO_SHORT.code();
        }
        int b0 = buf[off] & 0xFF;
        if (b0 >>> 6 != RTP_VERSION) {
            return SrtpError.MALFORMED.code();
        }
        int pt = buf[off + 1] & 0x7F;
        if (pt >= 72 && pt <= 76) {
            return SrtpError.MALFORMED.code();
        }
        int hdr = 12 + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (len < hdr + 4) {
                return SrtpError.TOO_SHORT.code();
            }
            hdr += 4 + 4 * u16(buf, off + hdr + 2);
        }
        return hdr > len ? SrtpError.TOO_SHORT.code() : hdr;
    }

    private static int rtcpHeaderCheck(byte[] buf, int off, int len, int min) {
        if (len < min) {
            return SrtpError.TOO_SHORT.code();
        }
        if ((buf[off] & 0xC0) != 0x80) {
            return SrtpError.MALFORMED.code();
        }
        int pt = buf[off + 1] & 0xFF;
        if (pt < 192 || pt > 223) {
            return SrtpError.MALFORMED.code();
        }
        return 0;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int int32(byte[] b, int i) {
        return (b[i] << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /** One master key, its packet counts and (without KDR) its session keys. */
    private static final class KeyState {
        final MasterKey master;
        final SessionKeys rtp;
        final SessionKeys rtcp;
        long rtpPackets;
        long rtcpPackets;
        boolean warned;

        KeyState(MasterKey master, SessionKeys rtp, SessionKeys rtcp) {
            this.master = master;
            this.rtp = rtp;
            this.rtcp = rtcp;
        }

        KeyState(MasterKey master, SrtpProfile profile, int kdrExponent, boolean gcmTables) {
            this.master = master;
            if (kdrExponent < 0) {
                this.rtp = SessionKeys.derive(profile, master, false, 0, gcmTables);
                this.rtcp = SessionKeys.derive(profile, master, true, 0);
            } else {
                this.rtp = null;
                this.rtcp = null;
            }
        }

        int useRtp(SrtpPolicy policy) {
            long limit = master.lifetime();
            if (rtpPackets >= limit) {
                return SrtpError.KEY_EXPIRED.code();
            }
            rtpPackets++;
            check(policy, rtpPackets, limit);
            return 0;
        }

        int useRtcp(SrtpPolicy policy) {
            long limit = Math.min(master.lifetime(), MasterKey.MAX_SRTCP_LIFETIME);
            if (rtcpPackets >= limit) {
                return SrtpError.KEY_EXPIRED.code();
            }
            rtcpPackets++;
            check(policy, rtcpPackets, limit);
            return 0;
        }

        private void check(SrtpPolicy policy, long used, long limit) {
            if (!warned && used >= limit - (limit >>> 4)) {
                warned = true;
                policy.keyLimitListener().keyLimit(master, false);
            }
            if (used == limit) {
                policy.keyLimitListener().keyLimit(master, true);
            }
        }
    }

    /** Open-addressing SSRC → stream map without boxing. */
    private static final class StreamTable {
        private final int[] ssrcs;
        private final SrtpStream[] values;
        private final int mask;
        private int size;

        StreamTable(int maxStreams) {
            int cap = Integer.highestOneBit(Math.max(4, maxStreams * 2 - 1)) << 1;
            ssrcs = new int[cap];
            values = new SrtpStream[cap];
            mask = cap - 1;
        }

        int size() {
            return size;
        }

        private static int hash(int ssrc) {
            int h = ssrc * 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        SrtpStream get(int ssrc) {
            for (int i = hash(ssrc) & mask; ; i = (i + 1) & mask) {
                SrtpStream v = values[i];
                if (v == null) {
                    return null;
                }
                if (ssrcs[i] == ssrc) {
                    return v;
                }
            }
        }

        void put(SrtpStream s) {
            for (int i = hash(s.ssrc) & mask; ; i = (i + 1) & mask) {
                if (values[i] == null) {
                    ssrcs[i] = s.ssrc;
                    values[i] = s;
                    size++;
                    return;
                }
                if (ssrcs[i] == s.ssrc) {
                    values[i] = s;
                    return;
                }
            }
        }

        SrtpStream remove(int ssrc) {
            int i = hash(ssrc) & mask;
            while (values[i] != null && ssrcs[i] != ssrc) {
                i = (i + 1) & mask;
            }
            SrtpStream removed = values[i];
            if (removed == null) {
                return null;
            }
            values[i] = null;
            size--;
            // re-insert the rest of the cluster (linear probing deletion)
            for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
                SrtpStream v = values[j];
                values[j] = null;
                size--;
                put(v);
            }
            return removed;
        }
    }
}
