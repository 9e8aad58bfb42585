package io.rvoip.rtp.srtp;

/**
 * Packets an {@link SrtpContext} accepted and refused. Written by the context's thread; other
 * threads may read slightly stale values.
 */
public final class SrtpCounters {
    long rtpProtected;
    long rtpUnprotected;
    long rtcpProtected;
    long rtcpUnprotected;
    private final long[] refused = new long[SrtpError.values().length];

    void count(SrtpError e) {
        refused[e.ordinal()]++;
    }

    /** RTP packets protected. */
    public long rtpProtected() {
        return rtpProtected;
    }

    /** SRTP packets accepted. */
    public long rtpUnprotected() {
        return rtpUnprotected;
    }

    /** RTCP packets protected. */
    public long rtcpProtected() {
        return rtcpProtected;
    }

    /** SRTCP packets accepted. */
    public long rtcpUnprotected() {
        return rtcpUnprotected;
    }

    /** Packets refused for this reason. */
    public long refused(SrtpError reason) {
        return refused[reason.ordinal()];
    }

    /** Packets refused for any reason. */
    public long refusedTotal() {
        long n = 0;
        for (long r : refused) {
            n += r;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SrtpCounters{rtp=").append(rtpProtected).append('/')
                .append(rtpUnprotected).append(", rtcp=").append(rtcpProtected).append('/')
                .append(rtcpUnprotected);
        for (SrtpError e : SrtpError.values()) {
            if (refused[e.ordinal()] > 0) {
                sb.append(", ").append(e).append('=').append(refused[e.ordinal()]);
            }
        }
        return sb.append('}').toString();
    }
}
