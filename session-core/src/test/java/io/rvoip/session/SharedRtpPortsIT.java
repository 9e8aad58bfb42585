package io.rvoip.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.AudioData;
import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.dsp.ToneGenerator;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.ToneSource;
import io.rvoip.rtp.net.SharedRtpPorts;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls whose RTP shares a few ports ({@code sharedRtpPorts}): real UDP on 127.0.0.1, media on
 * one manual clock. Every call carries its own tone each way, so a packet delivered to the wrong
 * call would be heard.
 */
class SharedRtpPortsIT extends LoopbackFixture {
    private static final int CALLS = 6;


    private SessionCoordinator coordinator(int sharedPorts, CallHandler handler) {
        int base = 20000 + 200 * new Random().nextInt(50);
        SessionCoordinator c = SessionCoordinator.builder().listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0))
                .rtpPorts(base, base + 199).codecs(CodecRegistry.of(true, G711.PCMU)).handler(handler).clock(clock)
                .mediaClock(media).sharedRtpPorts(sharedPorts).build();
        coordinators.add(c);
        return c;
    }

    private static ToneSource tone(double f) {
        return ToneSource.of(new ToneGenerator.Tone(f, 0, -20, 1000, 0), 8000);
    }

    @ParameterizedTest(name = "callers share ports: {0}")
    @ValueSource(booleans = {true, false})
    void sixCallsOnThreeSharedPortsEachHearTheirOwnPeer(boolean callersShare) throws Exception {
        List<CallSession> atServer = new CopyOnWriteArrayList<>();
        List<PcmRecorder> heardByServer = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            heardByServer.add(new PcmRecorder(8000, 8000 * 10));
        }
        SessionCoordinator server = coordinator(3, call -> {
            int i = atServer.size();
            call.audio(tone(1000 + 200 * i), heardByServer.get(i));
            atServer.add(call);
            return CallHandler.Decision.accept();
        });
        SessionCoordinator phones = coordinator(callersShare ? 3 : 0, CallHandler.rejectAll(486));
        SipUri contact = (SipUri) server.contact().uri();
        Uri target = Uri.parse("sip:server@" + contact.host() + ":" + contact.port());
        List<CallSession> callers = new ArrayList<>();
        List<PcmRecorder> heardByCallers = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            PcmRecorder r = new PcmRecorder(8000, 8000 * 10);
            heardByCallers.add(r);
            CallSession c = phones.call(Address.of(Uri.parse("sip:phone@127.0.0.1")), target, tone(300 + 100 * i), r);
            c.answered().get(10, TimeUnit.SECONDS);
            int n = i + 1;
            LossyUdpRelay.await(() -> atServer.size() == n && atServer.get(n - 1).state() == CallState.ACTIVE, "server leg");
            callers.add(c);
        }
        SharedRtpPorts ports = server.sharedRtpPorts();
        assertThat(ports.sessions()).isEqualTo(CALLS);
        assertThat(atServer.stream().map(c -> c.rtp.localRtpPort()).distinct().count()).isEqualTo(3);
        if (callersShare) {
            assertThat(phones.sharedRtpPorts().sessions()).isEqualTo(CALLS);
        } else {
            assertThat(phones.sharedRtpPorts()).isNull();
        }

        for (int f = 0; f < 100; f++) {
            clock.advanceMillis(20);
            media.runDue(clock.nanoTime());
            for (int i = 0; i < CALLS; i++) {
                CallSession a = callers.get(i);
                CallSession b = atServer.get(i);
                LossyUdpRelay.await(() -> a.rtpCounters().rtpReceived() == b.rtpCounters().rtpSent()
                        && b.rtpCounters().rtpReceived() == a.rtpCounters().rtpSent(), "RTP of call " + a.id());
            }
        }
        for (int i = 0; i < CALLS; i++) {
            short[] caller = last(heardByCallers.get(i));
            short[] srv = last(heardByServer.get(i));
            assertThat(AudioData.relativePower(caller, 0, caller.length, 1000 + 200 * i, 8000)).as("caller %d hears its server leg", i)
                    .isGreaterThan(-1.5);
            assertThat(AudioData.relativePower(srv, 0, srv.length, 300 + 100 * i, 8000)).as("server leg %d hears its caller", i)
                    .isGreaterThan(-1.5);
            for (int j = 0; j < CALLS; j++) {
                if (j != i) {
                    assertThat(AudioData.relativePower(caller, 0, caller.length, 1000 + 200 * j, 8000))
                            .as("caller %d hears server leg %d", i, j).isLessThan(-30);
                    assertThat(AudioData.relativePower(srv, 0, srv.length, 300 + 100 * j, 8000))
                            .as("server leg %d hears caller %d", i, j).isLessThan(-30);
                }
            }
        }
        // RTCP both ways (the callers' sockets opened as pairs before the answer agreed to rtcp-mux)
        clock.advanceMillis(8000);
        for (int i = 0; i < CALLS; i++) {
            CallSession a = callers.get(i);
            CallSession b = atServer.get(i);
            LossyUdpRelay.await(() -> a.rtpCounters().rtcpReceived() > 0 && b.rtpCounters().rtcpReceived() > 0,
                    "RTCP of call " + a.id());
        }
        assertThat(ports.conflicts()).isZero();
        assertThat(ports.unknownSourceDropped()).isZero();

        for (CallSession c : callers) {
            c.hangup();
        }
        for (int i = 0; i < CALLS; i++) {
            callers.get(i).ended().get(10, TimeUnit.SECONDS);
            atServer.get(i).ended().get(10, TimeUnit.SECONDS);
        }
        LossyUdpRelay.await(() -> ports.sessions() == 0, "the server's sessions off the shared ports");
        if (callersShare) {
            LossyUdpRelay.await(() -> phones.sharedRtpPorts().sessions() == 0, "the callers' sessions off the shared ports");
        }
    }

    @org.junit.jupiter.api.Test
    void aCallThatNoSharedPortCanTellApartIsRefusedWith503AndTheOthersGoOn() throws Exception {
        // the caller offers all its calls from its one shared port: the server, with two, can
        // tell two of them apart and must refuse the third rather than mix its packets up
        SessionCoordinator server = coordinator(2, CallHandler.autoAnswer());
        SessionCoordinator phones = coordinator(1, CallHandler.rejectAll(486));
        SipUri contact = (SipUri) server.contact().uri();
        Uri target = Uri.parse("sip:server@" + contact.host() + ":" + contact.port());
        List<CallSession> up = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CallSession c = phones.call(Address.of(Uri.parse("sip:phone@127.0.0.1")), target, tone(400), null);
            c.answered().get(10, TimeUnit.SECONDS);
            up.add(c);
        }
        CallSession third = phones.call(Address.of(Uri.parse("sip:phone@127.0.0.1")), target, tone(400), null);
        assertThat(third.answered()).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("503");
        assertThat(server.sharedRtpPorts().sessions()).isEqualTo(2);
        assertThat(server.sharedRtpPorts().conflicts()).isZero();
        for (CallSession c : up) {
            c.hangup();
            c.ended().get(10, TimeUnit.SECONDS);
        }
        LossyUdpRelay.await(() -> server.sharedRtpPorts().sessions() == 0 && phones.sharedRtpPorts().sessions() == 0,
                "both sides' sessions off their shared ports");
    }

    @org.junit.jupiter.api.Test
    void sharedPortsThatCannotBeBoundFailTheBuildAndLeaveNoSocketBehind() throws Exception {
        int sipPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            sipPort = probe.getLocalPort();
        }
        int base = 20000 + 200 * new Random().nextInt(50);
        SessionCoordinator.Builder b = SessionCoordinator.builder()
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", sipPort))
                .rtpPorts(base, base + 3).sharedRtpPorts(3) // two pairs in the range, three asked for
                .codecs(CodecRegistry.of(true, G711.PCMU)).clock(clock).mediaClock(media);
        org.assertj.core.api.Assertions.assertThatThrownBy(b::build)
                .isInstanceOf(io.rvoip.rtp.net.PortAllocator.PortsExhaustedException.class);
        // the SIP socket and the RTP ports bound before the failure are free again
        try (java.net.DatagramSocket sip = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", sipPort));
             java.net.DatagramSocket rtp = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", base));
             java.net.DatagramSocket rtcp = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", base + 1))) {
            assertThat(sip.getLocalPort()).isEqualTo(sipPort);
        }
    }

    private static short[] last(PcmRecorder r) {
        short[] s = r.samples();
        return java.util.Arrays.copyOfRange(s, s.length - 4000, s.length);
    }
}
