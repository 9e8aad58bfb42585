package io.rvoip.sip.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.parser.SipParseException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionDescriptionTest {
    static final String AUDIO = """
            v=0\r
            o=alice 2890844526 2890844526 IN IP4 192.0.2.101\r
            s=-\r
            c=IN IP4 192.0.2.101\r
            t=0 0\r
            m=audio 49170 RTP/AVP 0 8 101\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-16\r
            a=ptime:20\r
            a=sendrecv\r
            """;

    static final String WEBRTC = """
            v=0\r
            o=- 4611731400430051336 2 IN IP4 127.0.0.1\r
            s=-\r
            t=0 0\r
            a=group:BUNDLE 0 1\r
            a=extmap-allow-mixed\r
            a=msid-semantic: WMS stream\r
            m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r
            c=IN IP4 0.0.0.0\r
            b=AS:64\r
            a=rtcp:9 IN IP4 0.0.0.0\r
            a=candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154 generation 0\r
            a=candidate:1 1 UDP 2130706431 10.0.0.5 46154 typ host\r
            a=end-of-candidates\r
            a=ice-ufrag:EsAw\r
            a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r
            a=ice-options:trickle renomination\r
            a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r
            a=setup:actpass\r
            a=mid:0\r
            a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r
            a=extmap:3/sendonly http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r
            a=sendrecv\r
            a=rtcp-mux\r
            a=rtpmap:111 opus/48000/2\r
            a=fmtp:111 minptime=10;useinbandfec=1\r
            a=rtpmap:0 PCMU/8000\r
            a=ssrc:3570614608 cname:4TOk42mSjXCkVIa6\r
            a=ssrc:3570614608 msid:stream audio0\r
            a=x-vendor-unknown:keep me\r
            m=video 0 UDP/TLS/RTP/SAVPF 96\r
            c=IN IP4 0.0.0.0\r
            a=mid:1\r
            a=inactive\r
            a=label:1\r
            a=rtpmap:96 VP8/90000\r
            """;

    static final String SDES = """
            v=0\r
            o=- 1 1 IN IP6 2001:db8::5\r
            s=SRTP call\r
            i=an information line\r
            u=http://www.example.com/seminars/sdp.pdf\r
            e=j.doe@example.com (Jane Doe)\r
            p=+1 617 555-6011\r
            c=IN IP6 2001:db8::5\r
            b=CT:128\r
            t=2873397496 2873404696\r
            r=7d 1h 0 25h\r
            z=2882844526 -1h 2898848070 0\r
            k=prompt\r
            a=recvonly\r
            m=audio 5004/2 RTP/SAVP 9\r
            i=G.722\r
            a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 KDR=1\r
            a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj\r
            a=rtcp:53020 IN IP6 2001:db8::6\r
            a=maxptime:40\r
            """;

    @ParameterizedTest
    @ValueSource(strings = {AUDIO, WEBRTC, SDES})
    void wellFormedDescriptionsRoundTripToTheSameText(String text) {
        SessionDescription sdp = SessionDescription.parse(text);
        assertThat(sdp.toString()).isEqualTo(text);
        assertThat(SessionDescription.parse(sdp.toBytes())).isEqualTo(sdp);
    }

    @Test
    void audioOffer() {
        SessionDescription sdp = SessionDescription.parse(AUDIO);
        assertThat(sdp.origin().sessionVersion()).isEqualTo("2890844526");
        assertThat(sdp.origin().nextVersion().sessionVersion()).isEqualTo("2890844527");
        assertThat(sdp.connection().host()).isEqualTo("192.0.2.101");
        MediaDescription m = sdp.media().get(0);
        assertThat(m.port()).isEqualTo(49170);
        assertThat(m.formats()).containsExactly("0", "8", "101");
        assertThat(m.rtpMaps()).extracting(RtpMap::encoding).containsExactly("PCMU", "PCMA", "telephone-event");
        assertThat(m.rtpMap(101).clockRate()).isEqualTo(8000);
        assertThat(m.fmtp("101").parameters()).isEqualTo("0-16");
        assertThat(m.ptime()).isEqualTo(20);
        assertThat(sdp.directionOf(m)).isEqualTo(Direction.SENDRECV);
        assertThat(sdp.connectionOf(m).address()).isEqualTo("192.0.2.101");
    }

    @Test
    void webrtcOffer() {
        SessionDescription sdp = SessionDescription.parse(WEBRTC);
        assertThat(sdp.groups()).containsExactly(new Group("BUNDLE", List.of("0", "1")));
        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.bandwidths()).containsExactly(new Bandwidth("AS", 64));
        assertThat(audio.rtcp()).isEqualTo(new RtcpAttribute(9, new Connection("IN", "IP4", "0.0.0.0")));
        assertThat(audio.rtcpMux()).isTrue();
        List<Candidate> candidates = audio.candidates();
        assertThat(candidates).hasSize(2);
        assertThat(candidates.get(0).type()).isEqualTo("srflx");
        assertThat(candidates.get(0).relatedAddress()).isEqualTo("10.0.0.5");
        assertThat(candidates.get(0).relatedPort()).isEqualTo(46154);
        assertThat(candidates.get(0).extensions()).containsExactly("generation", "0");
        assertThat(candidates.get(0).toString()).isEqualTo(
                "842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154 generation 0");
        assertThat(audio.endOfCandidates()).isTrue();
        assertThat(audio.iceUfrag()).isEqualTo("EsAw");
        assertThat(audio.icePwd()).isEqualTo("bP+XJMM09aR8AiX1jdukzR6Y");
        assertThat(audio.iceOptions()).containsExactly("trickle", "renomination");
        assertThat(audio.fingerprint().hashFunction()).isEqualTo("sha-256");
        assertThat(audio.fingerprint().bytes()).hasSize(32);
        assertThat(audio.setup()).isEqualTo("actpass");
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.extmaps()).containsExactly(
                new ExtMap(1, null, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", null),
                new ExtMap(3, "sendonly", "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", null));
        assertThat(audio.rtpMap(111)).isEqualTo(new RtpMap(111, "opus", 48000, 2));
        assertThat(audio.fmtp("111").parameterMap()).containsEntry("useinbandfec", "1").containsEntry("minptime", "10");
        assertThat(audio.ssrcs()).containsExactly(new Ssrc(3570614608L, "cname", "4TOk42mSjXCkVIa6"),
                new Ssrc(3570614608L, "msid", "stream audio0"));
        assertThat(audio.attribute("x-vendor-unknown")).isEqualTo("keep me");
        MediaDescription video = sdp.media().get(1);
        assertThat(video.port()).isZero();
        assertThat(video.direction()).isEqualTo(Direction.INACTIVE);
        assertThat(video.label()).isEqualTo("1");
    }

    @Test
    void sdesAndEveryLineType() {
        SessionDescription sdp = SessionDescription.parse(SDES);
        assertThat(sdp.information()).isEqualTo("an information line");
        assertThat(sdp.uri()).startsWith("http://");
        assertThat(sdp.emails()).hasSize(1);
        assertThat(sdp.phones()).hasSize(1);
        assertThat(sdp.timings().get(0).repeats()).containsExactly("7d 1h 0 25h");
        assertThat(sdp.timeZones()).isEqualTo("2882844526 -1h 2898848070 0");
        assertThat(sdp.key()).isEqualTo("prompt");
        assertThat(sdp.direction()).isEqualTo(Direction.RECVONLY);
        MediaDescription m = sdp.media().get(0);
        assertThat(m.portCount()).isEqualTo(2);
        assertThat(sdp.directionOf(m)).isEqualTo(Direction.RECVONLY);
        List<Crypto> cryptos = m.cryptos();
        assertThat(cryptos).hasSize(2);
        assertThat(cryptos.get(0).suite()).isEqualTo("AES_CM_128_HMAC_SHA1_80");
        assertThat(cryptos.get(0).inlineKey()).isEqualTo("WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz");
        assertThat(cryptos.get(0).sessionParams()).isEqualTo("KDR=1");
        assertThat(cryptos.get(0).redacted()).doesNotContain("WVNf");
        assertThat(m.rtcp().connection().address()).isEqualTo("2001:db8::6");
        assertThat(m.maxptime()).isEqualTo(40);
    }

    @Test
    void lenientWhereRealPhonesAreSloppy() {
        String sloppy = "v=0\no=- 1 1 IN IP4 10.0.0.1  \n\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0\n";
        SessionDescription sdp = SessionDescription.parse(sloppy);
        assertThat(sdp.sessionName()).isNull();
        assertThat(sdp.timings()).isEmpty();
        assertThat(sdp.media().get(0).port()).isEqualTo(4000);
    }

    @Test
    void bytesAreDecodedPerLineAndSharedTokensNeverChangeText() {
        String text = "v=0\r\no=- 1 1 in ip4 h\r\ns=Grüße\r\nt=00 0\r\nm=audio 4000 RTP/AVP 0 08 127 128 012\r\n"
                + "a=RTPMAP:0 PCMU/8000\r\na=label:é\r\n";
        SessionDescription sdp = SessionDescription.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(sdp.sessionName()).isEqualTo("Grüße");
        assertThat(sdp.origin().netType()).isEqualTo("in");
        assertThat(sdp.origin().addrType()).isEqualTo("ip4");
        assertThat(sdp.timings().get(0).start()).isEqualTo("00");
        MediaDescription m = sdp.media().get(0);
        assertThat(m.formats()).containsExactly("0", "08", "127", "128", "012");
        assertThat(m.attributes().get(0).name()).isEqualTo("RTPMAP");
        assertThat(m.label()).isEqualTo("é");
        assertThat(sdp.toString()).isEqualTo(text);
    }

    @Test
    void errorsNameTheLinesByteOffset() {
        String text = "v=0\r\ns=é\r\no=- 1 1 IN IP4 h\r\nm=audio x RTP/AVP 0\r\n";
        assertThatThrownBy(() -> SessionDescription.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.offset()).isEqualTo(37)); // the port
        String bad = "v=0\r\ns=é\r\nX=1\r\n";
        assertThatThrownBy(() -> SessionDescription.parse(bad))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.offset()).isEqualTo(11));
    }

    @Test
    void buildingAnAnswer() {
        SessionDescription offer = SessionDescription.parse(AUDIO);
        MediaDescription answerAudio = MediaDescription.of("audio", 30000, "RTP/AVP", List.of("0", "101"))
                .withAttribute(Attribute.of("rtpmap", "0 PCMU/8000"))
                .withAttribute(Attribute.of("rtpmap", "101 telephone-event/8000"))
                .withDirection(Direction.SENDONLY).withDirection(offer.directionOf(offer.media().get(0)));
        SessionDescription answer = SessionDescription.of(new Origin("-", "42", "1", "IN", "IP4", "198.51.100.7"),
                Connection.of("198.51.100.7"), List.of(answerAudio));
        SessionDescription back = SessionDescription.parse(answer.toString());
        assertThat(back).isEqualTo(answer);
        assertThat(back.media().get(0).direction()).isEqualTo(Direction.SENDRECV);
        assertThat(Direction.SENDONLY.reverse()).isEqualTo(Direction.RECVONLY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "o=- 1 1 IN IP4 h\r\n", "v=1\r\no=- 1 1 IN IP4 h\r\n", "v=0\r\n", "v=0\r\no=- x 1 IN IP4 h\r\n",
        "v=0\r\no=- 1 1 IN IP4\r\n", "v=0\r\no=- 1 1 IN IP4 h\r\nc=IN IP4\r\n", "v=0\r\no=- 1 1 IN IP4 h\r\nb=AS\r\n",
        "v=0\r\no=- 1 1 IN IP4 h\r\nm=audio\r\n", "v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 99999 RTP/AVP 0\r\n",
        "v=0\r\no=- 1 1 IN IP4 h\r\nt=0\r\n", "v=0\r\no=- 1 1 IN IP4 h\r\nx=unknown\r\n", "v=0\r\nbogus\r\n",
        "v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 1 RTP/AVP 0\r\ns=late\r\n", "v=0\r\no=- 1 1 IN IP4 h\r\na=\r\n"})
    void malformedDescriptionsAreRejected(String text) {
        assertThatThrownBy(() -> SessionDescription.parse(text)).isInstanceOf(SipParseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtpmap:x PCMU/8000", "rtpmap:0 PCMU", "rtpmap:200 PCMU/8000", "fmtp:101",
        "crypto:1 AES_CM_128_HMAC_SHA1_80", "crypto:1 AES_CM_128_HMAC_SHA1_80 key:abc", "fingerprint:sha-256 XYZ",
        "candidate:1 1 UDP 1 10.0.0.1 5000 host", "candidate:1 1 UDP 1 10.0.0.1 70000 typ host", "ssrc:abc cname:x",
        "extmap:x urn:a", "rtcp:x", "rtcp:9 IN IP4"})
    void malformedAttributesFailOnTypedAccess(String attribute) {
        MediaDescription m = SessionDescription.parse("v=0\r\no=- 1 1 IN IP4 h\r\nm=audio 1 RTP/AVP 0\r\na=" + attribute
                + "\r\n").media().get(0);
        assertThat(m.attributes()).hasSize(1);
        assertThatThrownBy(() -> {
            m.rtpMaps();
            m.fmtp("101");
            m.cryptos();
            m.fingerprint();
            m.candidates();
            m.ssrcs();
            m.extmaps();
            m.rtcp();
        }).isInstanceOf(SipParseException.class);
    }

    @Test
    void manyLinesOfEachKindKeepTheirOrderAndCount() {
        StringBuilder sb = new StringBuilder("v=0\r\no=- 7 8 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n");
        for (int t = 0; t < 3; t++) {
            sb.append("t=").append(t).append(" 0\r\n");
            for (int r = 0; r < t; r++) {
                sb.append("r=").append(t).append("d ").append(r).append("h\r\n");
            }
        }
        for (int a = 0; a < 12; a++) {
            sb.append("a=s").append(a).append(a % 2 == 0 ? ":v" + a : "").append("\r\n");
        }
        for (int m = 0; m < 3; m++) {
            sb.append("m=audio ").append(4000 + m).append(" RTP/AVP");
            for (int f = 0; f < 4 + 5 * m; f++) { // up to 14 formats
                sb.append(' ').append(96 + f);
            }
            sb.append("\r\nc=IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.").append(10 + m).append("\r\n");
            for (int a = 0; a < 6 * m + 1; a++) { // up to 13 attributes
                sb.append("a=m").append(m).append('.').append(a).append("\r\n");
            }
        }
        String text = sb.toString();
        SessionDescription sdp = SessionDescription.parse(text);
        assertThat(sdp.toString()).isEqualTo(text);
        assertThat(sdp.origin().sessionId()).isEqualTo("7");
        assertThat(sdp.origin().sessionVersion()).isEqualTo("8");
        assertThat(sdp.connection().address()).isEqualTo("192.0.2.2");
        assertThat(sdp.timings()).extracting(Timing::start).containsExactly("0", "1", "2");
        assertThat(sdp.timings().get(2).repeats()).containsExactly("2d 0h", "2d 1h");
        assertThat(sdp.attributes()).hasSize(12);
        assertThat(sdp.attributes().get(11).name()).isEqualTo("s11");
        assertThat(sdp.media()).hasSize(3);
        MediaDescription last = sdp.media().get(2);
        assertThat(last.formats()).hasSize(14).endsWith("109");
        assertThat(last.attributes()).hasSize(13);
        assertThat(last.attributes().get(12).name()).isEqualTo("m2.12");
        assertThat(last.connections()).extracting(Connection::address).containsExactly("192.0.2.1", "192.0.2.12");
        assertThat(last.connections().get(0).address()).as("shares o='s string").isSameAs(sdp.origin().address());
        assertThat(SessionDescription.parse(sdp.toBytes())).isEqualTo(sdp);
    }

    @Test
    void equalOriginIdAndVersionShareOneString() {
        SessionDescription sdp = SessionDescription.parse(AUDIO);
        assertThat(sdp.origin().sessionVersion()).isSameAs(sdp.origin().sessionId());
        assertThat(sdp.connection().address()).isSameAs(sdp.origin().address());
        SessionDescription before = SessionDescription.parse("v=0\r\nc=IN IP4 192.0.2.1\r\no=- 1 12 IN IP4 192.0.2.1\r\n");
        assertThat(before.connection().address()).isEqualTo("192.0.2.1");
        assertThat(before.origin().sessionVersion()).isEqualTo("12");
    }

    @Test
    void commonNamesValuesAndPropertiesAreSharedWhereTheTextIsTheSame() {
        String text = "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
                + "a=ptime:20\r\na=maxptime:020\r\na=x:127\r\na=x:128\r\na=x:2a\r\na=x:\r\n"
                + "a=sendrecv\r\na=rtcp-mux\r\na=SENDRECV\r\na=custom\r\n";
        SessionDescription one = SessionDescription.parse(text);
        SessionDescription two = SessionDescription.parse(text);
        assertThat(two.sessionName()).isEqualTo("-").isSameAs(one.sessionName());
        List<Attribute> a1 = one.media().get(0).attributes();
        List<Attribute> a2 = two.media().get(0).attributes();
        assertThat(a2).extracting(Attribute::value).containsExactly("20", "020", "127", "128", "2a", "", null, null,
                null, null);
        // values that are numbers below 128, written without leading zeros, are shared
        assertThat(a2.get(0).value()).isSameAs(a1.get(0).value());
        assertThat(a2.get(2).value()).isSameAs(a1.get(2).value());
        for (int i : new int[] {1, 3, 4}) {
            assertThat(a2.get(i).value()).as(a2.get(i).toString()).isNotSameAs(a1.get(i).value());
        }
        // the usual properties are one instance each; others (and other spellings) are not shared
        assertThat(a2.get(6)).isEqualTo(Attribute.property("sendrecv")).isSameAs(a1.get(6));
        assertThat(a2.get(7)).isEqualTo(Attribute.property("rtcp-mux")).isSameAs(a1.get(7));
        assertThat(a2.get(8)).isEqualTo(Attribute.property("SENDRECV")).isNotSameAs(a1.get(8));
        assertThat(a2.get(9)).isEqualTo(Attribute.property("custom")).isNotSameAs(a1.get(9));
        assertThat(two.media().get(0).direction()).isEqualTo(Direction.SENDRECV);
        assertThat(two.toString()).isEqualTo(text);
        assertThat(SessionDescription.parse("v=0\r\no=- 1 1 IN IP4 h\r\ns=--\r\n").sessionName()).isEqualTo("--");
        // a token that starts with a digit but is no small number is still looked up (the hold address)
        String hold = "v=0\r\no=- 1 1 IN IP4 h\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0 8 0101 128\r\n";
        SessionDescription h1 = SessionDescription.parse(hold);
        SessionDescription h2 = SessionDescription.parse(hold);
        assertThat(h2.connection().address()).isEqualTo("0.0.0.0").isSameAs(h1.connection().address());
        assertThat(h2.media().get(0).formats()).containsExactly("0", "8", "0101", "128");
        assertThat(h2.media().get(0).formats().get(1)).isSameAs(h1.media().get(0).formats().get(1));
        assertThat(h2.media().get(0).formats().get(3)).isNotSameAs(h1.media().get(0).formats().get(3));
    }

    @Test
    void thousandsOfLinesOfOneKindCostLinearSpace() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (String line : new String[] {"e=x", "b=AS:1", "r=1d 0", "a=x", "m=audio 1 RTP/AVP 0\r\nc=IN IP4 h"}) {
            StringBuilder sb = new StringBuilder("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n");
            if (line.startsWith("m=")) {
                sb.append("m=audio 1 RTP/AVP 0\r\n");
                line = "c=IN IP4 h"; // thousands of c= lines in one media section
            }
            for (int k = 0; k < 4000; k++) {
                sb.append(line).append("\r\n");
            }
            byte[] text = sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            SessionDescription.parse(text); // warm
            long before = mx.getCurrentThreadAllocatedBytes();
            SessionDescription sdp = SessionDescription.parse(text);
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertThat(sdp).isNotNull();
            // linear: a few hundred bytes a line; appending by copying would take 4000²/2 references
            assertThat(allocated).as(line).isLessThan(4_000_000L);
        }
    }
}
