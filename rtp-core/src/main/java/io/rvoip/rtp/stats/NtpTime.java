package io.rvoip.rtp.stats;

/** NTP timestamps (seconds since 1900 in the high 32 bits, fraction in the low 32) from Unix time. */
public final class NtpTime {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long EPOCH_OFFSET = 2_208_988_800L;

    private NtpTime() {
    }

    /** The 64-bit NTP timestamp for Unix milliseconds. */
    public static long fromUnixMillis(long millis) {
        long seconds = Math.floorDiv(millis, 1000L) + EPOCH_OFFSET;
        long fraction = (Math.floorMod(millis, 1000L) << 32) / 1000L;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits (compact NTP, the unit of LSR and RTT arithmetic). */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }
}
