package io.rvoip.media.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.codec.AudioCodec;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.processing.EchoRoom;
import io.rvoip.media.processing.Scenarios;
import io.rvoip.media.processing.VoiceProcessor;
import io.rvoip.rtp.net.PortAllocator;
import io.rvoip.rtp.net.RtpSession;
import io.rvoip.rtp.net.RtpTransportGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call over real loopback RTP where one side is a laptop: what it plays comes back into its
 * microphone through a synthetic room (40 ms device delay, RT60 200 ms, −10 dB). The far side
 * records what returns: without voice processing it hears its own voice 10 dB down; with the
 * session's voice processing, the echo is gone.
 */
class VoiceProcessingIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ManualClock clock = new ManualClock();
    private final ManualShardedExecutor shards = new ManualShardedExecutor(1);
    private final TimerService timers = TimerService.builder(shards).clock(clock).build();
    private RtpTransportGroup group;

    @BeforeEach
    void setUp() {
        int base = 30000 + 2 * new Random().nextInt(5000);
        group = RtpTransportGroup.start(1, new PortAllocator(base, base + 99));
    }

    @AfterEach
    void tearDown() {
        group.close();
        timers.stop();
    }

    /** Returns the level of what the far side heard back over the last 4 s, relative to what it sent, dB. */
    private double echoReturned(AudioCodec codec, int pt, VoiceProcessor.Config processing, VoiceProcessor[] out) throws Exception {
        return echoReturned(codec, pt, codec, pt, processing, out);
    }

    /** The near side sends {@code codec} and the far side {@code farCodec} (each decodes the other's). */
    private double echoReturned(AudioCodec codec, int pt, AudioCodec farCodec, int farPt, VoiceProcessor.Config processing,
                                VoiceProcessor[] out) throws Exception {
        int seconds = 10;
        int rate = codec.sampleRate();
        EchoRoom room = new EchoRoom(farCodec.sampleRate(), seconds + 1, 40, -10, -55);
        PcmRecorder heard = new PcmRecorder(rate, rate * (seconds + 1));
        short[] speech = Scenarios.speech(rate);
        MediaSession far = MediaSession.builder(farCodec, farPt).receive(pt, codec)
                .source(new PcmSource(Scenarios.speech(farCodec.sampleRate()), farCodec.sampleRate(), true)).sink(heard).build();
        MediaSession.Builder nb = MediaSession.builder(codec, pt).receive(farPt, farCodec).source(room).sink(room);
        MediaSession near = (processing == null ? nb : nb.voiceProcessing(processing)).build();
        RtpSession rtpFar = RtpSession.builder(group, timers).id("far").localAddress(LOOPBACK).clockRate(codec.clockRate())
                .rtcp(false).latching(false).listener(far).open();
        RtpSession rtpNear = RtpSession.builder(group, timers).id("near").localAddress(LOOPBACK).clockRate(codec.clockRate())
                .rtcp(false).latching(false).listener(near).open();
        try (LossyUdpRelay toNear = new LossyUdpRelay(new InetSocketAddress(LOOPBACK, rtpNear.localRtpPort()), 0, 1);
             LossyUdpRelay toFar = new LossyUdpRelay(new InetSocketAddress(LOOPBACK, rtpFar.localRtpPort()), 0, 2)) {
            rtpFar.remote(new InetSocketAddress(LOOPBACK, toNear.port()), null);
            rtpNear.remote(new InetSocketAddress(LOOPBACK, toFar.port()), null);
            far.attach(rtpFar);
            near.attach(rtpNear);
            for (int i = 0; i < seconds * 50; i++) {
                clock.advanceMillis(20);
                far.tick(clock.nanoTime());
                near.tick(clock.nanoTime());
                LossyUdpRelay.await(() -> rtpNear.counters().rtpReceived() == rtpFar.counters().rtpSent()
                        && rtpFar.counters().rtpReceived() == rtpNear.counters().rtpSent(), "both directions delivered");
            }
        } finally {
            rtpFar.close();
            rtpNear.close();
        }
        out[0] = near.voiceProcessor();
        short[] back = heard.samples();
        int from = back.length - 4 * rate;
        double sent = 0;
        double got = 0;
        for (int i = from; i < back.length; i++) {
            float s = speech[i % speech.length];
            sent += (double) s * s;
            got += (double) back[i] * back[i];
        }
        return 10 * Math.log10(got / sent);
    }

    @Test
    void theFarSideNoLongerHearsItselfOverG722() throws Exception {
        VoiceProcessor[] vp = new VoiceProcessor[1];
        double without = echoReturned(G722.INSTANCE, 9, null, vp);
        assertThat(vp[0]).isNull();
        assertThat(without).isBetween(-14.0, -6.0);
        double with = echoReturned(G722.INSTANCE, 9, VoiceProcessor.Config.all().withGainControl(false), vp);
        assertThat(with).isLessThan(without - 20);
        assertThat(vp[0].echoCanceller().estimatedDelayMs()).isNotNegative(); // it found the device delay on its own
        assertThat(vp[0].listenMillis()).isGreaterThan(5000); // the far side talked most of the time
        assertThat(vp[0].talkMillis()).isLessThan(1000);      // the near side never did
    }

    @Test
    void theEchoReferenceIsResampledWhenThePeerSendsAnotherRate() throws Exception {
        // we send G.722 (16 kHz, so the processor runs at 16 kHz) and hear PCMU (8 kHz): the played
        // audio reaches the canceller through a resampler
        VoiceProcessor[] vp = new VoiceProcessor[1];
        double with = echoReturned(G722.INSTANCE, 9, G711.PCMU, 0, VoiceProcessor.Config.none().withEchoCancellation(true), vp);
        assertThat(vp[0].sampleRate()).isEqualTo(16000);
        assertThat(with).isLessThan(-30);
    }

    @Test
    void andOverG711() throws Exception {
        VoiceProcessor[] vp = new VoiceProcessor[1];
        double with = echoReturned(G711.PCMU, 0, VoiceProcessor.Config.none().withEchoCancellation(true), vp);
        assertThat(with).isLessThan(-30);
    }
}
