package io.rvoip.sip.dialog.auth;

import io.rvoip.infra.time.Clock;
import io.rvoip.sip.auth.Digest;
import io.rvoip.sip.auth.DigestAlgorithm;
import io.rvoip.sip.header.AuthHeader;
import io.rvoip.sip.header.Parameters;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-side Digest authentication (RFC 3261 §22, RFC 7616, RFC 2617) for a registrar, a UAS
 * or a proxy.
 *
 * <p>Nonces are stateless and bound to this server: {@code base64url(time ‖ n ‖ HMAC-SHA256(secret,
 * time ‖ n ‖ realm))}, n unique per challenge; a nonce older than the lifetime is answered with {@code stale=true}, so a
 * client with the right password retries transparently. Responses are compared in constant
 * time. The nonce count of {@code qop} responses must grow per nonce (replays are refused); the
 * memory of nonce counts is bounded.
 *
 * <pre>{@code
 * DigestAuthenticator auth = DigestAuthenticator.builder("example.com",
 *         CredentialStore.plaintext(Map.of("alice", "secret"))).build();
 * DigestAuthenticator.Result r = auth.verify(request, false);
 * if (!r.ok()) { respond(auth.challenge(request, false, r.stale())); }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DigestAuthenticator {
    /** Outcome of {@link #verify}. */
    public enum Outcome {
        /** The credentials are right. */
        OK,
        /** No credentials for our realm: challenge. */
        MISSING,
        /** The nonce is ours but expired: challenge with {@code stale=true}. */
        STALE,
        /** Wrong password, unknown user, foreign nonce, wrong URI or algorithm: challenge (or 403). */
        BAD_CREDENTIALS,
        /** A nonce count already seen for this nonce: challenge. */
        REPLAY
    }

    /** What {@link #verify} found; {@code username} is set when {@link #ok()}. */
    public record Result(Outcome outcome, String username) {
        /** True for {@link Outcome#OK}. */
        public boolean ok() {
            return outcome == Outcome.OK;
        }

        /** True when the challenge should say {@code stale=true}. */
        public boolean stale() {
            return outcome == Outcome.STALE;
        }
    }

    private final String realm;
    private final CredentialStore store;
    private final List<DigestAlgorithm> algorithms;
    private final long lifetimeMillis;
    private final Clock clock;
    private final byte[] secret;
    private final boolean allowNoQop;
    private final Map<String, Long> nonceCounts;
    /** Time, a unique number and the HMAC: two challenges in one millisecond get different nonces. */
    private static final int NONCE_BYTES = 8 + 8 + 16;
    private final java.util.concurrent.atomic.AtomicLong nonceSequence = new java.util.concurrent.atomic.AtomicLong();
    private final long nonceSalt = new SecureRandom().nextLong();

    private DigestAuthenticator(Builder b) {
        this.realm = b.realm;
        this.store = b.store;
        this.algorithms = List.copyOf(b.algorithms);
        this.lifetimeMillis = b.lifetime.toMillis();
        this.clock = b.clock;
        this.secret = b.secret;
        this.allowNoQop = b.allowNoQop;
        int max = b.maxTrackedNonces;
        this.nonceCounts = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > max;
            }
        };
    }

    /** An authenticator for a realm over a credential store. */
    public static Builder builder(String realm, CredentialStore store) {
        return new Builder(realm, store);
    }

    /** The realm. */
    public String realm() {
        return realm;
    }

    /**
     * A 401 (or 407 for a proxy) with one challenge per configured algorithm, strongest first
     * (RFC 7616 §3.7), each offering {@code qop="auth,auth-int"}.
     */
    public SipResponse challenge(SipRequest request, boolean proxy, boolean stale) {
        SipResponse.Builder b = SipResponse.forRequest(request,
                proxy ? StatusCode.PROXY_AUTHENTICATION_REQUIRED : StatusCode.UNAUTHORIZED);
        String nonce = newNonce();
        List<AuthHeader> challenges = new ArrayList<>();
        for (DigestAlgorithm alg : algorithms) {
            Parameters p = Parameters.EMPTY.withQuoted("realm", realm).withQuoted("nonce", nonce)
                    .with("algorithm", alg.token()).withQuoted("qop", "auth,auth-int");
            if (stale) {
                p = p.with("stale", "true");
            }
            challenges.add(new AuthHeader("Digest", p));
        }
        for (AuthHeader h : challenges) {
            b.add(proxy ? SipHeaders.PROXY_AUTHENTICATE : SipHeaders.WWW_AUTHENTICATE, h);
        }
        return b.build();
    }

    /** Checks the request's Authorization ({@code proxy}: Proxy-Authorization) for our realm. */
    public Result verify(SipRequest request, boolean proxy) {
        AuthHeader creds = null;
        for (AuthHeader h : request.getAll(proxy ? SipHeaders.PROXY_AUTHORIZATION : SipHeaders.AUTHORIZATION)) {
            if (h.isDigest() && realm.equals(h.realm())) {
                creds = h;
                break;
            }
        }
        if (creds == null) {
            return new Result(Outcome.MISSING, null);
        }
        String nonce = creds.nonce();
        long issued = nonceTime(nonce);
        if (issued < 0) {
            return new Result(Outcome.BAD_CREDENTIALS, null);
        }
        if (!request.requestUri().toString().equals(creds.uri())) {
            return new Result(Outcome.BAD_CREDENTIALS, null);
        }
        Result r = check(creds, request.method().name(), request.body());
        if (!r.ok()) {
            return r;
        }
        if (clock.currentTimeMillis() - issued > lifetimeMillis) {
            return new Result(Outcome.STALE, null);
        }
        if (creds.nc() != null) {
            long nc;
            try {
                nc = Long.parseLong(creds.nc(), 16);
            } catch (NumberFormatException e) {
                return new Result(Outcome.BAD_CREDENTIALS, null);
            }
            synchronized (nonceCounts) {
                Long last = nonceCounts.get(nonce);
                if (last != null && nc <= last) {
                    return new Result(Outcome.REPLAY, null);
                }
                nonceCounts.put(nonce, nc);
            }
        }
        return r;
    }

    /**
     * Checks a Digest response against the store (no nonce policy): the arithmetic of RFC 7616
     * §3.4.1 with {@code qop} auth, auth-int or none.
     */
    Result check(AuthHeader creds, String method, byte[] body) {
        DigestAlgorithm alg;
        try {
            alg = DigestAlgorithm.of(creds.algorithm());
        } catch (IllegalArgumentException e) {
            return new Result(Outcome.BAD_CREDENTIALS, null);
        }
        if (!algorithms.contains(alg) && !(alg.isSession() && algorithms.stream().anyMatch(a -> !a.isSession()
                && a.token().equals(alg.token().replace("-sess", ""))))) {
            return new Result(Outcome.BAD_CREDENTIALS, null);
        }
        String user = creds.username();
        String qop = creds.param("qop");
        if (user == null || creds.response() == null || creds.nonce() == null || creds.uri() == null) {
            return new Result(Outcome.BAD_CREDENTIALS, null);
        }
        if (qop == null && !allowNoQop) {
            return new Result(Outcome.BAD_CREDENTIALS, null);
        }
        if (qop != null && (creds.cnonce() == null || creds.nc() == null
                || !(qop.equalsIgnoreCase("auth") || qop.equalsIgnoreCase("auth-int")))) {
            return new Result(Outcome.BAD_CREDENTIALS, null);
        }
        String ha1 = store.ha1(user, realm, alg);
        if (ha1 == null) {
            // compute something anyway so an unknown user costs the same as a wrong password
            Digest.hash(alg, user + ":" + realm + ":" + "x");
            return new Result(Outcome.BAD_CREDENTIALS, null);
        }
        if (alg.isSession()) {
            ha1 = Digest.hash(alg, ha1 + ":" + creds.nonce() + ":" + creds.cnonce());
        }
        String ha2 = Digest.ha2(alg, method, creds.uri(), qop, body);
        String expected = Digest.response(alg, ha1, creds.nonce(), creds.nc(), creds.cnonce(), qop, ha2);
        return Digest.matches(expected, creds.response()) ? new Result(Outcome.OK, user)
                : new Result(Outcome.BAD_CREDENTIALS, null);
    }

    private String newNonce() {
        long now = clock.currentTimeMillis();
        long unique = nonceSequence.incrementAndGet() ^ nonceSalt;
        byte[] out = ByteBuffer.allocate(NONCE_BYTES).putLong(now).putLong(unique).put(mac(now, unique), 0, 16).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** The issue time of a nonce this server made, or -1 for any other. */
    private long nonceTime(String nonce) {
        if (nonce == null || nonce.length() > 64) {
            return -1;
        }
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (b.length != NONCE_BYTES) {
            return -1;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        long t = buf.getLong();
        long unique = buf.getLong();
        byte[] expected = java.util.Arrays.copyOf(mac(t, unique), 16);
        byte[] got = java.util.Arrays.copyOfRange(b, 16, 32);
        return MessageDigest.isEqual(expected, got) ? t : -1;
    }

    private byte[] mac(long time, long unique) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            m.update(ByteBuffer.allocate(16).putLong(time).putLong(unique).array());
            m.update(realm.getBytes(StandardCharsets.UTF_8));
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builder of {@link DigestAuthenticator}. */
    public static final class Builder {
        private final String realm;
        private final CredentialStore store;
        private List<DigestAlgorithm> algorithms = List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
        private Duration lifetime = Duration.ofMinutes(5);
        private Clock clock = Clock.system();
        private byte[] secret;
        private boolean allowNoQop;
        private int maxTrackedNonces = 100_000;

        private Builder(String realm, CredentialStore store) {
            this.realm = Objects.requireNonNull(realm, "realm");
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Algorithms offered, strongest first (default SHA-256, then MD5 for older phones). */
        public Builder algorithms(DigestAlgorithm... algs) {
            this.algorithms = List.of(algs);
            return this;
        }

        /** How long a nonce is good (default 5 minutes); older ones get {@code stale=true}. */
        public Builder nonceLifetime(Duration d) {
            this.lifetime = d;
            return this;
        }

        /** The clock (a manual one in tests). */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** The nonce key, to share nonces between servers (default: random per authenticator). */
        public Builder secret(byte[] key) {
            this.secret = key.clone();
            return this;
        }

        /** Accept responses without {@code qop} (RFC 2069 clients); default off. */
        public Builder allowNoQop(boolean allow) {
            this.allowNoQop = allow;
            return this;
        }

        /** Builds. */
        public DigestAuthenticator build() {
            if (secret == null) {
                secret = new byte[32];
                new SecureRandom().nextBytes(secret);
            }
            return new DigestAuthenticator(this);
        }
    }
}
