package io.rvoip.sip.dialog.registration;

import io.rvoip.infra.time.Clock;
import io.rvoip.sip.dialog.auth.DigestAuthenticator;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A registrar (RFC 3261 §10.3): bindings per address-of-record with expiry, q-values, the
 * Call-ID/CSeq ordering rules, {@code *} to remove all, Path (RFC 3327) kept and returned, and a
 * 200 listing every current binding. Optionally authenticates with Digest and allows a user to
 * register only their own AOR.
 *
 * <pre>{@code
 * Registrar registrar = Registrar.builder().domains("example.com").authenticator(auth).build();
 * bus.subscribe(DialogEvent.RequestReceived.class).onShard().handle(e -> {
 *     if (e.request().method().equals(SipMethod.REGISTER)) {
 *         dialogs.respond(e.transaction(), registrar.handle(e.request()));
 *     }
 * });
 * List<Binding> where = registrar.lookup("sip:alice@example.com");
 * }</pre>
 *
 * <p>Thread-safe (the store serialises changes per AOR).
 */
public final class Registrar {
    private final BindingStore store;
    private final Set<String> domains;
    private final DigestAuthenticator authenticator;
    private final long defaultExpires;
    private final long minExpires;
    private final long maxExpires;
    private final int maxBindingsPerAor;
    private final Clock clock;

    private Registrar(Builder b) {
        this.store = b.store;
        this.domains = Set.copyOf(b.domains);
        this.authenticator = b.authenticator;
        this.defaultExpires = b.defaultExpires;
        this.minExpires = b.minExpires;
        this.maxExpires = b.maxExpires;
        this.maxBindingsPerAor = b.maxBindings;
        this.clock = b.clock;
    }

    /** A registrar with an in-memory store and default limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** The canonical AOR of a URI: scheme, user and host, lower-case host, no port or parameters. */
    public static String canonical(Uri uri) {
        if (uri instanceof SipUri s) {
            return (s.isSecure() ? "sips:" : "sip:") + (s.user() == null ? "" : s.user() + "@")
                    + s.host().toLowerCase(java.util.Locale.ROOT);
        }
        return uri.toString();
    }

    /** The answer to a REGISTER (200 with the bindings, or 401/403/404/400/423/500). */
    public SipResponse handle(SipRequest register) {
        if (!register.method().equals(SipMethod.REGISTER)) {
            throw new IllegalArgumentException("not a REGISTER");
        }
        // 1. are we responsible for the domain?
        if (!domains.isEmpty() && !(register.requestUri() instanceof SipUri s
                && domains.contains(s.host().toLowerCase(java.util.Locale.ROOT)))) {
            return SipResponse.forRequest(register, StatusCode.NOT_FOUND).reasonPhrase("Not Found (domain)").build();
        }
        if (register.to() == null || register.from() == null || register.callId() == null || register.cseq() == null) {
            return SipResponse.forRequest(register, StatusCode.BAD_REQUEST).build(); // §10.3 needs all four
        }
        String aor = canonical(register.to().uri());
        // 2. who is asking, and may they change this AOR?
        if (authenticator != null) {
            DigestAuthenticator.Result r = authenticator.verify(register, false);
            if (!r.ok()) {
                return authenticator.challenge(register, false, r.stale());
            }
            String user = register.to().uri() instanceof SipUri s ? s.user() : null;
            if (!r.username().equals(user)) {
                return SipResponse.forRequest(register, StatusCode.FORBIDDEN).build();
            }
        }
        List<Address> contacts;
        try {
            contacts = register.getAll(SipHeaders.CONTACT);
        } catch (RuntimeException e) {
            return SipResponse.forRequest(register, StatusCode.BAD_REQUEST).reasonPhrase("Bad Request (Contact)").build();
        }
        List<Address> path;
        try { // kept with each binding and returned in the 200 (RFC 3327), so sendable
            path = register.getAll(SipHeaders.PATH).stream().map(Address::sendable).toList();
        } catch (RuntimeException e) {
            return SipResponse.forRequest(register, StatusCode.BAD_REQUEST).reasonPhrase("Bad Request (Path)").build();
        }
        Long expiresHeader;
        try {
            expiresHeader = register.get(SipHeaders.EXPIRES);
        } catch (RuntimeException e) {
            return SipResponse.forRequest(register, StatusCode.BAD_REQUEST).reasonPhrase("Bad Request (Expires)").build();
        }
        String callId = register.callId();
        long cseq = register.cseq().seq();
        long now = clock.currentTimeMillis();

        // 3. "*": remove everything (Expires 0, only one Contact)
        boolean star = contacts.stream().anyMatch(Address::isWildcard);
        if (star) {
            if (contacts.size() != 1 || expiresHeader == null || expiresHeader != 0) {
                return SipResponse.forRequest(register, StatusCode.BAD_REQUEST).reasonPhrase("Bad Request (*)").build();
            }
            String[] failure = new String[1];
            store.update(aor, old -> {
                for (Binding b : old) {
                    if (b.callId().equals(callId) && cseq <= b.cseq()) {
                        failure[0] = "out of order";
                        return old;
                    }
                }
                return List.of();
            });
            if (failure[0] != null) {
                return SipResponse.forRequest(register, StatusCode.SERVER_INTERNAL_ERROR).reasonPhrase("CSeq out of order").build();
            }
            return ok(register, aor, now, path);
        }
        // 4. expiry of each contact; 423 when one is too brief
        for (Address c : contacts) {
            long e = expires(c, expiresHeader);
            if (e > 0 && e < minExpires) {
                SipResponse.Builder b = SipResponse.forRequest(register, StatusCode.INTERVAL_TOO_BRIEF);
                b.set(SipHeaders.MIN_EXPIRES, minExpires);
                return b.build();
            }
        }
        // 5. apply the changes under the AOR's lock, with the Call-ID/CSeq rules
        String[] failure = new String[1];
        store.update(aor, old -> {
            List<Binding> next = new ArrayList<>();
            for (Binding b : old) {
                if (b.expiresAt() > now) {
                    next.add(b);
                }
            }
            for (Address c : contacts) {
                long e = Math.min(expires(c, expiresHeader), maxExpires);
                Binding existing = null;
                for (Binding b : next) {
                    if (sameContact(b.contact(), c)) {
                        existing = b;
                    }
                }
                if (existing != null) {
                    if (existing.callId().equals(callId) && cseq <= existing.cseq()) {
                        failure[0] = "CSeq out of order";
                        return old;
                    }
                    next.remove(existing);
                }
                if (e > 0) {
                    double q = c.q() < 0 ? 1.0 : c.q();
                    next.add(new Binding(aor, stripExpires(c), callId, cseq, now + e * 1000, q, path));
                }
            }
            if (next.size() > maxBindingsPerAor) {
                failure[0] = "too many bindings";
                return old;
            }
            return next;
        });
        if (failure[0] != null) {
            StatusCode code = failure[0].startsWith("too many") ? StatusCode.FORBIDDEN : StatusCode.SERVER_INTERNAL_ERROR;
            return SipResponse.forRequest(register, code).reasonPhrase(code.reasonPhrase() + " (" + failure[0] + ")").build();
        }
        return ok(register, aor, now, path);
    }

