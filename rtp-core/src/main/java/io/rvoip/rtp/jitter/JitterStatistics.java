package io.rvoip.rtp.jitter;

/** What a {@link JitterBuffer} did, for media-core's concealment and for quality reports. */
public final class JitterStatistics {
    long received;
    long played;
    long late;
    long duplicates;
    long lost;
    long concealed;
    long inserted;
    long dropped;
    long resyncs;
    long silenceSkippedMs;
    long pulls;
    long delaySamples;
    long delaySumMs;
    long addedDelayNanosSum;
    int maxBuffered;

    /** Packets offered. */
    public long received() {
        return received;
    }

    /** Packets played. */
    public long played() {
        return played;
    }

    /** Packets that arrived after their playout time (late loss). */
    public long late() {
        return late;
    }

    /** Duplicate packets dropped. */
    public long duplicates() {
        return duplicates;
    }

    /** Packets known lost (a later one arrived before them). */
    public long lost() {
        return lost;
    }

    /** Frames for which concealment was asked ({@link Frame.Kind#LOST}). */
    public long concealed() {
        return concealed;
    }

    /** Frames inserted to grow the delay in speech. */
    public long inserted() {
        return inserted;
    }

    /** Speech frames dropped to shrink the delay. */
    public long dropped() {
        return dropped;
    }

    /** Times the stream jumped so far the buffer restarted. */
    public long resyncs() {
        return resyncs;
    }

    /** Milliseconds of silence removed to shrink the delay. */
    public long silenceSkippedMs() {
        return silenceSkippedMs;
    }

    /** Average time a played packet waited in the buffer, milliseconds. */
    public double averageAddedDelayMs() {
        return played == 0 ? 0 : addedDelayNanosSum / 1e6 / played;
    }

    /** Average playout delay above the minimum transit, milliseconds. */
    public double averagePlayoutDelayMs() {
        return delaySamples == 0 ? 0 : (double) delaySumMs / delaySamples;
    }

    /** Late packets over packets that arrived in time or late (duplicates excluded). */
    public double lateLossRate() {
        long arrived = played + late + dropped;
        return arrived == 0 ? 0 : (double) late / arrived;
    }

    /** Most packets buffered at once. */
    public int maxBuffered() {
        return maxBuffered;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "JitterStatistics{received=%d, played=%d, late=%d (%.2f%%), lost=%d, concealed=%d, inserted=%d, "
                        + "dropped=%d, duplicates=%d, resyncs=%d, addedDelay=%.1f ms}",
                received, played, late, 100 * lateLossRate(), lost, concealed, inserted, dropped, duplicates,
                resyncs, averageAddedDelayMs());
    }
}
