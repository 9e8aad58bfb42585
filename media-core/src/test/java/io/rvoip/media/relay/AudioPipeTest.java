package io.rvoip.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioPipeTest {

    @Test
    void behavesAsABoundedFifoAcrossManyWrapArounds() {
        AudioPipe pipe = new AudioPipe(8000, 20); // 160 samples
        ArrayDeque<Short> model = new ArrayDeque<>();
        long overruns = 0;
        long underruns = 0;
        Random r = new Random(7);
        short next = 0;
        for (int step = 0; step < 20_000; step++) {
            int n = r.nextInt(400);
            short[] buf = new short[n + 3];
            if (r.nextBoolean()) {
                for (int i = 0; i < n; i++) {
                    buf[2 + i] = next++;
                    model.addLast(buf[2 + i]);
                }
                pipe.write(buf, 2, n);
                while (model.size() > 160) {
                    model.removeFirst();
                    overruns++;
                }
            } else {
                pipe.read(buf, 1, n);
                for (int i = 0; i < n; i++) {
                    Short want = model.pollFirst();
                    if (want == null) {
                        underruns++;
                    }
                    assertThat(buf[1 + i]).isEqualTo(want == null ? 0 : want);
                }
                assertThat(buf[0]).isZero();
                assertThat(buf[n + 1]).isZero();
            }
            assertThat(pipe.buffered()).isEqualTo(model.size());
        }
        assertThat(pipe.overruns()).isEqualTo(overruns).isPositive();
        assertThat(pipe.underruns()).isEqualTo(underruns).isPositive();
    }

    @Test
    void refusesBadSizes() {
        assertThatThrownBy(() -> new AudioPipe(0, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioPipe(8000, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
