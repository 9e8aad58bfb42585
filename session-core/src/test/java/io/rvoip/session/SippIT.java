package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS;

import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.codec.G711;
import io.rvoip.sip.dialog.Sipp;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.SipUri;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIPp (Debian {@code sip-tester}) as the independent peer of a {@link SessionCoordinator} that
 * answers every call with media: SIPp's built-in {@code uac}, 1,000 calls at 100 calls/s, zero
 * failures, every call negotiated PCMU, and nothing left behind. Real clocks (SIPp is a real
 * peer). Skipped without SIPp unless {@code RVOIP_REQUIRE_INTEROP} is set (CI).
 * SIPp runs in a JUnit temp directory, deleted after a passing test and kept (with SIPp's logs)
 * after a failing one.
 */
class SippIT {
    private static final int CALLS = 1000;

    @BeforeAll
    static void needSipp() {
        Sipp.require();
    }

    @Test
    void sippUacCallsAnAutoAnsweringCoordinator(@TempDir(cleanup = ON_SUCCESS) Path dir) throws Exception {
        List<SessionEvent.CallEnded> ended = new CopyOnWriteArrayList<>();
        List<String> codecs = new CopyOnWriteArrayList<>();
        try (SessionCoordinator uas = SessionCoordinator.builder()
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .rtpPorts(40000, 43999).handler(CallHandler.autoAnswer()).build()) {
            uas.events().subscribe(SessionEvent.CallEnded.class).inline().handle(ended::add);
            uas.events().subscribe(SessionEvent.MediaNegotiated.class).inline()
                    .handle(e -> codecs.add(e.media().codec().name()));
            int port = ((SipUri) uas.contact().uri()).port();
            Process p = Sipp.run(dir, "-sn", "uac", "127.0.0.1:" + port, "-i", "127.0.0.1", "-p",
                    String.valueOf(Sipp.freeUdpPort()), "-m", String.valueOf(CALLS), "-r", "100", "-l", "100",
                    "-timeout", "120s", "-timeout_error");
            boolean done = p.waitFor(150, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done && p.exitValue() == 0).as("SIPp uac: %s", Sipp.report(dir)).isTrue();
            LossyUdpRelay.await(() -> ended.size() == CALLS && uas.callCount() == 0, "every call ended by SIPp's BYE");
            assertThat(ended).allSatisfy(e -> assertThat(e.reason().cause()).isEqualTo(EndReason.Cause.REMOTE_BYE));
            assertThat(codecs).hasSize(CALLS).containsOnly(G711.PCMU.name());
            // a call's RTP sockets close on their event loop after the call has ended: the ports
            // come back a moment later (a loaded machine showed two still out right after)
            LossyUdpRelay.await(() -> uas.resourceCounts()[0] == 0 && uas.resourceCounts()[2] == 0,
                    "dialogs and RTP ports released");
        }
    }

    /**
     * SIPp's {@code uac_pcap}: a PCMA call whose audio SIPp plays from the pcap it ships
     * ({@code g711a.pcap}), then the RFC 4733 digit 1 ({@code dtmf_2833_1.pcap}). The recording
     * must hold the audio, and the digit must arrive.
     */
    // on shared ports the audio can only be recorded if SIPp sends from the port its SDP names:
    // packets from any other address are dropped as strangers'
    @ParameterizedTest(name = "shared RTP ports: {0}")
    @ValueSource(ints = {0, 2})
    void sippPlaysRecordedG711IntoARecordingCoordinator(int sharedRtpPorts, @TempDir(cleanup = ON_SUCCESS) Path dir)
            throws Exception {
        Path pcaps = Path.of("/usr/share/sip-tester");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(pcaps.resolve("g711a.pcap"))
                || System.getenv("RVOIP_REQUIRE_INTEROP") == null, "sip-tester's pcaps");
        Files.createSymbolicLink(dir.resolve("pcap"), pcaps);
        io.rvoip.media.io.PcmRecorder recording = new io.rvoip.media.io.PcmRecorder(8000, 8000 * 60);
        List<io.rvoip.media.MediaEvent.DtmfReceived> digits = new CopyOnWriteArrayList<>();
        List<SessionEvent.CallEnded> ended = new CopyOnWriteArrayList<>();
        List<CallSession> calls = new CopyOnWriteArrayList<>();
        try (SessionCoordinator uas = SessionCoordinator.builder()
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0)).rtpPorts(44000, 44999)
                .sharedRtpPorts(sharedRtpPorts)
                .handler(call -> {
                    calls.add(call);
                    call.audio(null, recording);
                    return CallHandler.Decision.accept();
                }).build()) {
            uas.events().subscribe(io.rvoip.media.MediaEvent.DtmfReceived.class).inline().handle(digits::add);
            uas.events().subscribe(SessionEvent.CallEnded.class).inline().handle(ended::add);
            int port = ((SipUri) uas.contact().uri()).port();
            Process p = Sipp.run(dir, "-sn", "uac_pcap", "127.0.0.1:" + port, "-i", "127.0.0.1", "-p",
                    String.valueOf(Sipp.freeUdpPort()), "-m", "1", "-timeout", "60s", "-timeout_error");
            boolean done = p.waitFor(90, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done && p.exitValue() == 0).as("SIPp uac_pcap: %s", Sipp.report(dir)).isTrue();
            LossyUdpRelay.await(() -> ended.size() == 1, "the call to end");
        }
        short[] pcm = recording.samples();
        double loud = 0;
        int frames = 0;
        for (int i = 0; i + 160 <= pcm.length; i += 160) {
            double e = 0;
            for (int k = i; k < i + 160; k++) {
                e += (double) pcm[k] * pcm[k];
            }
            if (10 * Math.log10(e / 160 / (32768.0 * 32768.0) + 1e-12) > -40) {
                loud++;
            }
            frames++;
        }
        assertThat(frames).as("20 ms frames recorded").isGreaterThan(150);
        assertThat(loud).as("frames of audio above -40 dBov out of " + frames).isGreaterThan(50);
        assertThat(digits).extracting(io.rvoip.media.MediaEvent.DtmfReceived::digit).contains('1');
    }

    /** An INVITE without SDP from SIPp: our offer goes in the 200, SIPp's answer in the ACK starts the media. */
    @Test
    void anOfferlessInviteGetsTheOfferInThe200AndTheAnswerFromTheAck(@TempDir(cleanup = ON_SUCCESS) Path dir)
            throws Exception {
        Path scenario = dir.resolve("uac-offerless.xml");
        try (var in = SippIT.class.getResourceAsStream("/sipp/uac-offerless.xml")) {
            Files.copy(in, scenario);
        }
        List<SessionEvent.MediaNegotiated> negotiated = new CopyOnWriteArrayList<>();
        List<SessionEvent.CallEnded> ended = new CopyOnWriteArrayList<>();
        try (SessionCoordinator uas = SessionCoordinator.builder()
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0)).rtpPorts(46000, 46999)
                .handler(CallHandler.autoAnswer()).build()) {
            uas.events().subscribe(SessionEvent.MediaNegotiated.class).inline().handle(negotiated::add);
            uas.events().subscribe(SessionEvent.CallEnded.class).inline().handle(ended::add);
            int port = ((SipUri) uas.contact().uri()).port();
            Process p = Sipp.run(dir, "127.0.0.1:" + port, "-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                    String.valueOf(Sipp.freeUdpPort()), "-m", "20", "-r", "20", "-timeout", "60s", "-timeout_error");
            boolean done = p.waitFor(90, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done && p.exitValue() == 0).as("SIPp offerless: %s", Sipp.report(dir)).isTrue();
            LossyUdpRelay.await(() -> ended.size() == 20, "the calls to end");
        }
        assertThat(negotiated).hasSize(20).allSatisfy(n -> assertThat(n.media().codec()).isSameAs(G711.PCMU));
        assertThat(ended).allSatisfy(e -> assertThat(e.reason().cause()).isEqualTo(EndReason.Cause.REMOTE_BYE));
    }

    /**
     * Registration against SIPp as a registrar that challenges (Digest): the coordinator answers
     * the challenge, is registered for the granted 600 s, and unregisters when it stops.
     */
    @Test
    void aCoordinatorRegistersWithDigestAndUnregistersWhenItStops(@TempDir(cleanup = ON_SUCCESS) Path dir)
            throws Exception {
        Path scenario = dir.resolve("uas-registrar.xml");
        try (var in = SippIT.class.getResourceAsStream("/sipp/uas-registrar.xml")) {
            Files.copy(in, scenario);
        }
        Sipp.Started sipp = Sipp.start(dir, port -> List.of("-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                String.valueOf(port), "-m", "1", "-timeout", "60s", "-timeout_error"));
        Process p = sipp.process();
        int port = sipp.port();
        List<io.rvoip.sip.dialog.registration.RegistrationEvent> events = new CopyOnWriteArrayList<>();
        SessionCoordinator ua = SessionCoordinator.builder().listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .credentials(io.rvoip.sip.dialog.auth.CredentialsProvider.of("alice", "secret")).build();
        try (ua) {
            ua.events().subscribe(io.rvoip.sip.dialog.registration.RegistrationEvent.class).inline().handle(events::add);
            io.rvoip.sip.dialog.registration.Registration reg = ua.register(
                    io.rvoip.sip.header.Address.of(io.rvoip.sip.uri.Uri.parse("sip:alice@127.0.0.1")),
                    io.rvoip.sip.uri.Uri.parse("sip:127.0.0.1:" + port));
            LossyUdpRelay.await(() -> reg.state() == io.rvoip.sip.dialog.registration.Registration.State.REGISTERED,
                    "registered: " + events);
            assertThat(reg.grantedExpires()).isEqualTo(600);
        } // stop() unregisters
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        assertThat(done && p.exitValue() == 0).as("SIPp registrar: %s", Sipp.report(dir)).isTrue();
        assertThat(events).anyMatch(e -> e instanceof io.rvoip.sip.dialog.registration.RegistrationEvent.Unregistered);
    }
}
