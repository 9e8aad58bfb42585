package io.rvoip.sip.transaction;

import java.time.Duration;
import java.util.Objects;

/**
 * The timer values of RFC 3261 §17 (Table 4) and RFC 6026. T1, T2 and T4 are configurable;
 * every other timer derives from them. Timers that only serve retransmission or absorption over
 * unreliable transports are zero over reliable ones.
 *
 * @param t1 the RTT estimate (default 500 ms)
 * @param t2 the maximum retransmit interval for non-INVITE requests and INVITE responses (default 4 s)
 * @param t4 the maximum time a message stays in the network (default 5 s)
 * @param trying100 how long an INVITE server transaction waits for the TU before it sends 100 Trying itself (200 ms)
 */
public record TransactionTimers(Duration t1, Duration t2, Duration t4, Duration trying100) {
    /** 500 ms, 4 s, 5 s, 200 ms. */
    public static final TransactionTimers DEFAULT = new TransactionTimers(Duration.ofMillis(500), Duration.ofSeconds(4),
            Duration.ofSeconds(5), Duration.ofMillis(200));

    /** Validates. */
    public TransactionTimers {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        Objects.requireNonNull(trying100, "trying100");
        if (t1.isZero() || t1.isNegative() || t2.compareTo(t1) < 0) {
            throw new IllegalArgumentException("need 0 < T1 <= T2");
        }
    }

    /** 64·T1: Timers B, F, H, J (unreliable), L and M. */
    public long sixtyFourT1Nanos() {
        return t1.toNanos() * 64;
    }

    /** Timer D: at least 32 s over unreliable transports, 0 over reliable ones. */
    public long timerDNanos(boolean reliable) {
        return reliable ? 0 : Math.max(Duration.ofSeconds(32).toNanos(), sixtyFourT1Nanos());
    }

    /** Timers I and K: T4 over unreliable transports, 0 over reliable ones. */
    public long t4Nanos(boolean reliable) {
        return reliable ? 0 : t4.toNanos();
    }

    /** Timer J: 64·T1 over unreliable transports, 0 over reliable ones. */
    public long timerJNanos(boolean reliable) {
        return reliable ? 0 : sixtyFourT1Nanos();
    }
}
