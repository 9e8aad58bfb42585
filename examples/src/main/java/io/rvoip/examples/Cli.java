package io.rvoip.examples;

import io.rvoip.media.codec.AudioCodec;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.codec.G722;
import io.rvoip.media.codec.Opus;
import io.rvoip.media.io.WavFile;
import io.rvoip.sip.transport.TransportType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parsing shared by the commands. */
final class Cli {
    private Cli() {
    }

    /** {@code PCMU,PCMA,G722,opus} → a registry in that order, with telephone-event. */
    static CodecRegistry codecs(String list) {
        List<AudioCodec> out = new ArrayList<>();
        for (String name : list.split(",")) {
            out.add(switch (name.trim().toUpperCase(Locale.ROOT)) {
                case "PCMU" -> G711.PCMU;
                case "PCMA" -> G711.PCMA;
                case "G722" -> G722.INSTANCE;
                case "OPUS" -> Opus.VOICE;
                default -> throw new IllegalArgumentException("unknown codec " + name + " (PCMU, PCMA, G722, opus)");
            });
        }
        return CodecRegistry.of(true, out.toArray(new AudioCodec[0]));
    }

    /** A listening point: {@code udp:}, {@code tcp:}, {@code tls:}, {@code ws:} or {@code wss:host:port}. */
    record Listen(TransportType type, InetSocketAddress address) {
        static Listen parse(String spec) {
            String[] parts = spec.split(":", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected transport:host:port, got " + spec);
            }
            TransportType t = TransportType.valueOf(parts[0].toUpperCase(Locale.ROOT));
            int colon = parts[1].lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected host:port, got " + parts[1]);
            }
            String host = parts[1].substring(0, colon).replace("[", "").replace("]", "");
            return new Listen(t, new InetSocketAddress(host, Integer.parseInt(parts[1].substring(colon + 1))));
        }
    }

    /** The speech clip bundled in the jar: 5 s, 8 kHz. */
    static WavFile bundledSpeech() {
        try (InputStream in = Cli.class.getResourceAsStream("/speech8k.wav")) {
            if (in == null) {
                throw new IllegalStateException("speech8k.wav is missing from the jar");
            }
            return WavFile.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String mos(double mos) {
        return Double.isNaN(mos) ? "n/a" : String.format(Locale.ROOT, "%.2f", mos);
    }

    /**
     * The TLS settings from PEM files: our certificate chain and PKCS#8 key (null for a client
     * without one), and the CAs to trust (null: the JDK's default trust store). Peers are always
     * verified.
     */
    static io.rvoip.sip.transport.TlsConfig tls(java.nio.file.Path certPem, java.nio.file.Path keyPem,
                                                java.nio.file.Path trustPem) throws IOException {
        io.rvoip.sip.transport.TlsConfig.Builder b = io.rvoip.sip.transport.TlsConfig.builder();
        if (certPem != null || keyPem != null) {
            if (certPem == null || keyPem == null) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            b.certificate(certPem, keyPem);
        }
        if (trustPem != null) {
            try (InputStream in = java.nio.file.Files.newInputStream(trustPem)) {
                java.util.List<java.security.cert.X509Certificate> roots = new ArrayList<>();
                for (java.security.cert.Certificate c
                        : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    roots.add((java.security.cert.X509Certificate) c);
                }
                b.trust(roots.toArray(new java.security.cert.X509Certificate[0]));
            } catch (java.security.cert.CertificateException e) {
                throw new IllegalArgumentException("cannot read the CA certificates in " + trustPem, e);
            }
        }
        return b.build();
    }
}
