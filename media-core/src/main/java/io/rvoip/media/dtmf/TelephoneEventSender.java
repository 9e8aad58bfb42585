package io.rvoip.media.dtmf;

/**
 * Sends RFC 4733 telephone-events, driven by the media clock: {@link #start} a digit, then call
 * {@link #next} every packet interval until it returns false. All packets of an event carry
 * the timestamp of its start (the first one with the marker bit) and the duration so far; the
 * final packet has the E bit and goes three times (§2.5.1.4). Events longer than 0xFFFF
 * timestamp units are split into segments (§2.5.1.3). Not thread-safe: one per stream.
 */
public final class TelephoneEventSender {
    /** One packet to send: marker, RTP timestamp offset from the event's start, 4-byte payload. */
    public record Packet(boolean marker, long timestamp, byte[] payload) {
    }

    private final int unitsPerPacket;
    private int event = -1;
    private int volume;
    private long total;        // requested duration, timestamp units
    private long sent;         // duration reported so far
    private long segmentStart; // timestamp offset of the current segment
    private int endRepeats;
    private boolean first;

    /** @param unitsPerPacket timestamp units between packets (160 for 20 ms at 8 kHz) */
    public TelephoneEventSender(int unitsPerPacket) {
        if (unitsPerPacket <= 0 || unitsPerPacket > 0xFFFF) {
            throw new IllegalArgumentException("units per packet: " + unitsPerPacket);
        }
        this.unitsPerPacket = unitsPerPacket;
    }

    /**
     * Starts an event.
     *
     * @param eventCode 0–255 (0–15 are the DTMF digits)
     * @param durationUnits the event's length in timestamp units (at least one packet)
     * @param volume 0–63, the power level as -dBm0 (10 is typical)
     */
    public void start(int eventCode, long durationUnits, int volume) {
        if (eventCode < 0 || eventCode > 255 || volume < 0 || volume > 63 || durationUnits <= 0) {
            throw new IllegalArgumentException("event " + eventCode + ", volume " + volume + ", duration " + durationUnits);
        }
        this.event = eventCode;
        this.volume = volume;
        this.total = Math.max(durationUnits, unitsPerPacket);
        this.sent = 0;
        this.segmentStart = 0;
        this.endRepeats = 0;
        this.first = true;
    }

    /** True while packets remain to be sent. */
    public boolean active() {
        return event >= 0;
    }

    /** The next packet of the event, or null when it is over. */
    public Packet next() {
        if (event < 0) {
            return null;
        }
        if (endRepeats > 0) {
            Packet p = packet(false, true, total - segmentStart);
            if (--endRepeats == 0) {
                event = -1;
            }
            return p;
        }
        long reached = Math.min(total, sent + unitsPerPacket);
        if (reached - segmentStart > 0xFFFF) {
            // §2.5.1.3: report the full segment, then start a new one where it ended
            Packet p = packet(first, false, 0xFFFF);
            segmentStart += 0xFFFF;
            sent = segmentStart;
            first = false;
            return p;
        }
        sent = reached;
        boolean end = reached >= total;
        Packet p = packet(first, end, reached - segmentStart);
        first = false;
        if (end) {
            endRepeats = 2; // the final packet goes three times in all
        }
        return p;
    }

    private Packet packet(boolean marker, boolean end, long duration) {
        byte[] b = new byte[4];
        b[0] = (byte) event;
        b[1] = (byte) ((end ? 0x80 : 0) | volume);
        b[2] = (byte) (duration >> 8);
        b[3] = (byte) duration;
        return new Packet(marker, segmentStart, b);
    }
}
