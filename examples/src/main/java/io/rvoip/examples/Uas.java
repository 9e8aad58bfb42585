package io.rvoip.examples;

import io.rvoip.media.MediaEvent;
import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.io.WavFile;
import io.rvoip.media.relay.AudioPipe;
import io.rvoip.session.CallHandler;
import io.rvoip.session.SessionCoordinator;
import io.rvoip.session.SessionEvent;
import io.rvoip.sip.transport.TransportType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An auto-answering server: plays a file (looped) or echoes, optionally records each call to a
 * WAV file, prints one line per call and a summary when stopped (Ctrl-C).
 */
@Command(name = "uas", mixinStandardHelpOptions = true,
        description = "Answer every call: play a file or echo; record; one line per call, a summary on Ctrl-C.")
final class Uas implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = "--listen", defaultValue = "udp:0.0.0.0:5060",
            description = "transport:host:port, repeatable: one listening point per transport (default ${DEFAULT-VALUE}).")
    java.util.List<String> listen;

    @Option(names = "--play", description = "A 16-bit PCM WAV file to play, looped.")
    Path play;

    @Option(names = "--echo", description = "Send back what the caller says.")
    boolean echo;

    @Option(names = "--record", description = "A directory: each call's incoming audio is written there as <call-id>.wav.")
    Path record;

    @Option(names = "--rtp-ports", defaultValue = "20000-29999", description = "RTP port range (default ${DEFAULT-VALUE}).")
    String rtpPorts;

    @Option(names = "--rtp-threads", description = "Event-loop threads for RTP sockets (default: half the cores, at least one).")
    Integer rtpThreads;

    @Option(names = "--shared-rtp-ports", description = "Put every call's RTP on this many shared port pairs, told apart by the "
            + "peer's address, instead of a pair per call: far fewer system calls; no NAT latching (default: 0, a pair per call).")
    Integer sharedRtpPorts;

    @Option(names = "--status-every", description = "Print a status line (calls up, media frames skipped so far) every this "
            + "many seconds (default: never).")
    Integer statusEvery;

    @Option(names = "--max-calls", description = "Refuse calls beyond this many at once with 503 and Retry-After (default: no limit).")
    Integer maxCalls;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile SessionCoordinator running;
    private volatile java.util.function.LongSupplier refused = () -> 0;
    private volatile java.util.function.LongSupplier skipped = () -> 0;

    /** Stops a running server (what Ctrl-C does). */
    void stop() {
        stop.countDown();
    }

    /** The running coordinator, once started (tests). */
    SessionCoordinator coordinator() {
        return running;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (play != null && echo) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--play and --echo exclude each other");
        }
        WavFile file = play == null ? null : WavFile.read(play);
        if (record != null) {
            Files.createDirectories(record);
        }
        java.util.List<Cli.Listen> where = new java.util.ArrayList<>();
        for (String l : listen) {
            where.add(Cli.Listen.parse(l));
        }
        String[] range = rtpPorts.split("-");
        Map<String, PcmRecorder> recorders = new ConcurrentHashMap<>();
        Map<String, MediaEvent.QualityChanged> quality = new ConcurrentHashMap<>();
        AtomicLong calls = new AtomicLong();
        AtomicLong seconds = new AtomicLong();
        Map<String, String> who = new ConcurrentHashMap<>(); // call id -> "from, codec"
        CallHandler handler = call -> {
            who.put(call.id(), call.from().uri() + ", " + (call.media() == null ? "?" : call.media().codec().name()));
            PcmRecorder rec = record == null ? null : new PcmRecorder(16000, 16000 * 600);
            if (rec != null) {
                recorders.put(call.id(), rec);
            }
            if (echo) {
                // the pipe at the codec's rate: no resampling on the way back
                AudioPipe back = new AudioPipe(call.media() == null ? 16000 : call.media().codec().sampleRate(), 200);
                call.audio(back, rec == null ? back : new Tee(back, rec));
            } else {
                call.audio(file == null ? null : PcmSource.of(file, true), rec);
            }
            return CallHandler.Decision.accept();
        };
        SessionCoordinator.Builder sb = SessionCoordinator.builder();
        boolean secure = false;
        for (Cli.Listen l : where) {
            sb.listen(l.type(), l.address());
            secure |= l.type().isSecure();
        }
        sb = common.apply(sb, secure ? TransportType.TLS : TransportType.UDP);
        if (maxCalls != null) {
            sb.maxCalls(maxCalls);
        }
        if (rtpThreads != null) {
            sb.rtpThreads(rtpThreads);
        }
        if (sharedRtpPorts != null) {
            sb.sharedRtpPorts(sharedRtpPorts);
        }
        try (SessionCoordinator uas = sb.rtpPorts(Integer.parseInt(range[0]), Integer.parseInt(range[1])).handler(handler)
                .build()) {
            uas.events().subscribe(MediaEvent.QualityChanged.class).inline().handle(q -> quality.put(q.sessionId(), q));
            uas.events().subscribe(SessionEvent.CallEnded.class).inline().handle(e -> {
                calls.incrementAndGet();
                seconds.addAndGet(e.duration().toSeconds());
                MediaEvent.QualityChanged q = quality.remove(e.sessionId());
                PcmRecorder rec = recorders.remove(e.sessionId());
                if (rec != null) {
                    try {
                        rec.toWav().write(record.resolve(e.sessionId().replaceAll("[^A-Za-z0-9._-]", "_") + ".wav"));
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
                synchronized (out) {
                    // one line per call: who, codec, duration, MOS, how it ended
                    out.printf(Locale.ROOT, "call from %s, %d s, MOS %s, %s%n", who.getOrDefault(e.sessionId(), "?"),
                            e.duration().toSeconds(), q == null ? "n/a" : Cli.mos(q.mos()), e.reason().cause());
                    who.remove(e.sessionId());
                    out.flush();
                }
            });
            running = uas;
            refused = uas::overloadRejected;
            skipped = uas::mediaFramesSkipped;
            Thread hook = new Thread(() -> {
                stop();
                try {
                    done.await(10, java.util.concurrent.TimeUnit.SECONDS); // let the summary print before the JVM exits
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "rvoip-uas-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            java.util.concurrent.ScheduledExecutorService status = null;
            if (statusEvery != null && statusEvery > 0) {
                status = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rvoip-uas-status");
                    t.setDaemon(true);
                    return t;
                });
                status.scheduleAtFixedRate(() -> {
                    synchronized (out) {
                        out.printf(Locale.ROOT, "rvoip uas status: %d calls up, %d media frames skipped%n", uas.calls().size(),
                                uas.mediaFramesSkipped());
                        out.flush();
                    }
                }, statusEvery, statusEvery, java.util.concurrent.TimeUnit.SECONDS);
            }
            out.printf("rvoip uas listening on %s (%s)%n", String.join(", ", uas.contacts().values().stream().map(Object::toString).toList()),
                    echo ? "echo" : play == null ? "silence" : "playing " + play);
            out.flush();
            stop.await();
            if (status != null) {
                status.shutdownNow();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook already ran
            }
        }
        out.printf("rvoip uas: %d calls, %d s of audio, %d refused over --max-calls, %d media frames skipped%n",
                calls.get(), seconds.get(), refused.getAsLong(), skipped.getAsLong());
        out.flush();
        done.countDown();
        return 0;
    }

    /** Writes to two sinks at the first's rate (the echo pipe and the recorder share 16 kHz). */
    private record Tee(io.rvoip.media.io.AudioSink a, io.rvoip.media.io.AudioSink b) implements io.rvoip.media.io.AudioSink {
        @Override
        public int sampleRate() {
            return a.sampleRate();
        }

        @Override
        public void write(short[] pcm, int off, int samples) {
            a.write(pcm, off, samples);
            b.write(pcm, off, samples);
        }
    }
}
