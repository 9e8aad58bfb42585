package io.rvoip.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.media.io.WavFile;
import io.rvoip.sip.uri.SipUri;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line, run in-process on real sockets and the real-time media clock (these are the
 * programs a user runs): {@code demo} end to end, and {@code call} against {@code uas --echo
 * --record}.
 */
class RvoipCliIT {

    private static CommandLine cli(StringWriter out) {
        CommandLine c = Rvoip.commandLine();
        c.setOut(new PrintWriter(out, true));
        c.setErr(new PrintWriter(out, true));
        return c;
    }

    @Test
    void theDemoPlacesTwoEchoCallsAndSucceeds() {
        StringWriter out = new StringWriter();
        int exit = cli(out).execute("demo");
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("call 1  PCMU/8000", "call 2  opus/48000", "demo: OK")
                .containsPattern("call 2 .* MOS n/a "); // Opus has no narrowband E-model values
        // G.711 has an E-model rating. Its value is a real-time measurement: a stall of this
        // loaded JVM makes packets late, which lowers it. So it is checked against the counts
        // the same line prints, not against a fixed figure
        Matcher m = Pattern.compile("call 1 .* received [0-9]+ \\(lost ([0-9]+), late ([0-9]+)\\)  jitter [0-9.]+ ms  "
                + "MOS ([0-9]\\.[0-9]{2}) ").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        double mos = Double.parseDouble(m.group(3));
        assertThat(mos).as(out.toString()).isBetween(1.0, 4.5);
        if (m.group(1).equals("0") && m.group(2).equals("0")) {
            assertThat(mos).as("no loss: only the codec and the delay count; " + out).isGreaterThan(4.0);
        }
    }

