package io.rvoip.media.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rvoip.infra.concurrent.ManualShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.ManualClock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.media.AudioData;
import io.rvoip.media.LossyUdpRelay;
import io.rvoip.media.MediaEvent;
import io.rvoip.media.MediaEvent.QualityChanged;
import io.rvoip.media.codec.AudioCodec;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.codec.Opus;
import io.rvoip.media.dtmf.TelephoneEventReceiver;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.io.WavFile;
import io.rvoip.rtp.net.PortAllocator;
import io.rvoip.rtp.net.RtpSession;
import io.rvoip.rtp.net.RtpTransportGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two media sessions over real loopback RTP, the media clocks on one manual clock: a speech
 * WAV goes in one side and comes out the other. Cross-correlation with the original ≥ 0.9 for
 * G.711, G.722 and Opus, also through a relay that loses 5 % of the packets (seeded); RFC 4733
 * digits arrive as digits.
 */
class MediaSessionIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ManualClock clock = new ManualClock();
    private final ManualShardedExecutor shards = new ManualShardedExecutor(1);
    private final TimerService timers = TimerService.builder(shards).clock(clock).build();
    private final EventBus bus = EventBus.builder().shards(shards).build();
    private final List<MediaEvent> mediaEvents = new CopyOnWriteArrayList<>();
    private RtpTransportGroup group;
    private LossyUdpRelay relay;

    @BeforeEach
    void setUp() {
        int base = 30000 + 2 * new Random().nextInt(5000);
        group = RtpTransportGroup.start(1, new PortAllocator(base, base + 99));
        bus.subscribe(MediaEvent.class).inline().handle(mediaEvents::add);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (relay != null) {
            relay.close();
        }
        group.close();
        timers.stop();
    }

    /** Streams {@code wav} from A to B through the relay; returns what B played. */
    private short[] stream(AudioCodec codec, int pt, WavFile wav, double loss, List<TelephoneEventReceiver.Event> digits,
                           String digitsToSend) throws Exception {
        return stream(codec, pt, wav, loss, digits, digitsToSend, false);
    }

    private MediaSession lastA;
    private MediaSession lastB;

    private short[] stream(AudioCodec codec, int pt, WavFile wav, double loss, List<TelephoneEventReceiver.Event> digits,
                           String digitsToSend, boolean comfortNoise) throws Exception {
        return stream(codec, pt, wav, loss, digits, digitsToSend, comfortNoise, comfortNoise, (a, b) -> { });
    }

    /**
     * As above; A is built with CN 13 and silence suppression when {@code cnAtA}, B with CN 13
     * when {@code cnAtB}, and {@code renegotiated} then runs on both before the stream starts.
     */
    private short[] stream(AudioCodec codec, int pt, WavFile wav, double loss, List<TelephoneEventReceiver.Event> digits,
                           String digitsToSend, boolean cnAtA, boolean cnAtB,
                           java.util.function.BiConsumer<MediaSession, MediaSession> renegotiated) throws Exception {
        PcmRecorder recorder = new PcmRecorder(codec.sampleRate(), codec.sampleRate() * 10);
        mediaEvents.clear();
        MediaSession.Builder bb = MediaSession.builder(codec, pt).telephoneEvents(101).sink(recorder).dtmf(digits::add)
                .events(bus, "b", Duration.ofSeconds(1));
        MediaSession b = (cnAtB ? bb.comfortNoise(13) : bb).build();
        RtpSession rtpB = RtpSession.builder(group, timers).id("b").localAddress(LOOPBACK).clockRate(codec.clockRate())
                .rtcp(false).latching(false).listener(b).open();
        relay = new LossyUdpRelay(new InetSocketAddress(LOOPBACK, rtpB.localRtpPort()), loss, 7);
        PcmSource source = PcmSource.of(wav, false);
        MediaSession.Builder ab = MediaSession.builder(codec, pt).telephoneEvents(101).source(source);
        MediaSession a = (cnAtA ? ab.comfortNoise(13).silenceSuppression(true) : ab).build();
        renegotiated.accept(a, b);
        lastA = a;
        lastB = b;
        RtpSession rtpA = RtpSession.builder(group, timers).id("a").localAddress(LOOPBACK).clockRate(codec.clockRate())
                .rtcp(false).remote(new InetSocketAddress(LOOPBACK, relay.port()), null).listener(a).open();
        a.attach(rtpA);
        b.attach(rtpB);
        int frames = wav.frames() / (wav.sampleRate() / 50) + 25; // the file, then 0.5 s to drain
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(20);
            if (i == frames - 22 && digitsToSend != null) {
                a.sendDigit(digitsToSend.charAt(0), 100);
            }
            a.tick(clock.nanoTime());
            LossyUdpRelay.await(() -> relay.forwarded.get() + relay.dropped.get() == rtpA.counters().rtpSent()
                    && rtpB.counters().rtpReceived() == relay.forwarded.get(), "B to take what the relay forwarded");
            b.tick(clock.nanoTime());
        }
        rtpA.close();
        rtpB.close();
        return recorder.samples();
    }

    private List<QualityChanged> quality() {
        return mediaEvents.stream().filter(e -> e instanceof QualityChanged)
                .map(e -> (QualityChanged) e).toList();
    }


    @Test
    void g711SpeechArrivesIntactAndThroughFivePercentLoss() throws Exception {
        WavFile wav = AudioData.wav("speech8k.wav");
        short[] clean = stream(G711.PCMU, 0, wav, 0, new CopyOnWriteArrayList<>(), null);
        assertThat(AudioData.crossCorrelation(wav.samples(), clean, 2400, 4000)).isGreaterThan(0.95);
        List<QualityChanged> cleanQuality = quality();
        assertThat(cleanQuality).hasSize(5);
        assertThat(cleanQuality).allSatisfy(q -> {
            assertThat(q.lossPercent()).isZero();
            assertThat(q.jitterMs()).isLessThan(1);
            assertThat(q.mos()).isGreaterThan(4.3); // G.711 with no loss and a short delay
        });
        relay.close();
        relay = null;
        short[] lossy = stream(G711.PCMA, 8, wav, 0.05, new CopyOnWriteArrayList<>(), null);
        assertThat(AudioData.crossCorrelation(wav.samples(), lossy, 2400, 4000)).isGreaterThan(0.9);
        // the reports add up to what the relay dropped, and the rating follows
        List<QualityChanged> lossyQuality = quality();
        double meanLoss = lossyQuality.stream().mapToDouble(QualityChanged::lossPercent).average()
                .orElseThrow();
        assertThat(meanLoss).isCloseTo(100.0 * relay.dropped.get() / (relay.dropped.get() + relay.forwarded.get()),
                within(2.0));
        assertThat(lossyQuality.stream().mapToDouble(QualityChanged::mos).min().orElseThrow())
                .isLessThan(cleanQuality.get(0).mos());
        // the receiver's counts: every drop of the relay is a loss (but for drops after the last
        // packet that arrived, which nothing shows), and on this manual clock nothing is late
        MediaSession.Reception rx = lastB.reception();
        assertThat(rx.late()).isZero();
        assertThat(rx.lost()).isBetween(relay.dropped.get() - 3L, (long) relay.dropped.get()).isPositive();
        // (RFC 3550 §A.1: the source's first packet is its probation and not counted)
        assertThat(rx.expected()).isEqualTo(rx.lost() + relay.forwarded.get() - 1);
    }

    @Test
    void g722SpeechArrivesIntactAndThroughFivePercentLoss() throws Exception {
        WavFile wav = AudioData.wav("speech16k.wav");
        short[] clean = stream(G722.INSTANCE, 9, wav, 0, new CopyOnWriteArrayList<>(), null);
        assertThat(AudioData.crossCorrelation(wav.samples(), clean, 4800, 8000)).isGreaterThan(0.95);
        relay.close();
        relay = null;
        short[] lossy = stream(G722.INSTANCE, 9, wav, 0.05, new CopyOnWriteArrayList<>(), null);
        assertThat(AudioData.crossCorrelation(wav.samples(), lossy, 4800, 8000)).isGreaterThan(0.9);
    }

    @Test
    void opusSpeechArrivesIntactAndThroughFivePercentLoss() throws Exception {
        // fullband, 64 kbit/s, complexity 10, in-band FEC (the receiver rebuilds a lost frame from
        // the next packet when it is already in the jitter buffer)
        WavFile wav = AudioData.wav("speech48k.wav");
        Opus opus = new Opus(new Opus.Config(48000, 1, 64000, 10, true, false, 48000, 5));
        short[] clean = stream(opus, 111, wav, 0, new CopyOnWriteArrayList<>(), null);
        assertThat(AudioData.crossCorrelation(wav.samples(), clean, 14400, 24000)).isGreaterThan(0.9);
        relay.close();
        relay = null;
        short[] lossy = stream(opus, 111, wav, 0.05, new CopyOnWriteArrayList<>(), null);
        assertThat(AudioData.crossCorrelation(wav.samples(), lossy, 14400, 24000)).isGreaterThan(0.9);
    }

    @Test
    void aDigitSentAsTelephoneEventsArrivesOnce() throws Exception {
        List<TelephoneEventReceiver.Event> digits = new CopyOnWriteArrayList<>();
        stream(G711.PCMU, 0, AudioData.wav("speech8k.wav"), 0, digits, "5");
        assertThat(digits).hasSize(1);
        assertThat(digits.get(0).digit()).isEqualTo('5');
        assertThat(digits.get(0).durationUnits()).isEqualTo(800);
        assertThat(digits.get(0).endSeen()).isTrue();
        assertThat(mediaEvents).contains(new MediaEvent.DtmfReceived("b", '5', 100));
    }

    /** 1 s of noise at -50 dBov, the speech over the same noise, then 1.5 s of noise. */
    private static short[] speechInNoise() throws Exception {
        short[] speech = AudioData.wav("speech8k.wav").samples();
        Random rnd = new Random(11);
        double noiseRms = 32768 * Math.pow(10, -50 / 20.0);
        short[] in = new short[8000 + speech.length + 12000];
        for (int i = 0; i < in.length; i++) {
            int s = i >= 8000 && i - 8000 < speech.length ? speech[i - 8000] : 0;
            in[i] = (short) Math.max(-32768, Math.min(32767, s + Math.round(rnd.nextGaussian() * noiseRms)));
        }
        return in;
    }

    /** The level of what B played in the trailing noise, dBov. */
    private static double trailingLevel(short[] out) {
        int from = out.length - 8000;
        double p = 0;
        for (int i = from; i < out.length - 2000; i++) {
            p += (double) out[i] * out[i];
        }
        return 10 * Math.log10(p / (out.length - 2000 - from) / (32768.0 * 32768.0));
    }

    @Test
    void silenceIsSuppressedAndPlayedAsComfortNoise() throws Exception {
        short[] speech = AudioData.wav("speech8k.wav").samples();
        short[] in = speechInNoise();
        WavFile wav = new WavFile(8000, 1, in);
        short[] out = stream(G711.PCMU, 0, wav, 0, new CopyOnWriteArrayList<>(), null, true);
        long[] sent = lastA.counters();
        int frames = in.length / 160;
        assertThat(sent[0]).as("voice frames sent").isLessThan(frames * 8L / 10);
        assertThat(lastA.comfortNoiseSent()).isGreaterThanOrEqualTo(2);
        // the speech still arrives
        short[] speechPart = java.util.Arrays.copyOfRange(in, 0, 8000 + speech.length);
        assertThat(AudioData.crossCorrelation(speechPart, out, 2400, 4000)).isGreaterThan(0.9);
        // the trailing noise is played as comfort noise near its level, not as digital silence
        assertThat(trailingLevel(out)).isCloseTo(-50, within(3.0));
        assertThat(quality()).isNotEmpty().allSatisfy(q -> assertThat(q.lossPercent()).as("silence is not loss").isZero());
    }

    @Test
    void comfortNoiseNegotiatedLaterIsPlayedAndOneDroppedIsNoLongerSent() throws Exception {
        WavFile wav = new WavFile(8000, 1, speechInNoise());
        int frames = wav.frames() / 160;
        // B started without CN; a renegotiation brings it: the trailing noise plays as comfort noise
        short[] out = stream(G711.PCMU, 0, wav, 0, new CopyOnWriteArrayList<>(), null, true, false,
                (a, b) -> b.comfortNoise(13));
        assertThat(lastA.comfortNoiseSent()).isGreaterThanOrEqualTo(2);
        assertThat(trailingLevel(out)).as("comfort noise, not digital silence").isCloseTo(-50, within(3.0));
        relay.close();
        relay = null;
        // A started with CN and silence suppression; a renegotiation drops CN: every frame goes as audio
        stream(G711.PCMU, 0, wav, 0, new CopyOnWriteArrayList<>(), null, true, true, (a, b) -> a.comfortNoise(-1));
        assertThat(lastA.comfortNoiseSent()).isZero();
        assertThat(lastA.counters()[0]).as("voice frames sent").isGreaterThanOrEqualTo(frames);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lastA.comfortNoise(128)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCodecSwitchesMidCallWithoutAGlitch() throws Exception {
        // A sends PCMU, then G.722 from the middle on (after a re-INVITE); B was offered both
        WavFile wav = AudioData.wav("speech16k.wav");
        PcmRecorder recorder = new PcmRecorder(16000, 16000 * 10);
        MediaSession b = MediaSession.builder(G711.PCMU, 0).receive(9, G722.INSTANCE).sink(recorder).build();
        RtpSession rtpB = RtpSession.builder(group, timers).id("b").localAddress(LOOPBACK).clockRate(8000)
                .rtcp(false).latching(false).listener(b).open();
        MediaSession a = MediaSession.builder(G711.PCMU, 0).source(PcmSource.of(wav, false)).build();
        RtpSession rtpA = RtpSession.builder(group, timers).id("a").localAddress(LOOPBACK).clockRate(8000)
                .rtcp(false).remote(new InetSocketAddress(LOOPBACK, rtpB.localRtpPort()), null).listener(a).open();
        a.attach(rtpA);
        b.attach(rtpB);
        int frames = wav.frames() / 320 + 25;
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(20);
            if (i == frames / 2) {
                a.switchCodec(G722.INSTANCE, 9);
            }
            a.tick(clock.nanoTime());
            LossyUdpRelay.await(() -> rtpB.counters().rtpReceived() == rtpA.counters().rtpSent(), "B to take A's packet");
            b.tick(clock.nanoTime());
        }
        assertThat(a.codec()).isSameAs(G722.INSTANCE);
        // sequence numbers and timestamps ran on: nothing lost, nothing concealed, no silence in between
        assertThat(rtpB.receiverStatistics().cumulativeLost()).isZero();
        long[] counters = b.counters();
        assertThat(counters[2]).as("concealed").isZero();
        short[] out = recorder.samples();
        // the second half came as G.722 (wideband) and still matches the original closely
        int half = wav.frames() / 2;
        short[] ref = wav.samples();
        assertThat(AudioData.crossCorrelation(java.util.Arrays.copyOfRange(ref, half + 8000, ref.length - 4000),
                java.util.Arrays.copyOfRange(out, half + 8000, out.length), 2400, 4000)).isGreaterThan(0.95);
        assertThat(AudioData.crossCorrelation(ref, out, 2400, 4000)).isGreaterThan(0.9);
        rtpA.close();
        rtpB.close();
    }

    @Test
    void formatsAndTelephoneEventsRenegotiatedMidCallAreTaken() throws Exception {
        // a re-INVITE brings G.722 on payload type 9 and telephone-event on 96, neither of which
        // B was built with; A moves its telephone-event from 101 to 96
        WavFile wav = AudioData.wav("speech16k.wav");
        PcmRecorder recorder = new PcmRecorder(16000, 16000 * 10);
        List<TelephoneEventReceiver.Event> digits = new CopyOnWriteArrayList<>();
        MediaSession b = MediaSession.builder(G711.PCMU, 0).dtmf(digits::add).sink(recorder).build();
        RtpSession rtpB = RtpSession.builder(group, timers).id("b").localAddress(LOOPBACK).clockRate(8000)
                .rtcp(false).latching(false).listener(b).open();
        MediaSession a = MediaSession.builder(G711.PCMU, 0).telephoneEvents(101).source(PcmSource.of(wav, false)).build();
        RtpSession rtpA = RtpSession.builder(group, timers).id("a").localAddress(LOOPBACK).clockRate(8000)
                .rtcp(false).remote(new InetSocketAddress(LOOPBACK, rtpB.localRtpPort()), null).listener(a).open();
        a.attach(rtpA);
        b.attach(rtpB);
        int frames = wav.frames() / 320 + 25;
        long[] beforeDigit = null;
        for (int i = 0; i < frames; i++) {
            clock.advanceMillis(20);
            if (i == frames / 2) {
                b.receive(9, G722.INSTANCE);
                b.telephoneEvents(96);
                a.switchCodec(G722.INSTANCE, 9);
                a.telephoneEvents(96);
            }
            if (i == frames - 22) {
                beforeDigit = b.counters(); // audio pauses while a digit goes
                a.sendDigit('5', 100);
            }
            a.tick(clock.nanoTime());
            LossyUdpRelay.await(() -> rtpB.counters().rtpReceived() == rtpA.counters().rtpSent(), "B to take A's packet");
            b.tick(clock.nanoTime());
        }
        assertThat(beforeDigit[2]).as("concealed: every G.722 packet decoded").isZero();
        assertThat(beforeDigit[1]).as("decoded").isGreaterThan(frames / 2);
        assertThat(digits).as("the digit on the new payload type").singleElement()
                .satisfies(d -> assertThat(d.digit()).isEqualTo('5'));
        int half = wav.frames() / 2;
        short[] ref = wav.samples();
        assertThat(AudioData.crossCorrelation(java.util.Arrays.copyOfRange(ref, half + 8000, ref.length - 4000),
                java.util.Arrays.copyOfRange(recorder.samples(), half + 8000, recorder.samples().length), 2400, 4000))
                .isGreaterThan(0.95);
        // a codec at another RTP clock rate needs another stream
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.receive(111, Opus.VOICE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("48000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.telephoneEvents(128))
                .isInstanceOf(IllegalArgumentException.class);
        rtpA.close();
        rtpB.close();
    }

    @Test
    void aNewSourceMidStreamIsPlayedFromItsFirstPackets() throws Exception {
        // a B2BUA moves the call from music on hold (SSRC A) to the other party (SSRC B) and back,
        // without a re-INVITE; B's sequence numbers and timestamps start behind A's. Just after a
        // switch no other SSRC takes over (stragglers, or a sender rotating SSRCs, which would
        // cost a jitter buffer a packet)
        MediaSession b = MediaSession.builder(G711.PCMU, 0).telephoneEvents(101).build();
        RtpSession rtpB = RtpSession.builder(group, timers).id("b").localAddress(LOOPBACK).clockRate(8000)
                .rtcp(false).listener(b).open();
        b.attach(rtpB);
        Sender peer = new Sender(rtpB);
        try (peer) {
            long decoded = b.counters()[1];
            for (int i = 0; i < 100; i++) {
                peer.send(0x1111, 20000 + i, 1_000_000L + 160L * i, 0);
                tick(b);
            }
            assertThat(b.counters()[1] - decoded).as("source A").isGreaterThan(90);
            decoded = b.counters()[1];
            for (int i = 0; i < 100; i++) {
                peer.send(0x2222, 5000 + i, 300L + 160L * i, 0);
                if (i == 5) {
                    peer.send(0x1111, 20100, 1_016_000L, 0); // a straggler of A, sent before the switch
                }
                if (i == 10 || i == 11) {
                    peer.send(0x3333, 70 + i, 9_000L + 160L * i, 0); // a third SSRC flapping in, just after
                }
                if (i >= 50 && i < 56) {
                    peer.send(0x7777, i - 49, 8000, 101); // a digit's telephone-events under an SSRC of their own
                }
                tick(b);
            }
            assertThat(b.counters()[1] - decoded).as("source B; counters " + java.util.Arrays.toString(b.counters()))
                    .isGreaterThan(90);
            assertThat(b.sourceChanges()).as("A's straggler, the flapping SSRC and the event took nothing over")
                    .isEqualTo(1);
            assertThat(b.otherSourceDropped()).as("the straggler, and the flapping SSRC's packet that passed the RTP "
                    + "session's probation (its first did not)").isEqualTo(2);
            decoded = b.counters()[1];
            for (int i = 0; i < 50; i++) { // a second hold: A again, its numbers going on
                peer.send(0x1111, 20101 + i, 1_016_160L + 160L * i, 0);
                tick(b);
            }
            assertThat(b.sourceChanges()).isEqualTo(2);
            assertThat(b.counters()[1] - decoded).as("A again").isGreaterThan(40);
        }
        rtpB.close();
    }

    /** Moves the clock one frame on and ticks {@code s}. */
    private void tick(MediaSession s) {
        clock.advanceMillis(20);
        s.tick(clock.nanoTime());
    }

    /** A peer on a raw socket sending 20 ms PCMU packets to a session, each one taken in before the next. */
    private static final class Sender implements AutoCloseable {
        private final DatagramSocket socket;
        private final RtpSession to;
        private long sent;

        Sender(RtpSession to) throws java.net.SocketException {
            this.socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            this.to = to;
        }

        void send(int ssrc, int seq, long ts, int pt) throws java.io.IOException {
            byte[] packet = new byte[172];
            new io.rvoip.rtp.RtpHeader().payloadType(pt).ssrc(ssrc).sequenceNumber(seq & 0xffff).timestamp(ts)
                    .encodeTo(packet, 0, new byte[160], 0, pt == 0 ? 160 : 4);
            socket.send(new DatagramPacket(packet, pt == 0 ? 172 : 16, new InetSocketAddress(LOOPBACK, to.localRtpPort())));
            long n = ++sent;
            LossyUdpRelay.await(() -> to.counters().rtpReceived() + to.counters().sourceDropped() >= n, "the packet taken in");
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void timestampsThatJumpInOneSourceArePlayedOn() throws Exception {
        // one SSRC, sequence numbers running on, timestamps jumping (back, then ahead), as some
        // phones do on resume and some gateways on a source switch they hide
        MediaSession b = MediaSession.builder(G711.PCMU, 0).build();
        RtpSession rtpB = RtpSession.builder(group, timers).id("b").localAddress(LOOPBACK).clockRate(8000)
                .rtcp(false).listener(b).open();
        b.attach(rtpB);
        InetSocketAddress to = new InetSocketAddress(LOOPBACK, rtpB.localRtpPort());
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            long[] tsBase = {5_000_000L, 1_000L, 900_000_000L};
            long[] decodedBefore = new long[3];
            int seq = 100;
            for (int phase = 0; phase < 3; phase++) {
                decodedBefore[phase] = b.counters()[1];
                for (int i = 0; i < 100; i++, seq++) {
                    clock.advanceMillis(20);
                    byte[] packet = new byte[172];
                    new io.rvoip.rtp.RtpHeader().payloadType(0).ssrc(0x3333).sequenceNumber(seq).marker(i == 0)
                            .timestamp(tsBase[phase] + 160L * i).encodeTo(packet, 0, new byte[160], 0, 160);
                    peer.send(new DatagramPacket(packet, 172, to));
                    long sent = seq - 99;
                    LossyUdpRelay.await(() -> rtpB.counters().rtpReceived() >= sent, "B to take the packet");
                    b.tick(clock.nanoTime());
                }
            }
            for (int i = 0; i < 10; i++) { // what the jitter buffer still holds
                clock.advanceMillis(20);
                b.tick(clock.nanoTime());
            }
            long[] c = b.counters();
            assertThat(decodedBefore[2] - decodedBefore[1]).as("after the jump back; counters " + java.util.Arrays.toString(c) + " per phase " + java.util.Arrays.toString(decodedBefore))
                    .isGreaterThan(90);
            assertThat(c[1] - decodedBefore[2]).as("after the jump ahead; counters " + java.util.Arrays.toString(c) + " per phase " + java.util.Arrays.toString(decodedBefore))
                    .isGreaterThan(90);
        }
        rtpB.close();
    }

    @Test
    void packetsLongerThanOurPtimeArePlayedAtTheirPace() throws Exception {
        // a phone sending 30 ms packets to a session ticking every 20 ms
        WavFile wav = AudioData.wav("speech8k.wav");
        PcmRecorder recorder = new PcmRecorder(8000, 8000 * 10);
        MediaSession b = MediaSession.builder(G711.PCMU, 0).ptime(20).sink(recorder).build();
        RtpSession rtpB = RtpSession.builder(group, timers).id("b").localAddress(LOOPBACK).clockRate(8000)
                .rtcp(false).latching(false).listener(b).open();
        MediaSession a = MediaSession.builder(G711.PCMU, 0).ptime(30).source(PcmSource.of(wav, false)).build();
        RtpSession rtpA = RtpSession.builder(group, timers).id("a").localAddress(LOOPBACK).clockRate(8000)
                .rtcp(false).remote(new InetSocketAddress(LOOPBACK, rtpB.localRtpPort()), null).listener(a).open();
        a.attach(rtpA);
        b.attach(rtpB);
        for (int t = 10; t <= 5600; t += 10) {
            clock.advanceMillis(10);
            if (t % 30 == 0) {
                a.tick(clock.nanoTime());
                LossyUdpRelay.await(() -> rtpB.counters().rtpReceived() == rtpA.counters().rtpSent(), "B to take A's packet");
            }
            if (t % 20 == 0) {
                b.tick(clock.nanoTime());
            }
        }
        long[] counters = b.counters();
        assertThat(counters[1]).as("decoded").isGreaterThan(150);
        assertThat(counters[2]).as("concealed").isLessThan(10);
        assertThat(recorder.samples().length).as("one 20 ms frame per tick").isEqualTo(280 * 160);
        assertThat(AudioData.crossCorrelation(wav.samples(), recorder.samples(), 2400, 4000)).isGreaterThan(0.9);
        rtpA.close();
        rtpB.close();
    }
}
