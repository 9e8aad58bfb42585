package io.rvoip.sip.dialog;

import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.uri.Uri;

/**
 * An event package a notifier serves (RFC 6665 §7): its name (the Event header token), its
 * body type, the subscription durations it grants, who may subscribe, and the body describing
 * a resource's current state. Register packages with
 * {@link DialogConfig.Builder#eventPackages}; when a resource changes, call
 * {@link DialogLayer#notifyChanged(String, Uri)}.
 *
 * <p>{@link #state} is called on the shard of the subscription's dialog and must not block.
 */
public interface EventPackage {
    /** The Event header token, for example {@code message-summary}. */
    String name();

    /** The type of the bodies {@link #state} returns (checked against a SUBSCRIBE's Accept). */
    MediaType contentType();

    /** Subscription duration when the SUBSCRIBE gives none, seconds. */
    default long defaultExpires() {
        return 3600;
    }

    /** The longest duration granted; longer requests are shortened (RFC 6665 §4.2.1.1). */
    default long maxExpires() {
        return 3600;
    }

    /** Shorter non-zero durations get 423 with Min-Expires. */
    default long minExpires() {
        return 60;
    }

    /**
     * Who may subscribe (RFC 6665 §4.2.1.3), decided without waiting for a user: accept at once,
     * hold the subscription {@code pending} until {@link DialogLayer#activate} or
     * {@link DialogLayer#terminateSubscription}, or refuse with 403.
     */
    default Authorization authorize(SipRequest subscribe) {
        return Authorization.ACCEPT;
    }

    /**
     * The NOTIFY body for the current state of {@code resource} (the SUBSCRIBE's Request-URI), or
     * null for a NOTIFY without body.
     *
     * @param version how many NOTIFYs this subscription sent before this one (0 for the first),
     *        for packages that number their documents such as {@code dialog} (RFC 4235)
     */
    Notification state(Uri resource, long version);

    /** The decision of {@link #authorize}. */
    enum Authorization {
        /** The subscription is active at once. */
        ACCEPT,
        /** The subscription is created {@code pending} (its NOTIFYs carry no state). */
        PENDING,
        /** 403 Forbidden. */
        REJECT
    }

    /** A NOTIFY body. */
    record Notification(MediaType type, byte[] body) {
        /** Copies the body. */
        public Notification {
            java.util.Objects.requireNonNull(type, "type");
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }
}
