package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * SIPp (Debian {@code sip-tester}) as the independent peer of a {@link SessionCoordinator} that
 * answers every call with media: SIPp's built-in {@code uac}, 1,000 calls at 100 calls/s, zero
 * failures, every call negotiated PCMU, and nothing left behind. Real clocks (SIPp is a real
 * peer). Skipped without SIPp unless {@code RVOIP_REQUIRE_INTEROP} is set (CI).
 */
class SippIT {
    private static final int CALLS = 1000;

    @BeforeAll
    static void needSipp() {
        Sipp.require();
    }

    @Test
    void sippUacCallsAnAutoAnsweringCoordinator() throws Exception {
        Path dir = Files.createTempDirectory("sipp-session-uac");
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
            int[] counts = uas.resourceCounts();
            assertThat(counts[0]).as("dialogs").isZero();
            assertThat(counts[2]).as("RTP ports").isZero();
        }
    }
}
