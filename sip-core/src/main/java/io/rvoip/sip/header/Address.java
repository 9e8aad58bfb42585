package io.rvoip.sip.header;

import io.rvoip.sip.parser.HeaderValueParser;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.util.Objects;

/**
 * A name-addr or addr-spec with header parameters: the value of From, To, Contact, Route,
 * Record-Route, Path, Service-Route, Refer-To, Referred-By, Reply-To, P-Asserted-Identity and
 * P-Preferred-Identity. Parameters after an addr-spec belong to the header, not the URI
 * (RFC 3261 §20). A Contact may also be the wildcard {@code *}.
 *
 * <p>A value class: equal when display name, URI, parameters and the bracket form are equal.
 * An address the message parser read from From or To keeps a quoted display name as a byte
 * range of the message until it is first asked for (and so keeps the message's bytes alive
 * while it lives). Immutable and thread-safe (the name is decoded at most once per thread,
 * equal each time).
 */
public final class Address {
    private static final Address WILDCARD = new Address(null, null, Parameters.EMPTY, false);

    static {
        io.rvoip.sip.internal.ParsedParts.install(Address::parsed);
    }

    /** Null if absent, and always null for a parsed address (see {@link #parsedName}). */
    private final String displayName;
    private final Uri uri;
    private final Parameters params;
    private final boolean angleBrackets;
    /** A parsed address's message bytes, which the display name is decoded from on first use; else null. */
    private final byte[] src;
    private final int nameStart;
    private final int nameEnd;
    /**
     * A parsed address's display name, decoded from {@link #src} on first use. Apart from the
     * final fields, so an address built from strings stays safe however it is published.
     */
    private String parsedName;

    /**
     * An address.
     *
     * @param displayName the display name, unquoted; null if absent
     * @param uri the URI; null only for the wildcard
     * @param params the header parameters (tag, q, expires, ...), raw
     * @param angleBrackets whether the URI is written in {@code <>}
     */
    public Address(String displayName, Uri uri, Parameters params, boolean angleBrackets) {
        this.displayName = displayName;
        this.uri = uri;
        this.params = Objects.requireNonNull(params, "params");
        this.angleBrackets = angleBrackets;
        this.src = null;
        this.nameStart = 0;
        this.nameEnd = 0;
    }

    private Address(byte[] src, int nameStart, int nameEnd, Uri uri, Parameters params, boolean angleBrackets) {
        this.displayName = null;
        this.uri = uri;
        this.params = Objects.requireNonNull(params, "params");
        this.angleBrackets = angleBrackets;
        this.src = src;
        this.nameStart = nameStart;
        this.nameEnd = nameEnd;
    }

    /** What {@link io.rvoip.sip.internal.ParsedParts#address} makes: see there. */
    private static Address parsed(byte[] src, int nameStart, int nameEnd, Uri uri, Parameters params,
            boolean angleBrackets) {
        return new Address(src, nameStart, nameEnd, uri, params, angleBrackets);
    }

    /** The display name, unquoted; null if absent. */
    public String displayName() {
        if (src == null) {
            return displayName;
        }
        String d = parsedName;
        if (d == null) {
            d = new String(src, nameStart, nameEnd - nameStart, java.nio.charset.StandardCharsets.UTF_8);
            parsedName = d;
        }
        return d;
    }

    /** The URI; null only for the wildcard. */
    public Uri uri() {
        return uri;
    }

    /** The header parameters (tag, q, expires, ...), raw. */
    public Parameters params() {
        return params;
    }

    /** Whether the URI is written in {@code <>}. */
    public boolean angleBrackets() {
        return angleBrackets;
    }

    /** {@code <uri>}. */
    public static Address of(Uri uri) {
        return new Address(null, Objects.requireNonNull(uri, "uri"), Parameters.EMPTY, true);
    }

    /** {@code "displayName" <uri>}. */
    public static Address of(String displayName, Uri uri) {
        return new Address(displayName, Objects.requireNonNull(uri, "uri"), Parameters.EMPTY, true);
    }

    /** The Contact wildcard {@code *} (RFC 3261 §10.2.2). */
    public static Address wildcard() {
        return WILDCARD;
    }

    /** Parses one address value (From, To, Contact, ...). */
    public static Address parse(String text) {
        return HeaderValueParser.parseOne(SipHeaders.CONTACT, text);
    }

    /** True for the Contact wildcard. */
    public boolean isWildcard() {
        return uri == null;
    }

    /** The URI as a {@link SipUri}, or null if it is another scheme. */
    public SipUri sipUri() {
        return uri instanceof SipUri s ? s : null;
    }

    /** The tag parameter (From/To), or null. */
    public String tag() {
        return params.get("tag");
    }

    /** A copy with the tag set. */
    public Address withTag(String tag) {
        return withParam("tag", tag);
    }

    /** A header parameter's value, {@code ""} for a flag, or null. */
    public String param(String name) {
        return params.get(name);
    }

    /** A copy with one header parameter set ({@code value} raw, null for a flag). */
    public Address withParam(String name, String value) {
        return new Address(displayName(), uri, params.with(name, value), angleBrackets);
    }

    /**
     * This address as a message we send can carry it: without its display name when the name
     * holds a NUL, else this address. A NUL arrives as a valid quoted-pair (RFC 3261 §25.1;
     * RFC 4475 §3.1.1.2 names a party so), but the message builders refuse it in any header. An
     * address kept from a received message to be written into later ones (a dialog's parties, a
     * registrar's bindings) goes through this first; the display name means nothing to SIP.
     */
    public Address sendable() {
        String name = displayName();
        return name == null || name.indexOf('\0') < 0 ? this : new Address(null, uri, params, angleBrackets);
    }

    /** The Contact q value, or -1 if absent or malformed. */
    public double q() {
        String q = params.get("q");
        if (q == null || q.isEmpty() || q.length() > 5) {
            return -1;
        }
        try {
            double v = Double.parseDouble(q);
            return v >= 0 && v <= 1 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The Contact expires parameter in seconds, or -1 if absent or malformed. */
    public long expires() {
        String e = params.get("expires");
        if (e == null || e.isEmpty() || e.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 0xFFFFFFFFL ? v : -1;
    }

    /**
     * Equal display names, URIs ({@link Uri#equals}) and parameters. Whether the URI was written
     * in {@code <>} is how the text looked, not what it says ({@code sip:a@b;tag=1} and
     * {@code <sip:a@b>;tag=1} are one address), so it does not count.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Address a && Objects.equals(displayName(), a.displayName())
                && Objects.equals(uri, a.uri) && params.equals(a.params));
    }

    @Override
    public int hashCode() {
        return Objects.hash(displayName(), uri, params);
    }

    @Override
    public String toString() {
        if (uri == null) {
            return "*";
        }
        StringBuilder sb = new StringBuilder(64);
        String text = uri.toString();
        String name = displayName();
        boolean brackets = angleBrackets || name != null || !params.isEmpty()
                || text.indexOf(';') >= 0 || text.indexOf(',') >= 0 || text.indexOf('?') >= 0;
        if (name != null) {
            sb.append(Parameters.quote(name)).append(' ');
        }
        if (brackets) {
            sb.append('<').append(text).append('>');
        } else {
            sb.append(text);
        }
        params.appendTo(sb, ';');
        return sb.toString();
    }
}
