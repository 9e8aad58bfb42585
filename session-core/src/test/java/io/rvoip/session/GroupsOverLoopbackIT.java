package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rvoip.media.AudioData;
import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.codec.Opus;
import io.rvoip.media.dsp.ToneGenerator;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.io.ToneSource;
import io.rvoip.media.io.WavFile;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A "PBX" coordinator with calls from others, over loopback UDP on one manual clock: a bridge
 * between a PCMU caller and a G.722 caller (transcoding), and a three-party conference checked
 * with distinct tones; a ringing leg in a bridge or conference that is answered in Opus (a new
 * RTP stream at 48 kHz) with a raw-UDP phone that speaks Opus.
 */
class GroupsOverLoopbackIT extends LoopbackFixture {
    private final List<CallSession> atPbx = new CopyOnWriteArrayList<>();


    private SessionCoordinator coordinator(CodecRegistry codecs, CallHandler handler) {
        int base = 30000 + 100 * new Random().nextInt(300);
        SessionCoordinator c = SessionCoordinator.builder().listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .rtpPorts(base, base + 99).codecs(codecs).handler(handler).clock(clock).mediaClock(media).shards(2).build();
        coordinators.add(c);
        return c;
    }

    private SessionCoordinator pbx() {
        return coordinator(CodecRegistry.defaults(), call -> {
            atPbx.add(call);
            return CallHandler.Decision.accept();
        });
    }

    private static Uri uriOf(SessionCoordinator c) {
        SipUri contact = (SipUri) c.contact().uri();
        return Uri.parse("sip:pbx@" + contact.host() + ":" + contact.port());
    }

