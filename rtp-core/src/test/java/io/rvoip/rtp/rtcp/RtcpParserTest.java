package io.rvoip.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.rtp.RtpFormatException;
import io.rvoip.rtp.rtcp.RtcpPacket.Bye;
import io.rvoip.rtp.rtcp.RtcpPacket.ExtendedReport;
import io.rvoip.rtp.rtcp.RtcpPacket.GenericNack;
import io.rvoip.rtp.rtcp.RtcpPacket.PictureLossIndication;
import io.rvoip.rtp.rtcp.RtcpPacket.ReceiverReport;
import io.rvoip.rtp.rtcp.RtcpPacket.ReportBlock;
import io.rvoip.rtp.rtcp.RtcpPacket.SenderReport;
import io.rvoip.rtp.rtcp.RtcpPacket.SourceDescription;
import io.rvoip.rtp.rtcp.RtcpPacket.VoipMetrics;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpParserTest {
    private static final ReportBlock BLOCK = new ReportBlock(0x22222222, 64, -3, 0x0001FFFFL, 42, 0xABCD1234L, 65536);

    @Test
    void compoundSrSdesByeRoundTrips() throws Exception {
        SenderReport sr = new SenderReport(0x11111111, 0xE0000000_80000000L, 160000, 1000, 160000, List.of(BLOCK));
        SourceDescription sdes = SourceDescription.cname(0x11111111, "alice@example.com");
        Bye bye = new Bye(List.of(0x11111111), "hang up");
        byte[] out = new byte[200];
        int n = RtcpParser.encode(List.of(sr, sdes, bye), out, 0);
        assertThat(n % 4).isZero();
        List<RtcpPacket> parsed = RtcpParser.parse(out, 0, n);
        assertThat(parsed).containsExactly(sr, sdes, bye);
        assertThat(((SourceDescription) parsed.get(1)).cname(0x11111111)).isEqualTo("alice@example.com");
        assertThat(sr.compactNtp()).as("middle 32 bits").isEqualTo(0x00008000L);
        ReportBlock rb = ((SenderReport) parsed.get(0)).reports().get(0);
        assertThat(rb.cumulativeLost()).as("signed 24-bit").isEqualTo(-3);
        assertThat(rb.fractionLost()).isEqualTo(64);
    }

    @Test
    void parsesAHandWrittenReceiverReport() throws Exception {
        // RR, RC=1, length 7: SSRC 1; block: SSRC 2, fraction 0x80, lost 5, ext seq 0x00010005,
        // jitter 0x10, LSR 0x12345678, DLSR 0x00020000
        byte[] b = HexFormat.of().parseHex("81c90007" + "00000001" + "00000002" + "80000005" + "00010005"
                + "00000010" + "12345678" + "00020000");
        ReceiverReport rr = (ReceiverReport) RtcpParser.parse(b, 0, b.length).get(0);
        assertThat(rr.ssrc()).isEqualTo(1);
        assertThat(rr.reports().get(0)).isEqualTo(new ReportBlock(2, 128, 5, 0x00010005L, 16, 0x12345678L, 0x20000));
        byte[] back = new byte[b.length];
        rr.encodeTo(back, 0);
        assertThat(back).isEqualTo(b);
    }

    @Test
    void extendedReportWithVoipMetricsRoundTrips() throws Exception {
        VoipMetrics vm = new VoipMetrics(7, 12, 3, 200, 5, 120, 5000, 80, 40, -20, -70, 127, 16, 88, 127, 41, 42,
                0x80, 60, 120, 200);
        ExtendedReport xr = new ExtendedReport(1, List.of(vm, new RtcpPacket.UnknownXrBlock(4, 0, new byte[8])));
        RtcpPacket rr = new ReceiverReport(1, List.of());
        byte[] out = new byte[100];
        int n = RtcpParser.encode(List.of(rr, xr), out, 0);
        assertThat(n).isEqualTo(8 + 8 + 36 + 12);
        List<RtcpPacket> parsed = RtcpParser.parse(out, 0, n);
        ExtendedReport back = (ExtendedReport) parsed.get(1);
        assertThat(back.blocks().get(0)).isEqualTo(vm);
        assertThat(back.blocks().get(1).blockType()).isEqualTo(4);
        assertThat(out[16]).as("BT").isEqualTo((byte) 7);
        assertThat(out[19]).as("block length 8 words").isEqualTo((byte) 8);
    }

    @Test
    void nackPacksLostSequenceNumbersAndFeedbackParsesReducedSize() throws Exception {
        GenericNack nack = GenericNack.of(1, 2, 100, 101, 116, 117, 65535, 3);
        assertThat(Arrays.stream(nack.lostSequenceNumbers()).sorted().toArray())
                .containsExactly(3, 100, 101, 116, 117, 65535);
        assertThat(nack.pids()).hasSize(4);
        PictureLossIndication pli = new PictureLossIndication(1, 2);
        byte[] out = new byte[64];
        int n = RtcpParser.encode(List.of(nack, pli), out, 0);
        assertThatThrownBy(() -> RtcpParser.parse(out, 0, n)).isInstanceOf(RtpFormatException.class)
                .hasMessageContaining("SR or RR");
        List<RtcpPacket> parsed = RtcpParser.parse(out, 0, n, true);
        GenericNack back = (GenericNack) parsed.get(0);
        assertThat(back.lostSequenceNumbers()).containsExactlyInAnyOrder(nack.lostSequenceNumbers());
        assertThat(parsed.get(1)).isEqualTo(pli);
    }

    @Test
    void appAndUnknownTypesArePreserved() throws Exception {
        RtcpPacket.App app = new RtcpPacket.App(3, 9, "TEST", new byte[] {1, 2, 3, 4});
        RtcpPacket.Unknown unknown = new RtcpPacket.Unknown(210, 2, new byte[] {9, 9, 9, 9});
        byte[] out = new byte[64];
        int n = RtcpParser.encode(List.of(new ReceiverReport(5, List.of()), app, unknown), out, 0);
        List<RtcpPacket> parsed = RtcpParser.parse(out, 0, n);
        RtcpPacket.App a = (RtcpPacket.App) parsed.get(1);
        assertThat(a.name()).isEqualTo("TEST");
        assertThat(a.subtype()).isEqualTo(3);
        assertThat(a.data()).containsExactly(1, 2, 3, 4);
        assertThat(((RtcpPacket.Unknown) parsed.get(2)).body()).containsExactly(9, 9, 9, 9);
    }

    @Test
    void validityChecksOfRfc3550AppendixA2() {
        byte[] rr = HexFormat.of().parseHex("80c9000100000001");
        byte[] sdes = new byte[12];
        SourceDescription.cname(1, "a").encodeTo(sdes, 0);
        // lengths not adding up
        byte[] extra = Arrays.copyOf(rr, 12);
        assertThatThrownBy(() -> RtcpParser.parse(extra, 0, 12)).isInstanceOf(RtpFormatException.class);
        // version 1 in the second packet
        byte[] two = new byte[20];
        System.arraycopy(rr, 0, two, 0, 8);
        System.arraycopy(sdes, 0, two, 8, 12);
        two[8] = (byte) 0x41;
        assertThatThrownBy(() -> RtcpParser.parse(two, 0, 20)).hasMessageContaining("version");
        // padding on the first of two packets
        byte[] pad = new byte[20];
        System.arraycopy(rr, 0, pad, 0, 8);
        System.arraycopy(sdes, 0, pad, 8, 12);
        pad[0] = (byte) 0xA0;
        assertThatThrownBy(() -> RtcpParser.parse(pad, 0, 20)).hasMessageContaining("padding");
        // length field beyond the datagram
        byte[] longLen = HexFormat.of().parseHex("80c9000500000001");
        assertThatThrownBy(() -> RtcpParser.parse(longLen, 0, 8)).hasMessageContaining("beyond");
        // report count larger than the packet
        byte[] rc = HexFormat.of().parseHex("81c9000100000001");
        assertThatThrownBy(() -> RtcpParser.parse(rc, 0, 8)).hasMessageContaining("RR");
        assertThatThrownBy(() -> RtcpParser.parse(rr, 0, 7)).isInstanceOf(RtpFormatException.class);
    }

    @Test
    void paddingOnTheLastPacketIsHonoured() throws Exception {
        // RR with 4 bytes of padding: length 2 words + header
        byte[] b = HexFormat.of().parseHex("a0c90002" + "00000007" + "00000004");
        ReceiverReport rr = (ReceiverReport) RtcpParser.parse(b, 0, b.length).get(0);
        assertThat(rr.ssrc()).isEqualTo(7);
    }

    @Test
    void randomBytesOnlyEverGiveTypedErrors() {
        Random r = new Random(7);
        byte[] b = new byte[1100];
        int ok = 0;
        for (int i = 0; i < 300_000; i++) {
            r.nextBytes(b);
            b[0] = (byte) (0x80 | (b[0] & 0x3F));
            b[1] = (byte) (200 + r.nextInt(8));
            int words = r.nextInt(r.nextBoolean() ? 8 : 270);
            b[2] = (byte) (words >>> 8);
            b[3] = (byte) words;
            int len = 4 * (words + 1);
            try {
                List<RtcpPacket> ps = RtcpParser.parse(b, 0, len, true);
                byte[] again = new byte[RtcpParser.encodedSize(ps)];
                RtcpParser.encode(ps, again, 0);
                ok++;
            } catch (RtpFormatException expected) {
                // typed refusal
            }
        }
        assertThat(ok).isPositive();
    }
}
