package io.rvoip.examples;

import io.rvoip.media.MediaEvent;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.codec.Opus;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.io.WavFile;
import io.rvoip.media.quality.Similarity;
import io.rvoip.media.relay.AudioPipe;
import io.rvoip.session.CallHandler;
import io.rvoip.session.CallSession;
import io.rvoip.session.SessionCoordinator;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The README's main job: an echo server and a caller in one process over loopback. Two calls
 * (G.711 µ-law, then Opus) play the bundled speech clip; the server sends back what it hears;
 * the caller records the echo. Prints, per call: setup time, codec, packets (and how many were
 * lost, or came too late to play), the worst jitter, the mean MOS of the call's one-second
 * quality reports, and how closely the echo matches the clip. Exits 1 when a call fails or the
 * echo does not come back.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Two echo calls over loopback (G.711, Opus) with the bundled speech clip; prints setup, packets, loss, MOS.")
final class Demo implements Callable<Integer> {
    /**
     * The echo went through the codec twice. Waveform similarity is about 0.9 for G.711 (0.90 at
     * worst seen, with the machine loaded), and 0.55–0.75 for Opus, whose speech mode (SILK) does
     * not keep the waveform and whose figure drops when the machine is busy. Unrelated audio
     * scores under 0.3.
     */
    private static final double MIN_SIMILARITY_G711 = 0.7;
    private static final double MIN_SIMILARITY_OPUS = 0.45;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        WavFile speech = Cli.bundledSpeech();
        boolean ok = true;
        CallHandler echo = call -> {
            // the pipe at the codec's rate: no resampling on the way back
            AudioPipe back = new AudioPipe(call.media() == null ? 16000 : call.media().codec().sampleRate(), 200);
            call.audio(back, back);
            return CallHandler.Decision.accept();
        };
        try (SessionCoordinator server = SessionCoordinator.builder()
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0)).rtpPorts(42000, 42999)
                .codecs(CodecRegistry.of(true, Opus.VOICE, G722.INSTANCE, G711.PCMU, G711.PCMA)).handler(echo).build()) {
            SipUri contact = (SipUri) server.contact().uri();
            Uri target = Uri.parse("sip:echo@127.0.0.1:" + contact.port());
            out.printf("rvoip demo: echo server on %s; playing a %.1f s speech clip per call%n", target,
                    speech.frames() / (double) speech.sampleRate());
            out.flush();
            int n = 0;
            for (CodecRegistry codecs : List.of(CodecRegistry.of(true, G711.PCMU), CodecRegistry.of(true, Opus.VOICE))) {
                ok &= call(++n, codecs, target, speech, out);
            }
        }
        out.println(ok ? "demo: OK" : "demo: FAILED");
        out.flush();
        return ok ? 0 : 1;
    }

    private static boolean call(int n, CodecRegistry codecs, Uri target, WavFile speech, PrintWriter out) throws Exception {
        Map<String, List<MediaEvent.QualityChanged>> quality = new ConcurrentHashMap<>();
        try (SessionCoordinator caller = SessionCoordinator.builder()
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0)).rtpPorts(43000, 43999)
                .codecs(codecs).qualityInterval(Duration.ofSeconds(1)).build()) {
            caller.events().subscribe(MediaEvent.QualityChanged.class).inline().handle(q -> quality
                    .computeIfAbsent(q.sessionId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(q));
            PcmRecorder heard = new PcmRecorder(8000, speech.frames() + 8000 * 3);
            long t0 = System.nanoTime();
            CallSession call = caller.call(Address.of(Uri.parse("sip:demo@127.0.0.1")), target, PcmSource.of(speech, false),
                    heard);
            try {
                call.answered().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                out.printf("call %d  failed: %s%n", n, e.getCause().getMessage());
                return false;
            }
            double setupMs = (System.nanoTime() - t0) / 1e6;
            // the clip, then time for the echo to come back
            Thread.sleep(speech.frames() * 1000L / speech.sampleRate() + 1500);
            // the whole call: packets lost in the network and those that came after their playout
            // time (a stalled machine makes some), and the mean of the one-second quality reports
            var reception = call.mediaSession().reception();
            var counters = call.rtpCounters();
            List<MediaEvent.QualityChanged> reports = quality.getOrDefault(call.id(), List.of());
            call.hangup();
            call.ended().get(10, TimeUnit.SECONDS);
            double similarity = Similarity.crossCorrelation(speech.samples(), heard.samples(), 4000, 4000);
            out.printf(Locale.ROOT,
                    "call %d  %-12s setup %6.1f ms  packets sent %d received %d (lost %d, late %d)  jitter %.1f ms  MOS %s  echo similarity %.3f%n",
                    n, call.media().codec().name() + "/" + call.media().codec().clockRate(), setupMs,
                    counters.rtpSent(), counters.rtpReceived(), reception.lost(), reception.late(),
                    reports.stream().mapToDouble(MediaEvent.QualityChanged::jitterMs).max().orElse(0),
                    Cli.mos(reports.stream().mapToDouble(MediaEvent.QualityChanged::mos).average().orElse(Double.NaN)),
                    similarity);
            out.flush();
            boolean opus = call.media().codec() instanceof Opus;
            return similarity >= (opus ? MIN_SIMILARITY_OPUS : MIN_SIMILARITY_G711);
        }
    }
}
