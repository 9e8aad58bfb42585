package io.rvoip.infra.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void movesOnlyWhenAdvanced() {
        ManualClock c = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(c.nanoTime()).isZero();
        c.advance(Duration.ofMillis(1500));
        c.advanceNanos(600_000);
        assertThat(c.nanoTime()).isEqualTo(1_500_600_000L);
        c.advanceNanos(400_000);
        assertThat(c.currentTimeMillis()).isEqualTo(Instant.parse("2026-01-01T00:00:01.501Z").toEpochMilli());
        assertThatThrownBy(() -> c.advanceMillis(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void notifiesListenersOnEveryAdvance() {
        ManualClock c = new ManualClock();
        AtomicInteger calls = new AtomicInteger();
        Runnable l = calls::incrementAndGet;
        c.addListener(l);
        c.advanceMillis(1);
        c.advanceMillis(0);
        c.removeListener(l);
        c.advanceMillis(1);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void systemClockIsMonotonic() {
        Clock c = Clock.system();
        long a = c.nanoTime();
        assertThat(c.nanoTime()).isGreaterThanOrEqualTo(a);
        assertThat(c.currentTimeMillis()).isPositive();
    }
}
