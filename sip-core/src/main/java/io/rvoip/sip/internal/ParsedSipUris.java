package io.rvoip.sip.internal;

import io.rvoip.sip.header.Parameters;
import io.rvoip.sip.uri.SipUri;
import java.lang.invoke.MethodHandles;

/**
 * Lets the SIP parser make {@link SipUri}s whose user part and host stay byte ranges of the
 * message until first asked for, without a public constructor for it on {@code SipUri} (the
 * JDK's "shared secrets" pattern: {@code SipUri} installs its factory here when its class is
 * initialised). Not a public API.
 */
public final class ParsedSipUris {
    /** Makes a parsed URI; see {@link #make}. */
    @FunctionalInterface
    public interface Maker {
        /** See {@link ParsedSipUris#make}. */
        SipUri make(boolean secure, byte[] src, int userStart, int userEnd, String password, int hostStart,
                int hostEnd, int port, Parameters params, String headers);
    }

    private static Maker maker;

    static {
        try {
            MethodHandles.lookup().ensureInitialized(SipUri.class); // which installs its maker
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ParsedSipUris() {
    }

    /** Called once, by {@link SipUri}'s class initialiser. */
    public static void install(Maker m) {
        if (maker != null) {
            throw new IllegalStateException("already installed");
        }
        maker = m;
    }

    /**
     * A {@code sip:}/{@code sips:} URI whose user part is {@code src[userStart..userEnd)} (none
     * when the two are equal) and whose host is {@code src[hostStart..hostEnd)}, both already
     * validated ASCII, turned into strings on first use. The caller guarantees that
     * {@code src} never changes (it is a parsed message's own copy of its bytes).
     */
    public static SipUri make(boolean secure, byte[] src, int userStart, int userEnd, String password, int hostStart,
            int hostEnd, int port, Parameters params, String headers) {
        return maker.make(secure, src, userStart, userEnd, password, hostStart, hostEnd, port, params, headers);
    }
}
