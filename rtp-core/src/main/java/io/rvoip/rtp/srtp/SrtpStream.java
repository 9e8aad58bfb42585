package io.rvoip.rtp.srtp;

/** Per-SSRC SRTP/SRTCP state: rollover counter, highest sequence, replay windows, SRTCP index. */
final class SrtpStream {
    int ssrc;
    boolean started;
    int roc;
    int highestSeq;
    final ReplayWindow rtpReplay;
    final ReplayWindow rtcpReplay;
    int nextRtcpIndex;
    /** Per-stream keys when a key derivation rate is set; null otherwise. */
    SessionKeys rtpKeys;
    SessionKeys rtcpKeys;
    Object keysOwner;

    SrtpStream(int window) {
        this.rtpReplay = new ReplayWindow(window);
        this.rtcpReplay = new ReplayWindow(window);
    }

    void reset(int ssrc) {
        this.ssrc = ssrc;
        this.started = false;
        this.roc = 0;
        this.highestSeq = 0;
        this.nextRtcpIndex = 0;
        this.rtpReplay.reset();
        this.rtcpReplay.reset();
        this.rtpKeys = null;
        this.rtcpKeys = null;
        this.keysOwner = null;
    }

    /**
     * The rollover counter guessed for {@code seq} (RFC 3711 Appendix A); the first packet of a
     * stream takes ROC 0 (or the ROC set for the stream).
     */
    int guessRoc(int seq) {
        if (!started) {
            return roc;
        }
        int sl = highestSeq;
        if (sl < 32768) {
            return seq - sl > 32768 ? roc - 1 : roc;
        }
        return sl - 32768 > seq ? roc + 1 : roc;
    }

    /** Updates ROC and the highest sequence after a packet with this ROC guess was accepted. */
    void update(int guessedRoc, int seq) {
        if (!started) {
            started = true;
            roc = guessedRoc;
            highestSeq = seq;
        } else if (guessedRoc == roc + 1) {
            roc = guessedRoc;
            highestSeq = seq;
        } else if (guessedRoc == roc && seq > highestSeq) {
            highestSeq = seq;
        }
    }

    static long index(int roc, int seq) {
        return ((roc & 0xFFFFFFFFL) << 16) | seq;
    }
}
