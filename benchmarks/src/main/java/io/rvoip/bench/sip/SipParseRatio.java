package io.rvoip.bench.sip;

import gov.nist.javax.sip.parser.StringMsgParser;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.sdp.SessionDescription;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * rvoip's transaction-depth parse against JAIN-SIP's parse, timed in alternating slices in
 * one JVM, so both see the same machine at the same moment. The target is a ratio
 * (≥ 10× JAIN-SIP), and on a machine whose speed drifts by ±30 % from one minute to the next,
 * two JMH runs minutes apart give ratios that differ by more than the gap to the target. Here
 * every rvoip slice has a JAIN-SIP slice right before or after it (the order alternates), and
 * the figure is the median over the pairs of the per-pair ratio.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.rvoip.bench.sip.SipParseRatio
 * [pairs [message [transaction|full|access]]]} (default 300 pairs for each of {@code invite.txt}
 * and {@code response200.txt}, after 10 s of warm-up of both parsers, at transaction depth).
 * {@code full} times rvoip's full depth as {@code SipParseBenchmark.rvoipFullDepth} does (a
 * {@link SipParser.Depth#FULL} parse, then the SDP body); {@code access} as
 * {@code SipParseBenchmark.rvoipFullDepthOnAccess} does (a transaction-depth parse, then every
 * typed header read, then the SDP body). Each slice parses the message a fixed number of times,
 * sized from the warm-up to last about 20 ms.
 *
 * <p>rvoip parses through {@link SipParser#parseOwned(byte[])}, as its UDP transport does with the
 * array it copied out of the socket buffer; JAIN-SIP's UDP channel copies the datagram the same
 * way before it calls the parser measured here. With {@code -Dcopy=true} rvoip parses through
 * {@link SipParser#parseDatagram(byte[])} instead, which copies the caller's bytes first.
 */
public final class SipParseRatio {
    private static volatile Object sink;
    private static final long WARM_UP_NANOS = 10_000_000_000L;

    private SipParseRatio() {
    }

    /**
     * Prints, per message, the median per-slice times and the median per-pair ratio with its
     * quartiles. With {@code -Dforks=N} each message is measured in N fresh JVMs, one after the
     * other, and the median of their ratios is printed after their lines: the JIT compiles a
     * little differently in every JVM, which moves one JVM's ratio by a few per cent.
     */
    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String[] messages = args.length > 1 ? new String[] {args[1]} : new String[] {"invite.txt", "response200.txt"};
        String mode = args.length > 2 ? args[2] : "transaction";
        if (!java.util.List.of("transaction", "full", "access").contains(mode)) {
            throw new IllegalArgumentException("mode: transaction, full or access, not " + mode);
        }
        int forks = Integer.getInteger("forks", 0);
        for (String message : messages) {
            if (forks > 0) {
                forked(message, pairs, mode, forks);
            } else {
                System.out.println(measure(message, pairs, 20_000_000L, mode));
            }
        }
    }

    /** Runs one measurement in each of {@code forks} child JVMs; prints their lines and the median ratio. */
    private static void forked(String message, int pairs, String mode, int forks) throws Exception {
        double[] ratios = new double[forks];
        for (int f = 0; f < forks; f++) {
            java.util.List<String> cmd = new java.util.ArrayList<>();
            cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Dcopy=" + Boolean.getBoolean("copy"));
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(SipParseRatio.class.getName());
            cmd.add(Integer.toString(pairs));
            cmd.add(message);
            cmd.add(mode);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("fork failed: " + out);
            }
            System.out.println("  fork " + (f + 1) + ": " + out);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("ratio ([0-9.]+)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("no ratio in: " + out);
            }
            ratios[f] = Double.parseDouble(m.group(1));
        }
        Arrays.sort(ratios);
        double median = forks % 2 == 1 ? ratios[forks / 2] : (ratios[forks / 2 - 1] + ratios[forks / 2]) / 2;
        System.out.printf(java.util.Locale.ROOT, "%-16s %s: median of %d JVMs %.2f× (range %.2f–%.2f)%n", message,
                label(mode) + (Boolean.getBoolean("copy") ? " (copy)" : ""), forks,
                median, ratios[0], ratios[forks - 1]);
    }

    /** The result of one comparison. */
    record Ratio(String message, String mode, boolean copy, double rvoipNs, double jainNs, double median, double q25, double q75) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%-16s rvoip %s %,8.0f ns/parse (%,5.0f k/s)  JAIN-SIP %,8.0f ns/parse (%,4.0f k/s)  "
                    + "ratio %.2f× (pairs' quartiles %.2f–%.2f)", message, label(mode) + (copy ? " (copy)" : ""), rvoipNs, 1e6 / rvoipNs, jainNs, 1e6 / jainNs,
                    median, q25, q75);
        }
    }

    private static String label(String mode) {
        return switch (mode) {
            case "full" -> "full depth";
            case "access" -> "full depth on access";
            default -> "transaction depth";
        };
    }

    static Ratio measure(String message, int pairs, long sliceNanos, String mode) throws IOException {
        byte[] bytes;
        try (InputStream in = SipParseRatio.class.getResourceAsStream("/messages/" + message)) {
            bytes = in.readAllBytes();
        }
        SipParser rvoip = SipParser.defaults();
        SipParser full = SipParser.fullDepth();
        boolean copy = Boolean.getBoolean("copy");
        StringMsgParser jain = new StringMsgParser();
        Slice r = mode.equals("full") ? n -> {
            // what SipParseBenchmark.rvoipFullDepth does: every header typed, the SDP body parsed
            Object o = null;
            for (int i = 0; i < n; i++) {
                SipMessage m = copy ? full.parseDatagram(bytes) : full.parseOwned(bytes);
                SessionDescription sdp = SessionDescription.parse(m.body());
                o = (i & 1) == 0 ? m : sdp; // both results used
            }
            sink = o;
        } : mode.equals("access") ? n -> {
            // what SipParseBenchmark.rvoipFullDepthOnAccess does
            Object o = null;
            for (int i = 0; i < n; i++) {
                SipMessage m = copy ? rvoip.parseDatagram(bytes) : rvoip.parseOwned(bytes);
                for (int t = 0, k = SipParseBenchmark.ALL_TYPES.size(); t < k; t++) {
                    o = m.getAll(SipParseBenchmark.ALL_TYPES.get(t));
                }
                o = SessionDescription.parse(m.body());
            }
            sink = o;
        } : n -> {
            Object o = null;
            for (int i = 0; i < n; i++) {
                o = copy ? rvoip.parseDatagram(bytes) : rvoip.parseOwned(bytes);
            }
            sink = o;
        };
        Slice j = n -> {
            Object o = null;
            for (int i = 0; i < n; i++) {
                try {
                    o = jain.parseSIPMessage(bytes, true, false, null);
                } catch (java.text.ParseException e) {
                    throw new IllegalStateException(e);
                }
            }
            sink = o;
        };
        // warm-up: 10 s of alternating slices (JAIN-SIP's large parser needs seconds to reach
        // C2 everywhere), then slices sized to about sliceNanos each
        double rNs = 0;
        double jNs = 0;
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warmUntil) {
            rNs = time(r, 5000);
            jNs = time(j, 500);
        }
        int rn = (int) Math.max(1, sliceNanos / rNs);
        int jn = (int) Math.max(1, sliceNanos / jNs);
        double[] rt = new double[pairs];
        double[] jt = new double[pairs];
        double[] ratio = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            if ((p & 1) == 0) {
                rt[p] = time(r, rn);
                jt[p] = time(j, jn);
            } else {
                jt[p] = time(j, jn);
                rt[p] = time(r, rn);
            }
            ratio[p] = jt[p] / rt[p];
        }
        Arrays.sort(rt);
        Arrays.sort(jt);
        Arrays.sort(ratio);
        return new Ratio(message, mode, copy, rt[pairs / 2], jt[pairs / 2], ratio[pairs / 2], ratio[pairs / 4], ratio[3 * pairs / 4]);
    }

    /** Nanoseconds per operation over {@code n} operations. */
    private static double time(Slice s, int n) {
        long t0 = System.nanoTime();
        s.run(n);
        return (System.nanoTime() - t0) / (double) n;
    }

    private interface Slice {
        void run(int n);
    }
}
