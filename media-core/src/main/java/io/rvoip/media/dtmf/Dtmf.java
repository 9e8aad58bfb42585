package io.rvoip.media.dtmf;

/** The DTMF digits and their RFC 4733 event codes and ITU-T Q.23 frequencies. */
public final class Dtmf {
    /** The digits in event-code order: 0–9, *, #, A–D (codes 0–15). */
    public static final String DIGITS = "0123456789*#ABCD";
    /** Row (low-group) frequencies, Hz. */
    static final double[] ROWS = {697, 770, 852, 941};
    /** Column (high-group) frequencies, Hz. */
    static final double[] COLS = {1209, 1336, 1477, 1633};
    /** The keypad: row by column. */
    static final String KEYPAD = "123A456B789C*0#D";

    private Dtmf() {
    }

    /** The RFC 4733 event code of a digit (0–15), or -1. */
    public static int eventCode(char digit) {
        return DIGITS.indexOf(Character.toUpperCase(digit));
    }

    /** The digit of an event code 0–15, or 0 (the char) for other events. */
    public static char digit(int eventCode) {
        return eventCode >= 0 && eventCode < 16 ? DIGITS.charAt(eventCode) : 0;
    }

    /** The low and high frequency of a digit, Hz. */
    public static double[] frequencies(char digit) {
        int k = KEYPAD.indexOf(Character.toUpperCase(digit));
        if (k < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        return new double[] {ROWS[k / 4], COLS[k % 4]};
    }
}
