package io.rvoip.sip.internal;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.Parameters;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.lang.invoke.MethodHandles;

/**
 * Lets the SIP parser make values whose text stays a byte range of the message until first
 * asked for — a {@link SipUri}'s user part and host, an {@link Address}'s display name —
 * without public constructors for it on those types (the JDK's "shared secrets" pattern: each
 * type installs its factory here when its class is initialised, and only its own code may).
 * The caller guarantees that the bytes never change (they are a parsed message's own copy) and
 * were validated. Not a public API.
 *
 * <p>This class has no initialiser of its own: if it initialised {@code SipUri} from one, a
 * thread initialising it and another initialising {@code SipUri} would wait for each other
 * (each class initialiser needing the other class). It initialises them when first asked.
 */
public final class ParsedParts {
    /** Makes a parsed SIP URI; see {@link #sipUri}. */
    @FunctionalInterface
    public interface UriMaker {
        /** See {@link ParsedParts#sipUri}. */
        SipUri make(boolean secure, byte[] src, int userStart, int userEnd, String password, int hostStart,
                int hostEnd, int port, Parameters params, String headers);
    }

    /** Makes a parsed address; see {@link #address}. */
    @FunctionalInterface
    public interface AddressMaker {
        /** See {@link ParsedParts#address}. */
        Address make(byte[] src, int nameStart, int nameEnd, Uri uri, Parameters params, boolean angleBrackets);
    }

    private static volatile UriMaker uris;
    private static volatile AddressMaker addresses;

    private ParsedParts() {
    }

    /**
     * Called once, by {@link SipUri}'s class initialiser.
     *
     * @throws IllegalArgumentException if {@code m} is not {@code SipUri}'s own code
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(UriMaker m) {
        checkOwner(m, SipUri.class);
        if (uris != null) {
            throw new IllegalStateException("already installed");
        }
        uris = m;
    }

    /**
     * Called once, by {@link Address}'s class initialiser.
     *
     * @throws IllegalArgumentException if {@code m} is not {@code Address}'s own code
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(AddressMaker m) {
        checkOwner(m, Address.class);
        if (addresses != null) {
            throw new IllegalStateException("already installed");
        }
        addresses = m;
    }

    /** A method reference's class is a nestmate of the class that wrote it. */
    private static void checkOwner(Object maker, Class<?> owner) {
        if (maker.getClass().getNestHost() != owner) {
            throw new IllegalArgumentException("only " + owner.getSimpleName() + " installs its maker");
        }
    }

    private static void initialise(Class<?> c) {
        try {
            MethodHandles.lookup().ensureInitialized(c); // whose initialiser installs its maker
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A {@code sip:}/{@code sips:} URI whose user part is {@code src[userStart..userEnd)} (none
     * when the two are equal) and whose host is {@code src[hostStart..hostEnd)}, both ASCII,
     * turned into strings on first use.
     */
    public static SipUri sipUri(boolean secure, byte[] src, int userStart, int userEnd, String password, int hostStart,
            int hostEnd, int port, Parameters params, String headers) {
        UriMaker m = uris;
        if (m == null) {
            initialise(SipUri.class);
            m = uris;
        }
        return m.make(secure, src, userStart, userEnd, password, hostStart, hostEnd, port, params, headers);
    }

    /**
     * An address whose display name is the UTF-8 text {@code src[nameStart..nameEnd)} (the
     * inside of a quoted string without quoted-pairs or folds), decoded on first use.
     */
    public static Address address(byte[] src, int nameStart, int nameEnd, Uri uri, Parameters params,
            boolean angleBrackets) {
        AddressMaker m = addresses;
        if (m == null) {
            initialise(Address.class);
            m = addresses;
        }
        return m.make(src, nameStart, nameEnd, uri, params, angleBrackets);
    }
}
