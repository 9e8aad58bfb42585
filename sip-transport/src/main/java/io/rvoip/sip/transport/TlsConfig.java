package io.rvoip.sip.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS settings (RFC 3261 §26, RFC 5630): this side's certificate, what it trusts, whether it
 * asks clients for a certificate, and the protocol versions (TLS 1.3 and 1.2). As a client it
 * verifies the server's certificate against the host name of the SIP URI by default; turning
 * that off is for tests against raw IP addresses without IP SANs only.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class TlsConfig {
    /** Whether a TLS server asks for and requires a client certificate. */
    public enum ClientAuthMode { NONE, OPTIONAL, REQUIRE }

    private final KeyManagerFactory keyManager;
    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final Path certPem;
    private final Path keyPem;
    private final X509Certificate[] trusted;
    private final TrustManagerFactory trustManager;
    private final ClientAuthMode clientAuth;
    private final boolean verifyHostname;
    private final List<String> protocols;

    private TlsConfig(Builder b) {
        this.keyManager = b.keyManager;
        this.key = b.key;
        this.chain = b.chain;
        this.certPem = b.certPem;
        this.keyPem = b.keyPem;
        this.trusted = b.trusted;
        this.trustManager = b.trustManager;
        this.clientAuth = b.clientAuth;
        this.verifyHostname = b.verifyHostname;
        this.protocols = List.copyOf(b.protocols);
    }

    /** A builder; without a trust setting, the JDK's default trust store is used. */
    public static Builder builder() {
        return new Builder();
    }

    /** True if clients verify the server's host name (the default). */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The client-certificate policy of servers. */
    public ClientAuthMode clientAuth() {
        return clientAuth;
    }

    /** True if this side has a certificate (needed to listen for TLS). */
    public boolean hasCertificate() {
        return keyManager != null || key != null || certPem != null;
    }

    /** The Netty context for listening. */
    public SslContext serverContext() {
        if (!hasCertificate()) {
            throw new IllegalStateException("a TLS listening point needs a certificate and key");
        }
        try {
            SslContextBuilder b = keyManager != null ? SslContextBuilder.forServer(keyManager)
                    : certPem != null ? SslContextBuilder.forServer(certPem.toFile(), keyPem.toFile())
                    : SslContextBuilder.forServer(key, chain);
            trust(b);
            b.clientAuth(switch (clientAuth) {
                case NONE -> ClientAuth.NONE;
                case OPTIONAL -> ClientAuth.OPTIONAL;
                case REQUIRE -> ClientAuth.REQUIRE;
            });
            return b.sslProvider(SslProvider.JDK).protocols(protocols).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TransportException("cannot build the TLS server context", e);
        }
    }

    /** The Netty context for connecting. */
    public SslContext clientContext() {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (keyManager != null) {
                b.keyManager(keyManager);
            } else if (certPem != null) {
                b.keyManager(certPem.toFile(), keyPem.toFile());
            } else if (key != null) {
                b.keyManager(key, chain);
            }
            trust(b);
            b.endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
            return b.sslProvider(SslProvider.JDK).protocols(protocols).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TransportException("cannot build the TLS client context", e);
        }
    }

    private void trust(SslContextBuilder b) {
        if (trustManager != null) {
            b.trustManager(trustManager);
        } else if (trusted != null) {
            b.trustManager(trusted);
        }
    }

    /** Builds a {@link TlsConfig}. */
    public static final class Builder {
        private KeyManagerFactory keyManager;
        private PrivateKey key;
        private X509Certificate[] chain;
        private Path certPem;
        private Path keyPem;
        private X509Certificate[] trusted;
        private TrustManagerFactory trustManager;
        private ClientAuthMode clientAuth = ClientAuthMode.NONE;
        private boolean verifyHostname = true;
        private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");

        private Builder() {
        }

        /** This side's key and certificate chain (leaf first). */
        public Builder certificate(PrivateKey key, X509Certificate... chain) {
            this.key = Objects.requireNonNull(key, "key");
            this.chain = chain.clone();
            return this;
        }

        /** This side's key and certificate chain from PEM files (PKCS#8 key, unencrypted). */
        public Builder certificate(Path certificateChainPem, Path privateKeyPem) {
            if (!Files.isReadable(certificateChainPem) || !Files.isReadable(privateKeyPem)) {
                throw new IllegalArgumentException("cannot read " + certificateChainPem + " or " + privateKeyPem);
            }
            this.certPem = certificateChainPem;
            this.keyPem = privateKeyPem;
            return this;
        }

        /** This side's key and certificate chain from a PKCS#12 file. */
        public Builder pkcs12(Path file, char[] password) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
                this.keyManager = kmf;
                return this;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("cannot read the PKCS#12 file", e);
            }
        }

        /** Trust exactly these certificates (CAs) instead of the JDK default. */
        public Builder trust(X509Certificate... roots) {
            this.trusted = roots.clone();
            return this;
        }

        /** Trust what this factory trusts. */
        public Builder trust(TrustManagerFactory factory) {
            this.trustManager = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Servers ask for client certificates (mutual TLS); default NONE. */
        public Builder clientAuth(ClientAuthMode mode) {
            this.clientAuth = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Clients verify the server's host name (default true). */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /** The protocol versions, default TLS 1.3 and 1.2. */
        public Builder protocols(String... versions) {
            this.protocols = List.of(versions);
            return this;
        }

        /** The configuration. */
        public TlsConfig build() {
            return new TlsConfig(this);
        }
    }
}
