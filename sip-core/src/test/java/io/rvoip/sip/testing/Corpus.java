package io.rvoip.sip.testing;

import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Arrays;

/** Realistic messages (src/test/resources/corpus) and the RFC 4475 messages the parser accepts. */
public final class Corpus {
    public static final List<String> FILES = List.of("invite-anchor.sip", "ok200-anchor.sip", "invite-yealink.sip",
            "trying-asterisk.sip", "ringing-polycom.sip", "ack.sip", "bye-cisco.sip", "register-linphone.sip",
            "unauthorized-kamailio.sip", "ok200-register.sip", "subscribe-blf.sip", "notify-dialog.sip",
            "refer-zoiper.sip", "prack.sip", "ringing-100rel.sip", "update-session-timer.sip", "message-text.sip",
            "options-keepalive.sip", "info-dtmf.sip", "invite-freeswitch-srtp.sip", "cancel.sip", "busy-proxy.sip");

    /** Bytes that break SIP syntax in interesting ways: separators, quotes, line ends, NUL. */
    private static final byte[] INTERESTING = {0, '\r', '\n', ' ', '\t', ':', ';', ',', '"', '\\', '<', '>', '%', '@',
        '=', '/', '[', ']', '?', (byte) 0xff, (byte) 0xc3, '0', '9', '-'};

    private Corpus() {
    }

    /**
     * One seeded mutation of a random seed: one to four bit flips, interesting bytes written or
     * inserted, truncations, duplications, deletions, or splices with another seed.
     */
    public static byte[] mutate(List<byte[]> seeds, SplittableRandom r) {
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int p = r.nextInt(b.length);
            switch (r.nextInt(8)) {
                case 0 -> b[p] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[p] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b = Arrays.copyOf(b, p);
                case 3 -> {
                    int len = 1 + r.nextInt(Math.min(64, b.length - p));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, p + len);
                    System.arraycopy(b, p, out, p + len, b.length - p);
                    b = out;
                }
                case 4 -> {
                    int len = 1 + r.nextInt(Math.min(32, b.length - p));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, p);
                    System.arraycopy(b, p + len, out, p, b.length - p - len);
                    b = out;
                }
                case 5 -> {
                    byte[] other = seeds.get(r.nextInt(seeds.size()));
                    int q = r.nextInt(other.length);
                    byte[] out = new byte[p + other.length - q];
                    System.arraycopy(b, 0, out, 0, p);
                    System.arraycopy(other, q, out, p, other.length - q);
                    b = out;
                }
                case 6 -> {
                    byte[] out = new byte[b.length + 1];
                    System.arraycopy(b, 0, out, 0, p);
                    out[p] = INTERESTING[r.nextInt(INTERESTING.length)];
                    System.arraycopy(b, p, out, p + 1, b.length - p);
                    b = out;
                }
                default -> b[p] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    /** The realistic messages by file name. */
    public static Map<String, byte[]> realistic() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String f : FILES) {
            try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + f)) {
                out.put(f, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Realistic messages plus every RFC 4475 message that parses. */
    public static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>(realistic().values());
        try (var files = java.nio.file.Files.list(SharedData.root().resolve("testdata/rfc4475"))) {
            for (var p : files.sorted().toList()) {
                if (!p.toString().endsWith(".dat")) {
                    continue;
                }
                byte[] b = java.nio.file.Files.readAllBytes(p);
                try {
                    SipParser.defaults().parseDatagram(b);
                    seeds.add(b);
                } catch (SipParseException rejected) {
                    seeds.add(b); // rejected messages are good seeds too
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seeds;
    }
}
