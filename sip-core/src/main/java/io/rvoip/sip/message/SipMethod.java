package io.rvoip.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A SIP request method: an open registry with constants for the standard methods and
 * {@link #valueOf(String)} for extension methods. Methods are case-sensitive (RFC 3261 §7.1).
 */
public final class SipMethod {
    private static final Map<String, SipMethod> KNOWN = new ConcurrentHashMap<>();

    public static final SipMethod INVITE = known("INVITE");
    public static final SipMethod ACK = known("ACK");
    public static final SipMethod BYE = known("BYE");
    public static final SipMethod CANCEL = known("CANCEL");
    public static final SipMethod OPTIONS = known("OPTIONS");
    public static final SipMethod REGISTER = known("REGISTER");
    public static final SipMethod PRACK = known("PRACK");
    public static final SipMethod SUBSCRIBE = known("SUBSCRIBE");
    public static final SipMethod NOTIFY = known("NOTIFY");
    public static final SipMethod PUBLISH = known("PUBLISH");
    public static final SipMethod INFO = known("INFO");
    public static final SipMethod REFER = known("REFER");
    public static final SipMethod MESSAGE = known("MESSAGE");
    public static final SipMethod UPDATE = known("UPDATE");

    private static final SipMethod[] FAST = {INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, PRACK, SUBSCRIBE,
        NOTIFY, PUBLISH, INFO, REFER, MESSAGE, UPDATE};

    private final String name;
    private final byte[] bytes;

    private SipMethod(String name) {
        this.name = name;
        this.bytes = name.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static SipMethod known(String name) {
        SipMethod m = new SipMethod(name);
        KNOWN.put(name, m);
        return m;
    }

    /** The method named {@code name} (exact case): a constant, or a new extension method. */
    public static SipMethod valueOf(String name) {
        Objects.requireNonNull(name, "name");
        SipMethod m = KNOWN.get(name);
        return m != null ? m : new SipMethod(name);
    }

    /** The method spelled by {@code b[start..end)}; allocates only for extension methods. */
    public static SipMethod of(byte[] b, int start, int end) {
        int len = end - start;
        for (SipMethod m : FAST) {
            if (m.bytes.length == len && m.spelledBy(b, start)) {
                return m;
            }
        }
        return new SipMethod(new String(b, start, len, StandardCharsets.ISO_8859_1));
    }

    /** A plain loop: method names are too short to repay {@code Arrays.equals}' vectorised intrinsic. */
    private boolean spelledBy(byte[] b, int start) {
        byte[] t = bytes;
        for (int i = 0; i < t.length; i++) {
            if (t[i] != b[start + i]) {
                return false;
            }
        }
        return true;
    }

    /** The method name. */
    public String name() {
        return name;
    }

    /** True for the methods defined by RFC 3261 and its common extensions (the constants). */
    public boolean isKnown() {
        return KNOWN.get(name) == this;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof SipMethod m && m.name.equals(name));
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
