package io.rvoip.sip.dialog;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.message.SipMethod;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the dialog layer needs to know about this user agent: its Contact, the methods,
 * extensions and body types it supports, T1/T2, and how next hops are resolved.
 */
public final class DialogConfig {
    private final Address contact;
    private final Set<String> allowedMethods;
    private final Set<String> supported;
    private final Set<String> acceptedBodyTypes;
    private final Set<String> opaqueBodyMethods;
    private final Duration t1;
    private final Duration t2;
    private final NextHopResolver resolver;
    private final int mergeMemory;
    private final io.rvoip.sip.dialog.auth.CredentialsProvider credentials;
    private final Set<String> infoPackages;
    private final Duration sessionInterval;
    private final Map<String, EventPackage> eventPackages;
    private final Duration minSessionInterval;

    private DialogConfig(Builder b) {
        this.contact = b.contact;
        this.allowedMethods = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.allowedMethods));
        this.supported = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.supported));
        this.acceptedBodyTypes = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.acceptedBodyTypes));
        this.opaqueBodyMethods = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.opaqueBodyMethods));
        this.t1 = b.t1;
        this.t2 = b.t2;
        this.resolver = b.resolver;
        this.mergeMemory = b.mergeMemory;
        this.credentials = b.credentials;
        this.infoPackages = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.infoPackages));
        this.sessionInterval = b.sessionInterval;
        this.eventPackages = Map.copyOf(b.eventPackages);
        this.minSessionInterval = b.minSessionInterval;
    }

    /** A configuration with our Contact address (where peers send in-dialog requests). */
    public static Builder builder(Address contact) {
        return new Builder(contact);
    }

    /** Our Contact. */
    public Address contact() {
        return contact;
    }

    /** Methods answered (others get 405 with Allow). */
    public Set<String> allowedMethods() {
        return allowedMethods;
    }

    /** Option tags supported (a Require naming another gets 420 with Unsupported). */
    public Set<String> supported() {
        return supported;
    }

    /** Body types understood, {@code type/subtype} in lower case (others get 415 with Accept). */
    public Set<String> acceptedBodyTypes() {
        return acceptedBodyTypes;
    }

    /** Methods whose bodies are the application's business and never checked (INFO, MESSAGE…). */
    public Set<String> opaqueBodyMethods() {
        return opaqueBodyMethods;
    }

    /** RFC 3261 T1. */
    public Duration t1() {
        return t1;
    }

    /** RFC 3261 T2. */
    public Duration t2() {
        return t2;
    }

    /** Next-hop resolution. */
    public NextHopResolver resolver() {
        return resolver;
    }

    /** Credentials for answering 401/407 challenges. */
    public io.rvoip.sip.dialog.auth.CredentialsProvider credentials() {
        return credentials;
    }

    /** The event packages served to subscribers (RFC 6665), by name. */
    public Map<String, EventPackage> eventPackages() {
        return eventPackages;
    }

    /** The session interval we ask for (RFC 4028), or null when session timers are off. */
    public Duration sessionInterval() {
        return sessionInterval;
    }

    /** The smallest session interval we accept (Min-SE, at least 90 s). */
    public Duration minSessionInterval() {
        return minSessionInterval;
    }

    /** Info Packages (RFC 6086) this UA receives; an INFO naming another gets 469. */
    public Set<String> infoPackages() {
        return infoPackages;
    }

    int mergeMemory() {
        return mergeMemory;
    }

    /** Builder of {@link DialogConfig}. */
    public static final class Builder {
        private final Address contact;
        private final Set<String> allowedMethods = new LinkedHashSet<>(List.of(SipMethod.INVITE.name(),
                SipMethod.ACK.name(), SipMethod.BYE.name(), SipMethod.CANCEL.name(), SipMethod.OPTIONS.name(),
                SipMethod.INFO.name(), SipMethod.MESSAGE.name(), SipMethod.UPDATE.name(), SipMethod.REFER.name(),
                SipMethod.NOTIFY.name()));
        private final Set<String> supported = new LinkedHashSet<>(List.of("replaces", "norefersub"));
        private final Set<String> acceptedBodyTypes = new LinkedHashSet<>(List.of("application/sdp"));
        private final Set<String> opaqueBodyMethods = new LinkedHashSet<>(List.of(SipMethod.INFO.name(),
                SipMethod.MESSAGE.name(), SipMethod.NOTIFY.name()));
        private Duration t1 = Duration.ofMillis(500);
        private Duration t2 = Duration.ofSeconds(4);
        private NextHopResolver resolver = NextHopResolver.numeric();
        private int mergeMemory = 4096;
        private io.rvoip.sip.dialog.auth.CredentialsProvider credentials = io.rvoip.sip.dialog.auth.CredentialsProvider.none();
        private final Set<String> infoPackages = new LinkedHashSet<>();
        private Duration sessionInterval;
        private final Map<String, EventPackage> eventPackages = new java.util.LinkedHashMap<>();
        private Duration minSessionInterval = Duration.ofSeconds(90);

        private Builder(Address contact) {
            this.contact = Objects.requireNonNull(contact, "contact");
        }

        /** Replaces the allowed methods (default INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, MESSAGE, UPDATE, REFER, NOTIFY). */
        public Builder allowedMethods(String... methods) {
            allowedMethods.clear();
            allowedMethods.addAll(List.of(methods));
            return this;
        }

        /**
         * Adds supported option tags. {@code replaces} (RFC 3891) and {@code norefersub} (RFC 4488)
         * are there by default; {@code 100rel} turns on reliable provisional responses; every
         * request and response the layer sends lists them in Supported.
         */
        public Builder supported(String... tags) {
            supported.addAll(List.of(tags));
            return this;
        }

        /** Replaces the accepted body types (default {@code application/sdp}). */
        public Builder acceptedBodyTypes(String... types) {
            acceptedBodyTypes.clear();
            for (String t : types) {
                acceptedBodyTypes.add(t.toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /** T1 and T2 (defaults 500 ms and 4 s). */
        public Builder timers(Duration t1, Duration t2) {
            this.t1 = t1;
            this.t2 = t2;
            return this;
        }

        /** Next-hop resolution (default: IP literals only). */
        public Builder resolver(NextHopResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver);
            return this;
        }

        /**
         * Credentials to answer Digest challenges (401/407) with: the request is sent again with a
         * new CSeq and branch; a second challenge for a nonce already answered (and not stale)
         * means the credentials are wrong, and the challenge is returned to the caller.
         */
        public Builder credentials(io.rvoip.sip.dialog.auth.CredentialsProvider provider) {
            this.credentials = Objects.requireNonNull(provider);
            return this;
        }

        /**
         * Event packages this UA serves as a notifier (RFC 6665); a SUBSCRIBE for another event
         * gets 489 with Allow-Events. Adds SUBSCRIBE to the allowed methods.
         */
        public Builder eventPackages(EventPackage... packages) {
            for (EventPackage p : packages) {
                eventPackages.put(p.name(), p);
            }
            allowedMethods.add(SipMethod.SUBSCRIBE.name());
            return this;
        }

        /**
         * Session timers (RFC 4028): ask for {@code interval} (Session-Expires) in our INVITEs
         * and accept intervals down to {@code minimum} (Min-SE, at least 90 s; shorter requests
         * get 422). Adds {@code timer} to the supported options.
         */
        public Builder sessionTimers(Duration interval, Duration minimum) {
            if (minimum.getSeconds() < 90 || interval.compareTo(minimum) < 0) {
                throw new IllegalArgumentException("Min-SE is at least 90 s and the interval at least Min-SE");
            }
            this.sessionInterval = interval;
            this.minSessionInterval = minimum;
            supported.add("timer");
            return this;
        }

        /**
         * Info Packages (RFC 6086 §5) this UA accepts in INFO requests, for example {@code dtmf};
         * an INFO with an Info-Package header naming another is answered 469 with Recv-Info.
         * Legacy INFO (no Info-Package) is passed up.
         */
        public Builder infoPackages(String... packages) {
            for (String p : packages) {
                infoPackages.add(p.toLowerCase(java.util.Locale.ROOT));
            }
            return this;
        }

        /** Builds. */
        public DialogConfig build() {
            return new DialogConfig(this);
        }
    }
}
