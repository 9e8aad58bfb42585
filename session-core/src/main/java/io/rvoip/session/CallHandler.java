package io.rvoip.session;

/**
 * Decides what to do with an incoming call. Called on the call's shard: decide quickly, or
 * return {@link Decision#defer()} and later call {@link CallSession#answer()} or {@link
 * CallSession#reject(int)} from any thread. Until then the caller hears ringing (180).
 */
@FunctionalInterface
public interface CallHandler {
    /** The decision for {@code call}; its source and sink may be set here. */
    Decision onIncomingCall(CallSession call);

    /** Answers every call. */
    static CallHandler autoAnswer() {
        return call -> Decision.accept();
    }

    /**
     * Routes by the user part of the Request-URI (what a PBX dials on): the handler for that
     * user, else {@code fallback}.
     */
    static CallHandler byUser(java.util.Map<String, CallHandler> routes, CallHandler fallback) {
        java.util.Map<String, CallHandler> copy = java.util.Map.copyOf(routes);
        java.util.Objects.requireNonNull(fallback, "fallback");
        return call -> {
            io.rvoip.sip.uri.Uri u = call.requestUri();
            String user = u instanceof io.rvoip.sip.uri.SipUri s ? s.user() : null;
            return copy.getOrDefault(user, fallback).onIncomingCall(call);
        };
    }

    /** Rejects every call with {@code status} (486 Busy Here, 603 Decline…). */
    static CallHandler rejectAll(int status) {
        return call -> Decision.reject(status);
    }

    /** What to do with a call. */
    final class Decision {
        private static final Decision ACCEPT = new Decision(200);
        private static final Decision DEFER = new Decision(0);
        private static final Decision EARLY = new Decision(183);
        private final int status;
        private final java.util.List<io.rvoip.sip.uri.Uri> contacts;

        private Decision(int status) {
            this(status, java.util.List.of());
        }

        private Decision(int status, java.util.List<io.rvoip.sip.uri.Uri> contacts) {
            this.status = status;
            this.contacts = contacts;
        }

        /**
         * Redirects the caller (302 Moved Temporarily) to {@code contacts}, in preference order;
         * the caller's UA calls them itself.
         */
        public static Decision redirect(java.util.List<io.rvoip.sip.uri.Uri> contacts) {
            if (contacts.isEmpty()) {
                throw new IllegalArgumentException("a redirect needs at least one contact");
            }
            return new Decision(302, java.util.List.copyOf(contacts));
        }

        java.util.List<io.rvoip.sip.uri.Uri> contacts() {
            return contacts;
        }

        /** Answer now (200 with our SDP answer). */
        public static Decision accept() {
            return ACCEPT;
        }

        /** Reject with a final status 300–699. */
        public static Decision reject(int status) {
            if (status < 300 || status > 699) {
                throw new IllegalArgumentException("not a final failure status: " + status);
            }
            return new Decision(status);
        }

        /**
         * Early media now (183 with the SDP answer, media starts), answer or reject later: see
         * {@link CallSession#earlyMedia()}.
         */
        public static Decision earlyMedia() {
            return EARLY;
        }

        /** Keep ringing; the application answers or rejects later. */
        public static Decision defer() {
            return DEFER;
        }

        int status() {
            return status;
        }
    }
}