    /** Steps the clock {@code frames} times; after each, every call pair has taken what the other sent. */
    private void run(List<CallSession[]> pairs, int frames) {
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(20);
            media.runDue(clock.nanoTime());
            for (CallSession[] p : pairs) {
                LossyUdpRelay.await(() -> p[0].rtpCounters().rtpReceived() == p[1].rtpCounters().rtpSent()
                        && p[1].rtpCounters().rtpReceived() == p[0].rtpCounters().rtpSent(), "RTP of " + p[0].id());
            }
        }
    }

    private CallSession[] dial(SessionCoordinator from, SessionCoordinator pbx, io.rvoip.media.io.AudioSource src,
                               io.rvoip.media.io.AudioSink sink) throws Exception {
        int before = atPbx.size();
        CallSession out = from.call(Address.of(Uri.parse("sip:user@127.0.0.1")), uriOf(pbx), src, sink);
        out.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> atPbx.size() > before && atPbx.get(before).state() == CallState.ACTIVE, "the PBX leg");
        return new CallSession[] {out, atPbx.get(before)};
    }

    /**
     * Alice (PCMU, playing {@code speech}) and Carol ({@code carolCodec}, recording into
     * {@code heardByCarol}) each call a new PBX; each call is {caller's end, PBX's end}.
     */
    private Legs aliceAndCarolAtThePbx(io.rvoip.media.codec.AudioCodec carolCodec, WavFile speech,
                                                  PcmRecorder heardByCarol) throws Exception {
        SessionCoordinator pbx = pbx();
        SessionCoordinator alice = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        SessionCoordinator carol = coordinator(CodecRegistry.of(true, carolCodec), CallHandler.rejectAll(486));
        return new Legs(pbx, dial(alice, pbx, PcmSource.of(speech, false), null), dial(carol, pbx, null, heardByCarol));
    }

    private record Legs(SessionCoordinator pbx, CallSession[] a, CallSession[] c) {
    }

    @Test
    void aBridgeTranscodesBetweenAPcmuAndAG722Caller() throws Exception {
        WavFile speech = AudioData.wav("speech8k.wav");
        PcmRecorder heardByCarol = new PcmRecorder(8000, 8000 * 10);
        Legs legs = aliceAndCarolAtThePbx(G722.INSTANCE, speech, heardByCarol);
        SessionCoordinator pbx = legs.pbx();
        CallSession[] a = legs.a();
        CallSession[] c = legs.c();
        assertThat(a[1].media().codec()).isSameAs(G711.PCMU);
        assertThat(c[1].media().codec()).isSameAs(G722.INSTANCE);
        Bridge bridge = pbx.bridge(a[1], c[1]);
        List<CallSession[]> pairs = List.of(a, c);
        run(pairs, speech.frames() / 160 + 25);
        assertThat(AudioData.crossCorrelation(speech.samples(), heardByCarol.samples(), 2400, 4000)).isGreaterThan(0.9);
        bridge.unbridge();
        run(pairs, 5);
        assertThat(bridge.calls()).isEmpty();
        assertThat(media.size()).as("both PBX legs tick on their own again, plus the callers").isEqualTo(4);
        a[0].hangup();
        c[0].hangup();
        assertThat(a[1].ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
        assertThat(c[1].ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
    }

    @Test
    void aSameCodecBridgeRelaysRtpWithoutDecoding() throws Exception {
        WavFile speech = AudioData.wav("speech8k.wav");
        PcmRecorder heardByCarol = new PcmRecorder(8000, 8000 * 10);
        Legs legs = aliceAndCarolAtThePbx(G711.PCMU, speech, heardByCarol);
        SessionCoordinator pbx = legs.pbx();
        CallSession[] a = legs.a();
        CallSession[] c = legs.c();
        Bridge bridge = pbx.bridge(a[1], c[1]);
        assertThat(bridge.relaying()).isTrue();
        List<CallSession[]> pairs = List.of(a, c);
        long decodedBefore = a[1].mediaSession().counters()[1];
        run(pairs, speech.frames() / 160 + 25);
        assertThat(AudioData.crossCorrelation(speech.samples(), heardByCarol.samples(), 2400, 4000)).isGreaterThan(0.9);
        assertThat(a[1].mediaSession().counters()[1]).as("the PBX decoded nothing while relaying").isEqualTo(decodedBefore);
        // unbridged, the PBX legs send their own (silent) media again, on from where the relay was
        bridge.unbridge();
        long sent = c[1].rtpCounters().rtpSent();
        run(pairs, 10);
        assertThat(c[1].rtpCounters().rtpSent()).isGreaterThanOrEqualTo(sent + 9);
        assertThat(bridge.calls()).isEmpty();
        a[0].hangup();
        c[0].hangup();
        a[1].ended().get(10, TimeUnit.SECONDS);
        c[1].ended().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRelayedLegThatChangesItsCodecTurnsTheBridgeToTranscoding() throws Exception {
        // Carol (PCMU, a 500 Hz tone) and a phone on raw UDP (PCMU) are bridged by relaying; the
        // phone's re-INVITE then moves its leg to PCMA: what it receives must be PCMA carrying
        // Carol's tone, not her PCMU packets relayed under a payload type it no longer takes
        SessionCoordinator pbx = pbx();
        SessionCoordinator carol = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        CallSession[] c = dial(carol, pbx, ToneSource.of(new ToneGenerator.Tone(500, 0, -20, 1000, 0), 8000), null);
        try (java.net.DatagramSocket rtp = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
             RawSipPeer phone = new RawSipPeer(pbx, "relayed-then-pcma")) {
            rtp.setSoTimeout(200);
            phone.offer = RawSipPeer.SDP.replace("m=audio 4000", "m=audio " + rtp.getLocalPort());
            CallSession atPbx = phone.call("a=sendrecv");
            assertThat(atPbx.media().codec()).isSameAs(G711.PCMU);
            Bridge bridge = pbx.bridge(atPbx, c[1]);
            assertThat(bridge.relaying()).isTrue();
            assertThat(received(rtp, c, 10).keySet()).containsOnly(0);

            // the phone renumbers telephone-event: the relay is made again with the new mapping
            phone.offer = phone.offer.replace("RTP/AVP 0 8 101", "RTP/AVP 0 8 96").replace("a=rtpmap:101", "a=rtpmap:96");
            assertThat(phone.reInvite("a=sendrecv")).isEqualTo(200);
            assertThat(bridge.relaying()).isTrue();
            c[0].sendDigit('7');
            assertThat(received(rtp, c, 12).keySet()).as("Carol's digit under the phone's new number").containsOnly(0, 96);

            phone.offer = phone.offer.replace("RTP/AVP 0 8 96", "RTP/AVP 8 96");
            assertThat(phone.reInvite("a=sendrecv")).isEqualTo(200);
            assertThat(atPbx.media().codec()).isSameAs(G711.PCMA);
            assertThat(bridge.relaying()).isFalse();
            received(rtp, c, 5); // the switch settles
            assertThat(bridge.calls()).as("both legs on the bridge's tick").containsExactlyInAnyOrder(atPbx, c[1]);
            java.util.Map<Integer, short[]> heard = received(rtp, c, 25);
            assertThat(heard.keySet()).containsOnly(8);
            short[] pcm = heard.get(8);
            double energy = 0;
            for (short v : pcm) {
                energy += (double) v * v;
            }
            double db = 10 * Math.log10(energy / pcm.length / (32768.0 * 32768.0));
            assertThat(db).as("Carol's tone, transcoded to PCMA").isGreaterThan(-30);

            bridge.unbridge();
            received(rtp, c, 2);
            assertThat(bridge.calls()).isEmpty();
            phone.bye();
            c[0].hangup();
            HostileTesting.stepUntil(clock, media, () -> atPbx.ended().isDone() && c[1].ended().isDone());
            HostileTesting.stepUntil(clock, media, () -> HostileTesting.released(pbx));
        }
    }

    /**
     * Runs {@code frames} media frames (Carol's pair kept in step) and returns what the raw
     * socket received, by payload type: the samples of each G.711 packet, decoded.
     */
    private java.util.Map<Integer, short[]> received(java.net.DatagramSocket rtp, CallSession[] carol, int frames)
            throws Exception {
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(20);
            media.runDue(clock.nanoTime());
            LossyUdpRelay.await(() -> carol[0].rtpCounters().rtpSent() == carol[1].rtpCounters().rtpReceived(), "Carol's RTP");
        }
        java.util.Map<Integer, short[]> out = new java.util.TreeMap<>();
        byte[] buf = new byte[2048];
        for (int n; (n = nextRtp(rtp, buf)) >= 0; ) {
            int pt = buf[1] & 0x7f;
            short[] pcm = new short[n - 12];
            if (pt == 0 || pt == 8) {
                (pt == 8 ? G711.PCMA : G711.PCMU).newDecoder().decode(buf, 12, n - 12, pcm, 0);
            }
            short[] before = out.getOrDefault(pt, new short[0]);
            short[] all = java.util.Arrays.copyOf(before, before.length + pcm.length);
            System.arraycopy(pcm, 0, all, before.length, pcm.length);
            out.put(pt, all);
        }
        return out;
    }

    /** Reads the next RTP packet (RTCP skipped) into {@code buf}: its length, or -1 when none comes in 200 ms. */
    private static int nextRtp(java.net.DatagramSocket rtp, byte[] buf) throws java.io.IOException {
        for (;;) {
            java.net.DatagramPacket d = new java.net.DatagramPacket(buf, buf.length);
            try {
                rtp.receive(d);
            } catch (java.net.SocketTimeoutException e) {
                return -1;
            }
            int pt = buf[1] & 0x7f;
            if (pt < 72 || pt > 76) {
                return d.getLength();
            }
        }
    }

    /** Carol (PCMU, a 500 Hz tone, recorded) on the line to a PBX, and the PBX calling an agent's phone on raw UDP. */
    private record CarolAndAgent(SessionCoordinator pbx, CallSession[] carol, PcmRecorder carolHeard, CalledPeer agent) {
        /** Both calls end; everything of the PBX's is released. */
        void hangUp(GroupsOverLoopbackIT test) throws Exception {
            agent.hangUp();
            carol[0].hangup();
            HostileTesting.stepUntil(test.clock, test.media, () -> agent.call.ended().isDone() && carol[1].ended().isDone());
            HostileTesting.stepUntil(test.clock, test.media, () -> HostileTesting.released(pbx));
        }
    }

    private CarolAndAgent carolAndAgent(io.rvoip.media.codec.AudioCodec... pbxCodecs) throws Exception {
        SessionCoordinator pbx = coordinator(CodecRegistry.of(true, pbxCodecs), call -> {
            atPbx.add(call);
            return CallHandler.Decision.accept();
        });
        SessionCoordinator carol = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        PcmRecorder carolHeard = new PcmRecorder(8000, 8000 * 10);
        CallSession[] c = dial(carol, pbx, ToneSource.of(new ToneGenerator.Tone(500, 0, -20, 1000, 0), 8000), carolHeard);
        return new CarolAndAgent(pbx, c, carolHeard, new CalledPeer(pbx, null));
    }

    /**
     * A call center bridges the caller (Carol: PCMU, a 500 Hz tone) to the agent's phone while it
     * rings: a 183 in PCMU (the bridge relays) or in G.722 (it transcodes). The phone answers in
     * Opus (48 kHz RTP clock): the leg starts a new RTP stream, the bridge transcodes, and each side
     * hears the other: Carol's tone in Opus at the phone, the phone's 1 kHz Opus tone at Carol. An
     * answer with another packet time (40 ms) cannot share the bridge's tick: the legs are
     * unbridged and the phone's leg runs on its own.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "ringing in payload type {0}, answered with ptime {1}")
    @org.junit.jupiter.params.provider.CsvSource({"0, 20", "9, 20", "0, 40"})
    void aBridgedCallInEarlyMediaAnsweredInOpusGoesOnTranscoded(int earlyPt, int ptime) throws Exception {
        CarolAndAgent x = carolAndAgent(G711.PCMU, G722.INSTANCE, Opus.VOICE);
        CallSession[] c = x.carol();
        try (CalledPeer phone = x.agent(); java.net.DatagramSocket rtp = CalledPeer.rtpSocket()) {
            CallSession agent = phone.call;
            int opus = phone.opusPayloadType();
            phone.earlyMedia("agent", CalledPeer.answer(rtp.getLocalPort(), Integer.toString(earlyPt)));
            Bridge bridge = x.pbx().bridge(agent, c[1]);
            assertThat(bridge.relaying()).isEqualTo(earlyPt == 0);
            assertThat(received(rtp, c, 10).keySet()).as("Carol to the ringing phone").containsOnly(earlyPt);

            phone.answer("agent", CalledPeer.opusAnswer(rtp.getLocalPort(), opus, ptime));
            assertThat(agent.mediaSession().codec()).isSameAs(Opus.VOICE);
            assertThat(bridge.relaying()).as("PCMU and Opus: transcoded, or unbridged").isFalse();
            received(rtp, c, 5); // the switch settles
            talk(x, rtp, opus, ptime == 20, -30);
            if (ptime == 20) {
                assertThat(bridge.calls()).as("both legs on the bridge's tick").containsExactlyInAnyOrder(agent, c[1]);
            } else {
                assertThat(bridge.calls()).as("unbridged").isEmpty();
            }

            bridge.unbridge();
            x.hangUp(this);
        }
    }

    /**
     * The agent's ringing phone is put in a conference with Carol (183 in PCMU), then answers in
     * Opus. At the conference's packet time (20 ms) the leg stays in the conference with its new
     * media: Carol hears the phone and the phone hears Carol. At another (40 ms) the leg leaves it
     * (a conference ticks one packet time) and runs on its own, in 40 ms Opus packets.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "answered with ptime {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {20, 40})
    void aConferencedCallInEarlyMediaAnsweredInOpus(int ptime) throws Exception {
        CarolAndAgent x = carolAndAgent(G711.PCMU, Opus.VOICE);
        CallSession[] c = x.carol();
        try (CalledPeer phone = x.agent(); java.net.DatagramSocket rtp = CalledPeer.rtpSocket()) {
            CallSession agent = phone.call;
            int opus = phone.opusPayloadType();
            phone.earlyMedia("agent", CalledPeer.answer(rtp.getLocalPort(), "0"));
            Conference conference = x.pbx().conference();
            conference.add(c[1]);
            conference.add(agent);
            received(rtp, c, 5);
            assertThat(conference.calls()).containsExactlyInAnyOrder(agent, c[1]);

            phone.answer("agent", CalledPeer.opusAnswer(rtp.getLocalPort(), opus, ptime));
            assertThat(agent.mediaSession().ptimeMillis()).isEqualTo(ptime);
            received(rtp, c, 4); // the change settles
            talk(x, rtp, opus, ptime == 20, -35); // (the mixer takes a little of each)
            if (ptime == 20) {
                assertThat(conference.calls()).as("still in the conference").containsExactlyInAnyOrder(agent, c[1]);
            } else {
                assertThat(conference.calls()).as("left the conference").containsExactly(c[1]);
            }

            conference.close();
            x.hangUp(this);
        }
    }

    /**
     * The agent's phone (Opus, a 1 kHz tone) and Carol (a 500 Hz tone) talk for 25 frames.
     * {@code together} (still in the bridge or conference), each hears the other above
     * {@code floorDb}, and the phone gets 20 ms packets; apart, the phone's leg runs on its own in
     * 40 ms packets with no audio, and Carol no longer hears it.
     */
    private void talk(CarolAndAgent x, java.net.DatagramSocket rtp, int opus, boolean together, double floorDb)
            throws Exception {
        int carolBefore = x.carolHeard().samples().length;
        OpusPhone heard = OpusPhone.exchange(this, rtp, x.agent().offeredRtp(), opus, x.agent().call, x.carol(), 25);
        short[] atCarol = x.carolHeard().samples();
        assertThat(atCarol.length - carolBefore).as("Carol played on").isGreaterThan(8000 * 4 / 10);
        double carolHearsPhone = decibels(atCarol, atCarol.length - 1600, atCarol.length);
        if (together) {
            assertThat(heard.timestampSteps()).as("20 ms packets at 48 kHz").containsOnly(960L);
            assertThat(heard.decibels()).as("Carol's tone, in Opus at the phone").isGreaterThan(floorDb);
            assertThat(carolHearsPhone).as("the phone's tone at Carol").isGreaterThan(floorDb);
        } else {
            assertThat(heard.timestampSteps()).as("40 ms packets on its own clock").containsOnly(1920L);
            assertThat(heard.decibels()).as("its own (empty) audio").isLessThan(-60);
            assertThat(carolHearsPhone).as("Carol no longer hears the phone").isLessThan(-60);
        }
    }

    /**
     * A phone on raw UDP that talks Opus: for {@code frames} frames it sends a 1 kHz tone (one
     * 20 ms packet each), steps the media clock, and reads and decodes what the PBX sends it.
     */
    record OpusPhone(short[] pcm, int samples, List<Long> timestampSteps) {
        static OpusPhone exchange(GroupsOverLoopbackIT test, java.net.DatagramSocket rtp, InetSocketAddress pbxRtp,
                                  int opus, CallSession agent, CallSession[] carol, int frames) throws Exception {
            OpusTalker talker = new OpusTalker(rtp, pbxRtp, opus, 0x0c0c, null);
            io.rvoip.media.codec.AudioDecoder decoder = Opus.VOICE.newDecoder();
            short[] pcm = new short[2880 * frames];
            int samples = 0;
            List<Long> steps = new ArrayList<>();
            long lastTimestamp = -1;
            long agentHeard = agent.rtpCounters().rtpReceived();
            for (int i = 0; i < frames; i++) {
                talker.send(true);
                long want = agentHeard + i + 1;
                LossyUdpRelay.await(() -> agent.rtpCounters().rtpReceived() >= want, "the phone's packet");
                test.clock.advanceMillis(20);
                test.media.runDue(test.clock.nanoTime());
                LossyUdpRelay.await(() -> carol[0].rtpCounters().rtpSent() == carol[1].rtpCounters().rtpReceived()
                        && carol[1].rtpCounters().rtpSent() == carol[0].rtpCounters().rtpReceived(), "Carol's RTP both ways");
                byte[] buf = new byte[2048];
                int n = nextRtp(rtp, buf);
                if (n < 0) {
                    continue; // nothing this frame: a 40 ms packet time sends every other frame
                }
                assertThat(buf[1] & 0x7f).isEqualTo(opus);
                long ts = java.nio.ByteBuffer.wrap(buf, 4, 4).getInt() & 0xffffffffL;
                if (lastTimestamp >= 0) {
                    steps.add((ts - lastTimestamp) & 0xffffffffL);
                }
                lastTimestamp = ts;
                samples += decoder.decode(buf, 12, n - 12, pcm, samples);
            }
            return new OpusPhone(pcm, samples, steps);
        }

        /** The level of the second half of what the phone heard, dB full scale. */
        double decibels() {
            return GroupsOverLoopbackIT.decibels(pcm, samples / 2, samples);
        }
    }

    /** The level of {@code pcm[from..to)}, dB full scale. */
    private static double decibels(short[] pcm, int from, int to) {
        double energy = 0;
        for (int i = from; i < to; i++) {
            energy += (double) pcm[i] * pcm[i];
        }
        return 10 * Math.log10(energy / (to - from) / (32768.0 * 32768.0));
    }

    @Test
    void eachConferenceParticipantHearsTheOthersAndNotItself() throws Exception {
        SessionCoordinator pbx = pbx();
        SessionCoordinator phones = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        double[] tones = {300, 500, 700};
        List<CallSession[]> pairs = new ArrayList<>();
        List<PcmRecorder> heard = new ArrayList<>();
        for (double f : tones) {
            PcmRecorder r = new PcmRecorder(8000, 8000 * 10);
            heard.add(r);
            pairs.add(dial(phones, pbx, ToneSource.of(new ToneGenerator.Tone(f, 0, -20, 1000, 0), 8000), r));
        }
        Conference conf = pbx.conference();
        for (CallSession[] p : pairs) {
            conf.add(p[1]);
        }
        run(pairs, 100);
        for (int i = 0; i < 3; i++) {
            short[] s = heard.get(i).samples();
            short[] last = java.util.Arrays.copyOfRange(s, s.length - 4000, s.length);
            assertThat(AudioData.relativePower(last, 0, last.length, tones[i], 8000)).as("participant %d hears itself", i).isLessThan(-30);
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    assertThat(AudioData.relativePower(last, 0, last.length, tones[j], 8000)).as("%d hears %d", i, j).isCloseTo(-3, within(1.5));
                }
            }
        }
        // muted: the others stop hearing participant 0
        conf.mute(pairs.get(0)[1], true);
        run(pairs, 50);
        short[] s1 = heard.get(1).samples();
        assertThat(AudioData.relativePower(s1, s1.length - 4000, s1.length, tones[0], 8000)).isLessThan(-30);
        // a participant hanging up leaves the conference
        pairs.get(2)[0].hangup();
        pairs.get(2)[1].ended().get(10, TimeUnit.SECONDS);
        List<CallSession[]> left = pairs.subList(0, 2);
        run(left, 10);
        assertThat(conf.calls()).hasSize(2);
        conf.close();
        run(left, 5);
        assertThat(conf.calls()).isEmpty();
    }

}
