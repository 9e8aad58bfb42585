package io.rvoip.rtp.jitter;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Seeded network simulation for the jitter buffer: a talker sends 20 ms packets (with or
 * without DTX between talkspurts) through a network model; the receiver pulls a frame every
 * 20 ms of its own clock. Time is simulated; nothing sleeps.
 */
final class JitterSimulation {
    static final long MS = 1_000_000L;

    /** A network and talker model. */
    record Scenario(String name, double sigmaMs, boolean fifo, double spikeProbability, double spikeMs,
                    double lossGoodToBad, double lossBadToGood, double reorderProbability, double skewPpm,
                    boolean dtx, int seconds, int clockRate, double dropSigmaToMsAt) {
        static Scenario gaussian(String name, double sigmaMs) {
            return new Scenario(name, sigmaMs, false, 0, 0, 0, 1, 0, 0, true, 120, 8000, -1);
        }

        Scenario withFifo() {
            return new Scenario(name + ", FIFO", sigmaMs, true, spikeProbability, spikeMs, lossGoodToBad, lossBadToGood,
                    reorderProbability, skewPpm, dtx, seconds, clockRate, dropSigmaToMsAt);
        }

        Scenario withoutDtx() {
            return new Scenario(name + ", no DTX", sigmaMs, fifo, spikeProbability, spikeMs, lossGoodToBad, lossBadToGood,
                    reorderProbability, skewPpm, false, seconds, clockRate, dropSigmaToMsAt);
        }

        Scenario withSkew(double ppm) {
            return new Scenario(name + ", skew " + (ppm > 0 ? "+" : "") + (int) ppm + " ppm", sigmaMs, fifo, spikeProbability,
                    spikeMs, lossGoodToBad, lossBadToGood, reorderProbability, ppm, dtx, seconds, clockRate, dropSigmaToMsAt);
        }

        Scenario withClock(int rate) {
            return new Scenario(name + ", " + rate / 1000 + " kHz", sigmaMs, fifo, spikeProbability, spikeMs, lossGoodToBad,
                    lossBadToGood, reorderProbability, skewPpm, dtx, seconds, rate, dropSigmaToMsAt);
        }
    }

    /** What happened. */
    record Result(String name, long sent, long networkLost, double lateLossPercent, double addedDelayMs,
                  int finalTargetMs, double convergenceSeconds, JitterStatistics stats) {
        String row() {
            return String.format(java.util.Locale.ROOT, "| %s | %d | %d | %.2f %% | %.1f ms | %d ms | %s |", name, sent,
                    networkLost, lateLossPercent, addedDelayMs, finalTargetMs,
                    convergenceSeconds < 0 ? "—" : String.format(java.util.Locale.ROOT, "%.1f s", convergenceSeconds));
        }
    }

    private record Arrival(long at, int seq, long ts, boolean marker) {
    }

    /** One run; the receiver's clock phase is drawn from the seed. */
    static Result run(Scenario s, long seed) {
        return run(s, seed, -1);
    }

