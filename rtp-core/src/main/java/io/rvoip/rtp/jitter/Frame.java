package io.rvoip.rtp.jitter;

/**
 * What {@link JitterBuffer#pull} says to play for one frame period. Reused between calls:
 * read it before the next {@code put} or {@code pull}.
 */
public final class Frame {
    /** The kind of frame. */
    public enum Kind {
        /** Nothing to play yet (buffering before the first packet's playout time). */
        NOT_STARTED,
        /** A packet: decode {@link #payload()}. */
        PACKET,
        /**
         * The packet due is missing: run packet-loss concealment. When the packet after it is
         * already buffered, {@link Frame#payload()} holds that one (for in-band FEC), else null.
         */
        LOST,
        /** Played while the buffer grows towards its target: concealment (or repeat) in speech. */
        INSERTED,
        /** A silence gap (DTX, comfort noise, between talkspurts): play silence or CN. */
        SILENCE
    }

    Kind kind;
    int sequenceNumber;
    long timestamp;
    boolean marker;
    boolean silenceDescriptor;
    int samples;
    byte[] payload;
    int length;

    Frame() {
        reset();
    }

    void reset() {
        kind = Kind.NOT_STARTED;
        sequenceNumber = -1;
        timestamp = -1;
        marker = false;
        silenceDescriptor = false;
        samples = 0;
        payload = null;
        length = 0;
    }

    /** The kind of frame. */
    public Kind kind() {
        return kind;
    }

    /** True when this {@link Kind#PACKET} is a comfort-noise (SID) packet that starts a silence period. */
    public boolean silenceDescriptor() {
        return silenceDescriptor;
    }

    /** Sequence number of the packet ({@link Kind#PACKET} only), else -1. */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** Extended RTP timestamp of the frame's first sample (-1 before start). */
    public long timestamp() {
        return timestamp;
    }

    /** Marker bit of the packet. */
    public boolean marker() {
        return marker;
    }

    /** Duration of the frame in timestamp units. */
    public int samples() {
        return samples;
    }

    /** Payload bytes ({@link Kind#PACKET} only); valid from offset 0 for {@link #length()}. */
    public byte[] payload() {
        return payload;
    }

    /** Payload length. */
    public int length() {
        return length;
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.PACKET ? "(seq=" + sequenceNumber + ", ts=" + timestamp + ")" : "(ts=" + timestamp + ")");
    }
}
