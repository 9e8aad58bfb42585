package io.rvoip.sip.header;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A challenge or credentials (RFC 3261 §20.7, §20.27, §20.28, §20.44; RFC 7616): the value of
 * WWW-Authenticate, Proxy-Authenticate, Authorization, Proxy-Authorization, and (without a
 * scheme) Authentication-Info. Parameters are comma-separated on the wire and kept raw.
 *
 * <p>{@link #toString()} prints secrets such as {@code response}; never log it.
 *
 * @param scheme {@code Digest} or another scheme; null for Authentication-Info
 * @param params the auth-params, raw (quoted values keep their quotes)
 */
public record AuthHeader(String scheme, Parameters params) {

    /** Validates presence. */
    public AuthHeader {
        Objects.requireNonNull(params, "params");
    }

    /** True for the Digest scheme. */
    public boolean isDigest() {
        return scheme != null && scheme.equalsIgnoreCase("Digest");
    }

    /** An auth-param, unquoted, or null. */
    public String param(String name) {
        return params.get(name);
    }

    public String realm() {
        return params.get("realm");
    }

    public String nonce() {
        return params.get("nonce");
    }

    public String opaque() {
        return params.get("opaque");
    }

    /** The algorithm, default {@code MD5} when absent (RFC 7616 §3.3). */
    public String algorithm() {
        String a = params.get("algorithm");
        return a == null ? "MD5" : a;
    }

    /** The qop options of a challenge (split on commas) or the qop of credentials. */
    public List<String> qopOptions() {
        String q = params.get("qop");
        List<String> out = new ArrayList<>();
        if (q != null) {
            for (String s : q.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** True if a challenge says {@code stale=true}. */
    public boolean stale() {
        return "true".equalsIgnoreCase(params.get("stale"));
    }

    public String username() {
        return params.get("username");
    }

    public String uri() {
        return params.get("uri");
    }

    public String response() {
        return params.get("response");
    }

    public String cnonce() {
        return params.get("cnonce");
    }

    public String nc() {
        return params.get("nc");
    }

    /** True if {@code userhash=true} (RFC 7616 §3.4.4). */
    public boolean userhash() {
        return "true".equalsIgnoreCase(params.get("userhash"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(128);
        if (scheme != null) {
            sb.append(scheme).append(' ');
        }
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(params.name(i));
            if (params.rawValue(i) != null) {
                sb.append('=').append(params.rawValue(i));
            }
        }
        return sb.toString();
    }
}
