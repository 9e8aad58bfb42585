package io.rvoip.examples;

import io.rvoip.session.SessionCoordinator;
import io.rvoip.session.sdp.SrtpMode;
import io.rvoip.sip.transport.TransportType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options {@code uas} and {@code call} share: codecs, SRTP, dead-call timeouts and TLS certificates. */
final class CommonOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    private int mediaTimeout = 30;
    private int holdTimeout;

    @Option(names = "--media-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "End a call with BYE after this many seconds in which the peer sent neither RTP nor RTCP; "
                    + "0 turns it off (default ${DEFAULT-VALUE}).")
    void mediaTimeout(int seconds) {
        this.mediaTimeout = seconds(seconds, "--media-timeout");
    }

    @Option(names = "--hold-timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "The same for a call on hold, where no RTP flows and only RTCP shows the peer is there; "
                    + "0 (the default) never ends a held call for silence, as some phones stop RTCP while held.")
    void holdTimeout(int seconds) {
        this.holdTimeout = seconds(seconds, "--hold-timeout");
    }

    private int seconds(int seconds, String option) {
        if (seconds < 0) {
            throw new CommandLine.ParameterException(mixee.commandLine(), option + " must be 0 or more seconds, got " + seconds);
        }
        return seconds;
    }

    @Option(names = "--codecs", defaultValue = "G722,PCMU,PCMA,opus",
            description = "Codecs in preference order (default ${DEFAULT-VALUE}).")
    String codecs;

    @Option(names = "--srtp", defaultValue = "off",
            description = "SRTP with SDES keys: off, offer (best effort) or require (default ${DEFAULT-VALUE}).")
    String srtp;

    @Option(names = "--tls-cert", description = "Our certificate chain (PEM), for tls and wss.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "Our private key (PKCS#8 PEM, unencrypted), for tls and wss.")
    Path tlsKey;

    @Option(names = "--tls-trust", description = "The CA certificates to trust (PEM); default: the JDK's trust store.")
    Path tlsTrust;

    /** Sets the codecs, the SRTP mode, the timeouts and, for a secure transport, the TLS configuration. */
    SessionCoordinator.Builder apply(SessionCoordinator.Builder b, TransportType transport) throws IOException {
        b.codecs(Cli.codecs(codecs)).srtp(SrtpMode.valueOf(srtp.toUpperCase(Locale.ROOT)))
                .mediaTimeout(Duration.ofSeconds(mediaTimeout)).holdTimeout(Duration.ofSeconds(holdTimeout));
        if (transport.isSecure()) {
            b.tls(Cli.tls(tlsCert, tlsKey, tlsTrust));
        }
        return b;
    }
}
