package io.rvoip.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A read view of one RTP packet (RFC 3550 §5.1) over a {@code byte[]} slice: the header
 * fields are read from the bytes on demand and the payload is never copied.
 *
 * <p>Two ways in: {@link #parse(byte[], int, int)} makes a new view or throws a typed error;
 * {@link #wrap(byte[], int, int)} re-points a reused view and returns false for bad input (the
 * reason in {@link #error()}) — the per-packet path allocates nothing.
 *
 * <p>The checks are those of RFC 3550 §A.1 that need no state: version 2, payload type not in
 * the RTCP range 72–76, CSRC list, header extension and padding inside the packet. Header
 * extensions of RFC 8285 (one-byte {@code 0xBEDE} and two-byte {@code 0x100x} forms) are found
 * with {@link #extension(int)}.
 *
 * <p>The header setters rewrite fields in place (an RTP relay rewriting SSRC, sequence
 * number or timestamp).
 *
 * <pre>{@code
 * RtpPacket p = new RtpPacket();
 * if (p.wrap(datagram, 0, n)) {
 *     jitterBuffer.put(p.sequenceNumber(), p.timestamp(), p.buffer(), p.payloadOffset(), p.payloadLength());
 * }
 * }</pre>
 */
public final class RtpPacket {
    /** RTP version 2. */
    public static final int VERSION = 2;
    /** One-byte header extension profile (RFC 8285 §4.2). */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;

    private byte[] buf;
    private int off;
    private int len;
    private int headerLength;
    private int paddingLength;
    private String error;

    /** An empty view to {@link #wrap} packets into. */
    public RtpPacket() {
    }

    /**
     * A new view of {@code buf[off..off+len)}.
     *
     * @throws RtpFormatException when the bytes are not a valid RTP packet
     */
    public static RtpPacket parse(byte[] buf, int off, int len) throws RtpFormatException {
        RtpPacket p = new RtpPacket();
        if (!p.wrap(buf, off, len)) {
            throw new RtpFormatException(p.error);
        }
        return p;
    }

    /**
     * Points this view at {@code buf[off..off+len)} after checking it.
     *
     * @return false when the packet is not valid RTP ({@link #error()} says why); the view is
     *         then empty
     */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        if (off < 0 || len < 0 || off + len > buf.length) {
            return fail("slice outside the buffer");
        }
        if (len < 12) {
            return fail("shorter than the 12-byte RTP header");
        }
        int b0 = buf[off] & 0xFF;
        if (b0 >>> 6 != VERSION) {
            return fail("not RTP version 2");
        }
        int pt = buf[off + 1] & 0x7F;
        if (pt >= 72 && pt <= 76) {
            return fail("payload type " + pt + " collides with RTCP");
        }
        int hdr = 12 + 4 * (b0 & 0x0F);
        if (hdr > len) {
            return fail("CSRC list beyond the packet");
        }
        if ((b0 & 0x10) != 0) {
            if (hdr + 4 > len) {
                return fail("header extension beyond the packet");
            }
            hdr += 4 + 4 * (((buf[off + hdr + 2] & 0xFF) << 8) | (buf[off + hdr + 3] & 0xFF));
            if (hdr > len) {
                return fail("header extension beyond the packet");
            }
        }
        int pad = 0;
        if ((b0 & 0x20) != 0) {
            pad = buf[off + len - 1] & 0xFF;
            if (pad == 0 || pad > len - hdr) {
                return fail("bad padding length");
            }
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.headerLength = hdr;
        this.paddingLength = pad;
        this.error = null;
        return true;
    }

    /**
     * Points this view at the readable bytes of a heap {@link ByteBuf} (no copy).
     *
     * @return false for invalid RTP or a buffer without an accessible array
     */
    public boolean wrap(ByteBuf b) {
        if (!b.hasArray()) {
            this.buf = null;
            return fail("direct buffer: read RTP into heap buffers");
        }
        return wrap(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
    }

    private boolean fail(String why) {
        this.error = why;
        return false;
    }

    /** Why the last {@link #wrap} failed, or null. */
    public String error() {
        return error;
    }

    /** True after a successful wrap. */
    public boolean isValid() {
        return buf != null;
    }

    /** The array the packet lives in. */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the packet in {@link #buffer()}. */
    public int offset() {
        return off;
    }

    /** Whole packet length. */
    public int length() {
        return len;
    }

    /** Header length: 12 + CSRCs + extension. */
    public int headerLength() {
        return headerLength;
    }

    /** Padding flag. */
    public boolean padding() {
        return (buf[off] & 0x20) != 0;
    }

    /** Bytes of padding at the end (0 without the padding flag). */
    public int paddingLength() {
        return paddingLength;
    }

    /** Extension flag. */
    public boolean hasExtension() {
        return (buf[off] & 0x10) != 0;
    }

    /** Number of CSRCs. */
    public int csrcCount() {
        return buf[off] & 0x0F;
    }

    /** The i-th CSRC. */
    public int csrc(int i) {
        if (i < 0 || i >= csrcCount()) {
            throw new IndexOutOfBoundsException(i);
        }
        return int32(off + 12 + 4 * i);
    }

    /** Marker bit. */
    public boolean marker() {
        return (buf[off + 1] & 0x80) != 0;
    }

    /** Payload type 0–127. */
    public int payloadType() {
        return buf[off + 1] & 0x7F;
    }

    /** Sequence number 0–65535. */
    public int sequenceNumber() {
        return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }

    /** Timestamp as an unsigned 32-bit value. */
    public long timestamp() {
        return int32(off + 4) & 0xFFFFFFFFL;
    }

    /** SSRC. */
    public int ssrc() {
        return int32(off + 8);
    }

    /** Offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + headerLength;
    }

    /** Payload length without padding. */
    public int payloadLength() {
        return len - headerLength - paddingLength;
    }

    /** The 16-bit "defined by profile" field of the header extension, or -1 without one. */
    public int extensionProfile() {
        if (!hasExtension()) {
            return -1;
        }
        int p = off + 12 + 4 * csrcCount();
        return ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
    }

    /** Offset of the header extension data (after its 4-byte header), or -1 without one. */
    public int extensionDataOffset() {
        return hasExtension() ? off + 12 + 4 * csrcCount() + 4 : -1;
    }

    /** Length in bytes of the header extension data. */
    public int extensionDataLength() {
        return hasExtension() ? off + headerLength - extensionDataOffset() : 0;
    }

    /**
     * Finds the RFC 8285 element with local id {@code id} (1–14 for one-byte, 1–255 for
     * two-byte headers).
     *
     * @return {@code (offset << 32) | length} of the element data in {@link #buffer()}, or -1
     *         when absent (decode with {@link #elementOffset(long)} / {@link #elementLength(long)})
     */
    public long extension(int id) {
        int profile = extensionProfile();
        if (profile < 0) {
            return -1;
        }
        int p = extensionDataOffset();
        int end = off + headerLength;
        if (profile == ONE_BYTE_PROFILE) {
            while (p < end) {
                int b = buf[p] & 0xFF;
                if (b == 0) {
                    p++;
                    continue;
                }
                int eid = b >>> 4;
                if (eid == 15) {
                    return -1;
                }
                int elen = (b & 0x0F) + 1;
                if (p + 1 + elen > end) {
                    return -1;
                }
                if (eid == id) {
                    return ((long) (p + 1) << 32) | elen;
                }
                p += 1 + elen;
            }
        } else if ((profile & 0xFFF0) == 0x1000) {
            while (p < end) {
                int eid = buf[p] & 0xFF;
                if (eid == 0) {
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    return -1;
                }
                int elen = buf[p + 1] & 0xFF;
                if (p + 2 + elen > end) {
                    return -1;
                }
                if (eid == id) {
                    return ((long) (p + 2) << 32) | elen;
                }
                p += 2 + elen;
            }
        }
        return -1;
    }

    /** Offset part of an {@link #extension(int)} result. */
    public static int elementOffset(long element) {
        return (int) (element >>> 32);
    }

    /** Length part of an {@link #extension(int)} result. */
    public static int elementLength(long element) {
        return (int) element;
    }

    /** Sets the marker bit in place. */
    public void setMarker(boolean marker) {
        buf[off + 1] = (byte) (marker ? buf[off + 1] | 0x80 : buf[off + 1] & 0x7F);
    }

    /** Sets the payload type in place. */
    public void setPayloadType(int pt) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (pt & 0x7F));
    }

    /** Sets the sequence number in place. */
    public void setSequenceNumber(int seq) {
        buf[off + 2] = (byte) (seq >>> 8);
        buf[off + 3] = (byte) seq;
    }

    /** Sets the timestamp in place. */
    public void setTimestamp(long ts) {
        putInt(buf, off + 4, (int) ts);
    }

    /** Sets the SSRC in place. */
    public void setSsrc(int ssrc) {
        putInt(buf, off + 8, ssrc);
    }

    /** Bytes {@link #encodeTo} writes: the whole packet. */
    public int encodedSize() {
        return len;
    }

    /** Writes the packet (with any in-place changes) to {@code dst}. */
    public void encodeTo(ByteBuf dst) {
        dst.writeBytes(buf, off, len);
    }

    private int int32(int i) {
        return (buf[i] << 24) | ((buf[i + 1] & 0xFF) << 16) | ((buf[i + 2] & 0xFF) << 8) | (buf[i + 3] & 0xFF);
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    @Override
    public String toString() {
        if (buf == null) {
            return "RtpPacket{invalid: " + error + '}';
        }
        return "RtpPacket{pt=" + payloadType() + ", seq=" + sequenceNumber() + ", ts=" + timestamp()
                + ", ssrc=" + Integer.toUnsignedString(ssrc()) + (marker() ? ", M" : "")
                + ", payload=" + payloadLength() + '}';
    }
}
