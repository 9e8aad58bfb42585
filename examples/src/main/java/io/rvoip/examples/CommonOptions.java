package io.rvoip.examples;

import io.rvoip.session.SessionCoordinator;
import io.rvoip.session.sdp.SrtpMode;
import io.rvoip.sip.transport.TransportType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options {@code uas} and {@code call} share: codecs, SRTP and TLS certificates. */
final class CommonOptions {
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

    /** Sets the codecs, the SRTP mode and, for a secure transport, the TLS configuration. */
    SessionCoordinator.Builder apply(SessionCoordinator.Builder b, TransportType transport) throws IOException {
        b.codecs(Cli.codecs(codecs)).srtp(SrtpMode.valueOf(srtp.toUpperCase(Locale.ROOT)));
        if (transport.isSecure()) {
            b.tls(Cli.tls(tlsCert, tlsKey, tlsTrust));
        }
        return b;
    }
}
