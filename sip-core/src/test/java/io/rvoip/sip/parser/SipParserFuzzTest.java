package io.rvoip.sip.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.sip.auth.DigestCredentials;
import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.RequestValidator;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.sdp.SessionDescription;
import io.rvoip.sip.testing.Corpus;
import io.rvoip.sip.uri.Uri;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutation fuzzing (bit flips, interesting bytes, truncation, duplication, deletion,
 * insertion, splices of two seeds) over the corpus and the RFC 4475 messages. Every input must
 * either parse or fail with a {@link SipParseException} that is not an internal error; every
 * typed header of a parsed message must do the same; a parsed message must re-parse to the
 * same bytes; the values whose text the parser leaves in the message's bytes until read (the
 * Request-URI, From, To) must equal the same text parsed from a string; for every fourth input,
 * a {@link SipParser.Depth#FULL} parse must refuse exactly what the default depth refuses or
 * cannot type, and otherwise give the same values. The seed is printed on failure and can be replayed with
 * {@code -Drvoip.fuzz.seed=...}; {@code -Drvoip.fuzz.iterations=...} sets the count
 * (default 1,000,000). The timeout only guards against a hang.
 */
class SipParserFuzzTest {

    static final List<HeaderType<?>> TYPES = new ArrayList<>();

    static {
        for (Field f : SipHeaders.class.getFields()) {
            try {
                TYPES.add((HeaderType<?>) f.get(null));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static boolean isAscii(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The 400 for a refused input is either absent or a clean 400 (never an exception). */
    private static void answer(SipParser parser, byte[] input, SipParseException refusal, long seed, int i) {
        SipResponse r;
        try {
            r = parser.badRequestFor(input, refusal.getMessage());
        } catch (RuntimeException e) {
            throw new AssertionError("seed " + seed + " iteration " + i + ": badRequestFor threw " + e + "\ninput: "
                    + new String(input, java.nio.charset.StandardCharsets.ISO_8859_1), e);
        }
        if (r != null) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.via()).isNotNull();
            assertThat(parser.parseDatagram(r.toByteArray()).toByteArray()).isEqualTo(r.toByteArray());
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void millionMutatedMessagesOnlyEverParseOrFailCleanly() {
        long seed = Long.getLong("rvoip.fuzz.seed", 0x5EED_0F_51FL);
        int iterations = Integer.getInteger("rvoip.fuzz.iterations", 1_000_000);
        List<byte[]> seeds = Corpus.seeds();
        SplittableRandom rnd = new SplittableRandom(seed);
        ParserLimits tight = new ParserLimits(4096, 64, 1024, 512, 2048, 16, 16);
        SipParser[] parsers = {SipParser.defaults(), new SipParser(tight)};
        SipParser[] fullDepth = {SipParser.fullDepth(), new SipParser(tight, SipParser.Depth.FULL)};
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] input = mutate(seeds, rnd);
            SipParser parser = parsers[i & 1];
            SipMessage m;
            try {
                m = parser.parseDatagram(input);
            } catch (SipParseException e) {
                assertClean(e, seed, i, input);
                rejected++;
                if ((i & 3) == 1) {
                    answer(parser, input, e, seed, i);
                }
                if ((i & 3) == 2) {
                    fullDepthAgrees(fullDepth[i & 1], input, null, e, seed, i);
                }
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i + ": " + e + "\ninput: "
                        + new String(input, java.nio.charset.StandardCharsets.ISO_8859_1), e);
            }
            parsed++;
            if ((i & 3) == 2) {
                fullDepthAgrees(fullDepth[i & 1], input, m, null, seed, i);
            }
            exercise(m, seed, i, input);
            if ((i & 7) == 4) {
                typedValuesRoundTrip(m, seed, i);
                if (m instanceof SipRequest r) {
                    answers(r, seed, i);
                } else {
                    challengesAnswered((SipResponse) m, seed, i);
                }
            }
            if ((i & 7) == 0) {
                assertThat(parser.parseDatagram(m.toByteArray()).toByteArray()).isEqualTo(m.toByteArray());
                frame(m.toByteArray(), seed, i);
            }
        }
        assertThat(parsed + rejected).isEqualTo(iterations);
        // the properties above ran on real inputs (about 2,900, 66,000 and 500 per million)
        assertThat(multiparts).as("multipart bodies split and written back").isGreaterThanOrEqualTo(iterations / 1000);
        assertThat(typedSdpValues).as("typed SDP attributes written back").isGreaterThanOrEqualTo(iterations / 100);
        assertThat(challengesAnswered).as("Digest challenges answered").isGreaterThanOrEqualTo(iterations / 10_000);
        assertThat(parsed).as("mutations must not all be fatal").isGreaterThan(iterations / 20);
        assertThat(rejected).as("mutations must break some messages").isGreaterThan(iterations / 20);
    }

    /**
     * A full-depth parse of {@code input} refuses it exactly when the default depth did
     * ({@code refusal}) or when one of its typed fields cannot be read (the first such field,
     * with the same error), and otherwise gives the same bytes and typed values.
     */
    static void fullDepthAgrees(SipParser full, byte[] input, SipMessage lazy, SipParseException refusal,
            long seed, int i) {
        SipParseException expected = refusal != null ? refusal : FullDepthTest.firstUnreadable(lazy);
        String what = "seed " + seed + " iteration " + i + ", full depth";
        SipMessage m;
        try {
            m = full.parseDatagram(input);
        } catch (SipParseException e) {
            assertThat(e.getCause()).as(what + ": an internal error").isNull();
            assertThat(expected).as(what + " refused what the default depth takes: " + e.getMessage()).isNotNull();
            assertThat(e.getMessage()).as(what).isEqualTo(expected.getMessage());
            assertThat(e.offset()).as(what).isEqualTo(expected.offset());
            return;
        }
        assertThat(expected).as(what + " took a message with a typed field that cannot be read").isNull();
        assertThat(m.toByteArray()).as(what).isEqualTo(lazy.toByteArray());
        for (HeaderType<?> t : TYPES) {
            assertThat(m.getAll(t)).as(what + ": %s", t).isEqualTo(lazy.getAll(t));
        }
    }

    /**
     * Every typed value the message gives, written with its type's {@link HeaderType#format}
     * (what the builders write), parses back to an equal value: a value the parser took can
     * always be sent on.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void typedValuesRoundTrip(SipMessage m, long seed, int i) {
        for (HeaderType t : TYPES) {
            List<?> values;
            try {
                values = m.getAll(t);
            } catch (SipParseException e) {
                continue; // exercise() has checked that it is a clean refusal
            }
            for (Object v : values) {
                String text = t.format(v);
                assertThat(HeaderValueParser.parseAll(t, text))
                        .as("seed %d, input %d: %s written as %s", seed, i, t, text).containsExactly(v);
            }
        }
    }

    private static final RequestValidator VALIDATOR = RequestValidator.of(
            java.util.Set.of(SipMethod.INVITE, SipMethod.ACK, SipMethod.BYE, SipMethod.CANCEL, SipMethod.OPTIONS),
            java.util.Set.of("timer", "100rel"), List.of(io.rvoip.sip.header.MediaType.APPLICATION_SDP));

    /**
     * What a UAS does with any request it took: validate it (RFC 3261 §8.2) and answer it
     * (§8.2.6). Neither may fail, and the answer is valid SIP that carries the request's
     * From, Call-ID and CSeq and its To with a tag.
     */
    static void answers(SipRequest r, long seed, int i) {
        String what = "seed " + seed + ", input " + i;
        RequestValidator.Result verdict = VALIDATOR.validate(r);
        assertThat(verdict).as(what).isNotNull();
        for (StatusCode status : List.of(StatusCode.TRYING, StatusCode.OK,
                verdict.isOk() ? StatusCode.BUSY_HERE : verdict.status())) {
            SipResponse answer = SipResponse.forRequest(r, status).build();
            SipResponse sent = (SipResponse) SipParser.defaults().parseDatagram(answer.toByteArray());
            assertThat(sent.statusCode()).as(what).isEqualTo(status.code());
            assertThat(sent.getAll(SipHeaders.VIA)).as(what).isEqualTo(r.getAll(SipHeaders.VIA));
            assertThat(sent.from()).as(what).isEqualTo(r.from());
            assertThat(sent.callId()).as(what).isEqualTo(r.callId());
            assertThat(sent.cseq()).as(what).isEqualTo(r.cseq());
            if (r.to() == null) { // the parser takes it; the validator must not
                assertThat(verdict.isOk()).as(what + ": a request without To validated").isFalse();
                assertThat(sent.to()).as(what).isNull();
                continue;
            }
            assertThat(sent.to().uri()).as(what).isEqualTo(r.to().uri());
            if (r.to().tag() != null || status.code() == 100) {
                assertThat(sent.to().tag()).as(what).isEqualTo(r.to().tag());
            } else {
                assertThat(sent.to().tag()).as(what + ": the To tag of a " + status.code()).isNotEmpty();
            }
        }
    }

    /**
     * Every Digest challenge a response carries is either refused by
     * {@link DigestCredentials#answer} with an {@link IllegalArgumentException} (what a UAC
     * catches to skip it) or answered with credentials that a request can carry and a server
     * reads back as they were.
     */
    static void challengesAnswered(SipResponse response, long seed, int i) {
        for (HeaderType<io.rvoip.sip.header.AuthHeader> t : List.of(SipHeaders.WWW_AUTHENTICATE,
                SipHeaders.PROXY_AUTHENTICATE)) {
            List<io.rvoip.sip.header.AuthHeader> challenges;
            try {
                challenges = response.getAll(t);
            } catch (SipParseException e) {
                continue;
            }
            for (io.rvoip.sip.header.AuthHeader c : challenges) {
                if (!c.isDigest() || c.realm() == null || c.nonce() == null) {
                    continue; // what a UAC skips before answering
                }
                io.rvoip.sip.header.AuthHeader a;
                try {
                    a = DigestCredentials.answer(c, "INVITE", "sip:bob@biloxi.example.com", "alice", "secret", 1,
                            new byte[0]);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                challengesAnswered++;
                SipRequest retry = SipRequest.builder(SipMethod.INVITE, Uri.parse("sip:bob@biloxi.example.com"))
                        .via(io.rvoip.sip.header.Via.of("UDP", "192.0.2.1", 5060, "z9hG4bK1")).callId("c")
                        .from(io.rvoip.sip.header.Address.of(Uri.parse("sip:alice@a.example.com")).withTag("1"))
                        .to(io.rvoip.sip.header.Address.of(Uri.parse("sip:bob@biloxi.example.com"))).cseq(2)
                        .add(SipHeaders.AUTHORIZATION, a).build();
                assertThat(SipParser.defaults().parseDatagram(retry.toByteArray()).get(SipHeaders.AUTHORIZATION))
                        .as("seed %d, input %d: the answer to %s", seed, i, c).isEqualTo(a);
            }
        }
    }

    /**
     * A multipart body (RFC 5621) splits or is refused cleanly, and what splits is written back
     * ({@code encode}) and split again into the same parts: headers and content byte for byte.
     */
    /** Multipart bodies split and written back: the property above ran on real ones. */
    private static int multiparts;

    private static void multipartRoundTrip(SipMessage m, long seed, int i, byte[] input) {
        io.rvoip.sip.header.MediaType type;
        try {
            type = m.contentType();
        } catch (SipParseException e) {
            assertClean(e, seed, i, input);
            return;
        }
        if (type == null || !type.type().equalsIgnoreCase("multipart") || m.bodyLength() == 0) {
            return;
        }
        io.rvoip.sip.message.MultipartBody body;
        try {
            body = io.rvoip.sip.message.MultipartBody.parse(type, m.body());
        } catch (SipParseException e) {
            assertClean(e, seed, i, input);
            return;
        }
        multiparts++;
        io.rvoip.sip.message.MultipartBody again = io.rvoip.sip.message.MultipartBody.parse(body.contentType(), body.encode());
        assertThat(again.parts()).as("seed %d, input %d: multipart round trip", seed, i).hasSameSizeAs(body.parts());
        for (int p = 0; p < body.parts().size(); p++) {
            assertThat(again.parts().get(p).headers()).as("seed %d, input %d, part %d", seed, i, p)
                    .isEqualTo(body.parts().get(p).headers());
            assertThat(again.parts().get(p).content()).as("seed %d, input %d, part %d", seed, i, p)
                    .isEqualTo(body.parts().get(p).content());
        }
    }

    /** Typed SDP attribute values read and written back, and Digest challenges answered: the properties ran. */
    private static int typedSdpValues;
    private static int challengesAnswered;

    /** The typed SDP attributes, by name: how each value parses. */
    private static final java.util.Map<String, java.util.function.Function<String, Object>> TYPED_SDP = java.util.Map.of(
            "rtpmap", io.rvoip.sip.sdp.RtpMap::parse, "fmtp", io.rvoip.sip.sdp.Fmtp::parse,
            "crypto", io.rvoip.sip.sdp.Crypto::parse, "candidate", io.rvoip.sip.sdp.Candidate::parse,
            "fingerprint", io.rvoip.sip.sdp.Fingerprint::parse, "ssrc", io.rvoip.sip.sdp.Ssrc::parse,
            "extmap", io.rvoip.sip.sdp.ExtMap::parse, "group", io.rvoip.sip.sdp.Group::parse,
            "rtcp", io.rvoip.sip.sdp.RtcpAttribute::parse);

    /**
     * Each typed attribute value parses or is refused with a clean {@link SipParseException}, and
     * what parses is written back ({@code toString}, what an answer built from it carries) and
     * parsed again into an equal value.
     */
    private static void typedAttributesRoundTrip(List<io.rvoip.sip.sdp.Attribute> attributes, long seed, int i,
            byte[] input) {
        for (io.rvoip.sip.sdp.Attribute a : attributes) {
            java.util.function.Function<String, Object> parse = TYPED_SDP.get(a.name());
            if (parse == null || a.value() == null) {
                continue;
            }
            Object v;
            try {
                v = parse.apply(a.value());
            } catch (SipParseException e) {
                assertClean(e, seed, i, input);
                continue;
            }
            typedSdpValues++;
            assertThat(parse.apply(v.toString())).as("seed %d, input %d: a=%s:%s written as %s", seed, i, a.name(),
                    a.value(), v).isEqualTo(v);
        }
    }

    private static void exercise(SipMessage m, long seed, int i, byte[] input) {
        String from = m.header(HeaderName.FROM);
        if (from != null && isAscii(from)) {
            assertThat(m.from()).as("seed %d, input %d", seed, i).isEqualTo(HeaderValueParser.parseOne(SipHeaders.FROM, from));
        }
        String to = m.header(HeaderName.TO);
        if (to != null && isAscii(to)) {
            assertThat(m.to()).as("seed %d, input %d", seed, i).isEqualTo(HeaderValueParser.parseOne(SipHeaders.TO, to));
        }
        if (m instanceof SipRequest r) {
            String wire = new String(r.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
            String line = wire.substring(0, wire.indexOf('\n'));
            String uri = line.substring(line.indexOf(' ') + 1, line.lastIndexOf(' '));
            if (isAscii(uri)) {
                assertThat(r.requestUri()).as("seed %d, input %d", seed, i).isEqualTo(Uri.parse(uri));
            }
        }
        for (HeaderType<?> t : TYPES) {
            try {
                m.getAll(t);
            } catch (SipParseException e) {
                assertClean(e, seed, i, input);
            }
        }
        for (int h = 0; h < m.headerCount(); h++) {
            m.headerValue(h);
        }
        multipartRoundTrip(m, seed, i, input);
        if (m.bodyLength() > 0) {
            SessionDescription sdp;
            try {
                sdp = SessionDescription.parse(m.body());
            } catch (SipParseException e) {
                assertClean(e, seed, i, input);
                return;
            }
            // what was taken is written back and read again as the same description (a refusal
            // here is a failure too: it escapes this method)
            assertThat(SessionDescription.parse(sdp.toString())).as("seed %d, input %d: SDP round trip", seed, i)
                    .isEqualTo(sdp);
            List<Runnable> typed = new ArrayList<>(List.of(sdp::groups, sdp::fingerprint, sdp::direction));
            for (var media : sdp.media()) {
                typed.addAll(List.of(media::rtpMaps, media::cryptos, media::candidates, () -> media.fmtp("101"),
                        media::rtcp, media::ptime, media::maxptime, media::direction, media::rtcpMux,
                        media::fingerprint, media::setup, media::iceUfrag, media::icePwd, media::iceOptions,
                        media::endOfCandidates, media::mid, media::ssrcs, media::extmaps, media::label,
                        () -> sdp.directionOf(media), () -> sdp.connectionOf(media)));
            }
            for (var media : sdp.media()) {
                typedAttributesRoundTrip(media.attributes(), seed, i, input);
            }
            typedAttributesRoundTrip(sdp.attributes(), seed, i, input);
            for (Runnable r : typed) { // each on its own: one malformed attribute must not hide the rest
                try {
                    r.run();
                } catch (SipParseException e) {
                    assertClean(e, seed, i, input);
                }
            }
        }
    }

    private static void frame(byte[] wire, long seed, int i) {
        SipStreamFramer framer = new SipStreamFramer();
        try {
            int skip = SipStreamFramer.leadingNewlines(wire, 0, wire.length);
            framer.frameLength(wire, skip, wire.length - skip);
        } catch (SipParseException e) {
            assertClean(e, seed, i, wire);
        }
    }

    private static void assertClean(SipParseException e, long seed, int i, byte[] input) {
        if (e.getCause() != null) {
            throw new AssertionError("seed " + seed + " iteration " + i + ": " + e.getMessage() + "\ninput: "
                    + new String(input, java.nio.charset.StandardCharsets.ISO_8859_1), e);
        }
    }

    static byte[] mutate(List<byte[]> seeds, SplittableRandom r) {
        return Corpus.mutate(seeds, r);
    }
}