    private SipResponse ok(SipRequest register, String aor, long now, List<Address> path) {
        SipResponse.Builder b = SipResponse.forRequest(register, StatusCode.OK);
        List<Address> current = new ArrayList<>();
        for (Binding x : lookup(aor)) {
            current.add(x.contact().withParam("expires", String.valueOf(x.secondsLeft(now))));
        }
        if (!current.isEmpty()) {
            b.setAll(SipHeaders.CONTACT, current);
        }
        if (!path.isEmpty()) {
            b.setAll(SipHeaders.PATH, path);
        }
        return b.build();
    }

    private long expires(Address contact, Long header) {
        String p = contact.param("expires");
        if (p != null) {
            try {
                return Math.max(0, Long.parseLong(p.trim()));
            } catch (NumberFormatException e) {
                return defaultExpires;
            }
        }
        return header != null ? header : defaultExpires;
    }

    private static boolean sameContact(Address a, Address b) {
        if (a.uri() instanceof SipUri x && b.uri() instanceof SipUri y) {
            return x.isEquivalentTo(y);
        }
        return a.uri().equals(b.uri());
    }

    /** A binding's contact as kept and listed in every 200 of its AOR: without expires, sendable. */
    private static Address stripExpires(Address contact) {
        Address a = contact.sendable();
        return a.param("expires") == null ? a : new Address(a.displayName(), a.uri(), a.params().without("expires"),
                a.angleBrackets());
    }

    /** The unexpired bindings of an AOR, highest q first (the location service). */
    public List<Binding> lookup(String aor) {
        long now = clock.currentTimeMillis();
        List<Binding> out = new ArrayList<>();
        for (Binding b : store.bindings(aor)) {
            if (b.expiresAt() > now) {
                out.add(b);
            }
        }
        out.sort(Comparator.comparingDouble(Binding::q).reversed());
        return out;
    }

    /** Builder of {@link Registrar}. */
    public static final class Builder {
        private BindingStore store = BindingStore.inMemory();
        private Set<String> domains = Set.of();
        private DigestAuthenticator authenticator;
        private long defaultExpires = 3600;
        private long minExpires = 60;
        private long maxExpires = 86400;
        private int maxBindings = 20;
        private Clock clock = Clock.system();

        private Builder() {
        }

        /** The store (default in memory). */
        public Builder store(BindingStore s) {
            this.store = Objects.requireNonNull(s);
            return this;
        }

        /** Domains served (lower case); empty: any. Others get 404. */
        public Builder domains(String... d) {
            this.domains = Set.of(d);
            return this;
        }

        /** Require Digest authentication, a user registering only their own AOR. */
        public Builder authenticator(DigestAuthenticator a) {
            this.authenticator = a;
            return this;
        }

        /** Expiry when the REGISTER gives none (default 3600 s), the minimum (60 s: shorter gets 423) and maximum (86400 s). */
        public Builder expires(long defaultSeconds, long minSeconds, long maxSeconds) {
            this.defaultExpires = defaultSeconds;
            this.minExpires = minSeconds;
            this.maxExpires = maxSeconds;
            return this;
        }

        /** Most bindings per AOR (default 20). */
        public Builder maxBindings(int n) {
            this.maxBindings = n;
            return this;
        }

        /** The clock (a manual one in tests). */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Builds. */
        public Registrar build() {
            return new Registrar(this);
        }
    }
}
