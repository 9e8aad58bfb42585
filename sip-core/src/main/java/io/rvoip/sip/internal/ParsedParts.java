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
 * type installs its factory here when its class is initialised). The caller guarantees that
 * the bytes never change (they are a parsed message's own copy) and were validated. Not a
 * public API.
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

    private static UriMaker uris;
    private static AddressMaker addresses;

    static {
        try {
            MethodHandles.lookup().ensureInitialized(SipUri.class); // which installs its maker
            MethodHandles.lookup().ensureInitialized(Address.class);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ParsedParts() {
    }

    /** Called once, by {@link SipUri}'s class initialiser. */
    public static void install(UriMaker m) {
        if (uris != null) {
            throw new IllegalStateException("already installed");
        }
        uris = m;
    }

    /** Called once, by {@link Address}'s class initialiser. */
    public static void install(AddressMaker m) {
        if (addresses != null) {
            throw new IllegalStateException("already installed");
        }
        addresses = m;
    }

    /**
     * A {@code sip:}/{@code sips:} URI whose user part is {@code src[userStart..userEnd)} (none
     * when the two are equal) and whose host is {@code src[hostStart..hostEnd)}, both ASCII,
     * turned into strings on first use.
     */
    public static SipUri sipUri(boolean secure, byte[] src, int userStart, int userEnd, String password, int hostStart,
            int hostEnd, int port, Parameters params, String headers) {
        return uris.make(secure, src, userStart, userEnd, password, hostStart, hostEnd, port, params, headers);
    }

    /**
     * An address whose display name is the UTF-8 text {@code src[nameStart..nameEnd)} (the
     * inside of a quoted string without quoted-pairs or folds), decoded on first use.
     */
    public static Address address(byte[] src, int nameStart, int nameEnd, Uri uri, Parameters params,
            boolean angleBrackets) {
        return addresses.make(src, nameStart, nameEnd, uri, params, angleBrackets);
    }
}
