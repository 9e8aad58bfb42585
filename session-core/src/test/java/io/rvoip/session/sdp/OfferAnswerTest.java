package io.rvoip.session.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.codec.Opus;
import io.rvoip.sip.sdp.Direction;
import io.rvoip.sip.sdp.MediaDescription;
import io.rvoip.sip.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class OfferAnswerTest {
    private static final InetAddress HERE = InetAddress.getLoopbackAddress();

    private static SessionDescription sdp(String body) {
        return SessionDescription.parse(body.replace("\n", "\r\n"));
    }

    private static final String PHONE_OFFER = """
            v=0
            o=phone 100 100 IN IP4 192.0.2.5
            s=-
            c=IN IP4 192.0.2.5
            t=0 0
            m=audio 49170 RTP/AVP 8 0 18 101
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-15
            a=ptime:30
            a=sendrecv
            """;

    @Test
    void anOfferListsOurCodecsInOrderWithEventsAndTheOriginVersionRises() {
        OfferAnswer oa = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER);
        SessionDescription offer = oa.offer(40000, Direction.SENDRECV, 20);
        MediaDescription m = offer.media().get(0);
        assertThat(m.port()).isEqualTo(40000);
        assertThat(m.formats()).containsExactly("9", "0", "8", "101");
        assertThat(m.rtpMap(101).encoding()).isEqualTo("telephone-event");
        assertThat(m.ptime()).isEqualTo(20);
        assertThat(offer.directionOf(m)).isEqualTo(Direction.SENDRECV);
        assertThat(offer.connection().address()).isEqualTo("127.0.0.1");
        // the text parses back to the same description
        assertThat(SessionDescription.parse(offer.toString())).isEqualTo(offer);
        String id = offer.origin().sessionId();
        SessionDescription hold = oa.offer(40000, Direction.SENDONLY, 20);
        assertThat(hold.origin().sessionId()).isEqualTo(id);
        assertThat(Long.parseLong(hold.origin().sessionVersion())).isEqualTo(Long.parseLong(offer.origin().sessionVersion()) + 1);
        assertThat(hold.directionOf(hold.media().get(0))).isEqualTo(Direction.SENDONLY);
    }

    @Test
    void theAnswerKeepsTheOfferersOrderAndPayloadTypes() throws Exception {
        OfferAnswer oa = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER);
        OfferAnswer.Answer a = oa.answer(sdp(PHONE_OFFER), 40000, Direction.SENDRECV, 20);
        MediaDescription m = a.sdp().media().get(0);
        assertThat(m.formats()).containsExactly("8", "0", "101"); // G.729 (18) is not ours
        assertThat(m.ptime()).isEqualTo(20);
        NegotiatedMedia media = a.media();
        assertThat(media.codec()).isSameAs(G711.PCMA);
        assertThat(media.payloadType()).isEqualTo(8);
        assertThat(media.receive()).containsKeys(8, 0);
        assertThat(media.telephoneEvent()).isEqualTo(101);
        assertThat(media.comfortNoise()).isEqualTo(-1);
        assertThat(media.ptime()).as("the offerer asked for 30 ms").isEqualTo(30);
        assertThat(media.remoteRtp()).isEqualTo(new InetSocketAddress("192.0.2.5", 49170));
        assertThat(media.remoteRtcp()).isEqualTo(new InetSocketAddress("192.0.2.5", 49171));
        assertThat(media.direction()).isEqualTo(Direction.SENDRECV);
        // our order instead: G.722 is not offered, PCMU is our next
        OfferAnswer ours = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OURS);
        assertThat(ours.answer(sdp(PHONE_OFFER), 40000, Direction.SENDRECV, 20).media().codec()).isSameAs(G711.PCMU);
    }

    @Test
    void rtcpMuxIsOfferedAndAnsweredOnlyWhenBothSidesHaveIt() throws Exception {
        OfferAnswer oa = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER);
        SessionDescription offer = oa.offer(40000, Direction.SENDRECV, 20);
        assertThat(offer.media().get(0).rtcpMux()).isTrue();
        assertThat(offer.toString()).contains("a=rtcp-mux\r\n");
        // a peer that muxes: RTCP goes to its RTP port
        OfferAnswer peer = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER);
        OfferAnswer.Answer a = peer.answer(offer, 50000, Direction.SENDRECV, 20);
        assertThat(a.sdp().media().get(0).rtcpMux()).isTrue();
        assertThat(a.media().rtcpMux()).isTrue();
        assertThat(a.media().remoteRtcp()).isEqualTo(a.media().remoteRtp());
        NegotiatedMedia ours = oa.accept(a.sdp(), Direction.SENDRECV);
        assertThat(ours.rtcpMux()).isTrue();
        assertThat(ours.remoteRtcp()).isEqualTo(new InetSocketAddress("127.0.0.1", 50000));
        // a phone that does not mention it: port + 1, and our answer does not mention it either
        OfferAnswer.Answer plain = peer.answer(sdp(PHONE_OFFER), 50000, Direction.SENDRECV, 20);
        assertThat(plain.sdp().media().get(0).rtcpMux()).isFalse();
        assertThat(plain.media().rtcpMux()).isFalse();
        assertThat(plain.media().remoteRtcp()).isEqualTo(new InetSocketAddress("192.0.2.5", 49171));
        // an answer without it to our offer: not muxed
        assertThat(oa.accept(plain.sdp(), Direction.SENDRECV).rtcpMux()).isFalse();
        // switched off: neither offered nor accepted
        OfferAnswer off = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER,
                io.rvoip.session.sdp.SrtpMode.OFF, false);
        assertThat(off.offer(40000, Direction.SENDRECV, 20).media().get(0).rtcpMux()).isFalse();
        OfferAnswer.Answer refused = off.answer(offer, 50000, Direction.SENDRECV, 20);
        assertThat(refused.sdp().media().get(0).rtcpMux()).isFalse();
        assertThat(refused.media().rtcpMux()).isFalse();
        assertThat(refused.media().remoteRtcp()).isEqualTo(new InetSocketAddress("127.0.0.1", 40001));
    }

    @Test
    void holdDirectionsFollowRfc3264() throws Exception {
        OfferAnswer oa = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER);
        String sendonly = PHONE_OFFER.replace("a=sendrecv", "a=sendonly");
        OfferAnswer.Answer held = oa.answer(sdp(sendonly), 40000, Direction.SENDRECV, 20);
        assertThat(held.sdp().directionOf(held.sdp().media().get(0))).isEqualTo(Direction.RECVONLY);
        assertThat(held.media().sending()).isFalse();
        OfferAnswer.Answer inactive = oa.answer(sdp(PHONE_OFFER.replace("a=sendrecv", "a=inactive")), 40000,
                Direction.SENDRECV, 20);
        assertThat(inactive.media().direction()).isEqualTo(Direction.INACTIVE);
        // we hold while they offer sendrecv: we answer sendonly
        OfferAnswer.Answer weHold = oa.answer(sdp(PHONE_OFFER), 40000, Direction.SENDONLY, 20);
        assertThat(weHold.media().direction()).isEqualTo(Direction.SENDONLY);
        // RFC 2543 hold: 0.0.0.0 means nothing may be sent
        OfferAnswer.Answer zero = oa.answer(sdp(PHONE_OFFER.replace("c=IN IP4 192.0.2.5", "c=IN IP4 0.0.0.0")), 40000,
                Direction.SENDRECV, 20);
        assertThat(zero.media().remoteRtp()).isNull();
        assertThat(zero.media().sending()).isFalse();
        // every answer has a higher version than the last
        assertThat(Long.parseLong(zero.sdp().origin().sessionVersion()))
                .isEqualTo(Long.parseLong(held.sdp().origin().sessionVersion()) + 3);
    }

    @Test
    void otherStreamsAreRejectedInPlaceAndNoCommonCodecIs488() throws Exception {
        String withVideo = PHONE_OFFER.replace("m=audio", "m=video 51372 RTP/AVP 31\nm=audio");
        OfferAnswer oa = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER);
        OfferAnswer.Answer a = oa.answer(sdp(withVideo), 40000, Direction.SENDRECV, 20);
        assertThat(a.sdp().media()).hasSize(2);
        assertThat(a.sdp().media().get(0).media()).isEqualTo("video");
        assertThat(a.sdp().media().get(0).port()).isZero();
        assertThat(a.sdp().media().get(1).port()).isEqualTo(40000);
        // an audio stream disabled with port 0 is answered with port 0 too
        String disabled = PHONE_OFFER.replace("m=audio 49170", "m=audio 0");
        assertThatThrownBy(() -> oa.answer(sdp(disabled), 40000, Direction.SENDRECV, 20))
                .isInstanceOf(OfferRejectedException.class);
        String g729 = PHONE_OFFER.replace("m=audio 49170 RTP/AVP 8 0 18 101", "m=audio 49170 RTP/AVP 18 101");
        assertThatThrownBy(() -> oa.answer(sdp(g729), 40000, Direction.SENDRECV, 20))
                .isInstanceOf(OfferRejectedException.class)
                .satisfies(e -> assertThat(((OfferRejectedException) e).statusCode()).isEqualTo(488));
        String srtp = PHONE_OFFER.replace("RTP/AVP", "RTP/SAVP");
        assertThatThrownBy(() -> oa.answer(sdp(srtp), 40000, Direction.SENDRECV, 20))
                .as("SRTP is not offered by this layer yet").isInstanceOf(OfferRejectedException.class);
    }

    @Test
    void bothSidesAgreeEndToEnd() throws Exception {
        CodecRegistry caller = CodecRegistry.of(true, Opus.VOICE, G722.INSTANCE, G711.PCMU).withComfortNoise();
        CodecRegistry callee = CodecRegistry.of(true, G711.PCMU, G722.INSTANCE).withComfortNoise();
        OfferAnswer a = new OfferAnswer(caller, HERE, OfferAnswer.CodecOrder.OFFERER);
        OfferAnswer b = new OfferAnswer(callee, HERE, OfferAnswer.CodecOrder.OFFERER);
        SessionDescription offer = a.offer(40000, Direction.SENDRECV, 20);
        OfferAnswer.Answer answer = b.answer(SessionDescription.parse(offer.toString()), 41000, Direction.SENDRECV, 20);
        NegotiatedMedia atA = a.accept(SessionDescription.parse(answer.sdp().toString()), Direction.SENDRECV);
        NegotiatedMedia atB = answer.media();
        assertThat(atA.codec()).isSameAs(G722.INSTANCE); // the caller's first that the callee has
        assertThat(atB.codec()).isSameAs(G722.INSTANCE);
        assertThat(atA.payloadType()).isEqualTo(atB.payloadType());
        assertThat(atA.telephoneEvent()).isEqualTo(atB.telephoneEvent()).isNotNegative();
        assertThat(atA.comfortNoise()).isEqualTo(13);
        assertThat(atA.remoteRtp().getPort()).isEqualTo(41000);
        assertThat(atB.remoteRtp().getPort()).isEqualTo(40000);
        // an answer without any codec of ours
        String bad = answer.sdp().toString().replaceAll("m=audio 41000 RTP/AVP [0-9 ]+", "m=audio 41000 RTP/AVP 18");
        assertThatThrownBy(() -> a.accept(SessionDescription.parse(bad), Direction.SENDRECV))
                .isInstanceOf(OfferRejectedException.class);
    }

    @Test
    void sdesKeysAreOfferedAnsweredAndPairedAcrossTheSides() throws Exception {
        OfferAnswer a = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.REQUIRE);
        OfferAnswer b = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.OFFER);
        SessionDescription offer = a.offer(40000, Direction.SENDRECV, 20);
        MediaDescription m = offer.media().get(0);
        assertThat(m.protocol()).isEqualTo("RTP/SAVP");
        assertThat(m.attributes("crypto")).hasSize(2);
        assertThat(m.attributes("crypto").get(0)).startsWith("1 AES_CM_128_HMAC_SHA1_80 inline:");
        OfferAnswer.Answer answer = b.answer(SessionDescription.parse(offer.toString()), 41000, Direction.SENDRECV, 20);
        MediaDescription am = answer.sdp().media().get(0);
        assertThat(am.protocol()).isEqualTo("RTP/SAVP");
        assertThat(am.attributes("crypto")).singleElement().satisfies(c -> assertThat(c).startsWith("1 AES_CM_128_HMAC_SHA1_80"));
        NegotiatedMedia atA = a.accept(SessionDescription.parse(answer.sdp().toString()), Direction.SENDRECV);
        NegotiatedMedia atB = answer.media();
        assertThat(atA.secure()).isTrue();
        assertThat(atB.secure()).isTrue();
        // what A sends, B can read, and the other way round: a packet protected with one side's
        // send policy unprotects with the other side's receive policy
        assertThat(roundTrip(atA.sendSrtp(), atB.receiveSrtp())).isTrue();
        assertThat(roundTrip(atB.sendSrtp(), atA.receiveSrtp())).isTrue();
        assertThat(roundTrip(atA.sendSrtp(), atA.receiveSrtp())).as("each side has its own key").isFalse();
        assertThat(atA.toString()).doesNotContain("inline").contains("SRTP");
        // a plain side cannot answer a required SRTP offer; a required side refuses a plain offer
        OfferAnswer plain = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER);
        assertThatThrownBy(() -> plain.answer(SessionDescription.parse(offer.toString()), 42000, Direction.SENDRECV, 20))
                .isInstanceOf(OfferRejectedException.class);
        assertThatThrownBy(() -> a.answer(sdp(PHONE_OFFER), 42000, Direction.SENDRECV, 20))
                .isInstanceOf(OfferRejectedException.class);
        // best effort: a plain answer to an OFFER-mode offer is a plain call (a new call: b's
        // later offers keep the RTP/SAVP its call runs)
        OfferAnswer fresh = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.OFFER);
        SessionDescription bestEffort = fresh.offer(41000, Direction.SENDRECV, 20);
        assertThat(bestEffort.media().get(0).protocol()).isEqualTo("RTP/AVP");
        OfferAnswer.Answer plainAnswer = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER)
                .answer(SessionDescription.parse(bestEffort.toString()), 43000, Direction.SENDRECV, 20);
        assertThat(plainAnswer.sdp().media().get(0).attributes("crypto")).isEmpty();
        assertThat(fresh.accept(SessionDescription.parse(plainAnswer.sdp().toString()), Direction.SENDRECV).secure()).isFalse();
        assertThat(b.offer(41000, Direction.SENDRECV, 20).media().get(0).protocol()).isEqualTo("RTP/SAVP");
    }

    @Test
    void ourSdesKeyStaysTheSameInEveryLaterOfferAndAnswer() throws Exception {
        // the RTP session keeps the keys a call starts with; a peer that takes the key of each
        // new description (RFC 4568 §7.1.4) must find that same key in our later offers and
        // answers (a hold, a resume, a session refresh), or it cannot read us any more
        OfferAnswer a = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.REQUIRE);
        OfferAnswer b = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.OFFER);
        SessionDescription first = a.offer(40000, Direction.SENDRECV, 20);
        String keyOfA = inlineKey(first, "AES_CM_128_HMAC_SHA1_80");
        OfferAnswer.Answer answer = b.answer(SessionDescription.parse(first.toString()), 41000, Direction.SENDRECV, 20);
        String keyOfB = inlineKey(answer.sdp(), "AES_CM_128_HMAC_SHA1_80");
        a.accept(SessionDescription.parse(answer.sdp().toString()), Direction.SENDRECV);
        // A re-offers (a hold): B answers with the key it answered with before
        SessionDescription hold = a.offer(40000, Direction.SENDONLY, 20);
        assertThat(inlineKey(hold, "AES_CM_128_HMAC_SHA1_80")).as("A's offers keep A's key").isEqualTo(keyOfA);
        OfferAnswer.Answer again = b.answer(SessionDescription.parse(hold.toString()), 41000, Direction.SENDRECV, 20);
        assertThat(inlineKey(again.sdp(), "AES_CM_128_HMAC_SHA1_80")).as("B's answers keep B's key").isEqualTo(keyOfB);
        // B re-offers (B never offered before): its line for the suite in use carries its key
        SessionDescription fromB = b.offer(41000, Direction.SENDRECV, 20);
        assertThat(inlineKey(fromB, "AES_CM_128_HMAC_SHA1_80")).as("B's first offer keeps B's key").isEqualTo(keyOfB);
        assertThat(inlineKey(fromB, "AES_CM_128_HMAC_SHA1_32")).as("another suite gets another key").isNotEqualTo(keyOfB);
        OfferAnswer.Answer fromA = a.answer(SessionDescription.parse(fromB.toString()), 40000, Direction.SENDRECV, 20);
        assertThat(inlineKey(fromA.sdp(), "AES_CM_128_HMAC_SHA1_80")).as("A's answers keep A's key").isEqualTo(keyOfA);
        // and the policies still pair up across the sides
        NegotiatedMedia atB = b.accept(SessionDescription.parse(fromA.sdp().toString()), Direction.SENDRECV);
        assertThat(roundTrip(fromA.media().sendSrtp(), atB.receiveSrtp())).isTrue();
        assertThat(roundTrip(atB.sendSrtp(), fromA.media().receiveSrtp())).isTrue();
    }

    @Test
    void aKeyOnceReplacedIsNeverOfferedAgainAndAnUnchangedOfferKeepsItsKeys() throws Exception {
        // a new key is a new SRTP context whose packet index starts at zero: a key we sent with
        // before, used again, would repeat keystream. Our key changes only with the suite.
        OfferAnswer a = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.REQUIRE);
        OfferAnswer b = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.OFFER);
        SessionDescription first = a.offer(40000, Direction.SENDRECV, 20);
        assertThat(a.offer(40000, Direction.SENDRECV, 20).media().get(0).attributes("crypto"))
                .as("an offer made again before any answer carries the same keys")
                .isEqualTo(first.media().get(0).attributes("crypto"));
        String a80 = inlineKey(first, "AES_CM_128_HMAC_SHA1_80");
        NegotiatedMedia settled = a.accept(SessionDescription.parse(
                b.answer(SessionDescription.parse(first.toString()), 41000, Direction.SENDRECV, 20).sdp().toString()),
                Direction.SENDRECV);
        // B re-offers the 32-bit suite only: A answers with a fresh key for it
        SessionDescription only32 = SessionDescription.parse(b.offer(41000, Direction.SENDRECV, 20).toString()
                .replaceAll("a=crypto:1 AES_CM_128_HMAC_SHA1_80 [^\r\n]*\r\n", ""));
        OfferAnswer.Answer to32 = a.answer(only32, 40000, Direction.SENDRECV, 20);
        String a32 = inlineKey(to32.sdp(), "AES_CM_128_HMAC_SHA1_32");
        assertThat(a32).isNotEqualTo(a80);
        assertThat(to32.media().sendSrtp().sameKeys(settled.sendSrtp())).isFalse();
        // B re-offers both suites, the 80-bit one first: A's key for it is fresh, not the one it replaced
        OfferAnswer.Answer back = a.answer(SessionDescription.parse(b.offer(41000, Direction.SENDRECV, 20).toString()),
                40000, Direction.SENDRECV, 20);
        String a80again = inlineKey(back.sdp(), "AES_CM_128_HMAC_SHA1_80");
        assertThat(a80again).as("the replaced 80-bit key").isNotEqualTo(a80).isNotEqualTo(a32);
        // A's next offer: its key in use for that suite, and a fresh one (not the replaced 32-bit key) for the other
        SessionDescription next = a.offer(40000, Direction.SENDONLY, 20);
        assertThat(inlineKey(next, "AES_CM_128_HMAC_SHA1_80")).isEqualTo(a80again);
        assertThat(inlineKey(next, "AES_CM_128_HMAC_SHA1_32")).as("the replaced 32-bit key").isNotEqualTo(a32);
    }

    @Test
    void onceMediaRunsOffersAndAnswersStayAtTheStreamsClockRate() throws Exception {
        // a running RTP stream keeps its clock: no codec at another rate in our offers, none
        // chosen from the peer's while it has one at the rate; a re-offer with nothing at the
        // rate is answered at another (the session layer restarts the media on a new stream)
        OfferAnswer oa = new OfferAnswer(CodecRegistry.of(true, Opus.VOICE, G711.PCMU), HERE, OfferAnswer.CodecOrder.OFFERER);
        assertThat(oa.offer(40000, Direction.SENDRECV, 20).toString()).contains("opus/48000", "PCMU/8000");
        String opusFirst = PHONE_OFFER.replace("RTP/AVP 8 0 18 101", "RTP/AVP 111 0 101")
                .replace("a=rtpmap:101", "a=rtpmap:111 opus/48000/2\na=rtpmap:101");
        assertThat(oa.answer(sdp(opusFirst), 40000, Direction.SENDRECV, 20).media().codec()).isEqualTo(Opus.VOICE);
        oa.stream(8000);
        String offer = oa.offer(40000, Direction.SENDRECV, 20).toString();
        assertThat(offer).contains("PCMU/8000", "telephone-event/8000").doesNotContain("opus", "48000");
        OfferAnswer.Answer answer = oa.answer(sdp(opusFirst), 40000, Direction.SENDRECV, 20);
        assertThat(answer.media().codec()).isEqualTo(G711.PCMU);
        assertThat(answer.sdp().media().get(0).formats()).containsExactly("0", "101");
        OfferAnswer.Answer opusOnly = oa.answer(sdp(opusFirst.replace("RTP/AVP 111 0 101", "RTP/AVP 111")), 40000,
                Direction.SENDRECV, 20);
        assertThat(opusOnly.media().codec()).isEqualTo(Opus.VOICE);
        assertThat(opusOnly.sdp().media().get(0).formats()).containsExactly("111");
        assertThatThrownBy(() -> oa.stream(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void laterOffersKeepEveryMediaLineInItsPlaceAndTheStreamsTransport() throws Exception {
        // RFC 3264 §8: a new offer has at least the previous SDP's m-lines, the i-th matching the
        // i-th. A video phone's offer (video first) was answered with video rejected; our hold
        // must still carry both lines, audio in its slot, and keep RTP/SAVP where the call runs it
        OfferAnswer oa = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.OFFER);
        String videoFirst = PHONE_OFFER.replace("m=audio 49170 RTP/AVP 8 0 18 101",
                "m=video 49172 RTP/AVP 96\na=rtpmap:96 H264/90000\nm=audio 49170 RTP/SAVP 8 0 18 101")
                .replace("a=sendrecv", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\na=sendrecv");
        OfferAnswer.Answer answer = oa.answer(sdp(videoFirst), 40000, Direction.SENDRECV, 20);
        assertThat(answer.sdp().media()).extracting(MediaDescription::media, MediaDescription::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("video", 0), org.assertj.core.groups.Tuple.tuple("audio", 40000));
        SessionDescription hold = oa.offer(40000, Direction.SENDONLY, 20);
        assertThat(hold.media()).hasSize(2);
        assertThat(hold.media().get(0).media()).isEqualTo("video");
        assertThat(hold.media().get(0).port()).isZero();
        MediaDescription audio = hold.media().get(1);
        assertThat(audio.media()).isEqualTo("audio");
        assertThat(audio.port()).isEqualTo(40000);
        assertThat(audio.protocol()).as("the transport the stream runs").isEqualTo("RTP/SAVP");
        assertThat(audio.attributes("crypto")).isNotEmpty();
        assertThat(hold.directionOf(audio)).isEqualTo(Direction.SENDONLY);
        // the peer's answer keeps the slots; the audio one is what counts
        String holdAnswer = hold.toString().replace("a=sendonly", "a=recvonly").replace("m=audio 40000", "m=audio 49170")
                .replaceAll("a=crypto:1 [^\r\n]*", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz")
                .replaceAll("a=crypto:2 [^\r\n]*\r\n", "");
        NegotiatedMedia held = oa.accept(SessionDescription.parse(holdAnswer), Direction.SENDONLY);
        assertThat(held.remoteRtp().getPort()).isEqualTo(49170);
        assertThat(held.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(oa.offer(40000, Direction.SENDRECV, 20).media()).as("and every later offer").hasSize(2);
    }

    /** The inline key||salt of the description's crypto line for this suite. */
    private static String inlineKey(SessionDescription sdp, String suite) {
        return sdp.media().get(0).attributes("crypto").stream().filter(c -> c.contains(" " + suite + " "))
                .map(c -> c.substring(c.indexOf("inline:") + 7).split("[|\\s]")[0]).findFirst().orElseThrow();
    }

    private static boolean roundTrip(io.rvoip.rtp.srtp.SrtpPolicy send, io.rvoip.rtp.srtp.SrtpPolicy receive) {
        io.rvoip.rtp.srtp.SrtpContext tx = io.rvoip.rtp.srtp.SrtpContext.create(send);
        io.rvoip.rtp.srtp.SrtpContext rx = io.rvoip.rtp.srtp.SrtpContext.create(receive);
        byte[] packet = new byte[12 + 160 + 16];
        new io.rvoip.rtp.RtpHeader().payloadType(0).ssrc(7).sequenceNumber(1).encodeTo(packet, 0, new byte[160], 0, 160);
        int n = tx.protectRtp(packet, 0, 172);
        return rx.unprotectRtp(packet, 0, n) == 172;
    }

    @Test
    void anOfferThatCannotBeUsedSafelyIsRefusedWith488NotAnException() {
        OfferAnswer oa = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER);
        // a host name in c= would need a DNS lookup on the call's shard
        assertThatThrownBy(() -> oa.answer(sdp(PHONE_OFFER.replace("c=IN IP4 192.0.2.5", "c=IN IP4 media.example.com")),
                40000, Direction.SENDRECV, 20))
                .isInstanceOf(OfferRejectedException.class).hasMessageContaining("media.example.com");
        // RTP on 65535 without rtcp-mux or a=rtcp leaves no port for RTCP
        assertThatThrownBy(() -> oa.answer(sdp(PHONE_OFFER.replace("m=audio 49170", "m=audio 65535")), 40000,
                Direction.SENDRECV, 20))
                .isInstanceOf(OfferRejectedException.class).hasMessageContaining("65535");
        // an attribute that only fails when read
        assertThatThrownBy(() -> oa.answer(sdp(PHONE_OFFER.replace("a=ptime:30", "a=ptime:2^99")), 40000,
                Direction.SENDRECV, 20))
                .isInstanceOf(OfferRejectedException.class).hasMessageContaining("ptime");
        // a crypto tag with a sign is not 1*9DIGIT: the line is skipped, and RTP/SAVP alone is refused
        OfferAnswer secure = new OfferAnswer(CodecRegistry.defaults(), HERE, OfferAnswer.CodecOrder.OFFERER, SrtpMode.REQUIRE);
        assertThatThrownBy(() -> secure.answer(sdp(PHONE_OFFER.replace("RTP/AVP", "RTP/SAVP")
                .replace("a=sendrecv", "a=crypto:-5 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\na=sendrecv")),
                40000, Direction.SENDRECV, 20)).isInstanceOf(OfferRejectedException.class);
        // and an IPv6 literal is an address like any other
        assertThat(catchAnswer(oa, PHONE_OFFER.replace("c=IN IP4 192.0.2.5", "c=IN IP6 2001:db8::5"))).isTrue();
    }

    private static boolean catchAnswer(OfferAnswer oa, String offer) {
        try {
            return oa.answer(sdp(offer), 40000, Direction.SENDRECV, 20).media().remoteRtp().getPort() == 49170;
        } catch (OfferRejectedException e) {
            return false;
        }
    }
}