    @Test
    void callAgainstAnEchoingUasRecordsTheEcho(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        RunningUas server = startUas("--listen", "udp:127.0.0.1:0", "--listen", "tcp:127.0.0.1:0", "--echo",
                "--record", dir.resolve("rec").toString(), "--rtp-ports", "44000-44999");
        Uas uas = server.uas();
        StringWriter uasOut = server.out();
        int port = ((SipUri) uas.coordinator().contact().uri()).port();
        StringWriter callOut = new StringWriter();
        Path heard = dir.resolve("heard.wav");
        int exit = cli(callOut).execute("call", "sip:echo@127.0.0.1:" + port, "--duration", "2", "--dtmf", "12",
                "--record", heard.toString(), "--codecs", "PCMU");
        assertThat(exit).as(callOut.toString()).isZero();
        assertThat(callOut.toString()).contains("call OK: PCMU");
        assertThat(WavFile.read(heard).frames()).isGreaterThan(16000); // about 2 s at 16 kHz came back
        // the same server over its second listening point, TCP
        int tcpPort = ((SipUri) uas.coordinator().contacts().get(io.rvoip.sip.transport.TransportType.TCP).uri()).port();
        StringWriter tcpOut = new StringWriter();
        int tcpExit = cli(tcpOut).execute("call", "sip:echo@127.0.0.1:" + tcpPort + ";transport=tcp", "--transport", "tcp",
                "--duration", "1", "--codecs", "PCMU");
        assertThat(tcpExit).as(tcpOut.toString()).isZero();
        awaitNoCalls(uas);
        assertThat(server.stop()).isZero();
        assertThat(uasOut.toString()).contains("transport=tcp").contains("call from sip:rvoip@127.0.0.1, PCMU", "REMOTE_BYE", "2 calls");
        try (var files = Files.list(dir.resolve("rec"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".wav")).count()).isEqualTo(2);
        }
    }

    @Test
    void aUasAtMaxCallsRefusesTheNextCallWith503() throws Exception {
        RunningUas server = startUas("--listen", "udp:127.0.0.1:0", "--echo", "--max-calls", "1",
                "--rtp-ports", "45000-45999", "--rtp-threads", "2");
        Uas uas = server.uas();
        StringWriter uasOut = server.out();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String target = "sip:echo@127.0.0.1:" + ((SipUri) uas.coordinator().contact().uri()).port();
        StringWriter firstOut = new StringWriter();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
                () -> cli(firstOut).execute("call", target, "--duration", "3", "--codecs", "PCMU"));
        while (uas.coordinator().callCount() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        StringWriter secondOut = new StringWriter();
        int second = cli(secondOut).execute("call", target, "--duration", "1", "--codecs", "PCMU");
        assertThat(second).as(secondOut.toString()).isEqualTo(1);
        assertThat(secondOut.toString()).contains("call failed: REJECTED 503");
        assertThat(first.get(30, TimeUnit.SECONDS)).as(firstOut.toString()).isZero();
        assertThat(server.stop()).isZero();
        assertThat(uasOut.toString()).contains("1 calls", "1 refused over --max-calls", "media frames skipped");
    }

    @Test
    void aUasOnSharedRtpPortsEchoesAndPrintsItsStatus(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        RunningUas server = startUas("--listen", "udp:127.0.0.1:0", "--echo", "--shared-rtp-ports", "2",
                "--status-every", "1", "--rtp-ports", "46000-46999");
        Uas uas = server.uas();
        StringWriter uasOut = server.out();
        assertThat(uas.coordinator().sharedRtpPorts()).isNotNull();
        String target = "sip:echo@127.0.0.1:" + ((SipUri) uas.coordinator().contact().uri()).port();
        StringWriter callOut = new StringWriter();
        Path heard = dir.resolve("heard.wav");
        int exit = cli(callOut).execute("call", target, "--duration", "2", "--codecs", "PCMU", "--record", heard.toString());
        assertThat(exit).as(callOut.toString()).isZero();
        assertThat(callOut.toString()).contains("call OK: PCMU");
        // the speech clip came back: a silent echo (packets routed to no call) would leave no loud 20 ms frame
        WavFile echo = WavFile.read(heard);
        int frame = echo.sampleRate() / 50;
        int loud = 0;
        for (int i = 0; i + frame <= echo.samples().length; i += frame) {
            double e = 0;
            for (int k = i; k < i + frame; k++) {
                e += (double) echo.samples()[k] * echo.samples()[k];
            }
            if (10 * Math.log10(e / frame / (32768.0 * 32768.0) + 1e-12) > -40) {
                loud++;
            }
        }
        assertThat(loud).as("loud frames in the echo").isGreaterThan(20);
        assertThat(server.stop()).isZero();
        // the call lasted 2 s, so a status line came out at least once
        assertThat(uasOut.toString()).containsPattern("rvoip uas status: \\d+ calls up, \\d+ media frames skipped")
                .contains("1 calls");
    }

    @Test
    void aUasHangsUpOnACallerThatSendsNoMediaAfterItsMediaTimeout() throws Exception {
        RunningUas server = startUas("--listen", "udp:127.0.0.1:0", "--echo", "--media-timeout", "1",
                "--rtp-ports", "47000-47999");
        int port = ((SipUri) server.uas().coordinator().contact().uri()).port();
        java.net.InetSocketAddress uas = new java.net.InetSocketAddress("127.0.0.1", port);
        try (java.net.DatagramSocket sip = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0));
             java.net.DatagramSocket rtp = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            sip.setSoTimeout(15_000); // the default media timeout, 30 s, would not come in time
            String sdp = "v=0\r\no=silent 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio "
                    + rtp.getLocalPort() + " RTP/AVP 0\r\na=sendrecv\r\n";
            String head = " sip:echo@127.0.0.1:" + port + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + sip.getLocalPort()
                    + ";branch=z9hG4bK";
            String dialog = "Max-Forwards: 70\r\nFrom: <sip:silent@127.0.0.1>;tag=s1\r\nCall-ID: silent-caller\r\n"
                    + "To: <sip:echo@127.0.0.1>";
            send(sip, uas, "INVITE" + head + "inv\r\n" + dialog + "\r\nCSeq: 1 INVITE\r\nContact: <sip:silent@127.0.0.1:"
                    + sip.getLocalPort() + ">\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp);
            io.rvoip.sip.message.SipMessage m;
            do {
                m = receive(sip);
            } while (!(m instanceof io.rvoip.sip.message.SipResponse ok && ok.statusCode() == 200));
            send(sip, uas, "ACK" + head + "ack\r\n" + dialog + ";tag=" + ((io.rvoip.sip.message.SipResponse) m).to().tag()
                    + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
            do {
                m = receive(sip); // the 200 again until the ACK is in, then the BYE
            } while (!(m instanceof io.rvoip.sip.message.SipRequest bye && bye.method().name().equals("BYE")));
            send(sip, uas, new String(io.rvoip.sip.message.SipResponse.forRequest((io.rvoip.sip.message.SipRequest) m,
                    io.rvoip.sip.message.StatusCode.valueOf(200)).build().toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
        }
        awaitNoCalls(server.uas());
        assertThat(server.stop()).isZero();
        assertThat(server.out().toString()).contains("MEDIA_TIMEOUT", "1 calls");
        // and a negative timeout is a usage error, not a server
        StringWriter bad = new StringWriter();
        assertThat(cli(bad).execute("uas", "--hold-timeout", "-1")).isEqualTo(2);
        assertThat(bad.toString()).contains("--hold-timeout must be 0 or more seconds, got -1");
    }

    private static void send(java.net.DatagramSocket socket, java.net.InetSocketAddress to, String text) throws java.io.IOException {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        socket.send(new java.net.DatagramPacket(b, b.length, to));
    }

    private static io.rvoip.sip.message.SipMessage receive(java.net.DatagramSocket socket) throws java.io.IOException {
        byte[] buf = new byte[65536];
        java.net.DatagramPacket d = new java.net.DatagramPacket(buf, buf.length);
        socket.receive(d);
        return io.rvoip.sip.parser.SipParser.defaults().parseDatagram(buf, 0, d.getLength());
    }

    /** {@code rvoip call} against SIPp's built-in {@code uas} (skipped without SIPp unless CI requires it). */
    @Test
    void callAgainstSippUas(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        io.rvoip.sip.dialog.Sipp.require();
        io.rvoip.sip.dialog.Sipp.Started started = io.rvoip.sip.dialog.Sipp.start(dir, p -> java.util.List.of("-sn", "uas", "-i",
                "127.0.0.1", "-p", String.valueOf(p), "-m", "1", "-timeout", "60s", "-timeout_error"));
        Process sipp = started.process();
        int port = started.port();
        StringWriter out = new StringWriter();
        int exit = cli(out).execute("call", "sip:service@127.0.0.1:" + port, "--duration", "1", "--codecs", "PCMU");
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("call OK: PCMU");
        assertThat(sipp.waitFor(60, TimeUnit.SECONDS) && sipp.exitValue() == 0)
                .as("SIPp uas: %s", io.rvoip.sip.dialog.Sipp.report(dir)).isTrue();
    }

    private static Path pem(Path dir, String name, Object o) throws Exception {
        Path p = dir.resolve(name);
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(java.nio.file.Files.newBufferedWriter(p))) {
            w.writeObject(o instanceof java.security.PrivateKey k
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        }
        return p;
    }

    /** {@code call --transport tls} against {@code uas --listen tls:…}, with PEM files made now. */
    @Test
    void callOverTlsWithPemFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        io.rvoip.sip.transport.TestCertificates ca = new io.rvoip.sip.transport.TestCertificates("rvoip cli CA");
        Path caPem = pem(dir, "ca.pem", ca.ca);
        var server = ca.issue("127.0.0.1", java.util.List.of(), java.util.List.of("127.0.0.1"));
        var client = ca.issue("127.0.0.1", java.util.List.of(), java.util.List.of("127.0.0.1"));
        String serverCert = pem(dir, "s.pem", server.certificate()).toString();
        String serverKey = pemKey(dir, "s.key", server).toString();
        RunningUas running = startUas("--listen", "tls:127.0.0.1:0", "--echo", "--rtp-ports", "47000-47999",
                "--tls-cert", serverCert, "--tls-key", serverKey, "--tls-trust", caPem.toString());
        Uas uas = running.uas();
        StringWriter uasOut = running.out();
        int port = ((SipUri) uas.coordinator().contact().uri()).port();
        StringWriter callOut = new StringWriter();
        int exit = cli(callOut).execute("call", "sip:echo@127.0.0.1:" + port, "--transport", "tls", "--duration", "1",
                "--codecs", "PCMU", "--tls-cert", pem(dir, "c.pem", client.certificate()).toString(),
                "--tls-key", pemKey(dir, "c.key", client).toString(), "--tls-trust", caPem.toString());
        assertThat(exit).as(callOut.toString()).isZero();
        awaitNoCalls(uas); // the caller's BYE was answered; the server's end of the call may still be queued
        assertThat(running.stop()).isZero();
        assertThat(uasOut.toString()).contains("REMOTE_BYE", "1 calls");
    }

    private static Path pemKey(Path dir, String name, io.rvoip.sip.transport.TestCertificates.Issued issued) {
        try {
            return pem(dir, name, issued.key());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the server has ended every call. A caller returns once its BYE is answered, and
     * the server's session layer ends its side a moment later: stopping the server before that
     * would hang the call up from this side (LOCAL_BYE), which a loaded machine showed.
     */
    private static void awaitNoCalls(Uas uas) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (uas.coordinator().callCount() > 0) {
            assertThat(System.nanoTime()).as("the server still has %d calls", uas.coordinator().callCount()).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** A running {@code rvoip uas}: its command, its output and the future of its exit code. */
    private record RunningUas(Uas uas, StringWriter out, CompletableFuture<Integer> exit) {
        /** Stops the server and returns its exit code. */
        int stop() throws Exception {
            uas.stop();
            return exit.get(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code rvoip uas args...} on another thread and waits until its coordinator is up. */
    private RunningUas startUas(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = cli(out);
        Uas uas = cli.getSubcommands().get("uas").getCommand();
        String[] argv = new String[args.length + 1];
        argv[0] = "uas";
        System.arraycopy(args, 0, argv, 1, args.length);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(argv));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (uas.coordinator() == null && System.nanoTime() < deadline && !exit.isDone()) {
            Thread.onSpinWait();
        }
        assertThat(uas.coordinator()).as(out.toString()).isNotNull();
        return new RunningUas(uas, out, exit);
    }
}
