package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rvoip.infra.time.ManualClock;
import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.Opus;
import io.rvoip.media.session.MediaClock;
import io.rvoip.rtp.RtpHeader;
import io.rvoip.rtp.srtp.SdesCrypto;
import io.rvoip.rtp.srtp.SrtpContext;
import io.rvoip.rtp.srtp.SrtpProfile;
import io.rvoip.session.sdp.SrtpMode;
import io.rvoip.sip.sdp.MediaDescription;
import io.rvoip.sip.sdp.SessionDescription;
import io.rvoip.sip.transport.TransportType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a peer's re-offer may change in a running call, from a peer on raw UDP that sends and
 * reads the media itself (as PBXs and B2BUAs do on a hold, a resume, a transfer or a media
 * change):
 * <ul>
 *   <li>its SDES key (RFC 4568 §7.1.4): the coordinator hears the old key and then the new one,
 *       keeps its own key and context (the peer reads it with the context it has);</li>
 *   <li>the codec: the coordinator sends the one its answer names from the next packet on; a
 *       re-offer with no codec at the running stream's RTP clock rate (Opus only) is answered
 *       with it, and the media goes on in a new RTP stream;</li>
 *   <li>the answer itself, between early media and the 2xx: media follows the 2xx's, on a new
 *       RTP stream when its codec runs at another clock rate.</li>
 * </ul>
 * Everything is released at the end. Timers and media on a manual clock.
 */
class MidCallRenegotiationIT {
    private final ManualClock clock = new ManualClock();
    private final MediaClock media = MediaClock.manual(clock);
    private SessionCoordinator bob;

    @AfterEach
    void tearDown() {
        if (bob != null) {
            bob.stop();
        }
    }

    private SessionCoordinator bob(CodecRegistry codecs, SrtpMode srtp) {
        int base = 30000 + 200 * new Random().nextInt(150);
        return SessionCoordinator.builder().listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .rtpPorts(base, base + 199).codecs(codecs).srtp(srtp)
                .handler(call -> CallHandler.Decision.accept()).shards(2).clock(clock).mediaClock(media).build();
    }

    private static String offer(int port, String protocol, SdesCrypto key) {
        return RawSipPeer.SDP.replace("m=audio 4000 RTP/AVP 0 8 101", "m=audio " + port + " " + protocol + " 0 101")
                .replace("a=rtcp-mux", key == null ? "a=rtcp-mux" : "a=crypto:" + key.format() + "\r\na=rtcp-mux");
    }

