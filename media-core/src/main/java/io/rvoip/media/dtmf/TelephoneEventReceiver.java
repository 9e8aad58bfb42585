package io.rvoip.media.dtmf;

import java.util.function.Consumer;

/**
 * Receives RFC 4733 telephone-events and reports each event once it ends: at its E bit (the
 * two retransmissions are ignored), when a packet with another timestamp starts the next
 * event, or when no packet came for three packet intervals (§2.5.2.2: a lost end must not leave
 * a tone stuck). Late packets of an event already reported are ignored; an event whose first
 * packets were lost is still reported. Segments of a long event (a new timestamp right where
 * the last ended, same event, no marker) are joined. Not thread-safe: one per stream.
 */
public final class TelephoneEventReceiver {
    /**
     * An ended event.
     *
     * @param eventCode 0–255 (0–15 the DTMF digits)
     * @param durationUnits its length in timestamp units
     * @param endSeen false when it ended by timeout or by the next event (its end was lost)
     */
    public record Event(int eventCode, int volume, long durationUnits, boolean endSeen) {
        /** The DTMF digit, or 0 for other events. */
        public char digit() {
            return Dtmf.digit(eventCode);
        }
    }

    private final Consumer<Event> listener;
    private final long timeoutUnits;
    private boolean playing;
    private long timestamp;      // of the current segment
    private long eventStart;     // of the first segment
    private int event;
    private int volume;
    private long duration;       // of the current segment
    private long lastActivity;   // receive time of the last packet, timestamp units
    private long lastEndedSegmentEnd = Long.MIN_VALUE;
    private int lastEndedEvent = -1;
    /** The segments of the last events reported (timestamp and code), so late packets are ignored. */
    private final long[] endedTimestamps = new long[8];
    private final int[] endedEvents = new int[8];
    private int endedNext;

    /**
     * @param unitsPerPacket the expected packet interval in timestamp units
     * @param listener gets each ended event, on the caller's thread
     */
    public TelephoneEventReceiver(int unitsPerPacket, Consumer<Event> listener) {
        this.timeoutUnits = 3L * unitsPerPacket;
        this.listener = listener;
        java.util.Arrays.fill(endedEvents, -1);
    }

    private boolean ended(long ts, int code) {
        for (int i = 0; i < endedEvents.length; i++) {
            if (endedEvents[i] == code && endedTimestamps[i] == ts) {
                return true;
            }
        }
        return false;
    }

    /**
     * A telephone-event packet.
     *
     * @param rtpTimestamp the packet's RTP timestamp
     * @param now the receive time in the same units (for the timeout)
     * @return false when the payload is malformed (it is ignored)
     */
    public boolean onPacket(long rtpTimestamp, byte[] payload, int off, int len, long now) {
        if (len < 4 || len % 4 != 0) {
            return false; // several events per payload (§2.5.1.3.1) are read one by one below
        }
        for (int i = off; i + 4 <= off + len; i += 4) {
            handle(rtpTimestamp, payload[i] & 0xFF, (payload[i + 1] & 0x80) != 0, payload[i + 1] & 0x3F,
                    ((payload[i + 2] & 0xFF) << 8) | (payload[i + 3] & 0xFF), now);
        }
        return true;
    }

    private void handle(long ts, int code, boolean end, int vol, int dur, long now) {
        if (playing && ts == timestamp && code == event) {
            duration = Math.max(duration, dur);
            volume = vol;
            lastActivity = now;
            if (end) {
                finish(true);
            }
            return;
        }
        if (ended(ts, code)) {
            return; // a retransmitted end, or a late packet of an event already reported
        }
        if (playing && code == event && ts == timestamp + duration && duration >= 0xFFFF) {
            // the next segment of a long event
            timestamp = ts;
            duration = dur;
            lastActivity = now;
            if (end) {
                finish(true);
            }
            return;
        }
        if (!playing && code == lastEndedEvent && ts == lastEndedSegmentEnd) {
            return; // a segment of an event reported already (its previous segment's end was lost)
        }
        if (playing) {
            finish(false); // the next event started: the end of this one was lost
        }
        playing = true;
        timestamp = ts;
        eventStart = ts;
        event = code;
        volume = vol;
        duration = dur;
        lastActivity = now;
        if (end) {
            finish(true);
        }
    }

    /**
     * Checks the timeout: an event without packets for three intervals is reported as ended.
     *
     * @param now the current time in timestamp units
     */
    public void tick(long now) {
        if (playing && now - lastActivity > timeoutUnits) {
            finish(false);
        }
    }

    private void finish(boolean endSeen) {
        playing = false;
        endedTimestamps[endedNext] = timestamp;
        endedEvents[endedNext] = event;
        endedNext = (endedNext + 1) % endedEvents.length;
        lastEndedSegmentEnd = timestamp + duration;
        lastEndedEvent = event;
        listener.accept(new Event(event, volume, timestamp - eventStart + duration, endSeen));
    }
}