    /** One run with the receiver's ticks {@code phaseMs} (0–20) after the sender's; negative: drawn from the seed. */
    static Result run(Scenario s, long seed, double phaseMs) {
        Random r = new Random(seed);
        int frame = s.clockRate / 50;
        JitterBuffer jb = new JitterBuffer(JitterBuffer.Config.builder(s.clockRate, frame).build());
        PriorityQueue<Arrival> net = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
        long duration = s.seconds * 1000L * MS;
        int seq = r.nextInt(65536);
        long ts = r.nextInt() & 0xFFFFFFFFL;
        long sent = 0;
        long lost = 0;
        boolean talking = true;
        long stateEnd = 0;
        boolean bad = false;
        boolean startOfSpurt = true;
        double spike = 0;
        long lastArrival = 0;
        byte[] payload = new byte[160];
        long dropAt = s.dropSigmaToMsAt >= 0 ? (long) (s.dropSigmaToMsAt * 1000) * MS : Long.MAX_VALUE;
        // sender: a packet every 20 ms of the sender's clock (skewed against the receiver's)
        for (long k = 0; ; k++) {
            long sendAt = (long) (k * 20 * MS * (1 + s.skewPpm * 1e-6));
            if (sendAt >= duration) {
                break;
            }
            if (s.dtx && sendAt >= stateEnd) {
                talking = !talking || k == 0;
                double mean = talking ? 1500 : 900;
                stateEnd = sendAt + (long) (-Math.log(1 - r.nextDouble()) * mean * MS);
                if (talking) {
                    startOfSpurt = true;
                }
            }
            long pts = (ts + k * frame) & 0xFFFFFFFFL;
            if (s.dtx && !talking) {
                continue;
            }
            sent++;
            double sigma = sendAt >= dropAt ? 2 : s.sigmaMs;
            // Gilbert-Elliott loss
            if (bad) {
                bad = r.nextDouble() >= s.lossBadToGood;
            } else {
                bad = r.nextDouble() < s.lossGoodToBad;
            }
            boolean marker = startOfSpurt;
            startOfSpurt = false;
            int pseq = seq;
            seq = (seq + 1) & 0xFFFF;
            if (bad) {
                lost++;
                continue;
            }
            if (s.spikeProbability > 0 && r.nextDouble() < s.spikeProbability) {
                spike = s.spikeMs;
            }
            double delayMs = 60 + Math.max(-60, r.nextGaussian() * sigma) + spike;
            spike = Math.max(0, spike - s.spikeMs / 10);
            long at = sendAt + (long) (delayMs * MS);
            if (s.reorderProbability > 0 && r.nextDouble() < s.reorderProbability) {
                at += 25 * MS; // overtaken by the next packet
            }
            if (s.fifo) {
                at = Math.max(at, lastArrival);
                lastArrival = at;
            }
            net.add(new Arrival(at, pseq, pts, marker));
        }
        // receiver: pulls every 20 ms of its clock, arrivals in between; its ticks fall at a
        // random phase against the sender's (the two clocks are not aligned), drawn apart from
        // the network so a seed's network is the same whatever the phase
        List<double[]> delays = new ArrayList<>();
        long pullAt = phaseMs >= 0 ? (long) (phaseMs * MS) : (long) (new Random(~seed).nextDouble() * 20 * MS);
        long end = duration + 2000 * MS;
        while (pullAt < end) {
            while (!net.isEmpty() && net.peek().at <= pullAt) {
                Arrival a = net.poll();
                jb.put(a.seq, a.ts, a.marker, payload, 0, 160, a.at);
                // duplicate a few packets to exercise dedupe
                if ((a.seq & 127) == 5) {
                    jb.put(a.seq, a.ts, a.marker, payload, 0, 160, a.at + MS);
                }
            }
            long playedBefore = jb.statistics().played;
            long delayBefore = jb.statistics().addedDelayNanosSum;
            jb.pull(pullAt);
            if (jb.statistics().played > playedBefore) {
                delays.add(new double[] {pullAt / 1e9, (jb.statistics().addedDelayNanosSum - delayBefore) / 1e6});
            }
            pullAt += 20 * MS;
        }
        double convergence = -1;
        if (dropAt != Long.MAX_VALUE) {
            // first time after the drop from which every played packet waited at most 40 ms
            double dropSeconds = dropAt / 1e9;
            double lastAbove = dropSeconds;
            for (double[] d : delays) {
                if (d[0] >= dropSeconds && d[1] > 40) {
                    lastAbove = d[0];
                }
            }
            convergence = lastAbove - dropSeconds;
        }
        JitterStatistics st = jb.statistics();
        return new Result(s.name, sent, lost, 100 * st.lateLossRate(), st.averageAddedDelayMs(), jb.targetDelayMs(),
                convergence, st);
    }

    /**
     * Prints the table recorded in the module README: each scenario over seeds 1–20 (each seed
     * its own network and receiver clock phase), mean and worst late loss, mean added delay and
     * final target, the slowest return to ≤ 40 ms.
     */
    public static void main(String[] args) {
        int seeds = 20;
        System.out.println("| scenario | lost in network | late loss, mean (worst) | average added delay | final target"
                + " | back to ≤ 40 ms (slowest) |");
        System.out.println("|---|---|---|---|---|---|");
        for (Scenario s : JitterSimulationTest.scenarios()) {
            double lost = 0;
            double late = 0;
            double worst = 0;
            double delay = 0;
            double target = 0;
            double convergence = -1;
            for (long seed = 1; seed <= seeds; seed++) {
                Result r = run(s, seed);
                lost += 100.0 * r.networkLost() / r.sent();
                late += r.lateLossPercent();
                worst = Math.max(worst, r.lateLossPercent());
                delay += r.addedDelayMs();
                target += r.finalTargetMs();
                convergence = Math.max(convergence, r.convergenceSeconds());
            }
            System.out.println(String.format(java.util.Locale.ROOT, "| %s | %.1f %% | %.2f %% (%.2f %%) | %.1f ms | %.0f ms | %s |",
                    s.name, lost / seeds, late / seeds, worst, delay / seeds, target / seeds,
                    convergence < 0 ? "—" : String.format(java.util.Locale.ROOT, "%.1f s", convergence)));
        }
    }
}