    @Test
    void aPeersNewKeyIsHeardAndOursStays() throws Exception {
        bob = bob(CodecRegistry.of(true, G711.PCMU), SrtpMode.OFFER);
        SecureRandom random = new SecureRandom();
        SdesCrypto first = SdesCrypto.generate(1, SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
        SdesCrypto second = SdesCrypto.generate(1, SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
        try (DatagramSocket rtp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             RawSipPeer peer = new RawSipPeer(bob, "sdes-rekey")) {
            rtp.setSoTimeout(200);
            peer.offer = offer(rtp.getLocalPort(), "RTP/SAVP", first);
            CallSession call = peer.call("a=sendrecv");
            String bobsKey = crypto(peer.lastAnswer);
            InetSocketAddress bobsRtp = new InetSocketAddress("127.0.0.1", port(peer.lastAnswer));
            SrtpContext hearBob = SrtpContext.create(SdesCrypto.parse(bobsKey).toPolicy());

            SrtpContext sending = SrtpContext.create(first.toPolicy());
            int seq = send(rtp, bobsRtp, sending, 1, 10);
            LossyUdpRelay.await(() -> call.rtp.counters().rtpReceived() == 10, "10 packets under the first key");
            assertThat(heard(rtp, hearBob)).as("Bob's SRTP under his key").isPositive();

            // the re-offer with a new key: Bob answers with his key, as before
            peer.offer = offer(rtp.getLocalPort(), "RTP/SAVP", second);
            assertThat(peer.reInvite("a=sendrecv")).isEqualTo(200);
            assertThat(crypto(peer.lastAnswer)).as("Bob keeps his key").isEqualTo(bobsKey);
            io.rvoip.rtp.srtp.SrtpPolicy secondPolicy = second.toPolicy();
            LossyUdpRelay.await(() -> call.media() != null && secondPolicy.sameKeys(call.media().receiveSrtp()),
                    "the new key applied");
            // a new key is a new context: its packet index starts again (RFC 4568 §7.1.4)
            sending = SrtpContext.create(second.toPolicy());
            send(rtp, bobsRtp, sending, seq, 10);
            LossyUdpRelay.await(() -> call.rtp.counters().rtpReceived() == 20,
                    "10 packets under the new key");
            assertThat(call.rtp.counters().srtpDropped()).isZero();
            // what Bob sends still reads with the context the peer has had since the start
            assertThat(heard(rtp, hearBob)).as("Bob's SRTP after the re-offer").isPositive();

            // and a re-offer of plain RTP/AVP (mode OFFER allows it) turns SRTP off both ways
            peer.offer = offer(rtp.getLocalPort(), "RTP/AVP", null);
            peer.reInvite("a=sendrecv");
            assertThat(crypto(peer.lastAnswer)).isNull();
            LossyUdpRelay.await(() -> call.media() != null && !call.media().secure(), "plain RTP applied");
            send(rtp, bobsRtp, null, seq + 10, 10);
            LossyUdpRelay.await(() -> call.rtp.counters().rtpReceived() == 30, "10 plain packets");
            assertThat(heard(rtp, null)).as("Bob's plain RTP").isPositive();

            peer.bye();
            endsAndReleases(call);
        }
    }

    @Test
    void aReOfferOfAnotherCodecSwitchesWhatWeSendAndOneAtAnotherClockRateStartsANewStream() throws Exception {
        bob = bob(CodecRegistry.of(true, G711.PCMU, G711.PCMA, io.rvoip.media.codec.Opus.VOICE), SrtpMode.OFF);
        try (DatagramSocket rtp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             RawSipPeer peer = new RawSipPeer(bob, "codec-change")) {
            rtp.setSoTimeout(200);
            String pcmuThenPcma = offer(rtp.getLocalPort(), "RTP/AVP", null).replace(" 0 101", " 0 8 101");
            peer.offer = pcmuThenPcma;
            CallSession call = peer.call("a=sendrecv");
            assertThat(call.media().codec()).isEqualTo(G711.PCMU);
            assertThat(payloadTypes(rtp)).containsOnly(0);

            // a B2BUA moves the call to a phone that has only PCMA
            peer.offer = pcmuThenPcma.replace(" 0 8 101", " 8 101");
            assertThat(peer.reInvite("a=sendrecv")).isEqualTo(200);
            assertThat(SessionDescription.parse(peer.lastAnswer).media().get(0).formats()).containsExactly("8", "101");
            assertThat(call.media().codec()).isEqualTo(G711.PCMA);
            assertThat(payloadTypes(rtp)).as("what Bob sends after his answer").containsOnly(8);
            InetSocketAddress bobsRtp = new InetSocketAddress("127.0.0.1", port(peer.lastAnswer));
            long before = call.rtp.counters().rtpReceived();
            send(rtp, bobsRtp, null, 1, 10, 8);
            LossyUdpRelay.await(() -> call.rtp.counters().rtpReceived() == before + 10, "10 PCMA packets");

            // then to one that has only Opus: its 48 kHz RTP clock needs a new stream (new SSRC)
            java.util.List<byte[]> pcma = bobsRtp(rtp);
            peer.offer = pcmuThenPcma.replace(" 0 8 101", " 111").replace("a=rtpmap:101 telephone-event/8000",
                    "a=rtpmap:111 opus/48000/2");
            assertThat(peer.reInvite("a=sendrecv")).isEqualTo(200);
            assertThat(SessionDescription.parse(peer.lastAnswer).media().get(0).formats()).containsExactly("111");
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);
            assertThat(call.media().codec()).isEqualTo(Opus.VOICE);
            java.util.List<byte[]> opus = bobsRtp(rtp);
            assertThat(opus).as("Opus from the next packet").isNotEmpty().allMatch(p -> (p[1] & 0x7f) == 111);
            assertThat(opus).allMatch(p -> ssrc(p) == ssrc(opus.get(0)));
            assertThat(ssrc(opus.get(0))).as("a new SSRC").isNotEqualTo(ssrc(pcma.get(0)));
            assertThat((timestamp(opus.get(1)) - timestamp(opus.get(0))) & 0xffffffffL).isEqualTo(960);

            peer.bye();
            endsAndReleases(call);
        }
    }

    /**
     * A peer that flips the call between PCMU and Opus twenty times: every flip starts a new
     * stream, and none leaves anything behind (one media-clock registration while the call lasts,
     * none after; ports, dialogs, transactions and timers back to zero).
     */
    @Test
    void aPeerThatFlipsBetweenClockRatesLeavesNothingBehind() throws Exception {
        bob = bob(CodecRegistry.of(true, G711.PCMU, Opus.VOICE), SrtpMode.OFF);
        try (DatagramSocket rtp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             RawSipPeer peer = new RawSipPeer(bob, "clock-flips")) {
            rtp.setSoTimeout(200);
            String pcmu = offer(rtp.getLocalPort(), "RTP/AVP", null);
            String opus = pcmu.replace(" 0 101", " 111").replace("a=rtpmap:101 telephone-event/8000",
                    "a=rtpmap:111 opus/48000/2");
            peer.offer = pcmu;
            CallSession call = peer.call("a=sendrecv");
            java.util.Set<Integer> ssrcs = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) {
                boolean toOpus = i % 2 == 0;
                peer.offer = toOpus ? opus : pcmu;
                assertThat(peer.reInvite("a=sendrecv")).isEqualTo(200);
                java.util.List<byte[]> sent = bobsRtp(rtp);
                assertThat(sent).as("flip " + i).isNotEmpty().allMatch(p -> (p[1] & 0x7f) == (toOpus ? 111 : 0));
                ssrcs.add(ssrc(sent.get(sent.size() - 1)));
                assertThat(media.size()).as("one media-clock registration").isEqualTo(1);
            }
            assertThat(ssrcs).as("a new stream each time").hasSize(20);
            assertThat(call.mediaSession().codec()).isEqualTo(G711.PCMU);

            peer.bye();
            endsAndReleases(call);
            assertThat(media.size()).as("no media-clock registration left").isZero();
        }
    }

