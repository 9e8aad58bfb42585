package io.rvoip.examples;

import io.rvoip.media.io.PcmRecorder;
import io.rvoip.media.io.PcmSource;
import io.rvoip.media.io.WavFile;
import io.rvoip.session.CallFailedException;
import io.rvoip.session.CallSession;
import io.rvoip.session.SessionCoordinator;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Places one call: plays a file (or the bundled clip), records, sends digits, hangs up; exit 0 when answered. */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Place one call, play and record, send DTMF, hang up; exit 0 on success with a one-line result.")
final class Call implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(index = "0", description = "The SIP URI to call, e.g. sip:echo@127.0.0.1:5060.")
    String target;

    @Option(names = "--from", defaultValue = "sip:rvoip@127.0.0.1", description = "Our address (default ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--play", description = "A 16-bit PCM WAV file to play (default: the bundled speech clip).")
    Path play;

    @Option(names = "--record", description = "A WAV file for what we hear.")
    Path record;

    @Option(names = "--duration", defaultValue = "5", description = "Seconds to stay on the call after the answer (default ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--dtmf", description = "Digits to send (RFC 4733), one every 300 ms after the answer.")
    String dtmf;

    @Option(names = "--dtmf-mode", defaultValue = "rfc4733", description = "rfc4733, info or inband (default ${DEFAULT-VALUE}).")
    String dtmfMode;

    @Option(names = "--transport", defaultValue = "udp", description = "udp, tcp, tls, ws or wss (default ${DEFAULT-VALUE}).")
    String transport;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TransportType type;
        try {
            type = TransportType.valueOf(transport.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown transport " + transport);
        }
        String to = type != TransportType.UDP && !target.contains("transport=")
                ? target + ";transport=" + type.name().toLowerCase(Locale.ROOT) : target;
        WavFile clip = play == null ? Cli.bundledSpeech() : WavFile.read(play);
        PcmRecorder heard = record == null ? null : new PcmRecorder(16000, 16000 * (duration + 10));
        SessionCoordinator.Builder sb = common.apply(
                SessionCoordinator.builder().listen(type, new InetSocketAddress("0.0.0.0", 0)), type);
        try (SessionCoordinator uac = sb.dtmf(io.rvoip.session.DtmfMode.valueOf(dtmfMode.toUpperCase(Locale.ROOT))).build()) {
            long t0 = System.nanoTime();
            CallSession call = uac.call(Address.of(Uri.parse(from)), Uri.parse(to), PcmSource.of(clip, true), heard);
            try {
                call.answered().get(35, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                String why = e.getCause() instanceof CallFailedException f ? f.reason().cause() + " " + f.reason().status()
                        : String.valueOf(e.getCause());
                out.println("call failed: " + why);
                out.flush();
                return 1;
            }
            long setupMs = (System.nanoTime() - t0) / 1_000_000;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(duration);
            if (dtmf != null) {
                for (char d : dtmf.toCharArray()) {
                    call.sendDigit(d);
                    Thread.sleep(300);
                }
            }
            long left = end - System.nanoTime();
            if (left > 0) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
            }
            var counters = call.rtpCounters();
            call.hangup();
            call.ended().get(35, TimeUnit.SECONDS);
            if (heard != null) {
                heard.toWav().write(record);
            }
            out.printf(Locale.ROOT, "call OK: %s, setup %d ms, %d s, packets sent %d received %d%n",
                    call.media().codec().name(), setupMs, duration, counters.rtpSent(), counters.rtpReceived());
            out.flush();
            return 0;
        }
    }
}
