package io.rvoip.sip.uri;

import io.rvoip.sip.header.Parameters;
import io.rvoip.sip.internal.AsciiTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code sip:} or {@code sips:} URI (RFC 3261 §19.1):
 * {@code sip:user:password@host:port;uri-parameters?headers}.
 *
 * <p>Components are stored as written (escaped), so {@link #toString()} reproduces the parsed
 * text; {@link #user()} and friends return decoded values. {@link #equals(Object)} compares the
 * components as written; {@link #isEquivalentTo(SipUri)} applies the comparison rules of
 * RFC 3261 §19.1.4 (which are not transitive, so they cannot be {@code equals}).
 *
 * <p>A URI that the message parser read keeps its user part and host as byte ranges of the
 * message until they are first asked for (most messages are relayed or matched to a
 * transaction without anyone reading the From and To URIs), and so keeps the message's bytes
 * alive while it lives. Immutable and thread-safe: the strings are made at most once per
 * thread, equal each time (a benign race, as in {@link String#hashCode()}).
 */
public final class SipUri implements Uri {
    static {
        io.rvoip.sip.internal.ParsedParts.install(SipUri::parsed);
    }

    private final boolean secure;
    /** Escaped; null if absent, and always null for a parsed URI (see {@link #parsedUser}). */
    private final String user;
    private final String password;
    /** Null for a parsed URI (see {@link #parsedHost}). */
    private final String host;
    private final int port;
    private final Parameters params;
    private final String headers;
    /** A parsed URI's message bytes, which user and host are cut from on first use; else null. */
    private final byte[] src;
    /** Where in {@link #src}: user start, user end, host start, host end, 16 bits each (user start = end: no user). */
    private final long spans;
    /**
     * A parsed URI's user part and host, made from {@link #src} on first use. Apart from the
     * final fields, so a URI built from strings stays safe however it is published.
     */
    private String parsedUser;
    private String parsedHost;

    private SipUri(Builder b) {
        this.secure = b.secure;
        this.user = b.user;
        this.password = b.password;
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = b.port;
        this.params = b.params;
        this.headers = b.headers;
        this.src = null;
        this.spans = 0;
    }

    private SipUri(boolean secure, byte[] src, long spans, String password, int port, Parameters params,
            String headers) {
        this.secure = secure;
        this.user = null;
        this.host = null;
        this.password = password;
        this.port = port;
        this.params = Objects.requireNonNull(params, "params");
        this.headers = headers;
        this.src = src;
        this.spans = spans;
    }

    /** What {@link io.rvoip.sip.internal.ParsedParts#sipUri} makes: see there. */
    private static SipUri parsed(boolean secure, byte[] src, int userStart, int userEnd, String password, int hostStart,
            int hostEnd, int port, Parameters params, String headers) {
        if ((userStart | userEnd | hostStart | hostEnd) > 0xFFFF || hostStart >= hostEnd) {
            Builder b = new Builder().secure(secure).password(password).port(port).params(params).headers(headers);
            b.user = userStart == userEnd ? null : AsciiTokens.latin1String(src, userStart, userEnd);
            return b.host(AsciiTokens.latin1String(src, hostStart, hostEnd)).build();
        }
        long spans = (long) userStart << 48 | (long) userEnd << 32 | (long) hostStart << 16 | hostEnd;
        return new SipUri(secure, src, spans, password, port, params, headers);
    }

    /** A builder for a {@code sip:} URI at {@code host} (name, IPv4, or {@code [IPv6]}). */
    public static Builder builder(String host) {
        return new Builder().host(host);
    }

    /** {@code sip:user@host} (user escaped as needed). */
    public static SipUri of(String user, String host) {
        return builder(host).user(user == null ? null : Escapes.escapeUser(user)).build();
    }

    /** A builder initialised with this URI's components. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.secure = secure;
        b.user = rawUser();
        b.password = password;
        b.host = host();
        b.port = port;
        b.params = params;
        b.headers = headers;
        return b;
    }

    @Override
    public String scheme() {
        return secure ? "sips" : "sip";
    }

    /** True for {@code sips:}. */
    public boolean isSecure() {
        return secure;
    }

    /** The user part, decoded; null if absent. */
    public String user() {
        return Escapes.unescape(rawUser());
    }

    /** The user part as written (escaped); null if absent. */
    public String rawUser() {
        if (src == null) {
            return user;
        }
        String u = parsedUser;
        if (u == null) {
            int s = (int) (spans >>> 48);
            int e = (int) (spans >>> 32) & 0xFFFF;
            if (s != e) {
                u = AsciiTokens.latin1String(src, s, e);
                parsedUser = u;
            }
        }
        return u;
    }

    /** The password, decoded; null if absent. */
    public String password() {
        return Escapes.unescape(password);
    }

    /** The host as written: a name, an IPv4 address, or an IPv6 reference in brackets. */
    public String host() {
        if (src == null) {
            return host;
        }
        String h = parsedHost;
        if (h == null) {
            h = AsciiTokens.latin1String(src, (int) (spans >>> 16) & 0xFFFF, (int) spans & 0xFFFF);
            parsedHost = h;
        }
        return h;
    }

    /** The port, or -1 if absent. */
    public int port() {
        return port;
    }

    /** The uri-parameters, raw. */
    public Parameters params() {
        return params;
    }

    /** The value of a uri-parameter, {@code ""} for a flag, null if absent. */
    public String param(String name) {
        return params.get(name);
    }

    /** {@code transport} parameter, lower case, or null. */
    public String transport() {
        String t = params.get("transport");
        return t == null ? null : t.toLowerCase(Locale.ROOT);
    }

    /** True if the {@code lr} parameter is present (loose routing, RFC 3261 §16.12). */
    public boolean isLooseRouting() {
        return params.has("lr");
    }

    /** The headers component as written (after {@code ?}), or null. */
    public String rawHeaders() {
        return headers;
    }

    /** The headers component decoded into name → value (names as written, first wins). */
    public Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        if (headers != null) {
            for (String pair : headers.split("&")) {
                int eq = pair.indexOf('=');
                String name = Escapes.unescape(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : Escapes.unescape(pair.substring(eq + 1));
                map.putIfAbsent(name, value);
            }
        }
        return map;
    }

    /**
     * RFC 3261 §19.1.4 equivalence: user and password case-sensitive, everything else
     * case-insensitive, escapes decoded; a missing port differs from an explicit default port;
     * user, ttl, method, maddr and transport parameters must match when either URI has them,
     * other parameters only when both have them; headers must match exactly. (The RFC's rule
     * list omits transport, but its own examples need it: {@code sip:bob@biloxi.com} and
     * {@code sip:bob@biloxi.com;transport=udp} "can resolve to different transports".)
     */
    public boolean isEquivalentTo(SipUri o) {
        if (o == null || secure != o.secure || port != o.port) {
            return false;
        }
        if (!Objects.equals(user(), o.user()) || !Objects.equals(password(), o.password())) {
            return false;
        }
        if (!host().equalsIgnoreCase(o.host())) {
            return false;
        }
        for (String strict : new String[] {"user", "ttl", "method", "maddr", "transport"}) {
            if (params.has(strict) != o.params.has(strict)) {
                return false;
            }
        }
        for (int i = 0; i < params.size(); i++) {
            String name = params.name(i);
            if (o.params.has(name)) {
                String a = Escapes.unescape(params.get(name));
                String b = Escapes.unescape(o.params.get(name));
                if (!a.equalsIgnoreCase(b)) {
                    return false;
                }
            }
        }
        return normalizedHeaders().equals(o.normalizedHeaders());
    }

    private List<String> normalizedHeaders() {
        List<String> list = new ArrayList<>();
        for (Map.Entry<String, String> e : headers().entrySet()) {
            list.add(e.getKey().toLowerCase(Locale.ROOT) + "=" + e.getValue());
        }
        list.sort(null);
        return list;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SipUri u && secure == u.secure && port == u.port && Objects.equals(rawUser(), u.rawUser())
                && Objects.equals(password, u.password) && host().equals(u.host()) && params.equals(u.params)
                && Objects.equals(headers, u.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(secure, rawUser(), host().toLowerCase(Locale.ROOT), port);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64);
        sb.append(secure ? "sips:" : "sip:");
        String u = rawUser();
        if (u != null) {
            sb.append(u);
            if (password != null) {
                sb.append(':').append(password);
            }
            sb.append('@');
        }
        sb.append(host());
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.appendTo(sb, ';');
        if (headers != null) {
            sb.append('?').append(headers);
        }
        return sb.toString();
    }

    /** Builds a {@link SipUri}; all text arguments are in escaped (wire) form. */
    public static final class Builder {
        private boolean secure;
        private String user;
        private String password;
        private String host;
        private int port = -1;
        private Parameters params = Parameters.EMPTY;
        private String headers;

        private Builder() {
        }

        /** {@code sips:} instead of {@code sip:}. */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /** The user part, escaped; null for none. See {@link Escapes#escapeUser(String)}. */
        public Builder user(String escapedUser) {
            this.user = escapedUser;
            return this;
        }

        /** The password, escaped; null for none. */
        public Builder password(String escapedPassword) {
            this.password = escapedPassword;
            return this;
        }

        /** The host: a name, IPv4 address, or IPv6 reference in brackets. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port, or -1 for none. */
        public Builder port(int port) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("port: " + port);
            }
            this.port = port;
            return this;
        }

        /** Replaces all uri-parameters. */
        public Builder params(Parameters params) {
            this.params = Objects.requireNonNull(params, "params");
            return this;
        }

        /** Sets one uri-parameter ({@code value} null for a flag such as {@code lr}). */
        public Builder param(String name, String value) {
            this.params = params.with(name, value);
            return this;
        }

        /** The headers component, escaped, without the {@code ?}; null for none. */
        public Builder headers(String escapedHeaders) {
            this.headers = escapedHeaders;
            return this;
        }

        /** The URI. */
        public SipUri build() {
            return new SipUri(this);
        }
    }
}
