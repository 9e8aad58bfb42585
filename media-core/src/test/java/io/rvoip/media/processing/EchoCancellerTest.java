package io.rvoip.media.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The echo canceller on the anchors' scenarios (see {@link EchoScenario}): 20 s of far-end speech
 * through a synthetic room (RT60 200 ms), 40 ms device delay, echo at −10 dB, microphone noise at
 * −50 dBFS. The floors sit a little below the figures in the module README.
 */
class EchoCancellerTest {
    private static short[] run(EchoScenario s, EchoCanceller aec) {
        return s.run(aec);
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000})
    void reaches20DbWithinASecondAndHoldsIt(int rate) {
        EchoScenario s = EchoScenario.builder().rate(rate).build();
        EchoCanceller aec = new EchoCanceller(rate);
        short[] out = run(s, aec);
        int lag = rate / 100;
        assertThat(s.timeTo(out, lag, 20, 0)).isLessThan(1.0);
        assertThat(s.erle(out, lag, 10, 20)).isGreaterThan(24);
        assertThat(aec.estimatedDelayMs()).isBetween(30, 50);
    }

    @Test
    void worksAtFullBandToo() {
        // Opus sessions process at 48 kHz: same design, 960-point transforms
        EchoScenario s = EchoScenario.builder().rate(48000).build();
        EchoCanceller aec = new EchoCanceller(48000);
        short[] out = run(s, aec);
        assertThat(s.timeTo(out, 480, 20, 0)).isLessThan(1.2);
        assertThat(s.erle(out, 480, 10, 20)).isGreaterThan(24);
    }

    @Test
    void quietMicrophoneGivesMoreThan30Db() {
        EchoScenario s = EchoScenario.builder().noiseDbfs(-75).build();
        short[] out = run(s, new EchoCanceller(16000));
        assertThat(s.erle(out, 160, 10, 20)).isGreaterThan(35);
    }

    @Test
    void findsA120MsDeviceDelayOnItsOwn() {
        EchoScenario s = EchoScenario.builder().delayMs(120).build();
        EchoCanceller aec = new EchoCanceller(16000);
        short[] out = run(s, aec);
        assertThat(aec.estimatedDelayMs()).isBetween(110, 130);
        assertThat(s.timeTo(out, 160, 20, 0)).isLessThan(1.0);
        assertThat(s.erle(out, 160, 10, 20)).isGreaterThan(24);
    }

    @Test
    void doubleTalkKeepsTheNearEndAndTheFilter() {
        EchoScenario s = EchoScenario.builder().doubleTalk(8, 14).build();
        EchoCanceller aec = new EchoCanceller(16000);
        short[] out = run(s, aec);
        double mic = s.nearSegSnr(s.mic, 0, 8, 14);
        double after = s.nearSegSnr(out, 160, 8, 14);
        assertThat(after).isGreaterThan(mic + 2);
        assertThat(s.erle(out, 160, 15, 20)).isGreaterThan(20);
        // the linear filter alone keeps the near end too
        short[] linear = run(s, new EchoCanceller(16000, EchoCanceller.DEFAULT_TAIL_MS, 200, false));
        assertThat(s.nearSegSnr(linear, 0, 8, 14)).isGreaterThan(mic + 2);
    }

    @Test
    void echoPathChangeIsFollowedWithinTwoSeconds() {
        EchoScenario s = EchoScenario.builder().pathChangeAt(10).build();
        short[] out = run(s, new EchoCanceller(16000));
        assertThat(s.timeTo(out, 160, 20, 10)).isLessThan(2.0);
        assertThat(s.erle(out, 160, 12, 20)).isGreaterThan(20);
        // and the linear filter relearns the new path (it is not the suppressor doing all of it)
        EchoCanceller linear = new EchoCanceller(16000, EchoCanceller.DEFAULT_TAIL_MS, 200, false);
        short[] lin = run(s, linear);
        assertThat(s.erle(lin, 0, 15, 20)).isGreaterThan(12);
    }

    @Test
    void nearEndAlonePassesUntouched() {
        EchoScenario s = EchoScenario.builder().seconds(10).echoDb(-200).doubleTalk(0, 10).build();
        short[] silentFar = new short[s.far.length];
        EchoCanceller aec = new EchoCanceller(16000);
        short[] out = s.mic.clone();
        for (int off = 0; off + 160 <= out.length; off += 160) {
            aec.render(silentFar, off);
            aec.capture(out, off);
        }
        // the microphone's own noise limits both; the output loses nothing against it
        assertThat(s.nearSegSnr(out, 160, 1, 9)).isGreaterThan(s.nearSegSnr(s.mic, 0, 1, 9) - 0.5);
    }

    @Test
    void withoutAnyFarEndTheMicrophonePassesOneFrameLate() {
        EchoCanceller aec = new EchoCanceller(8000);
        short[] mic = Scenarios.mix(Scenarios.loop(Scenarios.speech(8000), 8000, 0, false));
        short[] out = mic.clone();
        for (int off = 0; off + 80 <= out.length; off += 80) {
            aec.capture(out, off);
        }
        for (int i = 80; i < out.length; i++) {
            assertThat(Math.abs(out[i] - mic[i - 80])).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void unrelatedLoudSignalsNeverMakeTheOutputLouder() {
        int n = 16000 * 5;
        short[] far = Scenarios.mix(Scenarios.whiteNoise(n, -3, 1));
        short[] mic = Scenarios.mix(Scenarios.whiteNoise(n, -3, 2));
        EchoCanceller aec = new EchoCanceller(16000);
        short[] out = mic.clone();
        for (int off = 0; off + 160 <= n; off += 160) {
            aec.render(far, off);
            aec.capture(out, off);
        }
        double in = Scenarios.rmsDb(Scenarios.floats(mic), 16000, n);
        double o = Scenarios.rmsDb(Scenarios.floats(out), 16000, n);
        assertThat(o).isLessThan(in + 0.5);
        assertThat(Double.isNaN(aec.erleDb())).isFalse();
    }

    @Test
    void resetForgetsTheEchoPath() {
        EchoScenario s = EchoScenario.builder().seconds(4).build();
        EchoCanceller aec = new EchoCanceller(16000, EchoCanceller.DEFAULT_TAIL_MS, 200, false);
        run(s, aec);
        assertThat(aec.erleDb()).isGreaterThan(5);
        aec.reset();
        assertThat(aec.erleDb()).isZero();
        assertThat(aec.estimatedDelayMs()).isEqualTo(-1);
        assertThat(aec.delayMs()).isZero();
    }

    @Test
    void aRenderQueueThatRunsAheadDropsItsOldestFramesAndCountsThem() {
        EchoCanceller aec = new EchoCanceller(8000);
        short[] frame = new short[80];
        for (int i = 0; i < 40; i++) {
            aec.render(frame, 0); // the loudspeaker ran 400 ms ahead of the microphone
        }
        assertThat(aec.renderOverflows()).isEqualTo(8); // the queue holds 32 frames
        aec.capture(frame, 0);
        assertThat(aec.renderOverflows()).isEqualTo(8);
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> new EchoCanceller(8050)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EchoCanceller(16000, 10, 200, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EchoCanceller(16000, 200, 2000, true)).isInstanceOf(IllegalArgumentException.class);
    }


}
