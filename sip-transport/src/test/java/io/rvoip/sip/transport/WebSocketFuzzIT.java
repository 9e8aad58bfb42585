package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;
import static io.rvoip.sip.transport.WebSocketTransportIT.maskedFrame;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile WebSocket peers (RFC 6455, RFC 7118): after a real handshake each connection sends a
 * seeded mix of frames (SIP in text, binary and fragmented messages, pings, pongs, CRLF
 * keep-alives, closes; unmasked frames, reserved opcodes and bits, oversized and 64-bit
 * lengths, long or fragmented control frames, bad UTF-8, garbage), and one in two such streams
 * is then damaged byte by byte. The transport must deliver exactly the SIP messages of the
 * undamaged streams, close or keep the damaged ones without failing inside (no warning, no
 * error logged), and end with no connection and nothing queued.
 *
 * <p>Seed and count: {@code -Drvoip.fuzz.seed=…} and {@code -Drvoip.fuzz.connections=…}.
 */
class WebSocketFuzzIT {
    private static final int MAX = 8192; // the message size limit, so oversized frames are cheap

    @Test
    void hostileFramesCostOnlyTheirConnection() throws Exception {
        long seed = Long.getLong("rvoip.fuzz.seed", 20261128L);
        int connections = Integer.getInteger("rvoip.fuzz.connections", 400);
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.WS, loopback()).webSocketPath("/sip")
                .limits(new io.rvoip.sip.parser.ParserLimits(MAX, 64, 1024, 512, MAX, 16, 16)))) {
            HostileStreams.run(b, TransportType.WS, seed, connections, WebSocketFuzzIT::stream, new HostileStreams.Protocol() {
                @Override
                public Socket open(Socket s) throws Exception {
                    assertThat(WebSocketTransportIT.handshake(s, "/sip", "sip", null)).startsWith("HTTP/1.1 101");
                    return s;
                }

                @Override
                public byte[] message(byte[] sip) {
                    return maskedFrame(0x1, sip);
                }
            });
        }
    }

    /** 1–8 pieces; an undamaged stream that ends the connection (a close, a protocol error) ends there. */
    private static HostileStreams.Stream stream(Random r) {
        HostileStreams.Stream s = new HostileStreams.Stream();
        int pieces = 1 + r.nextInt(8);
        for (int p = 0; p < pieces && !s.ends; p++) {
            byte[] sip = options(r.nextInt(4) == 0 ? "x".repeat(r.nextInt(3000)) : null).toByteArray();
            switch (r.nextInt(16)) {
                case 0, 1, 2 -> { // a SIP message in a text frame
                    s.bytes.writeBytes(maskedFrame(0x1, sip));
                    s.messages++;
                }
                case 3 -> { // in a binary frame
                    s.bytes.writeBytes(maskedFrame(0x2, sip));
                    s.messages++;
                }
                case 4 -> { // in 2–4 fragments, with a ping between two of them (RFC 6455 §5.4)
                    int n = 2 + r.nextInt(3);
                    int step = Math.max(1, sip.length / n);
                    for (int f = 0, at = 0; f < n; f++, at += step) {
                        int end = f == n - 1 ? sip.length : Math.min(sip.length, at + step);
                        byte[] part = java.util.Arrays.copyOfRange(sip, Math.min(at, end), end);
                        int opcode = f == 0 ? 0x1 : 0x0;
                        s.bytes.writeBytes(frame(f == n - 1, opcode, part, true, 0));
                        if (f == 0) {
                            s.bytes.writeBytes(maskedFrame(0x9, new byte[] {1, 2, 3}));
                        }
                    }
                    s.messages++;
                }
                case 5 -> s.bytes.writeBytes(maskedFrame(0x9, HostileStreams.randomBytes(r, r.nextInt(126)))); // ping
                case 6 -> s.bytes.writeBytes(maskedFrame(0xA, HostileStreams.randomBytes(r, r.nextInt(126)))); // unasked pong
                case 7 -> s.bytes.writeBytes(maskedFrame(0x1, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                case 8 -> { // a close
                    s.bytes.writeBytes(maskedFrame(0x8, new byte[] {0x03, (byte) 0xe8}));
                    s.ends = true;
                }
                case 9 -> { // a frame that is not masked (RFC 6455 §5.1: the server closes)
                    s.bytes.writeBytes(frame(true, 0x1, sip, false, 0));
                    s.ends = true;
                }
                case 10 -> { // a reserved opcode or a reserved bit
                    int[] reserved = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF};
                    s.bytes.writeBytes(r.nextBoolean() ? frame(true, reserved[r.nextInt(reserved.length)], sip, true, 0)
                            : frame(true, 0x1, sip, true, 0x10 << r.nextInt(3)));
                    s.ends = true;
                }
                case 11 -> { // a length past the limit, or past 2^63
                    s.bytes.writeBytes(new byte[] {(byte) 0x81, (byte) (0x80 | 127)});
                    long len = r.nextBoolean() ? MAX + 1 + r.nextInt(1 << 20) : Long.MIN_VALUE | r.nextLong();
                    for (int i = 7; i >= 0; i--) {
                        s.bytes.write((int) (len >>> (8 * i)));
                    }
                    s.bytes.writeBytes(new byte[] {1, 2, 3, 4});
                    s.ends = true;
                }
                case 12 -> { // a control frame longer than 125 bytes, or fragmented
                    s.bytes.writeBytes(r.nextBoolean() ? maskedFrame(0x9, HostileStreams.randomBytes(r, 126 + r.nextInt(200)))
                            : frame(false, 0x9, new byte[] {1}, true, 0));
                    s.ends = true;
                }
                case 13 -> { // text that is not UTF-8
                    byte[] bad = sip.clone();
                    bad[r.nextInt(bad.length)] = (byte) 0xC0;
                    s.bytes.writeBytes(maskedFrame(0x1, bad));
                    s.ends = true;
                }
                case 14 -> { // a continuation frame with no message started
                    s.bytes.writeBytes(frame(true, 0x0, sip, true, 0));
                    s.ends = true;
                }
                default -> { // a message split over frames, the second not a continuation
                    s.bytes.writeBytes(frame(false, 0x1, java.util.Arrays.copyOf(sip, 10), true, 0));
                    s.bytes.writeBytes(maskedFrame(0x1, sip));
                    s.ends = true;
                }
            }
        }
        return s;
    }

    /** A client frame; {@code rsv} is OR-ed into the first byte. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked, int rsv) {
        byte[] m = maskedFrame(opcode, payload);
        m[0] = (byte) ((fin ? 0x80 : 0) | rsv | opcode);
        if (masked) {
            return m;
        }
        // drop the mask bit and the mask, and write the payload in the clear
        int header = (m[1] & 0x7f) < 126 ? 2 : 4;
        byte[] f = new byte[m.length - 4];
        System.arraycopy(m, 0, f, 0, header);
        f[1] = (byte) (m[1] & 0x7f);
        System.arraycopy(payload, 0, f, header, payload.length);
        return f;
    }
}
