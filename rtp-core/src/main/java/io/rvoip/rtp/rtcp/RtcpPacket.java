package io.rvoip.rtp.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One RTCP packet of a compound packet (RFC 3550 §6, RFC 3611 XR, RFC 4585 feedback). Parse
 * with {@link RtcpParser}; write with {@link #encodeTo(byte[], int)} or {@link RtcpParser#encode}.
 *
 * <p>Every type knows its wire size ({@link #encodedSize()}, a multiple of 4) and writes itself;
 * types this stack does not interpret are kept as {@link Unknown} so a relay can pass them on.
 */
public sealed interface RtcpPacket {
    /** SR packet type. */
    int SR = 200;
    /** RR packet type. */
    int RR = 201;
    /** SDES packet type. */
    int SDES = 202;
    /** BYE packet type. */
    int BYE = 203;
    /** APP packet type. */
    int APP = 204;
    /** Transport-layer feedback (RFC 4585). */
    int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585). */
    int PSFB = 206;
    /** Extended report (RFC 3611). */
    int XR = 207;

    /** The packet type byte. */
    int packetType();

    /** Bytes on the wire, header included. */
    int encodedSize();

    /** Writes the packet at {@code buf[off..)}; returns the bytes written. */
    int encodeTo(byte[] buf, int off);

    /**
     * A report block of SR/RR (RFC 3550 §6.4.1).
     *
     * @param ssrc                 source reported on
     * @param fractionLost         fraction lost since the last report, 0–255 (×1/256)
     * @param cumulativeLost       packets lost since the start, signed 24 bits
     * @param extendedHighestSeq   cycles << 16 | highest sequence number received
     * @param jitter               interarrival jitter in timestamp units
     * @param lastSr               middle 32 bits of the NTP timestamp of the last SR (LSR)
     * @param delaySinceLastSr     delay since that SR in 1/65536 s (DLSR)
     */
    record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq, long jitter,
                       long lastSr, long delaySinceLastSr) {
        static final int SIZE = 24;

        void write(byte[] b, int o) {
            putInt(b, o, ssrc);
            putInt(b, o + 4, (fractionLost & 0xFF) << 24 | (cumulativeLost & 0xFFFFFF));
            putInt(b, o + 8, (int) extendedHighestSeq);
            putInt(b, o + 12, (int) jitter);
            putInt(b, o + 16, (int) lastSr);
            putInt(b, o + 20, (int) delaySinceLastSr);
        }

        static ReportBlock read(byte[] b, int o) {
            int lost = int32(b, o + 4) & 0xFFFFFF;
            if ((lost & 0x800000) != 0) {
                lost |= 0xFF000000;
            }
            return new ReportBlock(int32(b, o), b[o + 4] & 0xFF, lost, u32(b, o + 8), u32(b, o + 12),
                    u32(b, o + 16), u32(b, o + 20));
        }
    }

    /**
     * Sender report.
     *
     * @param ntpTimestamp 64-bit NTP timestamp (seconds since 1900 << 32 | fraction)
     */
    record SenderReport(int ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                        List<ReportBlock> reports) implements RtcpPacket {
        /** Copies the list; at most 31 blocks. */
        public SenderReport {
            reports = List.copyOf(reports);
            checkCount(reports.size());
        }

        @Override
        public int packetType() {
            return SR;
        }

        @Override
        public int encodedSize() {
            return 28 + ReportBlock.SIZE * reports.size();
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int n = header(b, o, reports.size(), SR, encodedSize());
            putInt(b, o + 4, ssrc);
            putInt(b, o + 8, (int) (ntpTimestamp >>> 32));
            putInt(b, o + 12, (int) ntpTimestamp);
            putInt(b, o + 16, (int) rtpTimestamp);
            putInt(b, o + 20, (int) packetCount);
            putInt(b, o + 24, (int) octetCount);
            for (int i = 0; i < reports.size(); i++) {
                reports.get(i).write(b, o + 28 + i * ReportBlock.SIZE);
            }
            return n;
        }

        /** The middle 32 bits of the NTP timestamp, as echoed in LSR. */
        public long compactNtp() {
            return (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
        }
    }

    /** Receiver report. */
    record ReceiverReport(int ssrc, List<ReportBlock> reports) implements RtcpPacket {
        /** Copies the list; at most 31 blocks. */
        public ReceiverReport {
            reports = List.copyOf(reports);
            checkCount(reports.size());
        }

        @Override
        public int packetType() {
            return RR;
        }

        @Override
        public int encodedSize() {
            return 8 + ReportBlock.SIZE * reports.size();
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int n = header(b, o, reports.size(), RR, encodedSize());
            putInt(b, o + 4, ssrc);
            for (int i = 0; i < reports.size(); i++) {
                reports.get(i).write(b, o + 8 + i * ReportBlock.SIZE);
            }
            return n;
        }
    }

    /**
     * One SDES item (RFC 3550 §6.5): type 1 CNAME, 2 NAME, 3 EMAIL, … 8 PRIV. A value longer than
     * 255 bytes of UTF-8 is cut to 255 bytes when written.
     */
    record SdesItem(int type, String value) {
        /** CNAME item type. */
        public static final int CNAME = 1;

        /** Checks the type. */
        public SdesItem {
            if (type < 1 || type > 255) {
                throw new IllegalArgumentException("SDES item type 1..255");
            }
        }

        byte[] wire() {
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            return v.length > 255 ? java.util.Arrays.copyOf(v, 255) : v;
        }
    }

    /** The items of one source. */
    record SdesChunk(int ssrc, List<SdesItem> items) {
        /** Copies the list. */
        public SdesChunk {
            items = List.copyOf(items);
        }

        int size() {
            int n = 4;
            for (SdesItem i : items) {
                n += 2 + i.wire().length;
            }
            return (n + 1 + 3) & ~3; // null item terminator, padded to 32 bits
        }
    }

    /** Source description. */
    record SourceDescription(List<SdesChunk> chunks) implements RtcpPacket {
        /** Copies the list; at most 31 chunks. */
        public SourceDescription {
            chunks = List.copyOf(chunks);
            checkCount(chunks.size());
        }

        /** An SDES packet with one CNAME. */
        public static SourceDescription cname(int ssrc, String cname) {
            return new SourceDescription(List.of(new SdesChunk(ssrc, List.of(new SdesItem(SdesItem.CNAME, cname)))));
        }

        /** The CNAME of an SSRC, or null. */
        public String cname(int ssrc) {
            for (SdesChunk c : chunks) {
                if (c.ssrc() == ssrc) {
                    for (SdesItem i : c.items()) {
                        if (i.type() == SdesItem.CNAME) {
                            return i.value();
                        }
                    }
                }
            }
            return null;
        }

        @Override
        public int packetType() {
            return SDES;
        }

        @Override
        public int encodedSize() {
            int n = 4;
            for (SdesChunk c : chunks) {
                n += c.size();
            }
            return n;
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int n = header(b, o, chunks.size(), SDES, encodedSize());
            int p = o + 4;
            for (SdesChunk c : chunks) {
                int end = p + c.size();
                putInt(b, p, c.ssrc());
                p += 4;
                for (SdesItem i : c.items()) {
                    byte[] v = i.wire();
                    b[p++] = (byte) i.type();
                    b[p++] = (byte) v.length;
                    System.arraycopy(v, 0, b, p, v.length);
                    p += v.length;
                }
                while (p < end) {
                    b[p++] = 0;
                }
            }
            return n;
        }
    }

    /**
     * Goodbye: the sources leaving, with an optional reason (cut to 255 bytes of UTF-8 when
     * written).
     */
    record Bye(List<Integer> ssrcs, String reason) implements RtcpPacket {
        /** Copies the list; at most 31 sources; reason may be null. */
        public Bye {
            ssrcs = List.copyOf(ssrcs);
            checkCount(ssrcs.size());
        }

        private byte[] reasonBytes() {
            byte[] v = reason.getBytes(StandardCharsets.UTF_8);
            return v.length > 255 ? java.util.Arrays.copyOf(v, 255) : v;
        }

        @Override
        public int packetType() {
            return BYE;
        }

        @Override
        public int encodedSize() {
            int n = 4 + 4 * ssrcs.size();
            if (reason != null) {
                n += (1 + reasonBytes().length + 3) & ~3;
            }
            return n;
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int size = encodedSize();
            int n = header(b, o, ssrcs.size(), BYE, size);
            int p = o + 4;
            for (int s : ssrcs) {
                putInt(b, p, s);
                p += 4;
            }
            if (reason != null) {
                byte[] r = reasonBytes();
                b[p++] = (byte) r.length;
                System.arraycopy(r, 0, b, p, r.length);
                p += r.length;
                while (p < o + size) {
                    b[p++] = 0;
                }
            }
            return n;
        }
    }

    /** Application-defined packet. */
    record App(int subtype, int ssrc, String name, byte[] data) implements RtcpPacket {
        /** Subtype 0–31, a 4-character ASCII name, data a multiple of 4 bytes. */
        public App {
            if (subtype < 0 || subtype > 31 || name.length() != 4 || data.length % 4 != 0) {
                throw new IllegalArgumentException("APP: subtype 0..31, 4-char name, data in 32-bit words");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int packetType() {
            return APP;
        }

        @Override
        public int encodedSize() {
            return 12 + data.length;
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int n = header(b, o, subtype, APP, encodedSize());
            putInt(b, o + 4, ssrc);
            byte[] nm = name.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(nm, 0, b, o + 8, 4);
            System.arraycopy(data, 0, b, o + 12, data.length);
            return n;
        }
    }

    /** An XR report block. */
    sealed interface XrBlock permits VoipMetrics, UnknownXrBlock {
        /** Block type. */
        int blockType();

        /** Bytes on the wire. */
        int size();

        /** Writes the block. */
        void write(byte[] b, int o);
    }

    /**
     * RFC 3611 §4.7 VoIP metrics report block (BT 7). Values are the raw wire fields: rates in
     * 1/256, delays in ms, levels in signed dB, MOS ×10, R factors 0–100 (127 = unavailable).
     */
    record VoipMetrics(int ssrc, int lossRate, int discardRate, int burstDensity, int gapDensity,
                       int burstDuration, int gapDuration, int roundTripDelay, int endSystemDelay,
                       int signalLevel, int noiseLevel, int rerl, int gmin, int rFactor, int extRFactor,
                       int mosLq, int mosCq, int rxConfig, int jbNominal, int jbMaximum, int jbAbsMax)
            implements XrBlock {
        /** Block type 7. */
        public static final int BT = 7;

        @Override
        public int blockType() {
            return BT;
        }

        @Override
        public int size() {
            return 36;
        }

        @Override
        public void write(byte[] b, int o) {
            b[o] = BT;
            b[o + 1] = 0;
            b[o + 2] = 0;
            b[o + 3] = 8;
            putInt(b, o + 4, ssrc);
            b[o + 8] = (byte) lossRate;
            b[o + 9] = (byte) discardRate;
            b[o + 10] = (byte) burstDensity;
            b[o + 11] = (byte) gapDensity;
            put16(b, o + 12, burstDuration);
            put16(b, o + 14, gapDuration);
            put16(b, o + 16, roundTripDelay);
            put16(b, o + 18, endSystemDelay);
            b[o + 20] = (byte) signalLevel;
            b[o + 21] = (byte) noiseLevel;
            b[o + 22] = (byte) rerl;
            b[o + 23] = (byte) gmin;
            b[o + 24] = (byte) rFactor;
            b[o + 25] = (byte) extRFactor;
            b[o + 26] = (byte) mosLq;
            b[o + 27] = (byte) mosCq;
            b[o + 28] = (byte) rxConfig;
            b[o + 29] = 0;
            put16(b, o + 30, jbNominal);
            put16(b, o + 32, jbMaximum);
            put16(b, o + 34, jbAbsMax);
        }

        static VoipMetrics read(byte[] b, int o) {
            return new VoipMetrics(int32(b, o + 4), b[o + 8] & 0xFF, b[o + 9] & 0xFF, b[o + 10] & 0xFF,
                    b[o + 11] & 0xFF, u16(b, o + 12), u16(b, o + 14), u16(b, o + 16), u16(b, o + 18),
                    b[o + 20], b[o + 21], b[o + 22] & 0xFF, b[o + 23] & 0xFF, b[o + 24] & 0xFF, b[o + 25] & 0xFF,
                    b[o + 26] & 0xFF, b[o + 27] & 0xFF, b[o + 28] & 0xFF, u16(b, o + 30), u16(b, o + 32),
                    u16(b, o + 34));
        }
    }

    /** An XR block type this stack does not interpret, kept as bytes. */
    record UnknownXrBlock(int blockType, int typeSpecific, byte[] body) implements XrBlock {
        /** Copies the body (a multiple of 4 bytes). */
        public UnknownXrBlock {
            body = body.clone();
        }

        @Override
        public int size() {
            return 4 + body.length;
        }

        @Override
        public void write(byte[] b, int o) {
            b[o] = (byte) blockType;
            b[o + 1] = (byte) typeSpecific;
            put16(b, o + 2, body.length / 4);
            System.arraycopy(body, 0, b, o + 4, body.length);
        }
    }

    /** Extended report (RFC 3611). */
    record ExtendedReport(int ssrc, List<XrBlock> blocks) implements RtcpPacket {
        /** Copies the list. */
        public ExtendedReport {
            blocks = List.copyOf(blocks);
        }

        @Override
        public int packetType() {
            return XR;
        }

        @Override
        public int encodedSize() {
            int n = 8;
            for (XrBlock x : blocks) {
                n += x.size();
            }
            return n;
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int n = header(b, o, 0, XR, encodedSize());
            putInt(b, o + 4, ssrc);
            int p = o + 8;
            for (XrBlock x : blocks) {
                x.write(b, p);
                p += x.size();
            }
            return n;
        }
    }

    /**
     * Generic NACK (RFC 4585 §6.2.1, RTPFB FMT 1): pairs of PID and bitmask of following lost
     * packets.
     */
    record GenericNack(int senderSsrc, int mediaSsrc, int[] pids, int[] blps) implements RtcpPacket {
        /** FMT of a generic NACK. */
        public static final int FMT = 1;

        /** Copies the arrays (same length). */
        public GenericNack {
            if (pids.length != blps.length || pids.length == 0) {
                throw new IllegalArgumentException("one BLP per PID, at least one");
            }
            pids = pids.clone();
            blps = blps.clone();
        }

        /** A NACK listing these lost sequence numbers (packed into PID/BLP pairs). */
        public static GenericNack of(int senderSsrc, int mediaSsrc, int... lost) {
            List<int[]> pairs = new ArrayList<>();
            int[] sorted = lost.clone();
            java.util.Arrays.sort(sorted);
            for (int s : sorted) {
                int[] last = pairs.isEmpty() ? null : pairs.get(pairs.size() - 1);
                int d = last == null ? -1 : ((s - last[0]) & 0xFFFF);
                if (last != null && d >= 1 && d <= 16) {
                    last[1] |= 1 << (d - 1);
                } else if (last == null || d != 0) {
                    pairs.add(new int[] {s & 0xFFFF, 0});
                }
            }
            int[] p = new int[pairs.size()];
            int[] m = new int[pairs.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = pairs.get(i)[0];
                m[i] = pairs.get(i)[1];
            }
            return new GenericNack(senderSsrc, mediaSsrc, p, m);
        }

        /** Every sequence number this NACK reports lost. */
        public int[] lostSequenceNumbers() {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < pids.length; i++) {
                out.add(pids[i]);
                for (int bit = 0; bit < 16; bit++) {
                    if ((blps[i] & (1 << bit)) != 0) {
                        out.add((pids[i] + bit + 1) & 0xFFFF);
                    }
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public int[] pids() {
            return pids.clone();
        }

        @Override
        public int[] blps() {
            return blps.clone();
        }

        @Override
        public int packetType() {
            return RTPFB;
        }

        @Override
        public int encodedSize() {
            return 12 + 4 * pids.length;
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int n = header(b, o, FMT, RTPFB, encodedSize());
            putInt(b, o + 4, senderSsrc);
            putInt(b, o + 8, mediaSsrc);
            for (int i = 0; i < pids.length; i++) {
                put16(b, o + 12 + 4 * i, pids[i]);
                put16(b, o + 14 + 4 * i, blps[i]);
            }
            return n;
        }
    }

    /** Picture loss indication (RFC 4585 §6.3.1, PSFB FMT 1). */
    record PictureLossIndication(int senderSsrc, int mediaSsrc) implements RtcpPacket {
        /** FMT of a PLI. */
        public static final int FMT = 1;

        @Override
        public int packetType() {
            return PSFB;
        }

        @Override
        public int encodedSize() {
            return 12;
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int n = header(b, o, FMT, PSFB, 12);
            putInt(b, o + 4, senderSsrc);
            putInt(b, o + 8, mediaSsrc);
            return n;
        }
    }

    /** A packet type (or feedback FMT) this stack does not interpret, kept whole. */
    record Unknown(int packetType, int count, byte[] body) implements RtcpPacket {
        /** Copies the body (the bytes after the 4-byte header). */
        public Unknown {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public int encodedSize() {
            return 4 + body.length;
        }

        @Override
        public int encodeTo(byte[] b, int o) {
            int n = header(b, o, count, packetType, encodedSize());
            System.arraycopy(body, 0, b, o + 4, body.length);
            return n;
        }
    }

    private static void checkCount(int n) {
        if (n > 31) {
            throw new IllegalArgumentException("at most 31 entries in one RTCP packet");
        }
    }

    private static int header(byte[] b, int o, int count, int pt, int size) {
        b[o] = (byte) (0x80 | count);
        b[o + 1] = (byte) pt;
        put16(b, o + 2, size / 4 - 1);
        return size;
    }

    static int int32(byte[] b, int i) {
        return (b[i] << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return int32(b, i) & 0xFFFFFFFFL;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }
}