    /**
     * The call started without comfort noise (the peer offered none); a re-offer brings CN 13.
     * After a talk spurt the peer sends one SID at -50 dBov and then nothing (DTX): Bob plays
     * comfort noise at that level, where before the re-offer's CN was ignored and he played
     * digital silence.
     */
    @Test
    void aReOfferThatBringsComfortNoiseIsPlayedAsComfortNoise() throws Exception {
        bob = bob(CodecRegistry.of(true, G711.PCMU).withComfortNoise(), SrtpMode.OFF);
        try (DatagramSocket rtp = CalledPeer.rtpSocket(); RawSipPeer peer = new RawSipPeer(bob, "cn-later")) {
            peer.offer = offer(rtp.getLocalPort(), "RTP/AVP", null);
            CallSession call = peer.call("a=sendrecv");
            assertThat(call.media().comfortNoise()).isEqualTo(-1);
            io.rvoip.media.io.PcmRecorder heard = new io.rvoip.media.io.PcmRecorder(8000, 8000 * 5);
            call.audio(null, heard);
            peer.offer = peer.offer.replace(" 0 101", " 0 13 101");
            assertThat(peer.reInvite("a=sendrecv")).isEqualTo(200);
            assertThat(call.media().comfortNoise()).isEqualTo(13);

            InetSocketAddress bobsRtp = new InetSocketAddress("127.0.0.1", port(peer.lastAnswer));
            long before = call.rtpCounters().rtpReceived();
            int seq = send(rtp, bobsRtp, null, 1, 10, 0);
            byte[] sid = new byte[13];
            new RtpHeader().payloadType(13).ssrc(0x5eed).sequenceNumber(seq).timestamp(seq * 160L)
                    .encodeTo(sid, 0, new byte[] {50}, 0, 1); // RFC 3389: a noise level of -50 dBov
            rtp.send(new DatagramPacket(sid, sid.length, bobsRtp));
            LossyUdpRelay.await(() -> call.rtpCounters().rtpReceived() == before + 11, "the talk spurt and the SID");
            for (int i = 0; i < 50; i++) {
                clock.advanceMillis(20);
                media.runDue(clock.nanoTime());
            }
            short[] pcm = heard.samples();
            double energy = 0;
            for (int i = pcm.length - 4000; i < pcm.length; i++) {
                energy += (double) pcm[i] * pcm[i];
            }
            double level = 10 * Math.log10(energy / 4000 / (32768.0 * 32768.0));
            assertThat(level).as("comfort noise after the SID, not digital silence").isCloseTo(-50, within(4.0));

            peer.bye();
            endsAndReleases(call);
        }
    }

