package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FastMathTest {
    @Test
    void lnIsWithinTwoMillionthsOfMathLogOverTheFloatRange() {
        Random r = new Random(1);
        for (int i = 0; i < 1_000_000; i++) {
            float x = (float) Math.exp(r.nextDouble() * 170 - 85);
            assertThat((double) FastMath.ln(x)).as("ln %s", x).isCloseTo(Math.log(x), org.assertj.core.data.Offset.offset(2e-6 + 1e-7 * Math.abs(Math.log(x))));
        }
        assertThat(FastMath.ln(1f)).isZero();
        assertThat(FastMath.ln(0f)).isEqualTo(FastMath.ln(Float.MIN_NORMAL));
    }
}
