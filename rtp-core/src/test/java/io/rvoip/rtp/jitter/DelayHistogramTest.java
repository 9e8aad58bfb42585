package io.rvoip.rtp.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quantile scan starts at the lowest bucket ever filled; it must give what a scan from 0 gives. */
class DelayHistogramTest {

    @Test
    void quantilesMatchAScanFromTheFirstBucketThroughAddsShiftsCopiesAndClears() {
        Random r = new Random(3550);
        for (int round = 0; round < 200; round++) {
            DelayHistogram h = new DelayHistogram(1500, 0.998);
            DelayHistogram other = new DelayHistogram(1500, 0.9);
            int centre = 100 + r.nextInt(1300);
            for (int i = 0; i < 2000; i++) {
                int op = r.nextInt(100);
                if (op < 90) {
                    int ms = Math.max(0, centre + (int) (r.nextGaussian() * 40));
                    h.add(ms);
                    other.add(Math.max(0, ms + r.nextInt(30) - 15));
                } else if (op < 95) {
                    int by = r.nextInt(400) - 200;
                    h.shift(by);
                    centre = Math.max(0, Math.min(1500, centre - by));
                } else if (op < 98) {
                    h.copyFrom(other);
                } else if (op < 99) {
                    h.clear();
                } else {
                    centre = r.nextInt(1500);
                }
                for (double q : new double[] {0.02, 0.5, 0.99}) {
                    int fast = h.quantile(q);
                    assertThat(fast).as("round %d op %d q %s", round, i, q).isEqualTo(h.quantileFromZeroForTest(q));
                }
            }
        }
    }
}