    @Test
    void aReOfferThatBringsTelephoneEventsBringsDigitsBothWays() throws Exception {
        // the call started without telephone-event (a gateway that had none); a B2BUA's re-offer
        // brings it: digits must then come in as events, and go out as events, not fail
        bob = bob(CodecRegistry.of(true, G711.PCMU), SrtpMode.OFF);
        java.util.List<Character> digits = new java.util.concurrent.CopyOnWriteArrayList<>();
        bob.events().subscribe(io.rvoip.media.MediaEvent.DtmfReceived.class).inline().handle(d -> digits.add(d.digit()));
        try (DatagramSocket rtp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             RawSipPeer peer = new RawSipPeer(bob, "events-later")) {
            rtp.setSoTimeout(200);
            String withEvents = offer(rtp.getLocalPort(), "RTP/AVP", null);
            peer.offer = withEvents.replace(" 0 101", " 0").replace("a=rtpmap:101 telephone-event/8000\r\n", "");
            CallSession call = peer.call("a=sendrecv");
            assertThat(call.media().telephoneEvent()).isEqualTo(-1);
            peer.offer = withEvents;
            assertThat(peer.reInvite("a=sendrecv")).isEqualTo(200);
            assertThat(call.media().telephoneEvent()).isEqualTo(101);
            InetSocketAddress bobsRtp = new InetSocketAddress("127.0.0.1", port(peer.lastAnswer));

            int seq = send(rtp, bobsRtp, null, 1, 5); // audio first: the source is known
            for (int i = 0; i < 6; i++, seq++) { // digit 5: three updates, then the end three times
                byte[] packet = new byte[16];
                new RtpHeader().payloadType(101).ssrc(0x5eed).sequenceNumber(seq).timestamp(5 * 160L).marker(i == 0)
                        .encodeTo(packet, 0, new byte[] {5, (byte) (i >= 3 ? 0x8a : 0x0a), 0, (byte) (160 * (i + 1))}, 0, 4);
                rtp.send(new DatagramPacket(packet, 16, bobsRtp));
            }
            LossyUdpRelay.await(() -> call.rtp.counters().rtpReceived() == 11, "the digit's packets");
            bobsRtp(rtp); // Bob's media runs: the digit ends
            assertThat(digits).containsExactly('5');

            bobsRtp(rtp);
            call.sendDigit('7');
            assertThat(payloadTypes(rtp)).as("Bob's digit as telephone-events").contains(101);

            peer.bye();
            endsAndReleases(call);
        }
    }

