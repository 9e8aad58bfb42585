package io.rvoip.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rvoip.sip.uri.SipUri;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ParsedPartsTest {

    @Test
    void onlyTheTypesThemselvesInstallTheirMakers() {
        assertThatThrownBy(() -> ParsedParts.install((ParsedParts.UriMaker) (s, b, us, ue, pw, hs, he, p, pr, h) -> null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParsedParts.install((ParsedParts.AddressMaker) (b, s, e, u, p, a) -> null))
                .isInstanceOf(IllegalArgumentException.class);
        // and the real ones are in place
        byte[] b = "sip:bob@biloxi.example.com".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        SipUri u = ParsedParts.sipUri(false, b, 4, 7, null, 8, b.length, -1, io.rvoip.sip.header.Parameters.EMPTY, null);
        assertThat(u).isEqualTo(SipUri.of("bob", "biloxi.example.com"));
    }

    /**
     * One thread initialising this class and another initialising {@code SipUri} at the same
     * moment must not wait for each other (the first version, whose initialiser initialised
     * {@code SipUri}, deadlocked here). Each round loads the classes afresh.
     */
    @Test
    void classInitialisationFromTwoThreadsAtOnceDoesNotDeadlock() throws Exception {
        URL classes = ParsedParts.class.getProtectionDomain().getCodeSource().getLocation();
        for (int round = 0; round < 200; round++) {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread a = new Thread(() -> init("io.rvoip.sip.internal.ParsedParts", loader, start, true, failure));
                Thread b = new Thread(() -> init("io.rvoip.sip.uri.SipUri", loader, start, false, failure));
                a.setDaemon(true);
                b.setDaemon(true);
                a.start();
                b.start();
                a.join(10_000);
                b.join(10_000);
                assertThat(a.isAlive() || b.isAlive()).as("deadlocked in round %d", round).isFalse();
                assertThat(failure.get()).as("round %d", round).isNull();
            }
        }
    }

    private static void init(String name, ClassLoader loader, CyclicBarrier start, boolean parse,
            AtomicReference<Throwable> failure) {
        try {
            start.await();
            Class<?> c = Class.forName(name, true, loader);
            if (parse) { // and use it, as the parser does
                Class<?> maker = Class.forName("io.rvoip.sip.internal.ParsedParts", true, loader);
                assertThat(maker).isSameAs(c);
                Class<?> parser = Class.forName("io.rvoip.sip.parser.SipParser", true, loader);
                Object p = parser.getMethod("defaults").invoke(null);
                byte[] msg = ("OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\n"
                        + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n").getBytes();
                Object m = parser.getMethod("parseDatagram", byte[].class).invoke(p, (Object) msg);
                assertThat(m.toString()).contains("sip:bob@biloxi.example.com");
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }
}
