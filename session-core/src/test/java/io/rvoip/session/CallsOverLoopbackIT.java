package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.media.AudioData;
import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.io.WavFile;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.ArrayList;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators in one JVM over loopback UDP: a call with real audio both ways, then hang up;
 * every resource is released. SIP timers and both media clocks run on one manual clock: each
 * 20 ms step ticks both calls' media, then waits until the RTP both sent has arrived.
 */
class CallsOverLoopbackIT extends LoopbackFixture {
    private SessionCoordinator coordinator(CodecRegistry codecs, CallHandler handler) {
        return coordinator(codecs, handler, io.rvoip.session.sdp.SrtpMode.OFF);
    }

    private SessionCoordinator coordinator(CodecRegistry codecs, CallHandler handler, io.rvoip.session.sdp.SrtpMode srtp) {
        SessionCoordinator c = builder(TransportType.UDP).codecs(codecs).handler(handler).shards(2).srtp(srtp).build();
        coordinators.add(c);
        return c;
    }

    private static Uri uriOf(SessionCoordinator c, String user) {
        SipUri contact = (SipUri) c.contact().uri();
        return Uri.parse("sip:" + user + "@" + contact.host() + ":" + contact.port());
    }

    /** Runs the media for {@code frames} steps of 20 ms. */
    private void run(CallSession a, CallSession b, int frames) {
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(20);
            media.runDue(clock.nanoTime());
            LossyUdpRelay.await(() -> a.rtp.counters().rtpReceived() == b.rtp.counters().rtpSent()
                    && b.rtp.counters().rtpReceived() == a.rtp.counters().rtpSent(),
                    "both sides to take the RTP sent: " + a.rtp.counters() + " / " + b.rtp.counters() + " at frame " + i);
        }
    }

    /**
     * Steps the clock a second at a time until every coordinator has released its dialogs,
     * transactions, RTP ports and calls (a transaction's wait timer is armed when its last
     * message is handled on a shard, which may be after a given step), failing after 120
     * simulated seconds.
     */
    private void released(SessionCoordinator... cs) {
        released(5, cs);
    }

    /** As {@link #released(SessionCoordinator...)}, checking the first {@code counts} counters only. */
    private void released(int counts, SessionCoordinator... cs) {
        for (int i = 0; i < 120; i++) {
            if (java.util.Arrays.stream(cs).allMatch(c -> java.util.Arrays.stream(c.resourceCounts()).limit(counts).sum() == 0)) {
                return;
            }
            clock.advanceMillis(1000);
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // let the shards run what fired
        }
        StringBuilder sb = new StringBuilder();
        for (SessionCoordinator c : cs) {
            sb.append(java.util.Arrays.toString(c.resourceCounts())).append(' ');
        }
        throw new AssertionError("not released after 120 s (dialogs, transactions, ports, calls, timers): " + sb);
    }

    /** Alice (who takes no calls), and Bob and Carol, who answer and keep their incoming calls. */
    private record ThreeParties(SessionCoordinator alice, SessionCoordinator bob, SessionCoordinator carol,
                                List<CallSession> atBob, List<CallSession> atCarol) {
    }

    private ThreeParties threeParties() {
        List<CallSession> atBob = new CopyOnWriteArrayList<>();
        List<CallSession> atCarol = new CopyOnWriteArrayList<>();
        SessionCoordinator bob = coordinator(CodecRegistry.defaults(), collecting(atBob));
        SessionCoordinator carol = coordinator(CodecRegistry.defaults(), collecting(atCarol));
        SessionCoordinator alice = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        return new ThreeParties(alice, bob, carol, atBob, atCarol);
    }

    /**
     * Alice calls Bob (whose handler answers into {@code incoming}) over {@code transport}, media
     * flows, Bob hangs up over the same transport; calls, dialogs, transactions and ports are
     * released (an open connection keeps its transport timers).
     */
    private void callOverTransport(SessionCoordinator alice, SessionCoordinator bob, AtomicReference<CallSession> incoming,
                                   String transport) throws Exception {
        assertThat(bob.contact().uri().toString()).contains("transport=" + transport);
        SipUri b = (SipUri) bob.contact().uri();
        CallSession out = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")),
                Uri.parse("sip:bob@127.0.0.1:" + b.port() + ";transport=" + transport), null, null);
        out.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> incoming.get() != null && incoming.get().state() == CallState.ACTIVE, "Bob's call");
        CallSession in = incoming.get();
        run(out, in, 20);
        in.hangup(); // the BYE goes back over Alice's connection or a new one to her contact
        assertThat(out.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
        released(4, alice, bob);
    }

    /** A handler that adds each incoming call to {@code calls} and answers it. */
    private static CallHandler collecting(List<CallSession> calls) {
        return call -> {
            calls.add(call);
            return CallHandler.Decision.accept();
        };
    }

    /** A coordinator builder on loopback ({@code type}, any port), its own RTP ports, the test's clocks. */
    private SessionCoordinator.Builder builder(TransportType type) {
        int base = 30000 + 100 * new Random().nextInt(300);
        return SessionCoordinator.builder().listen(type, new InetSocketAddress("127.0.0.1", 0)).rtpPorts(base, base + 99)
                .clock(clock).mediaClock(media);
    }

    /** A handler that keeps the incoming call in {@code incoming} and answers it. */
    private static CallHandler answering(AtomicReference<CallSession> incoming) {
        return call -> {
            incoming.set(call);
            return CallHandler.Decision.accept();
        };
    }

    /** Alice calls Bob (whose handler puts the call in {@code incoming}); returns both ends once active. */
    private CallSession[] connect(SessionCoordinator alice, SessionCoordinator bob, AtomicReference<CallSession> incoming,
                                  io.rvoip.media.io.AudioSource source, io.rvoip.media.io.AudioSink sink) throws Exception {
        CallSession out = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"), source, sink);
        out.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> incoming.get() != null && incoming.get().state() == CallState.ACTIVE, "Bob's call");
        return new CallSession[] {out, incoming.get()};
    }

    private static void awaitState(CallSession c, CallState s) {
        LossyUdpRelay.await(() -> c.state() == s, c.id() + " to be " + s);
    }

    @Test
    void oneCoordinatorListensOnUdpAndTcpAndAnswersEachWithItsOwnContact() throws Exception {
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = builder(TransportType.UDP).listen(TransportType.TCP, new InetSocketAddress("127.0.0.1", 0))
                .codecs(CodecRegistry.of(true, G711.PCMU)).handler(answering(incoming)).build();
        coordinators.add(bob);
        assertThat(bob.contacts()).containsOnlyKeys(TransportType.UDP, TransportType.TCP);
        assertThat(bob.contact()).isEqualTo(bob.contacts().get(TransportType.UDP));
        SipUri udp = (SipUri) bob.contacts().get(TransportType.UDP).uri();
        SipUri tcp = (SipUri) bob.contacts().get(TransportType.TCP).uri();
        assertThat(tcp.param("transport")).isEqualTo("tcp");
        SessionCoordinator alice = builder(TransportType.UDP).codecs(CodecRegistry.of(true, G711.PCMU)).build();
        SessionCoordinator carol = builder(TransportType.TCP).codecs(CodecRegistry.of(true, G711.PCMU)).build();
        coordinators.add(alice);
        coordinators.add(carol);
        for (Object[] c : new Object[][] {{alice, "sip:bob@127.0.0.1:" + udp.port(), "UDP"},
                {carol, "sip:bob@127.0.0.1:" + tcp.port() + ";transport=tcp", "TCP"}}) {
            incoming.set(null);
            CallSession out = ((SessionCoordinator) c[0]).call(Address.of(Uri.parse("sip:caller@127.0.0.1")),
                    Uri.parse((String) c[1]), null, null);
            out.answered().get(10, TimeUnit.SECONDS);
            LossyUdpRelay.await(() -> incoming.get() != null && incoming.get().state() == CallState.ACTIVE, "Bob's call");
            CallSession in = incoming.get();
            // the INVITE arrived over the transport named, and Bob's answer gave that listening point as his Contact
            assertThat(in.inviteTransport()).isEqualTo(c[2]);
            assertThat(out.remoteTarget()).isEqualTo(c[2].equals("UDP") ? udp : tcp);
            run(out, in, 10);
            in.hangup(); // the BYE goes to the caller over the same transport
            assertThat(out.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
        }
    }

    @Test
    void aSoftphoneWithVoiceProcessingSendsItsCallerNoEcho() throws Exception {
        // Alice is a laptop: what her call plays comes back into her microphone through a room
        short[] speech = AudioData.wav("speech16k.wav").samples();
        double[] returned = new double[2];
        for (int pass = 0; pass < 2; pass++) {
            boolean processing = pass == 1;
            PcmRecorder heardByBob = new PcmRecorder(16000, 16000 * 12);
            AtomicReference<CallSession> incoming = new AtomicReference<>();
            SessionCoordinator bob = coordinator(CodecRegistry.defaults(), call -> {
                call.audio(new io.rvoip.media.io.PcmSource(speech, 16000, true), heardByBob);
                incoming.set(call);
                return CallHandler.Decision.accept();
            });
            SessionCoordinator.Builder ab = builder(TransportType.UDP).codecs(CodecRegistry.defaults()).shards(2);
            SessionCoordinator alice = (processing ? ab.voiceProcessing(
                    io.rvoip.media.processing.VoiceProcessor.Config.all().withGainControl(false)) : ab).build();
            coordinators.add(alice);
            io.rvoip.media.processing.EchoRoom room = new io.rvoip.media.processing.EchoRoom(16000, 12, 40, -10, -55);
            CallSession[] call = connect(alice, bob, incoming, room, room);
            assertThat(call[0].media().codec()).isSameAs(G722.INSTANCE);
            run(call[0], call[1], 400); // 8 s
            short[] back = heardByBob.samples();
            double sent = 0;
            double got = 0;
            for (int i = back.length - 16000 * 3; i < back.length; i++) {
                sent += (double) speech[i % speech.length] * speech[i % speech.length];
                got += (double) back[i] * back[i];
            }
            returned[pass] = 10 * Math.log10(got / sent);
            io.rvoip.media.processing.VoiceProcessor vp = call[0].mediaSession().voiceProcessor();
            if (processing) {
                assertThat(vp).isNotNull();
                assertThat(vp.listenMillis()).isGreaterThan(3000);
                assertThat(vp.talkMillis()).isLessThan(1000);
            } else {
                assertThat(vp).isNull();
            }
            call[0].hangup();
            call[0].ended().get(10, TimeUnit.SECONDS);
        }
        assertThat(returned[0]).isBetween(-14.0, -6.0);           // Bob hears himself 10 dB down
        assertThat(returned[1]).isLessThan(returned[0] - 20);     // and then hardly at all
    }

    @Test
    void aCallCarriesAudioBothWaysAndReleasesEverything() throws Exception {
        WavFile speech = AudioData.wav("speech8k.wav");
        PcmRecorder heardByBob = new PcmRecorder(8000, 8000 * 10);
        PcmRecorder heardByAlice = new PcmRecorder(8000, 8000 * 10);
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = coordinator(CodecRegistry.defaults(), call -> {
            call.audio(PcmSource.of(speech, false), heardByBob);
            incoming.set(call);
            return CallHandler.Decision.accept();
        });
        SessionCoordinator alice = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        List<SessionEvent> aliceEvents = new CopyOnWriteArrayList<>();
        alice.events().subscribe(SessionEvent.class).inline().handle(aliceEvents::add);

        CallSession out = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"),
                PcmSource.of(speech, false), heardByAlice);
        out.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> incoming.get() != null, "the call at Bob");
        CallSession in = incoming.get();
        awaitState(in, CallState.ACTIVE);
        assertThat(out.media().codec()).isSameAs(G722.INSTANCE); // both prefer G.722
        assertThat(in.media().codec()).isSameAs(G722.INSTANCE);
        assertThat(out.media().rtcpMux()).isTrue();             // RFC 5761: both offer and accept it
        assertThat(in.media().rtcpMux()).isTrue();
        assertThat(((SipUri) in.from().uri()).user()).isEqualTo("alice");

        List<io.rvoip.media.MediaEvent> bobMedia = new CopyOnWriteArrayList<>();
        bob.events().subscribe(io.rvoip.media.MediaEvent.class).inline().handle(bobMedia::add);
        run(out, in, 100);
        out.sendDigit('7');
        run(out, in, speech.frames() / 160 + 25 - 100);
        assertThat(bobMedia).anyMatch(e -> e instanceof io.rvoip.media.MediaEvent.DtmfReceived d && d.digit() == '7');
        // RTCP goes to the peer's RTP port, and reached each side there
        assertThat(out.rtp.rtcpMux()).isTrue();
        assertThat(out.rtp.remoteRtcp()).isEqualTo(out.rtp.remoteRtp());
        assertThat(in.rtp.remoteRtcp()).isEqualTo(in.rtp.remoteRtp());
        assertThat(out.rtp.counters().rtcpReceived()).isPositive();
        assertThat(in.rtp.counters().rtcpReceived()).isPositive();
        assertThat(AudioData.crossCorrelation(speech.samples(), heardByBob.samples(), 2400, 4000)).isGreaterThan(0.9);
        assertThat(AudioData.crossCorrelation(speech.samples(), heardByAlice.samples(), 2400, 4000)).isGreaterThan(0.9);
        // quality reports every 5 s (the default) while the call ran: no loss on loopback, G.722 has no MOS here
        assertThat(out.quality()).isNotNull();
        assertThat(out.quality().lossPercent()).isZero();

        out.hangup();
        assertThat(out.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.LOCAL_BYE);
        assertThat(in.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
        assertThat(aliceEvents).anyMatch(e -> e instanceof SessionEvent.StateChanged s && s.state() == CallState.ACTIVE);
        assertThat(aliceEvents).anyMatch(e -> e instanceof SessionEvent.CallEnded);
        // the transactions linger for their timers (Timer K, J, L, M): run the clock past them
        released(alice, bob);
        assertThat(media.size()).isZero();
    }

    @Test
    void holdStopsTheAudioBothWaysAndResumeBringsItBack() throws Exception {
        WavFile speech = AudioData.wav("speech8k.wav");
        PcmRecorder heardByBob = new PcmRecorder(8000, 8000 * 20);
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = coordinator(CodecRegistry.of(true, G711.PCMU), call -> {
            call.audio(PcmSource.of(speech, true), heardByBob);
            incoming.set(call);
            return CallHandler.Decision.accept();
        });
        SessionCoordinator alice = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        PcmRecorder heardByAlice = new PcmRecorder(8000, 8000 * 20);
        CallSession[] pair = connect(alice, bob, incoming, PcmSource.of(speech, true), heardByAlice);
        CallSession out = pair[0];
        CallSession in = pair[1];
        run(out, in, 50);
        long aliceSent = out.rtpCounters().rtpSent();
        long bobSent = in.rtpCounters().rtpSent();
        assertThat(aliceSent).isGreaterThan(40);

        // hold: Alice offers sendonly, Bob answers recvonly; neither sends while held
        io.rvoip.session.sdp.NegotiatedMedia held = out.hold().get(10, TimeUnit.SECONDS);
        assertThat(held.direction()).isEqualTo(io.rvoip.sip.sdp.Direction.SENDONLY);
        assertThat(out.state()).isEqualTo(CallState.ON_HOLD);
        LossyUdpRelay.await(() -> in.media().direction() == io.rvoip.sip.sdp.Direction.RECVONLY, "Bob to see recvonly");
        aliceSent = out.rtpCounters().rtpSent();
        bobSent = in.rtpCounters().rtpSent();
        run(out, in, 50);
        assertThat(out.rtpCounters().rtpSent()).as("Alice sends nothing on hold").isEqualTo(aliceSent);
        assertThat(in.rtpCounters().rtpSent()).as("Bob sends nothing to a held call").isEqualTo(bobSent);

        // resume: sendrecv both ways again
        assertThat(out.resume().get(10, TimeUnit.SECONDS).direction()).isEqualTo(io.rvoip.sip.sdp.Direction.SENDRECV);
        assertThat(out.state()).isEqualTo(CallState.ACTIVE);
        LossyUdpRelay.await(() -> in.media().direction() == io.rvoip.sip.sdp.Direction.SENDRECV, "Bob to see sendrecv");
        run(out, in, 50);
        assertThat(out.rtpCounters().rtpSent()).isGreaterThanOrEqualTo(aliceSent + 49);
        assertThat(in.rtpCounters().rtpSent()).isGreaterThanOrEqualTo(bobSent + 49);
        out.hangup();
        assertThat(in.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
    }

    @Test
    void aCallWhoseRtpStopsIsEndedAfterTheMediaTimeout() throws Exception {
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = coordinator(CodecRegistry.defaults(), answering(incoming));
        SessionCoordinator alice = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        CallSession[] pair = connect(alice, bob, incoming, null, null);
        CallSession out = pair[0];
        CallSession in = pair[1];
        run(out, in, 50);
        assertThat(alice.mediaFramesSkipped()).as("in step").isZero();
        // Bob's media dies (its RTP and RTCP socket is gone; its SIP stack still answers)
        in.rtp.close();
        // the default media timeout is 30 s; step until both ends are over (the BYE's transaction
        // needs the clock too), however far behind a loaded machine's threads are
        HostileTesting.stepUntil(clock, media, () -> out.ended().isDone() && in.ended().isDone());
        // a second per step is fifty frames: the media clock skips ahead and says so
        assertThat(alice.mediaFramesSkipped()).isGreaterThan(40);
        EndReason r = out.ended().get(10, TimeUnit.SECONDS);
        assertThat(r.cause()).isEqualTo(EndReason.Cause.MEDIA_TIMEOUT);
        assertThat(in.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
    }

    @Test
    void aBlindTransferMovesTheCallerToAThirdParty() throws Exception {
        ThreeParties p = threeParties();
        List<SessionEvent> aliceEvents = new CopyOnWriteArrayList<>();
        p.alice().events().subscribe(SessionEvent.class).inline().handle(aliceEvents::add);
        CallSession toBob = p.alice().call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(p.bob(), "bob"),
                io.rvoip.media.io.AudioSource.silence(8000), null);
        toBob.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> p.atBob().size() == 1 && p.atBob().get(0).state() == CallState.ACTIVE, "Bob's call");
        CallSession bobLeg = p.atBob().get(0);
        run(toBob, bobLeg, 10);

        // Bob transfers Alice to Carol: Alice calls Carol, then Bob hangs up
        int status = bobLeg.transfer(uriOf(p.carol(), "carol")).get(10, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(200);
        assertThat(bobLeg.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.TRANSFERRED);
        assertThat(toBob.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
        assertThat(aliceEvents).anyMatch(e -> e instanceof SessionEvent.TransferRequested t
                && ((SipUri) t.target().uri()).user().equals("carol"));
        LossyUdpRelay.await(() -> p.atCarol().size() == 1 && p.atCarol().get(0).state() == CallState.ACTIVE, "Carol's call");
        CallSession carolLeg = p.atCarol().get(0);
        assertThat(((SipUri) carolLeg.from().uri()).user()).isEqualTo("alice");
        CallSession aliceToCarol = p.alice().calls().stream().findFirst().orElseThrow();
        run(aliceToCarol, carolLeg, 20);
        assertThat(carolLeg.rtpCounters().rtpReceived()).isGreaterThanOrEqualTo(20);
        aliceToCarol.hangup();
        assertThat(carolLeg.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
    }

    @Test
    void earlyMediaPlaysBeforeTheAnswer() throws Exception {
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = coordinator(CodecRegistry.defaults(), call -> {
            call.audio(io.rvoip.media.io.ToneSource.of(io.rvoip.media.dsp.ToneGenerator.Tone.RINGBACK_EU, 8000), null);
            incoming.set(call);
            return CallHandler.Decision.earlyMedia();
        });
        SessionCoordinator alice = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        PcmRecorder heard = new PcmRecorder(8000, 8000 * 10);
        CallSession out = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"), null, heard);
        awaitState(out, CallState.EARLY_MEDIA);
        LossyUdpRelay.await(() -> incoming.get() != null && incoming.get().state() == CallState.EARLY_MEDIA, "Bob's 183");
        CallSession in = incoming.get();
        run(out, in, 50); // a second of ringback before any answer
        assertThat(out.answered()).isNotDone();
        assertThat(out.rtpCounters().rtpReceived()).isGreaterThanOrEqualTo(49);
        short[] early = heard.samples();
        double energy = 0;
        for (short v : early) {
            energy += (double) v * v;
        }
        assertThat(energy / early.length).as("the ringback tone was heard").isGreaterThan(1e5);
        in.answer();
        out.answered().get(10, TimeUnit.SECONDS);
        awaitState(in, CallState.ACTIVE);
        assertThat(out.state()).isEqualTo(CallState.ACTIVE);
        run(out, in, 10);
        out.hangup();
        assertThat(in.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
    }

    @Test
    void callsSpreadOverSeveralRtpThreadsEachCarryTheirRtp() throws Exception {
        assertThatThrownBy(() -> SessionCoordinator.builder().rtpThreads(0)).isInstanceOf(IllegalArgumentException.class);
        java.util.Set<String> poolsBefore = rtpPools().keySet();
        List<CallSession> atBob = new CopyOnWriteArrayList<>();
        SessionCoordinator bob = builder(TransportType.UDP).codecs(CodecRegistry.of(true, G711.PCMU)).handler(collecting(atBob))
                .rtpThreads(3).build();
        coordinators.add(bob);
        SessionCoordinator alice = builder(TransportType.UDP).codecs(CodecRegistry.of(true, G711.PCMU)).rtpThreads(2).build();
        coordinators.add(alice);
        List<CallSession> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            CallSession c = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"), null, null);
            c.answered().get(10, TimeUnit.SECONDS);
            out.add(c);
        }
        LossyUdpRelay.await(() -> atBob.size() == 6 && atBob.stream().allMatch(c -> c.state() == CallState.ACTIVE), "Bob's six calls");
        for (int frame = 0; frame < 25; frame++) {
            clock.advanceMillis(20);
            media.runDue(clock.nanoTime());
            long sentByAlice = out.stream().mapToLong(c -> c.rtp.counters().rtpSent()).sum();
            long sentByBob = atBob.stream().mapToLong(c -> c.rtp.counters().rtpSent()).sum();
            LossyUdpRelay.await(() -> atBob.stream().mapToLong(c -> c.rtp.counters().rtpReceived()).sum() == sentByAlice
                    && out.stream().mapToLong(c -> c.rtp.counters().rtpReceived()).sum() == sentByBob, "the RTP of six calls");
        }
        for (CallSession c : out) {
            assertThat(c.rtp.counters().rtpReceived()).as("every call of Alice's heard Bob").isPositive();
        }
        for (CallSession c : atBob) {
            assertThat(c.rtp.counters().rtpReceived()).as("every call of Bob's heard Alice").isPositive();
        }
        // the calls' sockets went round the event loops: Bob's group runs three threads, Alice's two
        java.util.Map<String, Integer> pools = new java.util.HashMap<>(rtpPools());
        pools.keySet().removeAll(poolsBefore);
        assertThat(pools.values()).containsExactlyInAnyOrder(3, 2);
        out.forEach(CallSession::hangup);
        for (CallSession c : out) {
            c.ended().get(10, TimeUnit.SECONDS);
        }
        released(alice, bob);
    }

    /** Running RTP event-loop threads per group ("rvoip-rtp-io-&lt;group&gt;-&lt;n&gt;"). */
    private static java.util.Map<String, Integer> rtpPools() {
        java.util.Map<String, Integer> pools = new java.util.HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("rvoip-rtp-io-(\\d+)-\\d+").matcher(t.getName());
            if (t.isAlive() && m.matches()) {
                pools.merge(m.group(1), 1, Integer::sum);
            }
        }
        return pools;
    }

    @Test
    void fiveThousandCallsWithMediaLeaveNothingBehind() throws Exception {
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = coordinator(CodecRegistry.of(true, G711.PCMU), answering(incoming));
        SessionCoordinator alice = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        Uri target = uriOf(bob, "bob");
        int threadsBefore = Thread.activeCount();
        for (int i = 0; i < 5000; i++) {
            incoming.set(null);
            CallSession out = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), target, null, null);
            out.answered().get(10, TimeUnit.SECONDS);
            LossyUdpRelay.await(() -> incoming.get() != null && incoming.get().state() == CallState.ACTIVE, "Bob's call");
            CallSession in = incoming.get();
            run(out, in, 2); // a little RTP both ways
            if (i % 2 == 0) {
                out.hangup();
            } else {
                in.hangup();
            }
            out.ended().get(10, TimeUnit.SECONDS);
            in.ended().get(10, TimeUnit.SECONDS);
            if (i % 500 == 499) {
                released(alice, bob); // keep the transactions' wait timers from piling up
            }
        }
        released(alice, bob);
        assertThat(media.size()).isZero();
        assertThat(alice.callCount() + bob.callCount()).isZero();
        assertThat(Thread.activeCount()).as("no thread per call").isLessThanOrEqualTo(threadsBefore + 4);
    }

    @Test
    void aCoordinatorAtItsCallLimitRefusesTheNextInviteWith503AndKeepsItsCalls() throws Exception {
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = builder(TransportType.UDP).codecs(CodecRegistry.of(true, G711.PCMU))
                .handler(answering(incoming)).maxCalls(1).build();
        coordinators.add(bob);
        SessionCoordinator alice = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        CallSession[] first = connect(alice, bob, incoming, null, null);
        int portsInUse = bob.resourceCounts()[2];
        CallSession second = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"), null, null);
        EndReason refused = second.ended().get(10, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(bob.overloadRejected()).isEqualTo(1);
        assertThat(bob.callCount()).isEqualTo(1);
        assertThat(bob.resourceCounts()[2]).as("no RTP ports for the refused call").isEqualTo(portsInUse);
        assertThat(first[1].state()).isEqualTo(CallState.ACTIVE);
        // once the first call ends there is room again
        first[0].hangup();
        first[1].ended().get(10, TimeUnit.SECONDS);
        incoming.set(null);
        CallSession[] third = connect(alice, bob, incoming, null, null);
        assertThat(third[1].state()).isEqualTo(CallState.ACTIVE);
        third[0].hangup();
        third[1].ended().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCoordinatorWithNoRtpPortLeftAnswers503AndRecoversWhenOneIsFreed() throws Exception {
        // one RTP port pair in Bob's range: the second call cannot bind (asynchronously, on the
        // RTP event loop) and is refused, and the first call is untouched
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        int base = 61000 + 2 * new Random().nextInt(2000); // above the others' ranges and the ephemeral ports
        SessionCoordinator bob = builder(TransportType.UDP).rtpPorts(base, base + 1).codecs(CodecRegistry.of(true, G711.PCMU))
                .handler(answering(incoming)).build();
        coordinators.add(bob);
        SessionCoordinator alice = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        CallSession[] first = connect(alice, bob, incoming, null, null);
        CallSession second = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"), null, null);
        EndReason refused = second.ended().get(10, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(bob.overloadRejected()).as("not the call limit").isZero();
        assertThat(bob.callCount()).isEqualTo(1);
        assertThat(first[1].state()).isEqualTo(CallState.ACTIVE);
        first[0].hangup();
        first[1].ended().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> bob.resourceCounts()[2] == 0, "Bob's port pair back");
        incoming.set(null);
        CallSession[] third = connect(alice, bob, incoming, null, null);
        assertThat(third[1].state()).isEqualTo(CallState.ACTIVE);
        third[0].hangup();
        third[1].ended().get(10, TimeUnit.SECONDS);
        released(alice, bob);
    }

    @Test
    void anSrtpCallCarriesAudioEncryptedAndAPlainCallerGets488() throws Exception {
        WavFile speech = AudioData.wav("speech8k.wav");
        PcmRecorder heardByBob = new PcmRecorder(8000, 8000 * 10);
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = coordinator(CodecRegistry.of(true, G711.PCMU), call -> {
            call.audio(null, heardByBob);
            incoming.set(call);
            return CallHandler.Decision.accept();
        }, io.rvoip.session.sdp.SrtpMode.REQUIRE);
        SessionCoordinator alice = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486),
                io.rvoip.session.sdp.SrtpMode.OFFER);
        CallSession[] pair = connect(alice, bob, incoming, PcmSource.of(speech, false), null);
        CallSession out = pair[0];
        CallSession in = pair[1];
        assertThat(out.media().secure()).isTrue();
        assertThat(in.media().secure()).isTrue();
        run(out, in, speech.frames() / 160 + 25);
        assertThat(AudioData.crossCorrelation(speech.samples(), heardByBob.samples(), 2400, 4000)).isGreaterThan(0.9);
        assertThat(in.rtp.srtpReceiveCounters().rtpUnprotected()).isGreaterThan(200);
        assertThat(in.rtpCounters().srtpDropped()).isZero();
        out.hangup();
        in.ended().get(10, TimeUnit.SECONDS);
        // a caller without SRTP is refused by a side that requires it
        SessionCoordinator plain = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        CallSession refused = plain.call(Address.of(Uri.parse("sip:p@127.0.0.1")), uriOf(bob, "bob"), null, null);
        EndReason r = refused.ended().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(488);
    }

    @Test
    void aCallOverTcpSignalling() throws Exception {
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = builder(TransportType.TCP).codecs(CodecRegistry.of(true, G711.PCMU))
                .handler(answering(incoming)).build();
        coordinators.add(bob);
        SessionCoordinator alice = builder(TransportType.TCP).codecs(CodecRegistry.of(true, G711.PCMU)).build();
        coordinators.add(alice);
        callOverTransport(alice, bob, incoming, "tcp");
    }

    @Test
    void digitsTravelAsInfoAndInBand() throws Exception {
        for (DtmfMode mode : new DtmfMode[] {DtmfMode.INFO, DtmfMode.INBAND}) {
            AtomicReference<CallSession> incoming = new AtomicReference<>();
            SessionCoordinator bob = builder(TransportType.UDP).codecs(CodecRegistry.of(true, G711.PCMU))
                    .dtmf(mode).handler(answering(incoming)).build();
            coordinators.add(bob);
            SessionCoordinator alice = builder(TransportType.UDP).codecs(CodecRegistry.of(true, G711.PCMU))
                    .dtmf(mode).build();
            coordinators.add(alice);
            List<io.rvoip.media.MediaEvent.DtmfReceived> digits = new CopyOnWriteArrayList<>();
            bob.events().subscribe(io.rvoip.media.MediaEvent.DtmfReceived.class).inline().handle(digits::add);
            CallSession[] pair = connect(alice, bob, incoming, null, null);
            CallSession out = pair[0];
            CallSession in = pair[1];
            run(out, in, 10);
            out.sendDigit('3');
            run(out, in, 20);
            out.sendDigit('#');
            run(out, in, 30);
            LossyUdpRelay.await(() -> digits.size() >= 2, mode + " digits at Bob: " + digits);
            assertThat(digits).as(mode.name()).extracting(io.rvoip.media.MediaEvent.DtmfReceived::digit).containsExactly('3', '#');
            out.hangup();
            in.ended().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void stoppingACoordinatorHangsUpItsCallsWithBye() throws Exception {
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = coordinator(CodecRegistry.defaults(), answering(incoming));
        SessionCoordinator alice = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        CallSession out = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"), null, null);
        out.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> incoming.get() != null && incoming.get().state() == CallState.ACTIVE, "Bob's call");
        alice.stop();
        coordinators.remove(alice);
        assertThat(out.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.LOCAL_BYE);
        assertThat(incoming.get().ended().get(10, TimeUnit.SECONDS).cause()).as("Bob got the BYE")
                .isEqualTo(EndReason.Cause.REMOTE_BYE);
    }

    @Test
    void aRoutingHandlerAnswersRedirectsAndRejectsByUserAndTheCallerFollowsTheRedirect() throws Exception {
        AtomicReference<CallSession> atCarol = new AtomicReference<>();
        SessionCoordinator carol = coordinator(CodecRegistry.defaults(), answering(atCarol));
        SessionCoordinator pbx = coordinator(CodecRegistry.defaults(), CallHandler.byUser(java.util.Map.of(
                "bob", CallHandler.autoAnswer(),
                "sales", call -> CallHandler.Decision.redirect(List.of(uriOf(carol, "carol")))),
                CallHandler.rejectAll(404)));
        SessionCoordinator alice = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        Address from = Address.of(Uri.parse("sip:alice@127.0.0.1"));
        CallSession toBob = alice.call(from, uriOf(pbx, "bob"), null, null);
        toBob.answered().get(10, TimeUnit.SECONDS);
        toBob.hangup();
        toBob.ended().get(10, TimeUnit.SECONDS);
        // 302 to Carol: Alice's call follows it, keeps its id, and Carol answers
        CallSession toSales = alice.call(from, uriOf(pbx, "sales"), null, null);
        toSales.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> atCarol.get() != null && atCarol.get().state() == CallState.ACTIVE, "Carol's call");
        assertThat(atCarol.get().id()).isEqualTo(toSales.id());
        toSales.hangup();
        assertThat(atCarol.get().ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
        EndReason nobody = alice.call(from, uriOf(pbx, "nobody"), null, null).ended().get(10, TimeUnit.SECONDS);
        assertThat(nobody.status()).isEqualTo(404);
        released(alice, pbx, carol);
    }

    @Test
    void sessionTimersKeepALiveCallAndEarlyMediaWorksWith100rel() throws Exception {
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator bob = builder(TransportType.UDP).codecs(CodecRegistry.of(true, G711.PCMU))
                .sessionTimers(java.time.Duration.ofSeconds(90), java.time.Duration.ofSeconds(90)).reliableProvisional(true)
                .handler(call -> {
                    incoming.set(call);
                    return CallHandler.Decision.earlyMedia();
                }).build();
        coordinators.add(bob);
        SessionCoordinator alice = builder(TransportType.UDP).codecs(CodecRegistry.of(true, G711.PCMU))
                .sessionTimers(java.time.Duration.ofSeconds(90), java.time.Duration.ofSeconds(90)).reliableProvisional(true)
                .build();
        coordinators.add(alice);
        CallSession out = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"), null, null);
        awaitState(out, CallState.EARLY_MEDIA); // the 183 was sent reliably and PRACKed
        CallSession in = incoming.get();
        in.answer();
        out.answered().get(10, TimeUnit.SECONDS);
        awaitState(in, CallState.ACTIVE);
        // four minutes: without the refreshes every 45 s the 90 s session would expire
        run(out, in, 4 * 60 * 50);
        assertThat(out.state()).as(() -> "ended: " + out.ended().getNow(null)).isEqualTo(CallState.ACTIVE);
        assertThat(in.state()).isEqualTo(CallState.ACTIVE);
        out.hangup();
        assertThat(in.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
    }

    @Test
    void anAttendedTransferReplacesTheConsultationCall() throws Exception {
        ThreeParties p = threeParties();
        CallSession aliceToBob = p.alice().call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(p.bob(), "bob"), null, null);
        aliceToBob.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> p.atBob().size() == 1 && p.atBob().get(0).state() == CallState.ACTIVE, "Bob's call from Alice");
        CallSession bobLeg = p.atBob().get(0);
        // Bob consults Carol
        CallSession consultation = p.bob().call(Address.of(Uri.parse("sip:bob@127.0.0.1")), uriOf(p.carol(), "carol"), null, null);
        consultation.answered().get(10, TimeUnit.SECONDS);
        LossyUdpRelay.await(() -> p.atCarol().size() == 1 && p.atCarol().get(0).state() == CallState.ACTIVE, "Carol's call from Bob");
        CallSession carolFromBob = p.atCarol().get(0);
        // then connects Alice to Carol in his place
        int status = bobLeg.transfer(consultation).get(10, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(200);
        assertThat(bobLeg.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.TRANSFERRED);
        assertThat(carolFromBob.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REPLACED);
        assertThat(consultation.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
        assertThat(aliceToBob.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
        CallSession aliceToCarol = p.alice().calls().stream().findFirst().orElseThrow();
        LossyUdpRelay.await(() -> p.carol().calls().stream().anyMatch(c -> c.state() == CallState.ACTIVE), "Carol's call from Alice");
        assertThat(p.atCarol()).as("the replacing INVITE is answered without ringing Carol's handler").hasSize(1);
        CallSession carolFromAlice = p.carol().calls().stream().findFirst().orElseThrow();
        assertThat(((SipUri) carolFromAlice.from().uri()).user()).isEqualTo("alice");
        run(aliceToCarol, carolFromAlice, 20);
        aliceToCarol.hangup();
        assertThat(carolFromAlice.ended().get(10, TimeUnit.SECONDS).cause()).isEqualTo(EndReason.Cause.REMOTE_BYE);
    }

    @Test
    void aCallOverTlsWithCertificatesMadeNow() throws Exception {
        io.rvoip.sip.transport.TestCertificates ca = new io.rvoip.sip.transport.TestCertificates("rvoip session test CA");
        SessionCoordinator[] ends = new SessionCoordinator[2];
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        for (int i = 0; i < 2; i++) {
            io.rvoip.sip.transport.TestCertificates.Issued cert = ca.issue("127.0.0.1", List.of("localhost"), List.of("127.0.0.1"));
            io.rvoip.sip.transport.TlsConfig tls = io.rvoip.sip.transport.TlsConfig.builder()
                    .certificate(cert.key(), cert.certificate()).trust(ca.ca).build();
            ends[i] = builder(TransportType.TLS).tls(tls).codecs(CodecRegistry.of(true, G711.PCMU))
                    .handler(answering(incoming)).build();
            coordinators.add(ends[i]);
        }
        SessionCoordinator alice = ends[0];
        SessionCoordinator bob = ends[1];
        callOverTransport(alice, bob, incoming, "tls");
        SipUri b = (SipUri) bob.contact().uri();
        // a caller that does not trust Bob's CA does not get through (peers are verified by default)
        io.rvoip.sip.transport.TestCertificates other = new io.rvoip.sip.transport.TestCertificates("another CA");
        io.rvoip.sip.transport.TestCertificates.Issued mallory = other.issue("127.0.0.1", List.of(), List.of("127.0.0.1"));
        SessionCoordinator eve = builder(TransportType.TLS)
                .tls(io.rvoip.sip.transport.TlsConfig.builder().certificate(mallory.key(), mallory.certificate()).trust(other.ca)
                        .build()).codecs(CodecRegistry.of(true, G711.PCMU)).build();
        coordinators.add(eve);
        CallSession refused = eve.call(Address.of(Uri.parse("sip:eve@127.0.0.1")),
                Uri.parse("sip:bob@127.0.0.1:" + b.port() + ";transport=tls"), null, null);
        // up to Timer B, should the failure not be reported at once
        HostileTesting.stepUntil(clock, media, () -> refused.ended().isDone());
        assertThat(refused.ended().get(10, TimeUnit.SECONDS).cause()).isNotIn(EndReason.Cause.LOCAL_BYE, EndReason.Cause.REMOTE_BYE);
        assertThat(refused.answered()).isCompletedExceptionally();
    }

    @Test
    void outOfDialogOptionsGets200AndRegisterGets405() throws Exception {
        SessionCoordinator c = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        SipUri u = (SipUri) c.contact().uri();
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(10_000);
            for (String method : List.of("OPTIONS", "REGISTER")) {
                String req = method + " sip:" + u.host() + ":" + u.port() + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK-" + method + "\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:" + u.host() + ">\r\n"
                        + "Call-ID: probe-" + method + "\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
                byte[] b = req.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                s.send(new java.net.DatagramPacket(b, b.length, new InetSocketAddress(u.host(), u.port())));
                java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
                s.receive(in);
                String resp = new String(in.getData(), 0, in.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
                assertThat(resp).as(method).startsWith(method.equals("OPTIONS") ? "SIP/2.0 200" : "SIP/2.0 405");
                assertThat(resp).as(method).contains("Allow: INVITE");
            }
        }
    }

    @Test
    void instantMessagesTravelBothWays() throws Exception {
        SessionCoordinator bob = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        SessionCoordinator alice = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        List<SessionEvent.MessageReceived> atBob = new CopyOnWriteArrayList<>();
        bob.events().subscribe(SessionEvent.MessageReceived.class).inline().handle(atBob::add);
        int status = alice.sendMessage(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(bob, "bob"), "héllo, Bob")
                .get(10, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(200);
        LossyUdpRelay.await(() -> atBob.size() == 1, "the message at Bob");
        assertThat(atBob.get(0).text()).isEqualTo("héllo, Bob");
        assertThat(atBob.get(0).contentType()).isEqualTo("text/plain");
        assertThat(((SipUri) atBob.get(0).from().uri()).user()).isEqualTo("alice");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = TransportType.class, names = {"WS", "WSS"})
    void aCallOverWebSocketSignalling(TransportType type) throws Exception {
        io.rvoip.sip.transport.TestCertificates ca = new io.rvoip.sip.transport.TestCertificates("rvoip ws test CA");
        AtomicReference<CallSession> incoming = new AtomicReference<>();
        SessionCoordinator[] ends = new SessionCoordinator[2];
        for (int i = 0; i < 2; i++) {
            SessionCoordinator.Builder sb = builder(type).codecs(CodecRegistry.of(true, G711.PCMU)).handler(answering(incoming));
            if (type == TransportType.WSS) {
                io.rvoip.sip.transport.TestCertificates.Issued cert = ca.issue("127.0.0.1", List.of(), List.of("127.0.0.1"));
                sb.tls(io.rvoip.sip.transport.TlsConfig.builder().certificate(cert.key(), cert.certificate()).trust(ca.ca).build());
            }
            ends[i] = sb.build();
            coordinators.add(ends[i]);
        }
        SessionCoordinator alice = ends[0];
        SessionCoordinator bob = ends[1];
        String t = type.name().toLowerCase(java.util.Locale.ROOT);
        callOverTransport(alice, bob, incoming, t);
    }

    @Test
    void noCommonCodecIs488AndARejectionFailsTheCall() throws Exception {
        SessionCoordinator pcmaOnly = coordinator(CodecRegistry.of(false, G711.PCMA), CallHandler.autoAnswer());
        SessionCoordinator busy = coordinator(CodecRegistry.defaults(), CallHandler.rejectAll(486));
        SessionCoordinator alice = coordinator(CodecRegistry.of(true, G711.PCMU), CallHandler.rejectAll(486));
        CallSession c1 = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(pcmaOnly, "x"), null, null);
        EndReason r1 = c1.ended().get(10, TimeUnit.SECONDS);
        assertThat(r1.cause()).isEqualTo(EndReason.Cause.NOT_ACCEPTABLE);
        assertThat(r1.status()).isEqualTo(488);
        CallSession c2 = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")), uriOf(busy, "y"), null, null);
        EndReason r2 = c2.ended().get(10, TimeUnit.SECONDS);
        assertThat(r2.cause()).isEqualTo(EndReason.Cause.REJECTED);
        assertThat(r2.status()).isEqualTo(486);
        assertThat(c2.answered()).isCompletedExceptionally();
        released(coordinators.toArray(new SessionCoordinator[0]));
    }
}
