package io.rvoip.sip.dialog;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** SIPp (Debian {@code sip-tester}) as an independent peer in tests: finding it, running it, reading its logs. */
public final class Sipp {
    private Sipp() {
    }

    /** Aborts the test when SIPp is missing, or fails it when {@code RVOIP_REQUIRE_INTEROP} is set (CI). */
    public static void require() {
        String problem = null;
        try {
            Process p = new ProcessBuilder("sipp", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            problem = "SIPp not found: " + e.getMessage();
        }
        if (problem != null) {
            if (System.getenv("RVOIP_REQUIRE_INTEROP") != null) {
                throw new AssertionError(problem);
            }
            Assumptions.abort(problem + " (apt-get install sip-tester)");
        }
    }

    /** A UDP port free on 127.0.0.1 right now. */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }

    /** Waits until SIPp (a separate process) has bound {@code port}, so nothing else takes it first. */
    public static void awaitBound(Process sipp, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline && sipp.isAlive()) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                probe.getLocalPort(); // still free: SIPp is starting
            } catch (IOException bound) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new AssertionError("SIPp did not bind port " + port);
    }

    /** SIPp started by {@link #start}, bound to {@code port}. */
    public record Started(Process process, int port) {
    }

    /**
     * Starts SIPp in {@code dir} on a free UDP port ({@code args} gets the port and returns the
     * arguments, with {@code -p port}) and waits until it has bound it. A port found free can be
     * taken before SIPp binds it (by another socket, or by {@link #awaitBound}'s own probe), and
     * SIPp then exits at once ("Unable to bind main socket"): that start is retried on another
     * port, five times at most.
     */
    public static Started start(Path dir, java.util.function.IntFunction<List<String>> args) throws IOException {
        for (int attempt = 1;; attempt++) {
            int port = freeUdpPort();
            Process p = run(dir, args.apply(port).toArray(new String[0]));
            try {
                awaitBound(p, port);
                return new Started(p, port);
            } catch (AssertionError notBound) {
                if (attempt == 5 || !report(dir).contains("Unable to bind main socket")) {
                    throw new AssertionError(notBound.getMessage() + "\n" + report(dir), notBound);
                }
                p.destroyForcibly();
                try (var files = Files.list(dir)) { // its logs would make the next attempt's report lie
                    for (Path f : files.toList()) {
                        if (f.toString().endsWith(".log") || f.toString().endsWith("sipp.out")) {
                            Files.delete(f);
                        }
                    }
                }
            }
        }
    }

    /** Starts SIPp in {@code dir} with {@code args}, tracing errors and the final screen there. */
    public static Process run(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sipp"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-nostdin", "-trace_err", "-trace_screen"));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
    }

    /** The tails of SIPp's logs in {@code dir}, for assertion messages. */
    public static String report(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (f.toString().endsWith(".log") || f.toString().endsWith("sipp.out")) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    sb.append("== ").append(f.getFileName()).append('\n')
                            .append(text, Math.max(0, text.length() - 4000), text.length());
                }
            }
        }
        return sb.toString();
    }
}
