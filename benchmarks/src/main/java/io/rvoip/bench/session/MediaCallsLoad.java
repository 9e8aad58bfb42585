package io.rvoip.bench.session;

import io.rvoip.media.MediaEvent;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.G711;
import io.rvoip.media.io.PcmSource;
import io.rvoip.session.CallSession;
import io.rvoip.session.SessionCoordinator;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.Uri;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A load generator for concurrent media calls: places {@code N} G.711 calls (100 per second) to
 * a target, usually {@code rvoip uas --echo} in another JVM, plays speech-like audio on each,
 * holds them for a measurement window, then reports loss, jitter and MOS from the calls'
 * quality events (each covers the last 5 s of what came back) and this JVM's CPU time.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.rvoip.bench.session.MediaCallsLoad 500 30 sip:echo@127.0.0.1:5070
 * </pre>
 * {@code benchmarks/scripts/media-calls.sh} runs both sides and records the server's CPU too.
 */
public final class MediaCallsLoad {
    private MediaCallsLoad() {
    }

    /**
     * Arguments: calls, seconds to hold them, target URI, and optionally shared RTP port pairs
     * (default 0: a pair per call) and the seconds between the last call answered and the window
     * (default 6; at least 6, so every call has reported once).
     */
    public static void main(String[] args) throws Exception {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // the instrument should cost as little as it can: no sampled leak tracking of its packets
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        int n = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Uri target = Uri.parse(args[2]);
        int sharedPorts = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int settle = Math.max(6, args.length > 4 ? Integer.parseInt(args[4]) : 6);
        // -Drvoip.bench.rtpPorts=MIN-MAX when two load generators share a machine
        String[] range = System.getProperty("rvoip.bench.rtpPorts", "30000-39999").split("-");
        int rtpMin = Integer.parseInt(range[0]);
        int rtpMax = Integer.parseInt(range[1]);
        short[] speechLike = new short[8000 * 4];
        Random r = new Random(1);
        double v = 0;
        for (int i = 0; i < speechLike.length; i++) {
            v = 0.97 * v + r.nextGaussian() * 900;
            speechLike[i] = (short) Math.max(-32768, Math.min(32767, v));
        }
        Map<String, MediaEvent.QualityChanged> quality = new ConcurrentHashMap<>();
        try (SessionCoordinator caller = SessionCoordinator.builder()
                .listen(TransportType.UDP, new InetSocketAddress("127.0.0.1", 0)).rtpPorts(rtpMin, rtpMax).sharedRtpPorts(sharedPorts)
                .codecs(CodecRegistry.of(true, G711.PCMU)).qualityInterval(Duration.ofSeconds(5)).build()) {
            caller.events().subscribe(MediaEvent.QualityChanged.class).inline().handle(q -> quality.put(q.sessionId(), q));
            List<CallSession> calls = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                calls.add(caller.call(Address.of(Uri.parse("sip:load@127.0.0.1")), target,
                        new PcmSource(speechLike, 8000, true), null));
                long due = t0 + (i + 1) * 10_000_000L; // 100 calls/s
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            int failed = 0;
            for (CallSession c : calls) {
                try {
                    c.answered().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    failed++;
                }
            }
            TimeUnit.SECONDS.sleep(settle); // every call has reported once before the window starts
            quality.clear();
            long[] r0 = reception(calls);
            long cpu0 = cpuNanos();
            long skipped0 = caller.mediaFramesSkipped();
            long wall0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            double cpuCores = (cpuNanos() - cpu0) / (double) (System.nanoTime() - wall0);
            long[] r1 = reception(calls);
            long skipped = caller.mediaFramesSkipped() - skipped0;
            double expected = Math.max(1, r1[0] - r0[0]);
            List<MediaEvent.QualityChanged> q = new ArrayList<>(quality.values());
            double meanLoss = q.stream().mapToDouble(MediaEvent.QualityChanged::lossPercent).average().orElse(Double.NaN);
            double maxLoss = q.stream().mapToDouble(MediaEvent.QualityChanged::lossPercent).max().orElse(Double.NaN);
            double meanJitter = q.stream().mapToDouble(MediaEvent.QualityChanged::jitterMs).average().orElse(Double.NaN);
            double minMos = q.stream().mapToDouble(MediaEvent.QualityChanged::mos).min().orElse(Double.NaN);
            double meanMos = q.stream().mapToDouble(MediaEvent.QualityChanged::mos).average().orElse(Double.NaN);
            long active = calls.stream().filter(c -> c.mediaSession() != null && c.ended().getNow(null) == null).count();
            System.out.printf(Locale.ROOT, "calls=%d answered=%d failed=%d active=%d reports=%d loss_mean=%.3f%% loss_max=%.2f%% "
                            + "(window: network_lost=%.3f%% late_discarded=%.3f%% of %d expected) "
                            + "jitter_mean=%.2fms mos_mean=%.2f mos_min=%.2f caller_cpu_cores=%.2f caller_frames_skipped=%d%n",
                    n, n - failed, failed, active, q.size(), meanLoss, maxLoss, 100 * (r1[1] - r0[1]) / expected,
                    100 * (r1[2] - r0[2]) / expected, (long) expected, meanJitter, meanMos, minMos, cpuCores, skipped);
            for (CallSession c : calls) {
                c.hangup();
            }
            for (CallSession c : calls) {
                try {
                    c.ended().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // counted above
                }
            }
        }
    }

    /** Expected, lost and late packets summed over the calls' receivers. */
    private static long[] reception(List<CallSession> calls) {
        long[] sum = new long[3];
        for (CallSession c : calls) {
            io.rvoip.media.session.MediaSession m = c.mediaSession();
            if (m != null) {
                io.rvoip.media.session.MediaSession.Reception r = m.reception();
                sum[0] += r.expected();
                sum[1] += r.lost();
                sum[2] += r.late();
            }
        }
        return sum;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
