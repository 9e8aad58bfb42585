package io.rvoip.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A mutable, reusable RTP header for sending: fields, CSRCs and RFC 8285 header-extension
 * elements, written in front of a payload by {@link #encodeTo(byte[], int, byte[], int, int)}.
 *
 * <p>Extensions use the one-byte form when every element has an id 1–14 and 1–16 bytes of data,
 * the two-byte form otherwise. Nothing is allocated per packet once the header is set up.
 *
 * <pre>{@code
 * RtpHeader h = new RtpHeader().payloadType(0).ssrc(ssrc);
 * h.sequenceNumber(seq).timestamp(ts).marker(first);
 * int n = h.encodeTo(out, 0, pcmu, 0, 160);
 * }</pre>
 */
public final class RtpHeader {
    /** Most extension data bytes one header carries. */
    public static final int MAX_EXTENSION_BYTES = 1024;

    private boolean marker;
    private int payloadType;
    private int sequenceNumber;
    private long timestamp;
    private int ssrc;
    private final int[] csrcs = new int[15];
    private int csrcCount;
    private final byte[] extIds = new byte[32];
    private final short[] extLens = new short[32];
    private final byte[] extData = new byte[MAX_EXTENSION_BYTES];
    private int extCount;
    private int extBytes;

    /** Marker bit. */
    public RtpHeader marker(boolean m) {
        this.marker = m;
        return this;
    }

    /** Payload type 0–127. */
    public RtpHeader payloadType(int pt) {
        if (pt < 0 || pt > 127) {
            throw new IllegalArgumentException("payload type 0..127: " + pt);
        }
        this.payloadType = pt;
        return this;
    }

    /** Sequence number (low 16 bits used). */
    public RtpHeader sequenceNumber(int seq) {
        this.sequenceNumber = seq & 0xFFFF;
        return this;
    }

    /** Timestamp (low 32 bits used). */
    public RtpHeader timestamp(long ts) {
        this.timestamp = ts & 0xFFFFFFFFL;
        return this;
    }

    /** SSRC. */
    public RtpHeader ssrc(int ssrc) {
        this.ssrc = ssrc;
        return this;
    }

    /** Replaces the CSRC list (at most 15). */
    public RtpHeader csrcs(int... list) {
        if (list.length > 15) {
            throw new IllegalArgumentException("at most 15 CSRCs");
        }
        System.arraycopy(list, 0, csrcs, 0, list.length);
        csrcCount = list.length;
        return this;
    }

    /** Removes all header-extension elements. */
    public RtpHeader clearExtensions() {
        extCount = 0;
        extBytes = 0;
        return this;
    }

    /**
     * Adds an RFC 8285 element (id 1–255, 0–255 data bytes; one-byte form needs 1–14 and 1–16).
     */
    public RtpHeader addExtension(int id, byte[] data, int off, int len) {
        if (id < 1 || id > 255 || len < 0 || len > 255) {
            throw new IllegalArgumentException("extension id 1..255 and length 0..255");
        }
        if (extCount == extIds.length || extBytes + len > MAX_EXTENSION_BYTES) {
            throw new IllegalStateException("too many header extensions");
        }
        extIds[extCount] = (byte) id;
        extLens[extCount] = (short) len;
        System.arraycopy(data, off, extData, extBytes, len);
        extCount++;
        extBytes += len;
        return this;
    }

    /** Current sequence number. */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** Current timestamp. */
    public long timestamp() {
        return timestamp;
    }

    /** SSRC. */
    public int ssrc() {
        return ssrc;
    }

    /** Payload type. */
    public int payloadType() {
        return payloadType;
    }

    private boolean oneByteForm() {
        for (int i = 0; i < extCount; i++) {
            int id = extIds[i] & 0xFF;
            if (id > 14 || extLens[i] < 1 || extLens[i] > 16) {
                return false;
            }
        }
        return true;
    }

    private int extensionBodyLength(boolean oneByte) {
        int n = extBytes + extCount * (oneByte ? 1 : 2);
        return (n + 3) & ~3;
    }

    /** Header length in bytes. */
    public int headerLength() {
        int n = 12 + 4 * csrcCount;
        if (extCount > 0) {
            n += 4 + extensionBodyLength(oneByteForm());
        }
        return n;
    }

    /** Bytes of a packet with a payload of {@code payloadLength}. */
    public int encodedSize(int payloadLength) {
        return headerLength() + payloadLength;
    }

    /**
     * Writes header and payload at {@code dst[dOff..)}.
     *
     * @return bytes written
     * @throws IndexOutOfBoundsException when {@code dst} is too small
     */
    public int encodeTo(byte[] dst, int dOff, byte[] payload, int pOff, int pLen) {
        int size = encodedSize(pLen);
        if (dOff + size > dst.length) {
            throw new IndexOutOfBoundsException("RTP packet of " + size + " bytes does not fit");
        }
        int p = writeHeader(dst, dOff);
        System.arraycopy(payload, pOff, dst, p, pLen);
        return size;
    }

    /** Writes header and payload to {@code dst}; returns bytes written. */
    public int encodeTo(ByteBuf dst, byte[] payload, int pOff, int pLen) {
        int size = encodedSize(pLen);
        dst.ensureWritable(size);
        if (dst.hasArray()) {
            int w = dst.writerIndex();
            encodeTo(dst.array(), dst.arrayOffset() + w, payload, pOff, pLen);
            dst.writerIndex(w + size);
        } else {
            byte[] h = new byte[headerLength()];
            writeHeader(h, 0);
            dst.writeBytes(h).writeBytes(payload, pOff, pLen);
        }
        return size;
    }

    private int writeHeader(byte[] d, int o) {
        boolean ext = extCount > 0;
        d[o] = (byte) (0x80 | (ext ? 0x10 : 0) | csrcCount);
        d[o + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        d[o + 2] = (byte) (sequenceNumber >>> 8);
        d[o + 3] = (byte) sequenceNumber;
        RtpPacket.putInt(d, o + 4, (int) timestamp);
        RtpPacket.putInt(d, o + 8, ssrc);
        int p = o + 12;
        for (int i = 0; i < csrcCount; i++, p += 4) {
            RtpPacket.putInt(d, p, csrcs[i]);
        }
        if (ext) {
            boolean one = oneByteForm();
            int body = extensionBodyLength(one);
            int profile = one ? RtpPacket.ONE_BYTE_PROFILE : 0x1000;
            d[p] = (byte) (profile >>> 8);
            d[p + 1] = (byte) profile;
            d[p + 2] = (byte) ((body / 4) >>> 8);
            d[p + 3] = (byte) (body / 4);
            p += 4;
            int end = p + body;
            int dataPos = 0;
            for (int i = 0; i < extCount; i++) {
                int l = extLens[i];
                if (one) {
                    d[p++] = (byte) ((extIds[i] << 4) | (l - 1));
                } else {
                    d[p++] = extIds[i];
                    d[p++] = (byte) l;
                }
                System.arraycopy(extData, dataPos, d, p, l);
                p += l;
                dataPos += l;
            }
            while (p < end) {
                d[p++] = 0;
            }
        }
        return p;
    }
}
