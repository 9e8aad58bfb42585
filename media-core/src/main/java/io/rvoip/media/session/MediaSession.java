package io.rvoip.media.session;

import io.rvoip.infra.event.EventBus;
import io.rvoip.media.MediaEvent;
import io.rvoip.media.cn.ComfortNoise;
import io.rvoip.media.cn.ComfortNoiseEncoder;
import io.rvoip.media.cn.ComfortNoiseGenerator;
import io.rvoip.media.codec.AudioCodec;
import io.rvoip.media.codec.AudioDecoder;
import io.rvoip.media.codec.AudioEncoder;
import io.rvoip.media.codec.G711;
import io.rvoip.media.dsp.Gain;
import io.rvoip.media.dsp.LevelMeter;
import io.rvoip.media.dsp.Resampler;
import io.rvoip.media.dtmf.Dtmf;
import io.rvoip.media.dtmf.TelephoneEventReceiver;
import io.rvoip.media.dtmf.TelephoneEventSender;
import io.rvoip.media.io.AudioSink;
import io.rvoip.media.io.AudioSource;
import io.rvoip.media.processing.VoiceActivityDetector;
import io.rvoip.media.processing.VoiceProcessor;
import io.rvoip.media.quality.EModel;
import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.jitter.Frame;
import io.rvoip.rtp.jitter.JitterBuffer;
import io.rvoip.rtp.net.RtpListener;
import io.rvoip.rtp.net.RtpSession;
import io.rvoip.rtp.stats.ReceiverStatistics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One audio stream of a call: an {@link RtpSession} (rtp-core) bound to a negotiated codec, an
 * adaptive {@link JitterBuffer}, an {@link AudioSource} and an {@link AudioSink}.
 *
 * <p>The media clock calls {@link #tick(long)} once per packet time (10–60 ms): it reads a frame
 * from the source (resampled to the codec's rate when they differ), encodes and sends it — or
 * the RFC 4733 packets of a digit being sent with {@link #sendDigit} — then pulls the frame due
 * from the jitter buffer, decodes it (or conceals a loss with the codec's PLC, or plays silence
 * in a gap) and writes it to the sink. Received packets are filed into the jitter buffer on the
 * RTP socket's I/O thread; telephone-events of the negotiated payload type become
 * {@link TelephoneEventReceiver.Event}s for the DTMF listener (called on the I/O or media
 * thread). Nothing here blocks; {@link #tick} is for one media thread at a time.
 *
 * <pre>{@code
 * MediaSession media = MediaSession.builder(G711.PCMU, 0).ptime(20).telephoneEvents(101)
 *         .source(PcmSource.of(wav, false)).sink(recorder).dtmf(e -> log(e.digit())).build();
 * RtpSession rtp = RtpSession.builder(group, timers).listener(media).clockRate(8000)...open();
 * media.attach(rtp);
 * every 20 ms: media.tick(clock.nanoTime());
 * }</pre>
 */
public final class MediaSession implements RtpListener {
    private AudioCodec codec;            // send side: changed by switchCodec on the media thread
    private int payloadType;
    private volatile Switch pendingSwitch;
    private final RxFormat[] rxByPt = new RxFormat[128];   // under rxLock
    private final byte[] ptBySeq = new byte[1024];          // payload type of each buffered packet, by seq
    private RxFormat rxLast;                                // the format last played (concealment uses it)
    private short[] rxPcm;                                  // one decoded packet (up to 120 ms)
    private short[] rxFifo;                                 // decoded audio not yet played (packets longer than a tick)
    private short[] rxOut;
    private int fifoLen;
    private volatile int eventPayloadType;
    /** CN's payload type, or -1 (changed by {@link #comfortNoise(int)}; read on the media thread and under rxLock). */
    private volatile int cnPayloadType;
    private ComfortNoiseGenerator cnGenerator;          // under rxLock once made
    private final ComfortNoiseEncoder cnEncoder;
    private final boolean dtx;
    private VoiceActivityDetector dtxVad;          // DTX decisions when the voice processor does not detect
    private int dtxHangover;                        // frames still sent after the last speech frame
    private final VoiceProcessor.Config processing;
    private volatile VoiceProcessor processor;      // at the send codec's rate, or null (read from any thread by voiceProcessor())
    private boolean frameSpeech;                    // the processor's decision for the frame being sent
    private Resampler toProcessor;                  // the played audio to the processor's rate, when they differ
    private short[] referenceFrame;
    private int referenceHeld;                      // resampled reference samples short of a frame
    private boolean cnPlaying;       // receive side, under rxLock
    private boolean sendingSilence;  // send side, media thread
    private int sidLevel;
    private long sidTime;
    private long sidsSent;
    private final int ptime;
    private int frameSamples;           // per frame at the send codec's sample rate
    private final int frameUnits;       // per frame in RTP clock units
    private AudioEncoder encoder;
    private final AudioSource source;
    private final AudioSink sink;
    private Resampler toCodec;
    /** The current source's jitter buffer (under rxLock): a new source gets a new one. */
    private JitterBuffer jitter;
    private final JitterBuffer.Config jitterConfig;
    /** The SSRC being played, and when the last switch of source was (under rxLock). */
    private int rxSsrc;
    private boolean rxSsrcKnown;
    private long switchedAtNanos;
    private boolean switched;
    /** Packets discarded late by the jitter buffers of sources left behind (under rxLock). */
    private long lateBefore;
    private long sourceChanges;
    private long otherSourceDropped;
    /** RFC 4733 sending: null until telephone-event is negotiated (built, or a renegotiation). */
    private volatile TelephoneEventSender events;
    /** {@code events.active()}, kept here so a tick without a digit does not touch the sender (media thread). */
    private boolean eventsActive;
    private TelephoneEventReceiver eventReceiver;   // under rxLock; null until telephone-event is negotiated
    private final Consumer<TelephoneEventReceiver.Event> dtmf;
    private final Object rxLock = new Object();
    private final short[] sourceFrame;
    private short[] pcm;
    private byte[] encoded;
    private volatile RtpSession rtp;
    private long mediaTime;
    private long digitStart;
    private boolean talkspurt = true;
    private volatile boolean muted;
    private volatile boolean sending = true;
    private final Gain sendGain = new Gain(0);
    private final Gain playGain = new Gain(0);
    private final LevelMeter sendLevel = new LevelMeter();
    private final LevelMeter playLevel = new LevelMeter();
    private final AtomicLong packetsReceived = new AtomicLong();
    private final String id;
    private final EventBus bus;
    private final long qualityIntervalNanos;
    private final EModel.Codec impairment;
    private long lastQualityNanos = Long.MIN_VALUE;
    private long lastExpected;
    private long lastLost;
    private long lastLate;
    // counters (media thread)
    private long framesSent;
    private long framesDecoded;
    private long framesConcealed;
    private long framesSilent;

    private MediaSession(Builder b) {
        this.id = b.id;
        this.bus = b.bus;
        this.qualityIntervalNanos = b.qualityInterval.toNanos();
        this.codec = b.codec;
        this.impairment = b.impairment != null ? b.impairment
                : codec instanceof G711 ? EModel.G711_PLC : null;
        this.payloadType = b.payloadType;
        this.eventPayloadType = b.eventPayloadType;
        this.cnPayloadType = b.cnPayloadType;
        this.cnGenerator = cnPayloadType >= 0 ? new ComfortNoiseGenerator() : null;
        this.cnEncoder = cnPayloadType >= 0 && b.silenceSuppression ? new ComfortNoiseEncoder(ComfortNoise.MAX_ORDER) : null;
        this.dtx = cnEncoder != null;
        this.processing = b.processing;
        this.ptime = b.ptime;
        this.frameUnits = codec.timestampUnits(ptime);
        this.source = b.source;
        this.sink = b.sink;
        int sourceSamples = source == null ? 0 : (int) ((long) source.sampleRate() * ptime / 1000);
        this.sourceFrame = new short[Math.max(sourceSamples, 1)];
        useSendCodec(codec, payloadType);
        addReceiveFormat(payloadType, codec);
        for (java.util.Map.Entry<Integer, AudioCodec> e : b.receive.entrySet()) {
            addReceiveFormat(e.getKey(), e.getValue());
        }
        this.rxLast = rxByPt[payloadType];
        this.jitterConfig = JitterBuffer.Config.builder(codec.clockRate(), frameUnits)
                .maxPayloadBytes(Math.max(codec.maxEncodedBytes(frameSamples * 3), 1500)).build();
        this.jitter = new JitterBuffer(jitterConfig);
        this.events = eventPayloadType >= 0 ? new TelephoneEventSender(frameUnits) : null;
        Consumer<TelephoneEventReceiver.Event> listener = b.dtmf != null ? b.dtmf : e -> { };
        Consumer<TelephoneEventReceiver.Event> dtmf = bus == null ? listener : e -> {
            listener.accept(e);
            if (e.digit() != 0) {
                bus.publish(new MediaEvent.DtmfReceived(id, e.digit(), e.durationUnits() * 1000 / codec.clockRate()));
            }
        };
        this.dtmf = dtmf;
        this.eventReceiver = eventPayloadType >= 0 ? new TelephoneEventReceiver(frameUnits, dtmf) : null;
    }

    /** A format this session decodes: its codec, decoder and the resampler to the sink. */
    private static final class RxFormat {
        final AudioCodec codec;
        final AudioDecoder decoder;
        final Resampler toSink;
        final short[] sinkFrame;
        final int frameSamples;

        RxFormat(AudioCodec codec, int ptime, AudioSink sink) {
            this.codec = codec;
            this.decoder = codec.newDecoder();
            this.frameSamples = codec.samplesPerFrame(ptime);
            this.toSink = sink != null && sink.sampleRate() != codec.sampleRate()
                    ? new Resampler(codec.sampleRate(), sink.sampleRate()) : null;
            this.sinkFrame = new short[toSink == null ? 1 : toSink.maxOutput(frameSamples * 3) + frameSamples];
        }
    }

    /** A codec switch asked for, applied at the next tick. */
    private record Switch(AudioCodec codec, int payloadType) {
    }

    /** Sets up the send side for {@code c} (construction, or a switch on the media thread). */
    private void useSendCodec(AudioCodec c, int pt) {
        this.codec = c;
        this.payloadType = pt;
        this.frameSamples = c.samplesPerFrame(ptime);
        this.encoder = c.newEncoder();
        this.toCodec = source != null && source.sampleRate() != c.sampleRate()
                ? new Resampler(source.sampleRate(), c.sampleRate()) : null;
        this.pcm = new short[frameSamples * c.channels() + (toCodec == null ? 0 : toCodec.maxOutput(sourceFrame.length))];
        this.encoded = new byte[c.maxEncodedBytes(frameSamples)];
        boolean mono = c.channels() == 1 && c.sampleRate() % 100 == 0;
        if (processing != null && mono && (processor == null || processor.sampleRate() != c.sampleRate())) {
            this.processor = new VoiceProcessor(c.sampleRate(), processing);
        } else if (!mono) {
            this.processor = null; // voice processing is for mono audio at a rate with 10 ms frames
        }
        if (dtx && (dtxVad == null || dtxVad.sampleRate() != c.sampleRate()) && c.sampleRate() % 100 == 0) {
            this.dtxVad = new VoiceActivityDetector(c.sampleRate());
        }
    }

    private void addReceiveFormat(int pt, AudioCodec c) {
        if (pt < 0 || pt > 127) {
            throw new IllegalArgumentException("payload type " + pt);
        }
        if (c.clockRate() != codec.clockRate()) {
            throw new IllegalArgumentException(c.name() + " runs a " + c.clockRate() + " Hz RTP clock, this stream "
                    + codec.clockRate() + " Hz: use a new stream for it");
        }
        synchronized (rxLock) {
            RxFormat f = rxByPt[pt];
            if (f == null || f.codec != c) {
                rxByPt[pt] = new RxFormat(c, ptime, sink);
                int max = c.sampleRate() * c.channels() * MAX_PACKET_MS / 1000;
                if (rxPcm == null || rxPcm.length < max) {
                    rxPcm = new short[max];
                    rxFifo = new short[2 * max];
                    rxOut = new short[max];
                    fifoLen = 0;
                }
            }
        }
    }

    /**
     * Switches the codec sent (after a re-INVITE), from the next tick on: sequence numbers and
     * timestamps continue without a jump, and the new format is also accepted on receive (the
     * formats accepted before stay accepted, so packets in flight still play). Any thread.
     *
     * @throws IllegalArgumentException when the codec's RTP clock rate differs from this
     *     stream's (that takes a new media session on a new RTP stream: {@link #attachNewStream})
     */
    public void switchCodec(AudioCodec newCodec, int newPayloadType) {
        Objects.requireNonNull(newCodec, "codec");
        addReceiveFormat(newPayloadType, newCodec);
        pendingSwitch = new Switch(newCodec, newPayloadType);
    }

    /**
     * Also decodes {@code codec} arriving with {@code payloadType} from now on, as a
     * renegotiation named it; the formats accepted before stay accepted. Any thread.
     *
     * @throws IllegalArgumentException for a payload type outside 0..127, or a codec whose RTP
     *     clock rate differs from this stream's
     */
    public void receive(int payloadType, AudioCodec codec) {
        addReceiveFormat(payloadType, Objects.requireNonNull(codec, "codec"));
    }

    /**
     * Telephone-event (RFC 4733) on this payload type from now on, for the digits sent and
     * received: a renegotiation renumbered it, or brought it to a session built without it.
     * Any thread.
     *
     * @throws IllegalArgumentException for a payload type outside 0..127
     */
    public void telephoneEvents(int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        synchronized (rxLock) {
            if (eventReceiver == null) {
                eventReceiver = new TelephoneEventReceiver(frameUnits, dtmf);
            }
            this.eventPayloadType = payloadType;
            if (events == null) {
                events = new TelephoneEventSender(frameUnits);
            }
        }
    }

    /**
     * Comfort noise (RFC 3389) on this payload type from now on, or none ({@code -1}): a
     * renegotiation brought it, renumbered it or dropped it. Received CN then plays as comfort
     * noise. A session built with silence suppression sends its CN under this number, and sends
     * every frame while there is none. Any thread.
     *
     * @throws IllegalArgumentException for a payload type outside -1..127
     */
    public void comfortNoise(int payloadType) {
        if (payloadType < -1 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        synchronized (rxLock) {
            if (payloadType >= 0 && cnGenerator == null) {
                cnGenerator = new ComfortNoiseGenerator();
            }
            this.cnPayloadType = payloadType;
        }
    }

    /** A session for {@code codec} sent and received with {@code payloadType}. */
    public static Builder builder(AudioCodec codec, int payloadType) {
        return new Builder(codec, payloadType);
    }

    /** Sends through {@code session} from now on (its listener must be this media session). */
    public void attach(RtpSession session) {
        this.rtp = Objects.requireNonNull(session, "session");
    }

    /**
     * Sends through {@code session} from now on, on a {@linkplain RtpSession#newSendStream new
     * RTP stream} at this session's RTP clock rate (a new SSRC, sequence number and timestamp):
     * for a media session that replaces another on the same RTP session with a codec at another
     * clock rate. From now on that RTP session drops what the replaced media session still sends.
     */
    public void attachNewStream(RtpSession session) {
        Objects.requireNonNull(session, "session");
        session.newSendStream(codec.clockRate(), this); // every codec of a stream has its clock rate
        this.rtp = session;
    }

    /** The packet time, ms: how often {@link #tick} must run. */
    public int ptimeMillis() {
        return ptime;
    }

    /** The codec. */
    public AudioCodec codec() {
        return codec;
    }

    /**
     * Whether RTP goes out at all (any thread). Off while the negotiated direction is recvonly or
     * inactive (held); the media clock keeps running, so timestamps stay continuous on resume.
     */
    public void sending(boolean on) {
        this.sending = on;
    }

    /** Silence instead of the source; RTP keeps flowing (so NATs and media timeouts stay quiet). */
    public void mute(boolean on) {
        this.muted = on;
    }

    /** True while {@linkplain #mute muted}. */
    public boolean muted() {
        return muted;
    }

    /**
     * Takes over what the application set on a session this one replaces: mute and the send and
     * play gains (any thread).
     */
    public void settingsFrom(MediaSession replaced) {
        this.muted = replaced.muted;
        sendGain.setDb(replaced.sendGain.db());
        playGain.setDb(replaced.playGain.db());
    }

    /**
     * Sends a DTMF digit as RFC 4733 telephone-events for {@code millis}; audio pauses while it
     * goes. Call on the media thread (or between ticks).
     *
     * @throws IllegalStateException when no telephone-event payload type was negotiated
     */
    public void sendDigit(char digit, int millis) {
        TelephoneEventSender events = this.events;
        if (events == null) {
            throw new IllegalStateException("telephone-event was not negotiated");
        }
        int code = Dtmf.eventCode(digit);
        if (code < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        events.start(code, (long) codec.clockRate() * millis / 1000, 10);
        eventsActive = events.active();
        digitStart = mediaTime;
    }

    // ------------------------------------------------------------------ receive (I/O thread)

    @Override
    public void onRtp(RtpSession session, RtpPacket p, long arrivalNanos) {
        int pt = p.payloadType();
        synchronized (rxLock) {
            // telephone-events do not decide the source: some gateways send them under an SSRC of their own
            if ((pt != eventPayloadType || eventReceiver == null) && !playing(p.ssrc(), arrivalNanos)) {
                packetsReceived.incrementAndGet();
                return; // just after a switch of source: a straggler of the one left, or a flapping sender
            }
            if (rxByPt[pt] != null && pt != cnPayloadType && pt != eventPayloadType) {
                ptBySeq[p.sequenceNumber() & (ptBySeq.length - 1)] = (byte) pt;
                jitter.put(p.sequenceNumber(), p.timestamp(), p.marker(), p.buffer(), p.payloadOffset(), p.payloadLength(),
                        arrivalNanos);
            } else if (pt == cnPayloadType && cnGenerator != null) {
                jitter.put(p.sequenceNumber(), p.timestamp(), p.marker(), p.buffer(), p.payloadOffset(), p.payloadLength(),
                        arrivalNanos, true);
            } else if (pt == eventPayloadType && eventReceiver != null) {
                eventReceiver.onPacket(p.timestamp(), p.buffer(), p.payloadOffset(), p.payloadLength(), units(arrivalNanos));
            }
        }
        packetsReceived.incrementAndGet();
    }

    private long units(long nanos) {
        return nanos / 1000 * codec.clockRate() / 1_000_000;
    }

    /**
     * How long after a switch of source no other SSRC takes over: the source left still has
     * stragglers on the way, and a sender rotating SSRCs must not cost a jitter buffer a packet.
     */
    private static final long SETTLE_NANOS = 500_000_000L;

    /**
     * Whether an audio or CN packet of this SSRC is played (under rxLock). Another SSRC takes
     * over: a B2BUA moved the call to another phone, or from music on hold to the other party,
     * without a re-INVITE. Its sequence numbers and timestamps start anywhere, so it gets a
     * jitter buffer of its own: the old one would take a new source whose numbers are behind for
     * late packets, all of them. What the old one held is dropped. For a moment after a switch
     * any other SSRC is dropped and counted (the old source's stragglers, or a sender flapping
     * between SSRCs); after that, the old source coming back takes over again (music on hold
     * after a second hold).
     */
    private boolean playing(int ssrc, long arrivalNanos) {
        if (!rxSsrcKnown) {
            rxSsrc = ssrc;
            rxSsrcKnown = true;
            return true;
        }
        if (ssrc == rxSsrc) {
            return true;
        }
        if (switched && arrivalNanos - switchedAtNanos < SETTLE_NANOS) {
            otherSourceDropped++;
            return false;
        }
        lateBefore += jitter.statistics().late();
        jitter = new JitterBuffer(jitterConfig);
        switchedAtNanos = arrivalNanos;
        switched = true;
        rxSsrc = ssrc;
        sourceChanges++;
        return true;
    }

    /** Packets of another SSRC dropped in the moment after a switch of source (see {@link #onRtp}). */
    public long otherSourceDropped() {
        synchronized (rxLock) {
            return otherSourceDropped;
        }
    }

    /** How many times another SSRC took over the stream (see {@link #onRtp}). */
    public long sourceChanges() {
        synchronized (rxLock) {
            return sourceChanges;
        }
    }

    // ------------------------------------------------------------------ the media clock

    /** One packet time: send a frame, then play one. {@code nowNanos} is on the RTP session's clock. */
    public void tick(long nowNanos) {
        send();
        receive(nowNanos);
        if (bus != null && rtp != null) {
            if (lastQualityNanos == Long.MIN_VALUE) {
                lastQualityNanos = nowNanos;
            } else if (nowNanos - lastQualityNanos >= qualityIntervalNanos) {
                lastQualityNanos = nowNanos;
                bus.publish(quality());
            }
        }
    }

    /**
     * The quality since the last report: loss (lost, and discarded late by the jitter buffer),
     * jitter, RTT and the estimated delay, and the E-model rating where the codec has
     * narrowband values. Call on the media thread.
     */
    public MediaEvent.QualityChanged quality() {
        RtpSession r = rtp;
        ReceiverStatistics st = r == null ? null : r.receiverStatistics();
        long expected = st == null ? 0 : st.expected();
        long lost = st == null ? 0 : Math.max(0, st.cumulativeLost());
        long late;
        int bufferMs;
        synchronized (rxLock) {
            late = lateBefore + jitter.statistics().late();
            bufferMs = jitter.targetDelayMs();
        }
        long dExpected = expected - lastExpected;
        double lossPercent = dExpected <= 0 ? 0
                : Math.min(100, 100.0 * ((lost - lastLost) + (late - lastLate)) / dExpected);
        lastExpected = expected;
        lastLost = lost;
        lastLate = late;
        long rttNanos = r == null ? 0 : r.roundTripNanos();
        long rttMs = rttNanos > 0 ? rttNanos / 1_000_000 : -1;
        long delayMs = Math.max(0, rttMs) / 2 + bufferMs + ptime + rxLast.decoder.delaySamples() * 1000L / rxLast.codec.sampleRate();
        double jitterMs = st == null ? 0 : st.jitterMillis();
        double rating = Double.NaN;
        double mos = Double.NaN;
        if (impairment != null) {
            EModel e = new EModel(delayMs, lossPercent, 1, impairment, 0);
            rating = e.r();
            mos = e.mos();
        }
        return new MediaEvent.QualityChanged(id, rating, mos, lossPercent, jitterMs, rttMs, delayMs);
    }

    private void send() {
        Switch sw = pendingSwitch;
        if (sw != null) {
            pendingSwitch = null;
            useSendCodec(sw.codec(), sw.payloadType());
        }
        RtpSession out = sending ? rtp : null;
        if (!sending) {
            talkspurt = true; // when sending resumes, it starts a talkspurt
        }
        if (source != null && !eventsActive) {
            if (toCodec == null) {
                source.read(pcm, 0, frameSamples);
            } else {
                source.read(sourceFrame, 0, sourceFrame.length);
                int n = toCodec.process(sourceFrame, 0, sourceFrame.length, pcm, 0);
                if (n < frameSamples) {
                    java.util.Arrays.fill(pcm, n, frameSamples, (short) 0); // the filter's start-up
                }
            }
            if (processor != null) {
                boolean any = false;
                int chunk = processor.frameSamples();
                for (int o = 0; o + chunk <= frameSamples; o += chunk) {
                    processor.capture(pcm, o);
                    any |= processor.speech();
                }
                frameSpeech = any;
            }
            sendGain.process(pcm, 0, frameSamples);
            if (muted) {
                java.util.Arrays.fill(pcm, 0, frameSamples, (short) 0);
            }
            sendLevel.process(pcm, 0, frameSamples);
            if (dtx && cnPayloadType >= 0 && silent(out)) { // (no CN negotiated any more: every frame goes)
                mediaTime += frameUnits;
                return;
            }
            int len = encoder.encode(pcm, 0, frameSamples, encoded, 0);
            if (len == 0) {
                talkspurt = true; // DTX: nothing to send; the next packet starts a talkspurt
            } else {
                if (out != null && out.sendRtp(this, payloadType, talkspurt, mediaTime, encoded, 0, len)) {
                    framesSent++;
                }
                talkspurt = false;
            }
        } else if (eventsActive) {
            TelephoneEventSender.Packet p = events.next();
            if (p != null && out != null) {
                out.sendRtp(this, eventPayloadType, p.marker(), digitStart + p.timestamp(), p.payload(), 0, 4);
            }
            if (!events.active()) {
                eventsActive = false;
                talkspurt = true; // audio resumes as a new talkspurt
            }
        }
        mediaTime += frameUnits;
    }

    /**
     * Discontinuous transmission: true when the frame in {@code pcm} is inactive, after sending
     * a comfort-noise packet if the silence starts now, its level moved by 2 dB or more, or the
     * last one is 5 s old.
     */
    private boolean silent(RtpSession out) {
        boolean speech;
        if (processor != null && processor.detects()) {
            speech = frameSpeech;
        } else if (dtxVad != null) {
            speech = false;
            int chunk = dtxVad.frameSamples();
            for (int o = 0; o + chunk <= frameSamples; o += chunk) {
                speech |= dtxVad.isSpeech(pcm, o);
            }
        } else {
            speech = true; // no detector at this rate: always send
        }
        if (!speech) {
            cnEncoder.analyse(pcm, 0, frameSamples);
        }
        boolean active = speech || dtxHangover > 0;
        dtxHangover = speech ? Math.max(1, DTX_HANGOVER_MS / ptime) : Math.max(0, dtxHangover - 1);
        if (active) {
            sendingSilence = false;
            return false;
        }
        int level = cnEncoder.level();
        if (!sendingSilence || Math.abs(level - sidLevel) >= 2 || mediaTime - sidTime >= 5L * codec.clockRate()) {
            int len = cnEncoder.encode(encoded, 0);
            if (out != null && out.sendRtp(this, cnPayloadType, false, mediaTime, encoded, 0, len)) {
                sidsSent++;
            }
            sidLevel = level;
            sidTime = mediaTime;
        }
        sendingSilence = true;
        talkspurt = true; // the next voice packet starts a talkspurt (marker bit)
        return true;
    }

    /** DTX keeps sending this long after the last speech frame, so word endings are not clipped. */
    private static final int DTX_HANGOVER_MS = 200;

    /** The longest packet decoded (a peer may send longer packets than our ptime: 30 ms phones, 60 ms trunks). */
    private static final int MAX_PACKET_MS = 120;

    /**
     * Plays one tick: pulls from the jitter buffer until a frame of audio is decoded (a packet
     * longer than our ptime leaves the rest for the next ticks, so the buffer is pulled at the
     * rate the sender's packets cover), then writes exactly one frame to the sink.
     */
    private void receive(long nowNanos) {
        RxFormat fmt;
        short[] out;
        int want;
        synchronized (rxLock) {
            if (eventReceiver != null) {
                eventReceiver.tick(units(nowNanos));
            }
            fmt = rxLast;
            want = fmt.frameSamples;
            for (int pulls = 0; fifoLen < want && pulls < 4; pulls++) {
                int got = decode(jitter.pull(nowNanos), fmt);
                RxFormat now = rxLast;
                if (now.codec.sampleRate() != fmt.codec.sampleRate()) {
                    fifoLen = 0; // the stream changed codec rate: what is left of the old one is dropped
                }
                fmt = now;
                want = fmt.frameSamples;
                if (fifoLen + got > rxFifo.length) {
                    int drop = fifoLen + got - rxFifo.length;
                    System.arraycopy(rxFifo, drop, rxFifo, 0, fifoLen - drop);
                    fifoLen -= drop;
                }
                System.arraycopy(rxPcm, 0, rxFifo, fifoLen, got);
                fifoLen += got;
            }
            out = rxOut;
            int n = Math.min(want, fifoLen);
            System.arraycopy(rxFifo, 0, out, 0, n);
            System.arraycopy(rxFifo, n, rxFifo, 0, fifoLen - n);
            fifoLen -= n;
            if (n < want) {
                java.util.Arrays.fill(out, n, want, (short) 0);
            }
        }
        playGain.process(out, 0, want);
        playLevel.process(out, 0, want);
        if (processor != null) {
            reference(out, want, fmt.codec.sampleRate());
        }
        if (sink == null) {
            return;
        }
        if (fmt.toSink == null) {
            sink.write(out, 0, want);
        } else {
            int m = fmt.toSink.process(out, 0, want, fmt.sinkFrame, 0);
            sink.write(fmt.sinkFrame, 0, m);
        }
    }

    /**
     * Gives what is played to the voice processor (at its rate, in 10 ms frames) as the echo
     * reference. Resampled audio that does not fill a whole frame waits for the next tick, so the
     * reference never drifts against the capture.
     */
    private void reference(short[] played, int samples, int rate) {
        VoiceProcessor p = processor;
        int chunk = p.frameSamples();
        if (rate == p.sampleRate()) {
            for (int o = 0; o + chunk <= samples; o += chunk) {
                p.render(played, o);
            }
            return;
        }
        if (toProcessor == null || toProcessor.inRate() != rate || toProcessor.outRate() != p.sampleRate()) {
            toProcessor = new Resampler(rate, p.sampleRate());
            referenceFrame = new short[toProcessor.maxOutput(samples * 3) + 2 * chunk];
            referenceHeld = 0;
        }
        int n = referenceHeld + toProcessor.process(played, 0, samples, referenceFrame, referenceHeld);
        int o = 0;
        for (; o + chunk <= n; o += chunk) {
            p.render(referenceFrame, o);
        }
        referenceHeld = n - o;
        System.arraycopy(referenceFrame, o, referenceFrame, 0, referenceHeld);
    }

    /** Decodes, conceals or fills one jitter-buffer frame into {@code rxPcm}; returns the samples written. */
    private int decode(Frame f, RxFormat current) {
        RxFormat fmt = current;
        int span = f.samples() <= 0 ? fmt.frameSamples
                : (int) Math.min(rxPcm.length, (long) f.samples() * fmt.codec.sampleRate() / fmt.codec.clockRate());
        switch (f.kind()) {
            case PACKET -> {
                if (f.silenceDescriptor()) {
                    try {
                        cnGenerator.update(f.payload(), 0, f.length());
                        cnPlaying = true;
                    } catch (IllegalArgumentException e) {
                        // an empty CN payload: keep what was playing
                    }
                    return silence(fmt, rxPcm, fmt.frameSamples);
                }
                cnPlaying = false;
                RxFormat played = rxByPt[ptBySeq[f.sequenceNumber() & (ptBySeq.length - 1)] & 0x7F];
                if (played != null) {
                    fmt = played;
                    rxLast = played;
                }
                try {
                    int n = fmt.decoder.decode(f.payload(), 0, f.length(), rxPcm, 0);
                    framesDecoded++;
                    return n;
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    framesConcealed++; // a malformed payload, or one longer than 120 ms: as if lost
                    return fmt.decoder.conceal(rxPcm, 0, fmt.frameSamples);
                }
            }
            case LOST -> {
                framesConcealed++;
                return f.payload() != null
                        ? fmt.decoder.concealFromNext(f.payload(), 0, f.length(), rxPcm, 0, span)
                        : fmt.decoder.conceal(rxPcm, 0, span);
            }
            case INSERTED -> {
                framesConcealed++;
                return fmt.decoder.conceal(rxPcm, 0, span);
            }
            case SILENCE -> {
                return silence(fmt, rxPcm, span);
            }
            default -> {
                return silence(fmt, rxPcm, fmt.frameSamples);
            }
        }
    }

    /** Comfort noise while a CN period runs, else digital silence. */
    private int silence(RxFormat fmt, short[] out, int samples) {
        if (cnPlaying) {
            cnGenerator.generate(out, 0, samples);
        } else {
            java.util.Arrays.fill(out, 0, samples, (short) 0);
        }
        framesSilent++;
        return samples;
    }

    /** Sets the gain applied to the source before encoding, dB (any thread; ramped over the next frame). */
    public void setSendGain(double db) {
        sendGain.setDb(db);
    }

    /** Sets the gain applied to decoded audio before the sink, dB (any thread; ramped over the next frame). */
    public void setPlayGain(double db) {
        playGain.setDb(db);
    }

    /** The gain applied to the source before encoding, dB. */
    public double sendGainDb() {
        return sendGain.db();
    }

    /** The gain applied to decoded audio before the sink, dB. */
    public double playGainDb() {
        return playGain.db();
    }

    /**
     * The voice processor working on the captured audio (echo cancellation, noise suppression,
     * voice detection, gain control), or null when the session has none. Its switches and talk
     * time may be used from any thread. A codec switch to another sample rate starts a new
     * processor from the session's configuration (stages on as configured, counters at zero).
     */
    public VoiceProcessor voiceProcessor() {
        return processor;
    }

    /** The level of what is sent (after gain and mute), read from any thread. */
    public LevelMeter sendLevel() {
        return sendLevel;
    }

    /** The level of what is played (after gain), read from any thread. */
    public LevelMeter playLevel() {
        return playLevel;
    }

    /** Comfort-noise packets sent (read on the media thread). */
    public long comfortNoiseSent() {
        return sidsSent;
    }

    /** RTP packets handed to this session (filed into the jitter buffer or the event receiver, or ignored). */
    public long packetsReceived() {
        return packetsReceived.get();
    }

    /** Frames sent, decoded, concealed and played as silence (read on the media thread). */
    public long[] counters() {
        return new long[] {framesSent, framesDecoded, framesConcealed, framesSilent};
    }

    /**
     * What reception has counted since the session started: packets expected (RFC 3550 §A.3),
     * lost in the network, and discarded by the jitter buffer for arriving after their playout
     * time. {@link #quality()} reports the last two together as loss.
     */
    public record Reception(long expected, long lost, long late) {
    }

    /** A snapshot of {@link Reception} (any thread; the counts of a running call move on). */
    public Reception reception() {
        RtpSession r = rtp;
        ReceiverStatistics st = r == null ? null : r.receiverStatistics();
        long late;
        synchronized (rxLock) {
            late = lateBefore + jitter.statistics().late();
        }
        return new Reception(st == null ? 0 : st.expected(), st == null ? 0 : Math.max(0, st.cumulativeLost()), late);
    }

    /** The jitter buffer's current target delay, ms. */
    public int jitterDelayMs() {
        synchronized (rxLock) {
            return jitter.targetDelayMs();
        }
    }

    /** Builder of {@link MediaSession}. */
    public static final class Builder {
        private final AudioCodec codec;
        private final int payloadType;
        private int eventPayloadType = -1;
        private final java.util.Map<Integer, AudioCodec> receive = new java.util.LinkedHashMap<>();
        private int cnPayloadType = -1;
        private boolean silenceSuppression;
        private int ptime = 20;
        private AudioSource source;
        private AudioSink sink;
        private Consumer<TelephoneEventReceiver.Event> dtmf;
        private String id = "media";
        private EventBus bus;
        private Duration qualityInterval = Duration.ofSeconds(5);
        private EModel.Codec impairment;
        private VoiceProcessor.Config processing;

        private Builder(AudioCodec codec, int payloadType) {
            this.codec = Objects.requireNonNull(codec, "codec");
            if (payloadType < 0 || payloadType > 127) {
                throw new IllegalArgumentException("payload type " + payloadType);
            }
            this.payloadType = payloadType;
        }

        /** Packet time, ms (10, 20, 30, 40 or 60; default 20). */
        public Builder ptime(int millis) {
            if (millis < 10 || millis > 60 || millis % 10 != 0) {
                throw new IllegalArgumentException("ptime " + millis);
            }
            this.ptime = millis;
            return this;
        }

        /**
         * Also decodes {@code codec} arriving with {@code payloadType}: an offerer must be ready
         * to receive any format it offered (RFC 3264 §5.1), and the peer may switch between them
         * at any packet. The codec must share the main codec's RTP clock rate.
         */
        public Builder receive(int payloadType, AudioCodec codec) {
            if (payloadType < 0 || payloadType > 127) {
                throw new IllegalArgumentException("payload type " + payloadType);
            }
            receive.put(payloadType, Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /** The negotiated telephone-event payload type (RFC 4733). */
        public Builder telephoneEvents(int payloadType) {
            this.eventPayloadType = payloadType;
            return this;
        }

        /**
         * The negotiated comfort-noise payload type (RFC 3389; 13 at 8000 Hz): received CN
         * packets are played as shaped noise until the next voice packet.
         */
        public Builder comfortNoise(int payloadType) {
            this.cnPayloadType = payloadType;
            return this;
        }

        /**
         * Discontinuous transmission (needs {@link #comfortNoise}): frames the voice activity
         * detector finds inactive are not sent; a CN packet describing the background noise is
         * sent when the silence starts, when its level moves by 2 dB, and every 5 s.
         */
        public Builder silenceSuppression(boolean on) {
            this.silenceSuppression = on;
            return this;
        }

        /** The outgoing audio (none: nothing is sent). */
        public Builder source(AudioSource s) {
            this.source = s;
            return this;
        }

        /** The incoming audio (none: it is decoded and dropped). */
        public Builder sink(AudioSink s) {
            this.sink = s;
            return this;
        }

        /** Gets the digits received as telephone-events. */
        public Builder dtmf(Consumer<TelephoneEventReceiver.Event> listener) {
            this.dtmf = listener;
            return this;
        }

        /**
         * Publishes {@link MediaEvent}s (quality every {@code qualityInterval},
         * DTMF digits) on {@code bus}, routed by {@code sessionId}.
         */
        public Builder events(EventBus bus, String sessionId, Duration qualityInterval) {
            this.bus = Objects.requireNonNull(bus, "bus");
            this.id = Objects.requireNonNull(sessionId, "sessionId");
            this.qualityInterval = Objects.requireNonNull(qualityInterval, "qualityInterval");
            return this;
        }

        /** The codec's E-model Ie and Bpl (default: G.113's for G.711, none for the others). */
        public Builder impairment(EModel.Codec codecImpairment) {
            this.impairment = codecImpairment;
            return this;
        }

        /**
         * Runs the voice processing chain on the captured audio, with the played audio as the
         * echo reference (see {@link VoiceProcessor}); null for none. It runs at the send
         * codec's sample rate, on mono codecs. With discontinuous transmission, its voice
         * detector (when on) decides what is silence.
         */
        public Builder voiceProcessing(VoiceProcessor.Config config) {
            this.processing = config;
            return this;
        }

        /** Builds. */
        public MediaSession build() {
            if (silenceSuppression && cnPayloadType < 0) {
                throw new IllegalStateException("silence suppression needs a comfort-noise payload type");
            }
            return new MediaSession(this);
        }
    }
}
