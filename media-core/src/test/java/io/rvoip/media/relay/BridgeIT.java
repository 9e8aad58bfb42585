package io.rvoip.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.media.AudioData;
import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.dtmf.TelephoneEventReceiver;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.io.WavFile;
import io.rvoip.media.session.MediaSession;
import io.rvoip.rtp.net.PortAllocator;
import io.rvoip.rtp.net.RtpSession;
import io.rvoip.rtp.net.RtpTransportGroup;
import io.rvoip.rtp.stats.ReceiverStatistics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bridge between two call legs over real loopback RTP, phones on both sides, the media clocks
 * on one manual clock: the same-codec relay (no decoding; SSRC, sequence and timestamps
 * rewritten; payload types mapped) and the transcoding path (G.722 leg to a PCMU leg).
 */
class BridgeIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ManualClock clock = new ManualClock();
    private final ManualShardedExecutor shards = new ManualShardedExecutor(1);
    private final TimerService timers = TimerService.builder(shards).clock(clock).build();
    private RtpTransportGroup group;
    private LossyUdpRelay lossy;

    @BeforeEach
    void setUp() {
        int base = 30000 + 2 * new Random().nextInt(5000);
        group = RtpTransportGroup.start(1, new PortAllocator(base, base + 99));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (lossy != null) {
            lossy.close();
        }
        group.close();
        timers.stop();
    }

    private RtpSession.Builder rtp(String id, int clockRate, io.rvoip.rtp.net.RtpListener listener) {
        return RtpSession.builder(group, timers).id(id).localAddress(LOOPBACK).clockRate(clockRate).rtcp(false)
                .latching(false).listener(listener);
    }

    @Test
    void sameCodecLegsAreRelayedWithGapsKeptAndSourceSwitchesSmoothed() throws Exception {
        WavFile wav = AudioData.wav("speech8k.wav");
        PcmRecorder recorder = new PcmRecorder(8000, 8000 * 10);
        List<TelephoneEventReceiver.Event> digits = new CopyOnWriteArrayList<>();
        // phone B uses 96 for telephone-event, phone A 101: the relay maps them
        MediaSession phoneB = MediaSession.builder(G711.PCMU, 0).telephoneEvents(96).sink(recorder).dtmf(digits::add).build();
        RtpSession rtpB = rtp("phoneB", 8000, phoneB).open();
        phoneB.attach(rtpB);
        RtpRelay relay = RtpRelay.builder(8000).payloadType(101, 96).build();
        RtpSession leg1 = rtp("leg1", 8000, relay).open();
        RtpSession leg2 = rtp("leg2", 8000, relay).remote(new InetSocketAddress(LOOPBACK, rtpB.localRtpPort()), null).open();
        relay.attach(leg1, leg2);
        lossy = new LossyUdpRelay(new InetSocketAddress(LOOPBACK, leg1.localRtpPort()), 0.05, 3);
        MediaSession phoneA = MediaSession.builder(G711.PCMU, 0).telephoneEvents(101).source(PcmSource.of(wav, false)).build();
        InetSocketAddress toBridge = new InetSocketAddress(LOOPBACK, lossy.port());
        RtpSession rtpA = rtp("phoneA", 8000, phoneA).remote(toBridge, null).open();
        phoneA.attach(rtpA);

        int frames = wav.frames() / 160 + 25;
        long sentBefore = 0;
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(20);
            if (i == frames / 2) {
                // phone A moves to another device: a new SSRC, sequence and timestamp base
                sentBefore = rtpA.counters().rtpSent();
                rtpA.close();
                rtpA = rtp("phoneA2", 8000, phoneA).remote(toBridge, null).open();
                phoneA.attach(rtpA);
            }
            if (i == frames - 22) {
                phoneA.sendDigit('5', 100);
            }
            phoneA.tick(clock.nanoTime());
            long sent = sentBefore + rtpA.counters().rtpSent();
            // (leg 1 counts every packet it took; it hands a new source's first packet to the relay only
            // once the source is validated, RFC 3550 A.1, so the relay forwards from the second on)
            LossyUdpRelay.await(() -> lossy.forwarded.get() + lossy.dropped.get() == sent
                    && leg1.counters().rtpReceived() == lossy.forwarded.get()
                    && rtpB.counters().rtpReceived() == relay.forwardedAtoB(), "B to take what the bridge relayed");
            phoneB.tick(clock.nanoTime());
        }
        assertThat(relay.sourceSwitches()).isEqualTo(1);
        assertThat(relay.forwardedAtoB()).isBetween(lossy.forwarded.get() - 2, lossy.forwarded.get());
        assertThat(relay.dropped()).isZero();
        // B saw one stream, the bridge's, and the packets lost upstream as gaps in it
        ReceiverStatistics st = rtpB.receiverStatistics();
        assertThat(st.ssrc()).isEqualTo(leg2.ssrc());
        assertThat(rtpB.counters().sourceDropped()).isZero();
        assertThat(lossy.dropped.get()).isGreaterThan(10);
        assertThat((double) st.cumulativeLost()).isCloseTo(lossy.dropped.get(), within(2.0));
        assertThat(AudioData.crossCorrelation(wav.samples(), recorder.samples(), 2400, 4000)).isGreaterThan(0.9);
        assertThat(digits).hasSize(1);
        assertThat(digits.get(0).digit()).isEqualTo('5');
        rtpA.close();
        leg1.close();
        leg2.close();
        rtpB.close();
        assertThat(group.ports().inUse()).isZero();
    }

    @Test
    void differentCodecsAreTranscodedThroughPipes() throws Exception {
        WavFile wav16 = AudioData.wav("speech16k.wav");
        WavFile wav8 = AudioData.wav("speech8k.wav");
        PcmRecorder recorder = new PcmRecorder(8000, 8000 * 10);
        MediaSession phoneB = MediaSession.builder(G711.PCMU, 0).sink(recorder).build();
        RtpSession rtpB = rtp("phoneB", 8000, phoneB).open();
        phoneB.attach(rtpB);
        AudioPipe aToB = new AudioPipe(16000, 100);
        AudioPipe bToA = new AudioPipe(16000, 100);
        MediaSession leg1 = MediaSession.builder(G722.INSTANCE, 9).sink(aToB).source(bToA).build();
        MediaSession leg2 = MediaSession.builder(G711.PCMU, 0).sink(bToA).source(aToB).build();
        RtpSession rtpLeg1 = rtp("leg1", 8000, leg1).open();
        RtpSession rtpLeg2 = rtp("leg2", 8000, leg2).remote(new InetSocketAddress(LOOPBACK, rtpB.localRtpPort()), null).open();
        leg1.attach(rtpLeg1);
        leg2.attach(rtpLeg2);
        MediaSession phoneA = MediaSession.builder(G722.INSTANCE, 9).source(PcmSource.of(wav16, false)).build();
        RtpSession rtpA = rtp("phoneA", 8000, phoneA).remote(new InetSocketAddress(LOOPBACK, rtpLeg1.localRtpPort()), null)
                .open();
        phoneA.attach(rtpA);
        int frames = wav16.frames() / 320 + 25;
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(20);
            phoneA.tick(clock.nanoTime());
            LossyUdpRelay.await(() -> rtpLeg1.counters().rtpReceived() == rtpA.counters().rtpSent(), "the bridge to take A's packet");
            leg1.tick(clock.nanoTime()); // decodes G.722 into the pipe (and sends what B said: nothing to A here)
            leg2.tick(clock.nanoTime()); // encodes the pipe as PCMU towards B
            LossyUdpRelay.await(() -> rtpB.counters().rtpReceived() == rtpLeg2.counters().rtpSent(), "B to take the bridge's packet");
            phoneB.tick(clock.nanoTime());
        }
        assertThat(AudioData.crossCorrelation(wav8.samples(), recorder.samples(), 2400, 4000)).isGreaterThan(0.9);
        assertThat(aToB.overruns()).isZero();
        assertThat(aToB.buffered()).isLessThanOrEqualTo(320);
        rtpA.close();
        rtpLeg1.close();
        rtpLeg2.close();
        rtpB.close();
        assertThat(group.ports().inUse()).isZero();
    }
}
