package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.infra.time.ManualClock;
import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.session.MediaClock;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that sends anything that parses: thousands of requests of every method over real UDP,
 * with Call-IDs, tags and CSeq numbers that hit live dialogs or none, methods that disagree with
 * their CSeq, mutated SDP and other bodies, in-dialog requests built from the tags our answers
 * carried. The coordinator must answer or drop each without a handler or task failing, a WARN
 * or ERROR with an exception in the log, or harm to a real call placed afterwards; and once its
 * timers have run, everything it held (calls, dialogs, transactions, RTP ports, timers) is
 * released. Seeded; the manual clock drives every timer.
 */
class HostileSipIT {
    private static final String[] METHODS = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "REFER", "INFO",
        "MESSAGE", "UPDATE", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "FOO"};
    private static final String SDP = RawSipPeer.SDP;

    private final ManualClock clock = new ManualClock();
    private final MediaClock media = MediaClock.manual(clock);
    private final List<SessionCoordinator> coordinators = new ArrayList<>();
    private final Random random = new Random(3261);

    @AfterEach
    void tearDown() {
        coordinators.forEach(SessionCoordinator::stop);
    }

    private SessionCoordinator coordinator(CallHandler handler) {
        return coordinator(handler, b -> b);
    }

    private SessionCoordinator coordinator(CallHandler handler,
            java.util.function.UnaryOperator<SessionCoordinator.Builder> more) {
        int base = 30000 + 200 * new Random().nextInt(150);
        SessionCoordinator c = more.apply(SessionCoordinator.builder().listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .rtpPorts(base, base + 199).codecs(CodecRegistry.of(true, G711.PCMU)).handler(handler).shards(2)
                .maxCalls(40).clock(clock).mediaClock(media)).build();
        coordinators.add(c);
        return c;
    }

    @Test
    void thousandsOfHostileRequestsLeaveNoFailureNoLeakAndNoHarm() throws Exception {
        try (HostileTesting.FailureLog log = new HostileTesting.FailureLog()) {
            java.util.concurrent.atomic.AtomicReference<CallSession> realAtBob = new java.util.concurrent.atomic.AtomicReference<>();
            SessionCoordinator bob = coordinator(call -> {
                if (!call.id().startsWith("hostile-")) {
                    realAtBob.set(call);
                }
                return call.id().startsWith("hostile-") && call.id().hashCode() % 5 == 0
                        ? CallHandler.Decision.reject(486) : CallHandler.Decision.accept();
            });
            SipUri contact = (SipUri) bob.contact().uri();
            InetSocketAddress target = new InetSocketAddress(contact.host(), contact.port());
            // a real call, up before the storm, must come through it
            SessionCoordinator alice = coordinator(CallHandler.rejectAll(486));
            CallSession out = alice.call(Address.of(Uri.parse("sip:alice@127.0.0.1")),
                    Uri.parse("sip:bob@" + contact.host() + ":" + contact.port()), null, null);
            out.answered().get(10, TimeUnit.SECONDS);
            LossyUdpRelay.await(() -> realAtBob.get() != null && realAtBob.get().state() == CallState.ACTIVE, "the real call at Bob");
            CallSession in = realAtBob.get();
            Map<String, String> toTags = new ConcurrentHashMap<>(); // Call-ID -> the To tag Bob answered with
            AtomicInteger responses = new AtomicInteger();
            try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                peer.setSoTimeout(200);
                Thread reader = new Thread(() -> read(peer, toTags, responses), "hostile-reader");
                reader.setDaemon(true);
                reader.start();
                int port = peer.getLocalPort();
                java.util.SplittableRandom bytes = new java.util.SplittableRandom(5118);
                for (int i = 0; i < 6000; i++) {
                    byte[] msg = request(i, port, contact, toTags).getBytes(StandardCharsets.UTF_8);
                    if (i % 4 == 3) { // a quarter of them damaged byte by byte: malformed headers, cut bodies, splices
                        msg = io.rvoip.sip.testing.Corpus.mutate(List.of(msg), bytes);
                    }
                    peer.send(new DatagramPacket(msg, msg.length, target));
                    if (i % 50 == 49) {
                        clock.advanceMillis(random.nextInt(3000)); // timers fire in between
                        media.runDue(clock.nanoTime());               // and the real call's media flows:
                        LossyUdpRelay.await(() -> out.rtp.counters().rtpReceived() == in.rtp.counters().rtpSent()
                                && in.rtp.counters().rtpReceived() == out.rtp.counters().rtpSent(), "the real call's RTP");
                        Thread.sleep(2); // a real peer's pace: 25,000 requests/s would only measure the drop counter
                    }
                }
                LossyUdpRelay.await(() -> responses.get() > 3000, "Bob's responses");
                peer.close();
                reader.join(5000);
            }
            assertThat(toTags).as("some INVITEs were answered, so in-dialog requests hit real dialogs").isNotEmpty();

            assertThat(out.state()).as("the real call is still up").isEqualTo(CallState.ACTIVE);
            assertThat(out.rtp.counters().rtpReceived()).as("and hears Bob").isPositive();
            out.hangup();
            out.ended().get(10, TimeUnit.SECONDS);

            // every timer runs out: calls the peer left hanging end (media timeout, BYE), transactions go.
            // A call the peer answered with inactive or sendonly media, ACKed and left is held,
            // not dead: the media timeout spares held calls (README, "Held calls").
            // The storm makes one now and then, when no later BYE of the storm hits it; those,
            // and only those, are hung up here
            HostileTesting.stepUntil(clock, media, () -> alice.calls().isEmpty() && bob.calls().stream().allMatch(HostileSipIT::held)
                    && (bob.calls().isEmpty() ? HostileTesting.released(alice, bob) : bob.resourceCounts()[1] == 0));
            assertThat(bob.calls()).as("calls left: %s", describe(bob)).allMatch(HostileSipIT::held);
            bob.calls().forEach(CallSession::hangup);
            HostileTesting.stepUntil(clock, media, () -> HostileTesting.released(alice, bob));
            assertThat(bob.resourceCounts()).as("dialogs, transactions, ports, calls, timers; calls left: %s", describe(bob))
                    .containsOnly(0);
            assertThat(alice.resourceCounts()).containsOnly(0);
            for (SessionCoordinator c : coordinators) {
                assertThat(c.events().metrics().subscriptions()).as("no event handler threw")
                        .allSatisfy(m -> assertThat(m.failed()).as(m.name()).isZero());
            }
            assertThat(log.failures()).as("nothing failed with an exception").isEmpty();
        }
    }

    @Test
    void atFullParseDepthAnInviteWithAMalformedHeaderIsRefusedBeforeAnyCallExists() throws Exception {
        // "Date: yesterday" is no RFC 1123 date. At the default depth nothing reads it and the
        // call goes up; at full depth the INVITE is answered 400 naming the fault, and no call,
        // dialog or handler decision ever sees it
        List<String> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
        CallHandler recording = call -> {
            offered.add(call.id());
            return CallHandler.Decision.accept();
        };
        SessionCoordinator lenient = coordinator(recording);
        SessionCoordinator strict = coordinator(recording, b -> b.parseDepth(io.rvoip.sip.parser.SipParser.Depth.FULL));
        try (RawSipPeer toLenient = new RawSipPeer(lenient, "bad-date-lenient");
             RawSipPeer toStrict = new RawSipPeer(strict, "bad-date-strict");
             RawSipPeer wellFormed = new RawSipPeer(strict, "good-date-strict")) {
            toLenient.extraHeaders = "Date: yesterday\r\n";
            toStrict.extraHeaders = "Date: yesterday\r\n";
            wellFormed.extraHeaders = "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n";
            assertThat(toLenient.offer()).isEqualTo(200);
            assertThat(toStrict.offer()).isEqualTo(400);
            assertThat(toStrict.lastReason).containsIgnoringCase("date");
            assertThat(wellFormed.offer()).as("a well-formed Date passes full depth").isEqualTo(200);
            assertThat(offered).containsExactly("bad-date-lenient@127.0.0.1", "good-date-strict@127.0.0.1");
            toLenient.bye();
            wellFormed.bye();
        }
        HostileTesting.stepUntil(clock, media, () -> HostileTesting.released(lenient, strict));
        assertThat(strict.resourceCounts()).containsOnly(0);
        assertThat(lenient.resourceCounts()).containsOnly(0);
    }

    @Test
    void aCallThePeerHoldsAndLeavesStaysUpUntilHungUp() throws Exception {
        // the rule the storm's clean-up relies on: a peer that holds us (inactive, or sendonly
        // with its media muted as RFC 3264 §8.4 describes) is not meant to send, and some
        // phones stop RTCP too, so its silence is not death (no media timeout, and no hold
        // timeout by default); the call stays until hung up, and then gives everything back
        for (String direction : new String[] {"a=inactive", "a=sendonly"}) {
            SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept());
            try (RawSipPeer peer = new RawSipPeer(bob, "held-" + direction.substring(2))) {
                CallSession call = peer.call(direction);
                assertThat(held(call)).as(direction).isTrue();
                // the RTP session reports the silence; the coordinator's handler for it is queued
                // on the call's shard before this one sees it, so the hangup below runs after
                // that handler: had it ended the call, the cause would be MEDIA_TIMEOUT
                List<Long> silences = silences(bob, call);
                HostileTesting.stepUntil(clock, media, () -> silences.size() >= 4);
                assertThat(silences).as("the silence was reported, and again as it lasted").hasSizeGreaterThanOrEqualTo(4);
                call.hangup();
                endsAndReleases(bob, call, EndReason.Cause.LOCAL_BYE); // had the silence ended it: MEDIA_TIMEOUT
            }
        }
    }

    @Test
    void withAHoldTimeoutAHeldCallThatHearsNothingEndsAfterIt() throws Exception {
        // not even RTCP from the peer while held: with a hold timeout set, that is a dead peer
        assertThatThrownBy(() -> SessionCoordinator.builder().holdTimeout(java.time.Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionCoordinator.builder().mediaTimeout(java.time.Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept(),
                b -> b.holdTimeout(java.time.Duration.ofSeconds(90)));
        try (RawSipPeer peer = new RawSipPeer(bob, "held-dead")) {
            CallSession call = peer.call("a=sendonly");
            assertThat(held(call)).isTrue();
            List<Long> silences = silences(bob, call);
            endsAndReleases(bob, call, EndReason.Cause.MEDIA_TIMEOUT);
            assertThat(call.ended().join().detail()).contains("on hold");
            assertThat(silences).as("not before the hold timeout").hasSize(3);
            assertThat(silences.get(2)).isGreaterThanOrEqualTo(90_000L);
            assertThat(peer.awaitRequest("BYE")).as("the peer is told").isTrue();
        }
    }

    @Test
    void withOnlyAHoldTimeoutASilentActiveCallStaysAndAHeldOneEnds() throws Exception {
        SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept(),
                b -> b.mediaTimeout(java.time.Duration.ZERO).holdTimeout(java.time.Duration.ofSeconds(60)));
        try (RawSipPeer talking = new RawSipPeer(bob, "silent-active"); RawSipPeer holding = new RawSipPeer(bob, "silent-held")) {
            CallSession active = talking.call("a=sendrecv");
            CallSession held = holding.call("a=sendonly");
            List<Long> silences = silences(bob, held);
            List<Long> activeSilences = silences(bob, active);
            HostileTesting.stepUntil(clock, media, () -> held.ended().isDone());
            assertThat(held.ended()).succeedsWithin(1, TimeUnit.SECONDS)
                    .satisfies(r -> assertThat(r.cause()).isEqualTo(EndReason.Cause.MEDIA_TIMEOUT)); // the other call stays
            assertThat(silences).as("reported at the hold timeout's own period").hasSize(1);
            assertThat(silences.get(0)).isBetween(60_000L, 61_000L);
            HostileTesting.stepUntil(clock, media, () -> activeSilences.size() >= 3);
            assertThat(activeSilences).as("the active call's silence was reported, and again").hasSizeGreaterThanOrEqualTo(3);
            assertThat(active.ended()).as("no media timeout: a silent call with media both ways stays").isNotDone();
            active.hangup();
            endsAndReleases(bob, active, EndReason.Cause.LOCAL_BYE);
        }
    }

    @Test
    void aCallResumedAfterASilentHoldStillEndsWhenItsMediaNeverComes() throws Exception {
        // the silence was reported (and ignored) while held; after the peer resumes, the same
        // silence must still end the call: it used to be reported once, so this call stayed up
        SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept());
        try (RawSipPeer peer = new RawSipPeer(bob, "resumed")) {
            CallSession call = peer.call("a=inactive");
            List<Long> silences = silences(bob, call);
            HostileTesting.stepUntil(clock, media, () -> !silences.isEmpty());
            assertThat(silences).as("reported while held").isNotEmpty();
            assertThat(call.ended()).as("and ignored").isNotDone();
            peer.reInvite("a=sendrecv");
            LossyUdpRelay.await(() -> !held(call), "the call resumed");
            endsAndReleases(bob, call, EndReason.Cause.MEDIA_TIMEOUT);
        }
    }

    @Test
    void aReInviteWithoutAnOfferGetsOursAndTheAnswerInTheAckIsApplied() throws Exception {
        // RFC 3261 §14.2: the UAS puts an offer in the 2xx and takes the answer from the ACK
        // (third-party call control and some SBCs ask this way); it used to get 488
        SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept());
        try (RawSipPeer peer = new RawSipPeer(bob, "offerless-reinvite")) {
            CallSession call = peer.call("a=sendrecv");
            String offer = peer.reInviteWithoutOffer(SDP.replace("o=peer 1 1", "o=peer 1 2").replace("m=audio 4000", "m=audio 4002"));
            assertThat(offer).contains("m=audio " + call.rtp.localRtpPort() + " ").contains("a=sendrecv");
            LossyUdpRelay.await(() -> call.media().remoteRtp().getPort() == 4002, "the answer in the ACK applied");
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);
            // no answer in the ACK: no session is agreed, so the call ends with BYE
            peer.reInviteWithoutOffer(null);
            endsAndReleases(bob, call, EndReason.Cause.NOT_ACCEPTABLE);
            assertThat(peer.awaitRequest("BYE")).as("the peer is told").isTrue();
        }
    }

    @Test
    void aCallsDurationIsMeasuredOnTheCoordinatorsClock() throws Exception {
        // CallEnded's duration runs from the answer to the end on the clock the coordinator was
        // given, as every timer does; it used to be the system's, and "not answered" was a
        // time of 0, which a clock may well read
        SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept(), b -> b.mediaTimeout(java.time.Duration.ZERO));
        List<SessionEvent.CallEnded> ended = java.util.Collections.synchronizedList(new ArrayList<>());
        bob.events().subscribe(SessionEvent.CallEnded.class).inline().handle(ended::add);
        try (RawSipPeer peer = new RawSipPeer(bob, "timed")) {
            CallSession call = peer.call("a=sendrecv");
            clock.advanceMillis(42_000);
            peer.bye();
            assertThat(call.ended()).as("ended with the clock left alone").succeedsWithin(10, TimeUnit.SECONDS);
            endsAndReleases(bob, call, EndReason.Cause.REMOTE_BYE);
            assertThat(ended).singleElement().satisfies(e -> assertThat(e.duration()).isEqualTo(java.time.Duration.ofSeconds(42)));
        }
    }

    @Test
    void aHangupThatCrossesThePeersByeEndsTheCallAsTheirs() throws Exception {
        // the crossing, made deterministic: the hangup is queued on the call's shard while the
        // peer's BYE is on its way through the layers, behind dialog-core's handling of it and
        // ahead of the DialogEvent.Terminated that handling publishes. The hangup then finds
        // the dialog ended: it must send no BYE of its own and leave the cause to the peer's
        SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept());
        try (RawSipPeer peer = new RawSipPeer(bob, "crossed")) {
            CallSession call = peer.call("a=sendrecv");
            java.util.concurrent.atomic.AtomicBoolean hungUp = new java.util.concurrent.atomic.AtomicBoolean();
            bob.events().subscribe(io.rvoip.sip.transaction.TransactionEvent.RequestReceived.class).inline().handle(r -> {
                if (r.request().method() == io.rvoip.sip.message.SipMethod.BYE && hungUp.compareAndSet(false, true)) {
                    call.hangup();
                }
            });
            peer.bye();
            assertThat(hungUp).as("the hangup was queued as the BYE came in").isTrue();
            endsAndReleases(bob, call, EndReason.Cause.REMOTE_BYE); // the peer hung up first
        }
    }

    @Test
    void aHoldATransferAndADigitThatCrossThePeersByeFailOrDropCleanly() throws Exception {
        // the same crossing as above, with the requests that need the dialog: dialog-core
        // refuses to build them in an ended dialog, and that refusal used to escape the
        // shard's task, so hold() and transfer() returned futures that never completed
        try (HostileTesting.FailureLog log = new HostileTesting.FailureLog()) {
            SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept(), b -> b.dtmf(DtmfMode.INFO));
            try (RawSipPeer peer = new RawSipPeer(bob, "crossed-requests")) {
                CallSession call = peer.call("a=sendrecv");
                List<java.util.concurrent.CompletableFuture<?>> asked = java.util.Collections.synchronizedList(new ArrayList<>());
                bob.events().subscribe(io.rvoip.sip.transaction.TransactionEvent.RequestReceived.class).inline().handle(r -> {
                    if (r.request().method() == io.rvoip.sip.message.SipMethod.BYE && asked.isEmpty()) {
                        asked.add(call.hold());
                        asked.add(call.transfer(Uri.parse("sip:carol@127.0.0.1")));
                        call.sendDigit('5');
                    }
                });
                peer.bye();
                assertThat(asked).as("asked as the BYE came in").hasSize(2);
                for (java.util.concurrent.CompletableFuture<?> f : asked) {
                    assertThat(f).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                            .withCauseInstanceOf(IllegalStateException.class).withMessageContaining("ended");
                }
                endsAndReleases(bob, call, EndReason.Cause.REMOTE_BYE);
            }
            assertThat(log.failures()).as("nothing failed with an exception").isEmpty();
        }
    }

    @Test
    void anAttendedTransferToAPeerWithoutASipContactFails() throws Exception {
        // a hostile peer's Contact can be any URI; the consultation's must be a SIP URI to carry
        // Replaces, and a tel: one used to throw on the shard and leave the future open
        try (HostileTesting.FailureLog log = new HostileTesting.FailureLog()) {
            SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept());
            try (RawSipPeer first = new RawSipPeer(bob, "transferee"); RawSipPeer second = new RawSipPeer(bob, "tel-contact")) {
                second.contact = "tel:+15551234567";
                CallSession call = first.call("a=sendrecv");
                CallSession consultation = second.call("a=sendrecv");
                assertThat(call.transfer(consultation)).failsWithin(10, TimeUnit.SECONDS)
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(IllegalStateException.class).withMessageContaining("no SIP contact");
                assertThat(call.state()).as("the call stays as it was").isEqualTo(CallState.ACTIVE);
                call.hangup();
                consultation.hangup();
                HostileTesting.stepUntil(clock, media, () -> HostileTesting.released(bob));
                assertThat(bob.resourceCounts()).as("dialogs, transactions, ports, calls, timers").containsOnly(0);
            }
            assertThat(log.failures()).as("nothing failed with an exception").isEmpty();
        }
    }

    @Test
    void aReferToANonSipTargetIsReportedAsFailedAndLeavesNothing() throws Exception {
        // a peer may transfer us anywhere: a tel: or http: Refer-To cannot be called here, so
        // the transfer must end in a failure NOTIFY, with nothing thrown and nothing left over
        try (HostileTesting.FailureLog log = new HostileTesting.FailureLog()) {
            SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept());
            try (RawSipPeer peer = new RawSipPeer(bob, "refer-elsewhere")) {
                CallSession call = peer.call("a=sendrecv");
                for (String target : new String[] {"<tel:+15551234567>", "<http://example.com/x>"}) {
                    assertThat(peer.refer(target)).as(target).isEqualTo(202);
                    assertThat(peer.finalNotify()).as(target).startsWith("SIP/2.0 ").doesNotStartWith("SIP/2.0 2");
                }
                assertThat(call.state()).as("the transfer failed: the call goes on").isEqualTo(CallState.ACTIVE);
                peer.bye();
                endsAndReleases(bob, call, EndReason.Cause.REMOTE_BYE);
            }
            assertThat(log.failures()).as("nothing failed with an exception").isEmpty();
        }
    }

    @Test
    void aTransferWhoseCallEndsBeforeItsOutcomeFails() throws Exception {
        // the peer takes the REFER (202) and hangs up without a NOTIFY of the outcome: the
        // transfer's future must fail with the call, not stay open
        SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept());
        try (RawSipPeer peer = new RawSipPeer(bob, "refer-then-bye")) {
            CallSession call = peer.call("a=sendrecv");
            java.util.concurrent.CompletableFuture<Integer> transfer = call.transfer(Uri.parse("sip:carol@127.0.0.1"));
            peer.answer("REFER", 202);
            LossyUdpRelay.await(() -> call.state() == CallState.TRANSFERRING, "the transfer under way");
            peer.bye();
            assertThat(transfer).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(IllegalStateException.class).withMessageContaining("ended before the transfer's outcome");
            endsAndReleases(bob, call, EndReason.Cause.REMOTE_BYE);
        }
    }

    @Test
    void aReferRefusedAfterItsCallEndedLeavesTheCallEnded() throws Exception {
        // the REFER is out, the peer hangs up, then refuses the REFER (481): the refusal puts
        // the call back into its state before the transfer, which must not revive an ended
        // call (CallSession.state ignores any change once TERMINATED; this pins that)
        SessionCoordinator bob = coordinator(call -> CallHandler.Decision.accept());
        List<SessionEvent.StateChanged> changes = java.util.Collections.synchronizedList(new ArrayList<>());
        bob.events().subscribe(SessionEvent.StateChanged.class).inline().handle(changes::add);
        try (RawSipPeer peer = new RawSipPeer(bob, "refer-refused-late")) {
            CallSession call = peer.call("a=sendrecv");
            java.util.concurrent.CompletableFuture<Integer> transfer = call.transfer(Uri.parse("sip:carol@127.0.0.1"));
            io.rvoip.sip.message.SipRequest refer = peer.receive("REFER");
            peer.bye();
            assertThat(call.ended()).succeedsWithin(10, TimeUnit.SECONDS);
            peer.respond(refer, 481);
            // the refusal is handled on the call's shard before the REFER transaction's own
            // timers, which the release below waits for
            endsAndReleases(bob, call, EndReason.Cause.REMOTE_BYE);
            assertThat(transfer).isCompletedExceptionally();
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
            assertThat(changes).as("no state after the end").noneMatch(c -> c.previous() == CallState.TERMINATED);
        }
    }

    /**
     * Steps the clock until the call has ended, checks its cause, then steps on until the
     * coordinator holds nothing (dialogs, transactions, ports, calls, timers).
     */
    private void endsAndReleases(SessionCoordinator c, CallSession call, EndReason.Cause cause) {
        HostileTesting.stepUntil(clock, media, () -> call.ended().isDone());
        assertThat(call.ended()).succeedsWithin(1, TimeUnit.SECONDS).satisfies(r -> assertThat(r.cause()).isEqualTo(cause));
        HostileTesting.stepUntil(clock, media, () -> HostileTesting.released(c));
        assertThat(c.resourceCounts()).as("dialogs, transactions, ports, calls, timers").containsOnly(0);
    }

    /** The silences the call's RTP session reports, as they come. */
    private static List<Long> silences(SessionCoordinator c, CallSession call) {
        List<Long> out = java.util.Collections.synchronizedList(new ArrayList<>());
        c.events().subscribe(io.rvoip.rtp.net.RtpEvent.MediaTimeout.class).inline().handle(t -> {
            if (t.sessionId().equals(call.id())) {
                out.add(t.silentMillis());
            }
        });
        return out;
    }

    /** Up, and on hold by either side (media anything but sendrecv), so no media timeout. */
    private static boolean held(CallSession call) {
        return (call.state() == CallState.ACTIVE || call.state() == CallState.ON_HOLD) && call.media() != null
                && call.media().direction() != io.rvoip.sip.sdp.Direction.SENDRECV;
    }

    /** The calls still up, for a failure message: id, state, media direction, RTP counters. */
    private static String describe(SessionCoordinator c) {
        StringBuilder sb = new StringBuilder();
        for (CallSession call : c.calls()) {
            sb.append("\n  ").append(call.id()).append(' ').append(call.state()).append(' ')
                    .append(call.media() == null ? "no media" : call.media().direction()).append(' ')
                    .append(call.rtp == null ? "no RTP" : call.rtp.counters());
        }
        return sb.toString();
    }

    /** Reads Bob's responses, remembering the To tag of each answered dialog. */
    private static void read(DatagramSocket peer, Map<String, String> toTags, AtomicInteger responses) {
        HostileTesting.readMessages(peer, (m, from) -> {
            if (m instanceof SipResponse r) {
                responses.incrementAndGet();
                String tag = r.to() == null ? null : r.to().tag(); // a 400 to a request without To has none
                if (tag != null && r.statusCode() >= 200 && r.statusCode() < 300) {
                    toTags.put(r.callId(), tag);
                }
            }
            // requests from Bob (BYE after a media timeout, NOTIFY...) are left unanswered
        });
    }

    /** One request: a method, ids that may or may not match a dialog, headers and a body, all at random. */
    private String request(int i, int port, SipUri bob, Map<String, String> toTags) {
        String method = METHODS[random.nextInt(METHODS.length)];
        String callId = "hostile-" + random.nextInt(60) + "@127.0.0.1";
        String toTag = toTags.get(callId);
        boolean inDialog = toTag != null && random.nextInt(3) != 0;
        String uri = "sip:bob@" + bob.host() + ":" + bob.port();
        long cseq = switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> (1L << 31) - 1;
            case 2 -> random.nextInt(3);
            default -> 2 + random.nextInt(1000);
        };
        String cseqMethod = random.nextInt(15) == 0 ? METHODS[random.nextInt(METHODS.length)] : method;
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(uri).append(" SIP/2.0\r\n");
        sb.append("Via: SIP/2.0/UDP 127.0.0.1:").append(port).append(";branch=z9hG4bK")
                .append(random.nextInt(8) == 0 ? "fixed" : Long.toHexString(random.nextLong())).append(";rport\r\n");
        sb.append("Max-Forwards: ").append(random.nextInt(10) == 0 ? 0 : 70).append("\r\n");
        sb.append("From: <sip:alice@127.0.0.1>;tag=a").append(random.nextInt(3)).append("\r\n");
        sb.append("To: <").append(uri).append('>');
        if (inDialog) {
            sb.append(";tag=").append(random.nextInt(6) == 0 ? "wrong" : toTag);
        }
        sb.append("\r\n");
        sb.append("Call-ID: ").append(callId).append("\r\n");
        sb.append("CSeq: ").append(cseq).append(' ').append(cseqMethod).append("\r\n");
        if (random.nextInt(6) != 0) {
            sb.append("Contact: <sip:alice@127.0.0.1:").append(port).append(random.nextInt(10) == 0 ? ";transport=tcp" : "")
                    .append(">").append(random.nextInt(10) == 0 ? ";expires=0" : "").append("\r\n");
        }
        switch (random.nextInt(12)) {
            case 0 -> sb.append("Refer-To: <sip:carol@127.0.0.1:").append(port).append(">\r\n");
            case 1 -> sb.append("Replaces: hostile-").append(random.nextInt(60)).append("@127.0.0.1;to-tag=x;from-tag=a0\r\n");
            case 2 -> sb.append("RAck: ").append(random.nextInt(5)).append(' ').append(cseq).append(" INVITE\r\n");
            case 3 -> sb.append("Session-Expires: ").append(random.nextInt(5000)).append(";refresher=uac\r\nSupported: timer\r\n");
            case 4 -> sb.append("Event: ").append(random.nextBoolean() ? "refer" : "presence").append("\r\nSubscription-State: ")
                    .append(random.nextBoolean() ? "active;expires=60" : "terminated;reason=noresource").append("\r\n");
            case 5 -> sb.append("Require: ").append(random.nextBoolean() ? "100rel" : "foo").append("\r\n");
            case 6 -> sb.append("Expires: ").append(random.nextInt(7200)).append("\r\n");
            default -> {
            }
        }
        String body = "";
        String type = null;
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                body = mutateSdp();
                type = "application/sdp";
            }
            case 2 -> {
                body = "Signal=" + "0123456789*#ABCD".charAt(random.nextInt(16)) + "\r\nDuration=" + random.nextInt(5000) + "\r\n";
                type = "application/dtmf-relay";
            }
            case 3 -> {
                body = "SIP/2.0 " + (100 + random.nextInt(600)) + " Whatever\r\n";
                type = "message/sipfrag";
            }
            default -> {
            }
        }
        if (type != null) {
            sb.append("Content-Type: ").append(type).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(body);
        return sb.toString();
    }

    private String mutateSdp() {
        String[] lines = SDP.split("\r\n");
        List<String> out = new ArrayList<>(List.of(lines));
        for (int e = random.nextInt(3); e > 0; e--) {
            int at = random.nextInt(out.size());
            switch (random.nextInt(4)) {
                case 0 -> out.remove(at);
                case 1 -> out.add(at, out.get(random.nextInt(out.size())));
                case 2 -> out.set(at, out.get(at).replaceFirst("\\d+", String.valueOf(random.nextInt(70000))));
                default -> out.set(at, out.get(at).replace("sendrecv", random.nextBoolean() ? "inactive" : "sendonly"));
            }
            if (out.isEmpty()) {
                out.add("v=0");
            }
        }
        return String.join("\r\n", out) + "\r\n";
    }
}