    /**
     * A carrier plays ringback from a media server (183 with its SDP); then the called phone
     * answers from another address with another codec (200 with its own SDP): in the same dialog
     * ({@code forked} false), or as another fork, whose 200 has another To tag.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "forked: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void afterEarlyMediaTheAnswerInThe2xxIsWhatMediaFollows(boolean forked) throws Exception {
        bob = bob(CodecRegistry.of(true, G711.PCMU, G711.PCMA), SrtpMode.OFF);
        try (DatagramSocket ringback = CalledPeer.rtpSocket();
             DatagramSocket phone = CalledPeer.rtpSocket();
             CalledPeer carol = new CalledPeer(bob, null)) {
            CallSession call = carol.call;
            carol.earlyMedia("early", CalledPeer.answer(ringback.getLocalPort(), "0"));
            assertThat(payloadTypes(ringback)).as("early media to the media server").containsOnly(0);

            carol.answer(forked ? "answered" : "early", CalledPeer.answer(phone.getLocalPort(), "8"));
            assertThat(call.media().codec()).isEqualTo(G711.PCMA);
            assertThat(payloadTypes(phone)).as("media to the phone that answered, in its codec").containsOnly(8);
            assertThat(payloadTypes(ringback)).as("nothing more to the media server").isEmpty();

            carol.hangUp();
            endsAndReleases(call);
        }
    }

    /**
     * Ringback from a media server in PCMU (8 kHz RTP clock), then the phone answers in Opus
     * (48 kHz): one SSRC is one timing space, so Bob's media to the phone is a new stream (new
     * SSRC, 960 timestamp units a packet, consecutive sequence numbers) in Opus, and he decodes the
     * phone's Opus. The early stream's session would have kept PCMU (its clock cannot carry Opus).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "forked: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anAnswerAtAnotherClockRateThanEarlyMediaStartsANewStream(boolean forked) throws Exception {
        bob = bob(CodecRegistry.of(true, G711.PCMU, Opus.VOICE), SrtpMode.OFF);
        // what Bob hears goes here from the start: the new media must keep it
        io.rvoip.media.io.PcmRecorder heard = new io.rvoip.media.io.PcmRecorder(16000, 16000 * 2);
        try (DatagramSocket ringback = CalledPeer.rtpSocket();
             DatagramSocket phone = CalledPeer.rtpSocket();
             CalledPeer carol = new CalledPeer(bob, heard)) {
            CallSession call = carol.call;
            int opus = carol.opusPayloadType();
            carol.earlyMedia("early", CalledPeer.answer(ringback.getLocalPort(), "0"));
            java.util.List<byte[]> early = bobsRtp(ringback);
            assertThat(early).as("early media to the media server").isNotEmpty().allMatch(p -> (p[1] & 0x7f) == 0);
            int earlySsrc = ssrc(early.get(0));
            call.mute(true); // what the application set on the early media holds for the answered call
            call.mediaSession().setSendGain(-6);
            call.mediaSession().setPlayGain(3);

            carol.answer(forked ? "answered" : "early", CalledPeer.opusAnswer(phone.getLocalPort(), opus, 0));
            assertThat(byeFor(ringback, earlySsrc)).as("the early stream's RTCP BYE, to the media server").isTrue();
            assertThat(call.media().codec()).isEqualTo(Opus.VOICE);
            assertThat(call.mediaSession().codec()).isEqualTo(Opus.VOICE);
            assertThat(call.mediaSession().muted()).as("still muted").isTrue();
            assertThat(call.mediaSession().sendGainDb()).isEqualTo(-6);
            assertThat(call.mediaSession().playGainDb()).isEqualTo(3);
            call.mute(false);
            java.util.List<byte[]> toPhone = bobsRtp(phone);
            assertThat(toPhone).as("media to the phone that answered, in Opus").hasSizeGreaterThan(5)
                    .allMatch(p -> (p[1] & 0x7f) == opus);
            assertThat(toPhone).as("a new SSRC: a new timing space").allMatch(p -> ssrc(p) == ssrc(toPhone.get(0)));
            assertThat(ssrc(toPhone.get(0))).isNotEqualTo(earlySsrc);
            for (int i = 1; i < toPhone.size(); i++) {
                byte[] a = toPhone.get(i - 1);
                byte[] b = toPhone.get(i);
                assertThat(((b[2] & 0xff) << 8 | (b[3] & 0xff)) - ((a[2] & 0xff) << 8 | (a[3] & 0xff)) & 0xffff)
                        .as("consecutive sequence numbers").isEqualTo(1);
                assertThat((timestamp(b) - timestamp(a)) & 0xffffffffL).as("20 ms at 48 kHz").isEqualTo(960);
            }
            assertThat(payloadTypes(ringback)).as("nothing more to the media server").isEmpty();

            // the phone's Opus is decoded, and played where Bob's audio went before
            long before = heard.samples().length;
            OpusTalker talker = new OpusTalker(phone, carol.offeredRtp(), opus, 0x0b0b, null);
            long received = call.rtpCounters().rtpReceived();
            for (int i = 0; i < 25; i++) {
                talker.send(true);
                long want = received + i + 1;
                LossyUdpRelay.await(() -> call.rtpCounters().rtpReceived() >= want, "the phone's packet");
                clock.advanceMillis(20);
                media.runDue(clock.nanoTime());
            }
            short[] all = heard.samples();
            short[] pcm = java.util.Arrays.copyOfRange(all, (int) before, all.length);
            double energy = 0;
            for (short v : pcm) {
                energy += (double) v * v;
            }
            assertThat(pcm.length).as("played (resampled to the recorder's rate)").isGreaterThan(16000 / 5);
            assertThat(energy / pcm.length).as("the phone's tone was heard").isGreaterThan(1e6);

            carol.hangUp();
            endsAndReleases(call);
        }
    }

    /**
     * The same with SDES-SRTP: the media server's 183 and the phone's 200 (Opus) each bring a key
     * of their own. Bob's new stream is read with the key of his offer (a new SSRC, so a fresh
     * context at the phone), and the phone's SRTP under its key is heard, none dropped.
     */
    @Test
    void anSrtpAnswerAtAnotherClockRateBringsItsKeyToTheNewStream() throws Exception {
        bob = bob(CodecRegistry.of(true, G711.PCMU, Opus.VOICE), SrtpMode.OFFER);
        SecureRandom random = new SecureRandom();
        SdesCrypto serverKey = SdesCrypto.generate(1, SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
        SdesCrypto phoneKey = SdesCrypto.generate(1, SrtpProfile.AES_CM_128_HMAC_SHA1_80, random);
        try (DatagramSocket ringback = CalledPeer.rtpSocket();
             DatagramSocket phone = CalledPeer.rtpSocket();
             CalledPeer carol = new CalledPeer(bob, null)) {
            CallSession call = carol.call;
            int opus = carol.opusPayloadType();
            io.rvoip.rtp.srtp.SrtpPolicy bobsKey = SdesCrypto.parse(crypto(carol.offer())).toPolicy();
            carol.earlyMedia("early", offer(ringback.getLocalPort(), "RTP/AVP", serverKey));
            assertThat(heard(ringback, SrtpContext.create(bobsKey))).as("Bob's SRTP to the media server").isPositive();

            carol.answer("answered", CalledPeer.opusAnswer(phone.getLocalPort(), opus, 0)
                    .replace("a=rtcp-mux", "a=crypto:" + phoneKey.format() + "\r\na=rtcp-mux"));
            assertThat(call.mediaSession().codec()).isEqualTo(Opus.VOICE);
            java.util.List<byte[]> toPhone = bobsRtp(phone);
            SrtpContext hearBob = SrtpContext.create(bobsKey);
            assertThat(toPhone).isNotEmpty().allSatisfy(p -> {
                assertThat(hearBob.unprotectRtp(p, 0, p.length)).as("reads with Bob's key").isPositive();
                assertThat(p[1] & 0x7f).isEqualTo(opus);
            });

            OpusTalker talker = new OpusTalker(phone, carol.offeredRtp(), opus, 0x0d0d, SrtpContext.create(phoneKey.toPolicy()));
            long before = call.rtpCounters().rtpReceived();
            for (int i = 0; i < 10; i++) {
                talker.send(false);
            }
            LossyUdpRelay.await(() -> call.rtpCounters().rtpReceived() == before + 10, "the phone's SRTP");
            assertThat(call.rtpCounters().srtpDropped()).isZero();

            carol.hangUp();
            endsAndReleases(call);
        }
    }

    /** True once an RTCP BYE for {@code ssrc} reaches {@code socket} (rtcp-mux); false after 200 ms of nothing. */
    private static boolean byeFor(DatagramSocket socket, int ssrc) throws Exception {
        for (byte[] d; (d = next(socket)) != null;) {
            int pt = d[1] & 0xff;
            if (pt >= 200 && pt <= 204 && io.rvoip.rtp.rtcp.RtcpParser.parse(d, 0, d.length).stream()
                    .anyMatch(p -> p instanceof io.rvoip.rtp.rtcp.RtcpPacket.Bye bye && bye.ssrcs().contains(ssrc))) {
                return true;
            }
        }
        return false;
    }

    /** The next datagram on {@code socket}, or null once its receive timeout passes with none. */
    private static byte[] next(DatagramSocket socket) throws java.io.IOException {
        byte[] buf = new byte[2048];
        DatagramPacket d = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(d);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(buf, d.getLength());
    }

    private static int ssrc(byte[] rtp) {
        return java.nio.ByteBuffer.wrap(rtp, 8, 4).getInt();
    }

    private static long timestamp(byte[] rtp) {
        return java.nio.ByteBuffer.wrap(rtp, 4, 4).getInt() & 0xffffffffL;
    }

    private void endsAndReleases(CallSession call) {
        HostileTesting.stepUntil(clock, media, () -> call.ended().isDone());
        HostileTesting.stepUntil(clock, media, () -> HostileTesting.released(bob));
        assertThat(bob.resourceCounts()).as("dialogs, transactions, ports, calls, timers").containsOnly(0);
    }

    /** Runs Bob's media for 200 ms and returns the payload types of the RTP he sent. */
    private java.util.Set<Integer> payloadTypes(DatagramSocket rtp) throws Exception {
        java.util.Set<Integer> types = new java.util.TreeSet<>();
        for (byte[] p : bobsRtp(rtp)) {
            types.add(p[1] & 0x7f);
        }
        return types;
    }

    /** Runs Bob's media for 200 ms and returns the RTP packets that arrived (not the RTCP on the muxed port). */
    private java.util.List<byte[]> bobsRtp(DatagramSocket rtp) throws Exception {
        for (int i = 0; i < 10; i++) {
            clock.advanceMillis(20);
            media.runDue(clock.nanoTime());
        }
        java.util.List<byte[]> packets = new java.util.ArrayList<>();
        for (byte[] d; (d = next(rtp)) != null;) {
            if ((d[1] & 0x7f) < 72 || (d[1] & 0x7f) > 76) {
                packets.add(d);
            }
        }
        return packets;
    }

    /** Sends {@code count} PCMU packets from {@code seq} on, protected with {@code ctx} (plain when null); the next seq. */
    private static int send(DatagramSocket rtp, InetSocketAddress to, SrtpContext ctx, int seq, int count) throws Exception {
        return send(rtp, to, ctx, seq, count, 0);
    }

    /** The same with this payload type. */
    private static int send(DatagramSocket rtp, InetSocketAddress to, SrtpContext ctx, int seq, int count, int pt)
            throws Exception {
        byte[] packet = new byte[12 + 160 + 16];
        for (int i = 0; i < count; i++, seq++) {
            new RtpHeader().payloadType(pt).ssrc(0x5eed).sequenceNumber(seq).timestamp(seq * 160L)
                    .encodeTo(packet, 0, new byte[160], 0, 160);
            int n = ctx == null ? 172 : ctx.protectRtp(packet, 0, 172);
            rtp.send(new DatagramPacket(packet, n, to));
        }
        return seq;
    }

    /**
     * Runs Bob's media for 200 ms and counts what arrives from him that {@code ctx} unprotects
     * (plain RTP, version 2, when null); fails on a packet it cannot read.
     */
    private int heard(DatagramSocket rtp, SrtpContext ctx) throws Exception {
        java.util.List<byte[]> packets = bobsRtp(rtp);
        for (byte[] p : packets) {
            int n = ctx == null ? p.length : ctx.unprotectRtp(p, 0, p.length);
            assertThat(n).as("a packet from Bob that reads").isPositive();
            assertThat(p[0] & 0xc0).isEqualTo(0x80);
        }
        return packets.size();
    }

    private static String crypto(String sdp) {
        MediaDescription m = SessionDescription.parse(sdp).media().get(0);
        return m.attributes("crypto").isEmpty() ? null : m.attributes("crypto").get(0);
    }

    private static int port(String sdp) {
        return SessionDescription.parse(sdp).media().get(0).port();
    }
}
