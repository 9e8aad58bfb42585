package io.rvoip.session.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.sdp.Direction;
import io.rvoip.sip.sdp.SessionDescription;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A peer's SDP drives offer/answer: mutated offers and answers (lines dropped, repeated and
 * swapped, numbers pushed to extremes, tokens and characters changed) must parse or fail with a
 * {@link SipParseException}, and a parsed one must be answered/accepted or refused with an
 * {@link OfferRejectedException} (the call gets 488). Nothing else may come out. Every SRTP mode
 * and both mux settings; seeded.
 */
class OfferAnswerFuzzTest {
    private static final String[] SEEDS = {
        """
        v=0
        o=phone 100 100 IN IP4 192.0.2.5
        s=-
        c=IN IP4 192.0.2.5
        t=0 0
        m=audio 49170 RTP/AVP 8 0 9 18 101
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=ptime:30
        a=rtcp:49171
        a=sendrecv
        """,
        """
        v=0
        o=- 5 7 IN IP6 2001:db8::5
        s=call
        c=IN IP6 2001:db8::5
        t=0 0
        m=audio 50000 RTP/SAVP 111 0 96
        a=rtpmap:111 opus/48000/2
        a=fmtp:111 maxplaybackrate=16000;useinbandfec=1;usedtx=1;stereo=0;maxaveragebitrate=24000
        a=rtpmap:96 telephone-event/48000
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4
        a=crypto:2 AEAD_AES_128_GCM inline:o7mwvRM7XyZOSM2vGHGE2Ogv9+bkKH/XkVvz4A==
        a=rtcp-mux
        a=sendonly
        m=video 0 RTP/AVP 96
        """,
        """
        v=0
        o=gw 1 2 IN IP4 198.51.100.1
        s=-
        t=0 0
        m=audio 4000 RTP/AVP 0 13
        c=IN IP4 198.51.100.1
        a=inactive
        m=audio 4002 RTP/AVP 9
        c=IN IP4 0.0.0.0
        a=recvonly
        """,
    };

    private final Random random = new Random(3264);

    @Test
    void mutatedOffersAndAnswersAreNegotiatedOrRefusedWithA488() {
        List<OfferAnswer> sides = new ArrayList<>();
        for (SrtpMode mode : SrtpMode.values()) {
            for (boolean mux : new boolean[] {true, false}) {
                sides.add(new OfferAnswer(CodecRegistry.defaults(), InetAddress.getLoopbackAddress(),
                        OfferAnswer.CodecOrder.OFFERER, mode, mux));
            }
        }
        int parsed = 0;
        int negotiated = 0;
        for (int i = 0; i < 60_000; i++) {
            String text = mutate(SEEDS[random.nextInt(SEEDS.length)]);
            SessionDescription sdp;
            try {
                sdp = SessionDescription.parse(text);
            } catch (SipParseException refused) {
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("parsing threw " + e + " on\n" + text, e);
            }
            parsed++;
            OfferAnswer oa = sides.get(random.nextInt(sides.size()));
            Direction wanted = Direction.values()[random.nextInt(Direction.values().length)];
            try {
                OfferAnswer.Answer a = oa.answer(sdp, 40000, wanted, 20);
                assertThat(SessionDescription.parse(a.sdp().toString())).as("our answer parses").isNotNull();
                negotiated++;
            } catch (OfferRejectedException refused) {
                // 488
            } catch (RuntimeException e) {
                throw new AssertionError("answering threw " + e + " on\n" + text, e);
            }
            try {
                oa.offer(40000, Direction.SENDRECV, 20);
                oa.accept(sdp, Direction.SENDRECV); // the same text as the answer to our offer
            } catch (OfferRejectedException refused) {
                // 488 / the call fails
            } catch (RuntimeException e) {
                throw new AssertionError("accepting threw " + e + " on\n" + text, e);
            }
        }
        assertThat(parsed).as("mutants that parse").isGreaterThan(10_000);
        assertThat(negotiated).as("mutants still negotiated").isGreaterThan(1_000);
    }

    private static final String[] EXTREMES = {"0", "-1", "65535", "65536", "99999999999999999999", "127", "128", "255",
        "", " ", "x", "1:0", "/", "//", "2^99", "0-99999", ";", "=", "inline:", "IP7", "::", "[::1]"};

    private String mutate(String seed) {
        List<String> lines = new ArrayList<>(List.of(seed.split("\n")));
        for (int e = 1 + random.nextInt(3); e > 0; e--) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            switch (random.nextInt(7)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(random.nextInt(lines.size() + 1), line);
                case 2 -> { // swap with another line
                    int other = random.nextInt(lines.size());
                    lines.set(at, lines.get(other));
                    lines.set(other, line);
                }
                case 3 -> lines.set(at, replaceToken(line, EXTREMES[random.nextInt(EXTREMES.length)]));
                case 4 -> { // a number changed
                    lines.set(at, line.replaceFirst("\\d+", String.valueOf(random.nextBoolean() ? random.nextInt() : random.nextInt(300))));
                }
                case 5 -> { // a character changed
                    if (!line.isEmpty()) {
                        char[] c = line.toCharArray();
                        c[random.nextInt(c.length)] = (char) (32 + random.nextInt(95));
                        lines.set(at, new String(c));
                    }
                }
                default -> lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
            }
            if (lines.isEmpty()) {
                lines.add("v=0");
            }
        }
        return String.join("\r\n", lines) + "\r\n";
    }

    private String replaceToken(String line, String with) {
        String[] t = line.split("[ :/=;]", -1);
        if (t.length == 0) {
            return line;
        }
        String victim = t[random.nextInt(t.length)];
        return victim.isEmpty() ? line + with : line.replaceFirst(java.util.regex.Pattern.quote(victim),
                java.util.regex.Matcher.quoteReplacement(with));
    }
}
