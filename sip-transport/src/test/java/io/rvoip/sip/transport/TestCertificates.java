package io.rvoip.sip.transport;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate authority made at test time, issuing leaf certificates for host names and IPs (also used by session-core's tests). */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    /** A key and its certificate. */
    public record Issued(PrivateKey key, X509Certificate certificate) {
    }

    final KeyPair caKeys;
    /** The CA's certificate: trust it. */
    public final X509Certificate ca;

    /** A new CA named {@code name}. */
    public TestCertificates(String name) throws Exception {
        caKeys = keys();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(),
                subject, caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca = sign(b, caKeys.getPrivate());
    }

    /** A client TLS context of the JDK that trusts this CA only (for raw TLS sockets in tests). */
    public javax.net.ssl.SSLContext clientContext() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A leaf certificate for these DNS names and IP addresses, signed by this CA. */
    public Issued issue(String commonName, List<String> dnsNames, List<String> ips) throws Exception {
        KeyPair kp = keys();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + ca.getSubjectX500Principal()
                .getName().substring(3)), serial(), notBefore(), notAfter(), new X500Name("CN=" + commonName),
                kp.getPublic());
        List<GeneralName> names = new ArrayList<>();
        for (String d : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, d));
        }
        for (String ip : ips) {
            names.add(new GeneralName(GeneralName.iPAddress, InetAddress.getByName(ip).getHostAddress()));
        }
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        }
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new Issued(kp.getPrivate(), sign(b, caKeys.getPrivate()));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return new Date(System.currentTimeMillis() - 3_600_000L);
    }

    private static Date notAfter() {
        return new Date(System.currentTimeMillis() + 24 * 3_600_000L);
    }
}
