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

        private Decision(int status) {
            this.status = status;
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
