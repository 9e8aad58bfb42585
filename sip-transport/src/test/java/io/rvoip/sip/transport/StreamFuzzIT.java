package io.rvoip.sip.transport;

import static io.rvoip.sip.transport.TransportHarness.loopback;
import static io.rvoip.sip.transport.TransportHarness.options;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile TCP peers (RFC 3261 §18.3, RFC 5626 §4.4.1): each connection sends a seeded mix of
 * SIP messages (with and without bodies, after stray CRLFs), CRLF keep-alive pings, messages
 * that are framed but malformed, and what ends a stream's framing (a message without
 * Content-Length, one over the size limit, garbage); written in pieces of 1 byte to 4 KB, and
 * one stream in two damaged byte by byte. See {@link HostileStreams} for what must hold.
 *
 * <p>Seed and count: {@code -Drvoip.fuzz.seed=…} and {@code -Drvoip.fuzz.connections=…}.
 */
class StreamFuzzIT {
    private static final int MAX = 8192;

    @Test
    void hostileStreamsCostOnlyTheirConnection() throws Exception {
        long seed = Long.getLong("rvoip.fuzz.seed", 20261128L);
        int connections = Integer.getInteger("rvoip.fuzz.connections", 400);
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TCP, loopback())
                .limits(new io.rvoip.sip.parser.ParserLimits(MAX, 64, 1024, 512, MAX, 16, 16)))) {
            HostileStreams.run(b, TransportType.TCP, seed, connections, StreamFuzzIT::stream, plain(s -> s));
        }
    }

    @Test
    void overTlsToo() throws Exception {
        // the same streams inside TLS records (TLS 1.3): the TLS handler hands the stream handler
        // one record at a time, and announces a full queue late
        long seed = Long.getLong("rvoip.fuzz.seed", 20261128L) + 1;
        int connections = Integer.getInteger("rvoip.fuzz.connections", 400) / 4;
        TestCertificates ca = new TestCertificates("fuzz CA");
        TestCertificates.Issued cert = ca.issue("localhost", java.util.List.of("localhost"), java.util.List.of("127.0.0.1"));
        javax.net.ssl.SSLContext ctx = ca.clientContext();
        try (TransportHarness b = new TransportHarness(c -> c.listen(TransportType.TLS, loopback())
                .tls(TlsConfig.builder().certificate(cert.key(), cert.certificate()).build())
                .limits(new io.rvoip.sip.parser.ParserLimits(MAX, 64, 1024, 512, MAX, 16, 16)))) {
            HostileStreams.run(b, TransportType.TLS, seed, connections, StreamFuzzIT::stream, plain(s -> {
                javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(
                        s, "127.0.0.1", s.getPort(), true);
                tls.startHandshake();
                return tls;
            }));
        }
    }

    private interface Opener {
        Socket open(Socket s) throws Exception;
    }

    private static HostileStreams.Protocol plain(Opener opener) {
        return new HostileStreams.Protocol() {
            @Override
            public Socket open(Socket s) throws Exception {
                return opener.open(s);
            }

            @Override
            public byte[] message(byte[] sip) {
                return sip;
            }
        };
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** 1–8 pieces; an undamaged stream that ends the connection's framing ends there. */
    private static HostileStreams.Stream stream(Random r) {
        HostileStreams.Stream s = new HostileStreams.Stream();
        int pieces = 1 + r.nextInt(8);
        for (int p = 0; p < pieces && !s.ends; p++) {
            byte[] sip = options(r.nextInt(4) == 0 ? "x".repeat(r.nextInt(3000)) : null).toByteArray();
            switch (r.nextInt(12)) {
                case 0, 1, 2, 3 -> { // a message
                    s.bytes.writeBytes(sip);
                    s.messages++;
                }
                case 4 -> { // after stray line ends (RFC 3261 §7.5), one to five of them
                    s.bytes.writeBytes(ascii("\r\n".repeat(1 + r.nextInt(5))));
                    s.bytes.writeBytes(sip);
                    s.messages++;
                }
                case 5 -> s.bytes.writeBytes(ascii("\r\n\r\n".repeat(1 + r.nextInt(3000)))); // pings
                case 6 -> s.bytes.writeBytes(ascii("INVITE <sip:a@b> SIP/2.0\r\nContent-Length: 0\r\n\r\n")); // framed, malformed
                case 7 -> { // no Content-Length: a stream's framing is lost (RFC 3261 §18.3)
                    s.bytes.writeBytes(ascii(new String(sip, StandardCharsets.ISO_8859_1)
                            .replaceAll("Content-Length: \\d+\r\n", "")));
                    s.ends = true;
                }
                case 8 -> { // over the size limit
                    s.bytes.writeBytes(options("y".repeat(MAX)).toByteArray());
                    s.ends = true;
                }
                case 9 -> { // garbage up to an empty line
                    byte[] junk = HostileStreams.randomBytes(r, 1 + r.nextInt(2000));
                    for (int i = 0; i < junk.length; i++) {
                        if (junk[i] == '\r' || junk[i] == '\n') {
                            junk[i] = 'z';
                        }
                    }
                    s.bytes.writeBytes(junk);
                    s.bytes.writeBytes(ascii("\r\n\r\n"));
                    s.ends = true;
                }
                case 10 -> { // a Content-Length longer than what follows: the stream waits for the rest
                    s.bytes.writeBytes(ascii(new String(sip, StandardCharsets.ISO_8859_1)
                            .replaceFirst("Content-Length: \\d+", "Content-Length: 7000")));
                    s.ends = true;
                }
                default -> { // two messages in one go
                    s.bytes.writeBytes(sip);
                    s.bytes.writeBytes(options(null).toByteArray());
                    s.messages += 2;
                }
            }
        }
        return s;
    }
}
