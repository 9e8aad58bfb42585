package io.rvoip.rtp.rtcp;

import static io.rvoip.rtp.rtcp.RtcpPacket.int32;
import static io.rvoip.rtp.rtcp.RtcpPacket.u16;
import static io.rvoip.rtp.rtcp.RtcpPacket.u32;

import io.rvoip.rtp.RtpFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and writes compound RTCP packets.
 *
 * <p>Parsing applies the checks of RFC 3550 §A.2 — version 2 in every packet, the first packet
 * an SR or RR, padding only on the last packet, lengths adding up exactly to the datagram — and
 * the bounds of every field. With {@code allowReducedSize} the first-packet check is waived for
 * RFC 5506 reduced-size RTCP (for example a lone NACK or PLI). Anything else is an
 * {@link RtpFormatException}; nothing here throws anything else on bad input.
 */
public final class RtcpParser {
    /** Largest compound packet parsed. */
    public static final int MAX_LENGTH = 65535;

    private RtcpParser() {
    }

    /** Parses a compound packet that must start with SR or RR. */
    public static List<RtcpPacket> parse(byte[] buf, int off, int len) throws RtpFormatException {
        return parse(buf, off, len, false);
    }

    /**
     * Parses a compound (or, with {@code allowReducedSize}, a reduced-size) RTCP packet.
     *
     * @throws RtpFormatException when any check fails
     */
    public static List<RtcpPacket> parse(byte[] buf, int off, int len, boolean allowReducedSize)
            throws RtpFormatException {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new RtpFormatException("slice outside the buffer");
        }
        if (len < 4) {
            throw new RtpFormatException("shorter than an RTCP header");
        }
        if (len > MAX_LENGTH || (len & 3) != 0) {
            throw new RtpFormatException("RTCP length " + len + " is not a multiple of 4 up to " + MAX_LENGTH);
        }
        int first = buf[off + 1] & 0xFF;
        if (!allowReducedSize && first != RtcpPacket.SR && first != RtcpPacket.RR) {
            throw new RtpFormatException("compound RTCP must start with SR or RR, not " + first);
        }
        List<RtcpPacket> out = new ArrayList<>(4);
        int p = off;
        int end = off + len;
        while (p < end) {
            if (end - p < 4) {
                throw new RtpFormatException("truncated RTCP header");
            }
            int b0 = buf[p] & 0xFF;
            if (b0 >>> 6 != 2) {
                throw new RtpFormatException("RTCP version is not 2");
            }
            int size = (u16(buf, p + 2) + 1) * 4;
            if (size > end - p) {
                throw new RtpFormatException("RTCP length field beyond the datagram");
            }
            boolean padded = (b0 & 0x20) != 0;
            int bodyEnd = p + size;
            if (padded) {
                if (p + size != end) {
                    throw new RtpFormatException("padding on a packet that is not the last");
                }
                int pad = buf[bodyEnd - 1] & 0xFF;
                if (pad == 0 || pad > size - 4) {
                    throw new RtpFormatException("bad RTCP padding");
                }
                bodyEnd -= pad;
            }
            out.add(one(buf, p, b0 & 0x1F, buf[p + 1] & 0xFF, bodyEnd));
            p += size;
        }
        return out;
    }

    private static RtcpPacket one(byte[] b, int p, int count, int pt, int end) throws RtpFormatException {
        int body = p + 4;
        switch (pt) {
            case RtcpPacket.SR: {
                need(body + 24 + 24 * count, end, "SR");
                long ntp = (u32(b, body + 4) << 32) | u32(b, body + 8);
                return new RtcpPacket.SenderReport(int32(b, body), ntp, u32(b, body + 12), u32(b, body + 16),
                        u32(b, body + 20), blocks(b, body + 24, count));
            }
            case RtcpPacket.RR:
                need(body + 4 + 24 * count, end, "RR");
                return new RtcpPacket.ReceiverReport(int32(b, body), blocks(b, body + 4, count));
            case RtcpPacket.SDES:
                return sdes(b, body, count, end);
            case RtcpPacket.BYE: {
                need(body + 4 * count, end, "BYE");
                List<Integer> ssrcs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ssrcs.add(int32(b, body + 4 * i));
                }
                int q = body + 4 * count;
                String reason = null;
                if (q < end) {
                    int rl = b[q] & 0xFF;
                    need(q + 1 + rl, end, "BYE reason");
                    reason = new String(b, q + 1, rl, StandardCharsets.UTF_8);
                }
                return new RtcpPacket.Bye(ssrcs, reason);
            }
            case RtcpPacket.APP: {
                need(body + 8, end, "APP");
                int dl = end - body - 8;
                if ((dl & 3) != 0) {
                    throw new RtpFormatException("APP data not in 32-bit words");
                }
                byte[] data = java.util.Arrays.copyOfRange(b, body + 8, end);
                return new RtcpPacket.App(count, int32(b, body), new String(b, body + 4, 4, StandardCharsets.ISO_8859_1), data);
            }
            case RtcpPacket.RTPFB:
                if (count == RtcpPacket.GenericNack.FMT) {
                    need(body + 12, end, "NACK");
                    int n = (end - body - 8) / 4;
                    int[] pids = new int[n];
                    int[] blps = new int[n];
                    for (int i = 0; i < n; i++) {
                        pids[i] = u16(b, body + 8 + 4 * i);
                        blps[i] = u16(b, body + 10 + 4 * i);
                    }
                    return new RtcpPacket.GenericNack(int32(b, body), int32(b, body + 4), pids, blps);
                }
                break;
            case RtcpPacket.PSFB:
                if (count == RtcpPacket.PictureLossIndication.FMT) {
                    need(body + 8, end, "PLI");
                    return new RtcpPacket.PictureLossIndication(int32(b, body), int32(b, body + 4));
                }
                break;
            case RtcpPacket.XR:
                return xr(b, body, end);
            default:
                break;
        }
        return new RtcpPacket.Unknown(pt, count, java.util.Arrays.copyOfRange(b, body, end));
    }

    private static void need(int upTo, int end, String what) throws RtpFormatException {
        if (upTo > end) {
            throw new RtpFormatException(what + " longer than its packet");
        }
    }

    private static List<RtcpPacket.ReportBlock> blocks(byte[] b, int p, int count) {
        List<RtcpPacket.ReportBlock> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(RtcpPacket.ReportBlock.read(b, p + 24 * i));
        }
        return list;
    }

    private static RtcpPacket sdes(byte[] b, int p, int count, int end) throws RtpFormatException {
        List<RtcpPacket.SdesChunk> chunks = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            need(p + 4, end, "SDES chunk");
            int start = p;
            int ssrc = int32(b, p);
            p += 4;
            List<RtcpPacket.SdesItem> items = new ArrayList<>(2);
            while (true) {
                need(p + 1, end, "SDES item");
                int type = b[p] & 0xFF;
                if (type == 0) {
                    p++;
                    break;
                }
                need(p + 2, end, "SDES item");
                int l = b[p + 1] & 0xFF;
                need(p + 2 + l, end, "SDES item");
                items.add(new RtcpPacket.SdesItem(type, new String(b, p + 2, l, StandardCharsets.UTF_8)));
                p += 2 + l;
            }
            p = start + ((p - start + 3) & ~3);
            need(p, end, "SDES chunk padding");
            chunks.add(new RtcpPacket.SdesChunk(ssrc, items));
        }
        return new RtcpPacket.SourceDescription(chunks);
    }

    private static RtcpPacket xr(byte[] b, int p, int end) throws RtpFormatException {
        need(p + 4, end, "XR");
        int ssrc = int32(b, p);
        p += 4;
        List<RtcpPacket.XrBlock> blocks = new ArrayList<>(2);
        while (p < end) {
            need(p + 4, end, "XR block");
            int bt = b[p] & 0xFF;
            int size = 4 + 4 * u16(b, p + 2);
            need(p + size, end, "XR block");
            if (bt == RtcpPacket.VoipMetrics.BT && size == 36) {
                blocks.add(RtcpPacket.VoipMetrics.read(b, p));
            } else {
                blocks.add(new RtcpPacket.UnknownXrBlock(bt, b[p + 1] & 0xFF, java.util.Arrays.copyOfRange(b, p + 4, p + size)));
            }
            p += size;
        }
        return new RtcpPacket.ExtendedReport(ssrc, blocks);
    }

    /** Bytes a compound packet of these packets takes. */
    public static int encodedSize(List<? extends RtcpPacket> packets) {
        int n = 0;
        for (RtcpPacket p : packets) {
            n += p.encodedSize();
        }
        return n;
    }

    /**
     * Writes the packets one after another at {@code buf[off..)}.
     *
     * @return the compound length
     * @throws IndexOutOfBoundsException when {@code buf} is too small
     */
    public static int encode(List<? extends RtcpPacket> packets, byte[] buf, int off) {
        int total = encodedSize(packets);
        if (off + total > buf.length) {
            throw new IndexOutOfBoundsException("compound RTCP of " + total + " bytes does not fit");
        }
        int p = off;
        for (RtcpPacket r : packets) {
            p += r.encodeTo(buf, p);
        }
        return p - off;
    }
}
