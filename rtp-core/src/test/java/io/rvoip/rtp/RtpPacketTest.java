package io.rvoip.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    private static final byte[] PAYLOAD = new byte[160];

    static {
        for (int i = 0; i < PAYLOAD.length; i++) {
            PAYLOAD[i] = (byte) i;
        }
    }

    @Test
    void buildsAndParsesEveryHeaderField() throws Exception {
        RtpHeader h = new RtpHeader().payloadType(111).sequenceNumber(65535).timestamp(0xFFFFFFF0L)
                .ssrc(0xDEADBEEF).marker(true).csrcs(1, 2, 3);
        byte[] out = new byte[400];
        int n = h.encodeTo(out, 7, PAYLOAD, 0, 160);
        assertThat(n).isEqualTo(12 + 12 + 160);
        RtpPacket p = RtpPacket.parse(out, 7, n);
        assertThat(p.payloadType()).isEqualTo(111);
        assertThat(p.sequenceNumber()).isEqualTo(65535);
        assertThat(p.timestamp()).isEqualTo(0xFFFFFFF0L);
        assertThat(p.ssrc()).isEqualTo(0xDEADBEEF);
        assertThat(p.marker()).isTrue();
        assertThat(p.csrcCount()).isEqualTo(3);
        assertThat(p.csrc(2)).isEqualTo(3);
        assertThat(p.hasExtension()).isFalse();
        assertThat(p.extension(1)).isEqualTo(-1);
        assertThat(p.payloadOffset()).isEqualTo(7 + 24);
        assertThat(p.payloadLength()).isEqualTo(160);
        assertThat(p.buffer()).isSameAs(out);
        assertThat(Arrays.copyOfRange(out, p.payloadOffset(), p.payloadOffset() + 160)).isEqualTo(PAYLOAD);

        p.setSequenceNumber(7);
        p.setTimestamp(99);
        p.setSsrc(5);
        p.setMarker(false);
        p.setPayloadType(8);
        assertThat(p.toString()).isEqualTo("RtpPacket{pt=8, seq=7, ts=99, ssrc=5, payload=160}");
        ByteBuf b = Unpooled.buffer();
        p.encodeTo(b);
        assertThat(b.readableBytes()).isEqualTo(p.encodedSize());
        RtpPacket q = new RtpPacket();
        assertThat(q.wrap(b)).isTrue();
        assertThat(q.sequenceNumber()).isEqualTo(7);
    }

    @Test
    void oneByteHeaderExtensionsMatchTheRfc8285Layout() throws Exception {
        RtpHeader h = new RtpHeader().payloadType(0).ssrc(1)
                .addExtension(1, new byte[] {0x11}, 0, 1)
                .addExtension(2, new byte[] {0x21, 0x22}, 0, 2)
                .addExtension(3, new byte[] {0x31, 0x32, 0x33, 0x34}, 0, 4);
        byte[] out = new byte[100];
        int n = h.encodeTo(out, 0, PAYLOAD, 0, 4);
        // BEDE, length 3 words: [10 11] [21 21 22] [33 31 32 33 34] + 1 pad = 12 bytes
        assertThat(HexFormat.of().formatHex(out, 12, 28)).isEqualTo("bede0003" + "1011" + "212122" + "3331323334" + "0000");
        RtpPacket p = RtpPacket.parse(out, 0, n);
        assertThat(p.extensionProfile()).isEqualTo(0xBEDE);
        long e3 = p.extension(3);
        assertThat(RtpPacket.elementLength(e3)).isEqualTo(4);
        assertThat(out[RtpPacket.elementOffset(e3)]).isEqualTo((byte) 0x31);
        assertThat(RtpPacket.elementLength(p.extension(2))).isEqualTo(2);
        assertThat(p.extension(4)).isEqualTo(-1);
        assertThat(p.payloadLength()).isEqualTo(4);
    }

    @Test
    void theRfc8285ExampleWithPaddingBetweenElementsParses() throws Exception {
        // the example of RFC 8285 §4.2: L=0 element, L=1 element, two pad bytes, L=3 element
        byte[] pkt = HexFormat.of().parseHex("900000010000000000000001" + "bede0003"
                + "10aa" + "21bbbb" + "0000" + "33cccccccc" + "ffee");
        RtpPacket p = RtpPacket.parse(pkt, 0, pkt.length);
        assertThat(RtpPacket.elementLength(p.extension(1))).isEqualTo(1);
        assertThat(RtpPacket.elementLength(p.extension(2))).isEqualTo(2);
        long e3 = p.extension(3);
        assertThat(RtpPacket.elementLength(e3)).isEqualTo(4);
        assertThat(pkt[RtpPacket.elementOffset(e3)]).isEqualTo((byte) 0xCC);
        assertThat(p.payloadLength()).isEqualTo(2);
    }

    @Test
    void twoByteFormIsUsedForLongOrHighIdElements() throws Exception {
        byte[] big = new byte[40];
        Arrays.fill(big, (byte) 7);
        RtpHeader h = new RtpHeader().ssrc(9).addExtension(200, big, 0, 40).addExtension(3, big, 0, 0);
        byte[] out = new byte[300];
        int n = h.encodeTo(out, 0, PAYLOAD, 0, 10);
        RtpPacket p = RtpPacket.parse(out, 0, n);
        assertThat(p.extensionProfile() & 0xFFF0).isEqualTo(0x1000);
        assertThat(RtpPacket.elementLength(p.extension(200))).isEqualTo(40);
        assertThat(p.extension(3)).isNotEqualTo(-1);
        assertThat(RtpPacket.elementLength(p.extension(3))).isZero();
        assertThat(p.payloadLength()).isEqualTo(10);
    }

    @Test
    void paddingIsExcludedFromThePayload() throws Exception {
        byte[] pkt = HexFormat.of().parseHex("a0000001000000000000000101020300000004");
        RtpPacket p = RtpPacket.parse(pkt, 0, pkt.length);
        assertThat(p.paddingLength()).isEqualTo(4);
        assertThat(p.payloadLength()).isEqualTo(3);
    }

    @Test
    void invalidPacketsGetTypedErrors() {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(new byte[11], 0, 11)).isFalse();
        assertThat(p.error()).contains("shorter");
        byte[] v1 = HexFormat.of().parseHex("400000010000000000000001");
        assertThat(p.wrap(v1, 0, v1.length)).isFalse();
        byte[] rtcpPt = HexFormat.of().parseHex("80c8000100000000000000000000");
        assertThat(p.wrap(rtcpPt, 0, rtcpPt.length)).isFalse();
        byte[] csrcOverrun = HexFormat.of().parseHex("8f0000010000000000000001");
        assertThat(p.wrap(csrcOverrun, 0, csrcOverrun.length)).isFalse();
        byte[] extOverrun = HexFormat.of().parseHex("900000010000000000000001bede00ff");
        assertThat(p.wrap(extOverrun, 0, extOverrun.length)).isFalse();
        byte[] padZero = HexFormat.of().parseHex("a000000100000000000000010100");
        assertThat(p.wrap(padZero, 0, padZero.length)).isFalse();
        byte[] padTooBig = HexFormat.of().parseHex("a000000100000000000000010140");
        assertThat(p.wrap(padTooBig, 0, padTooBig.length)).isFalse();
        assertThat(p.isValid()).isFalse();
        assertThat(p.wrap(Unpooled.directBuffer().writeBytes(v1))).isFalse();
        assertThatThrownBy(() -> RtpPacket.parse(v1, 0, v1.length)).isInstanceOf(RtpFormatException.class)
                .hasMessageContaining("version");
    }

    @Test
    void randomBytesNeverThrow() {
        Random r = new Random(42);
        RtpPacket p = new RtpPacket();
        byte[] b = new byte[64];
        for (int i = 0; i < 200_000; i++) {
            r.nextBytes(b);
            int len = r.nextInt(65);
            b[0] = (byte) (0x80 | (b[0] & 0x3F));
            if (p.wrap(b, 0, len)) {
                assertThat(p.payloadLength()).isBetween(0, len);
                for (int id = 1; id < 16; id++) {
                    long e = p.extension(id);
                    if (e >= 0) {
                        assertThat(RtpPacket.elementOffset(e) + RtpPacket.elementLength(e)).isLessThanOrEqualTo(len);
                    }
                }
            }
            PacketKind.classify(b, 0, len);
        }
    }

    @Test
    void demultiplexesByFirstBytes() {
        assertThat(PacketKind.classify(new byte[] {0, 1}, 0, 2)).isEqualTo(PacketKind.STUN);
        assertThat(PacketKind.classify(new byte[] {22, 3}, 0, 2)).isEqualTo(PacketKind.DTLS);
        assertThat(PacketKind.classify(new byte[] {17}, 0, 1)).isEqualTo(PacketKind.ZRTP);
        assertThat(PacketKind.classify(new byte[] {64}, 0, 1)).isEqualTo(PacketKind.TURN_CHANNEL);
        assertThat(PacketKind.classify(new byte[] {(byte) 0x80, 0}, 0, 2)).isEqualTo(PacketKind.RTP);
        assertThat(PacketKind.classify(new byte[] {(byte) 0x80, (byte) 0xE0}, 0, 2)).as("PT 96 with marker").isEqualTo(PacketKind.RTP);
        assertThat(PacketKind.classify(new byte[] {(byte) 0x80, (byte) 200}, 0, 2)).isEqualTo(PacketKind.RTCP);
        assertThat(PacketKind.classify(new byte[] {(byte) 0x81, (byte) 205}, 0, 2)).isEqualTo(PacketKind.RTCP);
        assertThat(PacketKind.classify(new byte[] {(byte) 0xFF}, 0, 1)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(new byte[0], 0, 0)).isEqualTo(PacketKind.UNKNOWN);
    }
}
