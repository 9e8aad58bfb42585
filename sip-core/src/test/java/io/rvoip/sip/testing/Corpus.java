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

/** Realistic messages (src/test/resources/corpus) and the RFC 4475 messages the parser accepts. */
public final class Corpus {
    public static final List<String> FILES = List.of("invite-anchor.sip", "ok200-anchor.sip", "invite-yealink.sip",
            "trying-asterisk.sip", "ringing-polycom.sip", "ack.sip", "bye-cisco.sip", "register-linphone.sip",
            "unauthorized-kamailio.sip", "ok200-register.sip", "subscribe-blf.sip", "notify-dialog.sip",
            "refer-zoiper.sip", "prack.sip", "ringing-100rel.sip", "update-session-timer.sip", "message-text.sip",
            "options-keepalive.sip", "info-dtmf.sip", "invite-freeswitch-srtp.sip", "cancel.sip", "busy-proxy.sip");

    private Corpus() {
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
