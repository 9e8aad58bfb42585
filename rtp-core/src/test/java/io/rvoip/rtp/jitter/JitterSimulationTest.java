package io.rvoip.rtp.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import io.rvoip.rtp.jitter.JitterSimulation.Result;
import io.rvoip.rtp.jitter.JitterSimulation.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seeded network scenarios of the rtp-core README, with the bounds the buffer must keep. */
class JitterSimulationTest {
    static List<Scenario> scenarios() {
        Scenario g10 = Scenario.gaussian("Gaussian σ 10 ms", 10);
        Scenario g40 = Scenario.gaussian("Gaussian σ 40 ms", 40);
        return List.of(
                g10,
                g40,
                g40.withFifo(),
                g40.withoutDtx(),
                Scenario.gaussian("Gaussian σ 20 ms", 20).withClock(48000),
                Scenario.gaussian("Gaussian σ 20 ms", 20).withClock(16000).withSkew(100),
                Scenario.gaussian("Gaussian σ 20 ms", 20).withSkew(-100),
                new Scenario("burst jitter: spikes of +150 ms", 5, true, 0.005, 150, 0, 1, 0, 0, true, 120, 8000, -1),
                new Scenario("reordering 5 %", 5, false, 0, 0, 0, 1, 0.05, 0, true, 120, 8000, -1),
                new Scenario("bursty loss 5 % (Gilbert-Elliott)", 10, false, 0, 0, 0.02, 0.4, 0, 0, true, 120, 8000, -1),
                new Scenario("σ 40 ms, then 2 ms after 60 s", 40, false, 0, 0, 0, 1, 0, 0, true, 120, 8000, 60),
                new Scenario("σ 40 ms, then 2 ms after 60 s, no DTX", 40, false, 0, 0, 0, 1, 0, 0, false, 120, 8000, 60),
                // "40 ms jitter" read as RFC 3550 interarrival jitter: the differences of consecutive
                // transits have σ 40 ms, so each packet's delay has σ 40/√2 = 28.3 ms
                Scenario.gaussian("interarrival σ 40 ms (per-packet σ 28.3 ms)", 40 / Math.sqrt(2)));
    }

    @Test
    void lowJitterCostsLittleDelay() {
        Result r = JitterSimulation.run(scenarios().get(0), 1);
        assertThat(r.lateLossPercent()).isLessThanOrEqualTo(1.5);
        assertThat(r.addedDelayMs()).isLessThan(45);
        assertThat(r.stats().duplicates()).isPositive();
    }

    @Test
    void highGaussianJitterKeepsLateLossNearTheTarget() {
        for (long seed = 1; seed <= 3; seed++) {
            Result r = JitterSimulation.run(scenarios().get(1), seed);
            assertThat(r.lateLossPercent()).as("seed %d: %s", seed, r).isLessThanOrEqualTo(2.0);
            assertThat(r.addedDelayMs()).as("seed %d", seed).isLessThan(140);
        }
    }

    @Test
    void clockSkewAndOtherClockRatesDoNotAccumulateDelayOrLoss() {
        for (Scenario s : scenarios().subList(4, 7)) {
            Result r = JitterSimulation.run(s, 7);
            assertThat(r.lateLossPercent()).as(s.name()).isLessThanOrEqualTo(2.0);
            assertThat(r.addedDelayMs()).as(s.name()).isLessThan(90);
            assertThat(r.stats().resyncs()).isZero();
        }
    }

    @Test
    void burstsReorderingAndLossAreHandled() {
        Result spikes = JitterSimulation.run(scenarios().get(7), 3);
        assertThat(spikes.lateLossPercent()).isLessThan(5);
        Result reorder = JitterSimulation.run(scenarios().get(8), 3);
        assertThat(reorder.lateLossPercent()).isLessThanOrEqualTo(2.0);
        for (long seed = 1; seed <= 5; seed++) {
            Result loss = JitterSimulation.run(scenarios().get(9), seed);
            assertThat(loss.networkLost()).isPositive();
            assertThat(loss.stats().concealed()).as("losses are concealed").isPositive();
            // a lost packet whose successor is still on its way is concealed once, and the
            // successor plays in its turn (it was dropped as late, after a second concealment)
            assertThat(loss.lateLossPercent()).as("seed %d: %s", seed, loss).isLessThanOrEqualTo(1.0);
        }
    }

    @Test
    void jitterLossAndReorderingTogether() {
        List<Scenario> combined = List.of(
                new Scenario("σ 20 ms + bursty loss + reordering 5 %", 20, false, 0, 0, 0.02, 0.4, 0.05, 0, true, 60, 8000, -1),
                new Scenario("same, no DTX", 20, false, 0, 0, 0.02, 0.4, 0.05, 0, false, 60, 8000, -1),
                new Scenario("σ 5 ms + spikes + loss", 5, false, 0.005, 150, 0.02, 0.4, 0, 0, true, 60, 8000, -1),
                new Scenario("σ 10 ms + loss, 48 kHz, skew +100 ppm", 10, false, 0, 0, 0.02, 0.4, 0, 100, true, 60, 48000,
                        -1));
        for (Scenario s : combined) {
            for (long seed = 1; seed <= 3; seed++) {
                Result r = JitterSimulation.run(s, seed);
                assertThat(r.lateLossPercent()).as("%s, seed %d: %s", s.name(), seed, r).isLessThanOrEqualTo(1.0);
                assertThat(r.stats().resyncs()).isZero();
                assertThat(r.stats().played() + r.stats().late() + r.stats().dropped())
                        .as("every packet that arrived is accounted for").isEqualTo(r.sent() - r.networkLost());
            }
        }
    }

    @Test
    void theReceiversClockPhaseOnlyMovesTheDelayByLessThanAFrame() {
        Scenario g40 = scenarios().get(1);
        for (double phase = 0; phase < 20; phase += 5) {
            Result r = JitterSimulation.run(g40, 11, phase);
            assertThat(r.lateLossPercent()).as("phase %s", phase).isLessThanOrEqualTo(1.0);
            // 1 % late loss needs 2.33 σ = 93 ms above the mean delay, plus up to one 20 ms tick
            assertThat(r.addedDelayMs()).as("phase %s", phase).isBetween(90.0, 120.0);
        }
    }

    @Test
    void delayComesBackDownWithinTenSecondsOnceJitterDrops() {
        for (Scenario s : scenarios().subList(10, 12)) {
            Result r = JitterSimulation.run(s, 5);
            assertThat(r.convergenceSeconds()).as(s.name()).isBetween(0.0, 10.0);
            assertThat(r.finalTargetMs()).isLessThanOrEqualTo(40);
        }
    }

    @Test
    void printTable() {
        JitterSimulation.main(new String[0]);
    }
}
