package io.rvoip.media.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The E-model at known points: defaults, G.711 with loss, delay. */
class EModelTest {
    @Test
    void everyDefaultGivesR93Point2() {
        EModel clean = EModel.of(0, 0, 1);
        assertThat(clean.r()).isCloseTo(93.2, within(0.05));
        assertThat(clean.mos()).isCloseTo(4.41, within(0.01));
    }

    @Test
    void g711WithTwoPercentRandomLoss() {
        EModel m = EModel.of(0, 2, 1);
        // Ie,eff = 0 + 95·2 / (2/1 + 25.1) = 7.011
        assertThat(m.ieEff()).isCloseTo(190 / 27.1, within(1e-9));
        assertThat(m.r()).isCloseTo(93.2 - 7.011, within(0.06));
        // bursty loss of the same rate hurts more; G.711 without PLC much more
        assertThat(EModel.of(0, 2, 2).r()).isLessThan(m.r());
        assertThat(new EModel(0, 2, 1, EModel.G711_NO_PLC, 0).r()).isCloseTo(93.2 - 190 / 6.3, within(0.06));
    }

    @Test
    void delayFollowsTheStandardsCurve() {
        // within 0.6 of Cole & Rosenbluth's linear fit of G.107 (Id ≈ 0.024·d + 0.11·(d − 177.3)
        // above 177.3 ms), which holds up to about 300 ms; beyond, the curve bends less steeply
        for (double d : new double[] {50, 100, 150, 200, 250, 300}) {
            double fit = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
            assertThat(EModel.of(d, 0, 1).r()).as("%s ms", d).isCloseTo(93.2 - fit, within(0.6));
        }
        assertThat(EModel.of(150, 0, 1).r()).isCloseTo(89.5, within(0.1));
        assertThat(EModel.of(400, 0, 1).r()).isBetween(55.0, 65.0);
    }

    @Test
    void mosMapping() {
        assertThat(EModel.mos(-5)).isEqualTo(1);
        assertThat(EModel.mos(120)).isEqualTo(4.5);
        assertThat(EModel.mos(50)).isCloseTo(1 + 1.75 + 50 * -10 * 50 * 7e-6, within(1e-9));
        assertThat(EModel.mos(80)).isGreaterThan(EModel.mos(70));
    }
}
