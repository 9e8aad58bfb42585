package io.rvoip.infra.event;

/**
 * Thrown by {@link EventBus#publish(Event)} when a subscription with
 * {@link BackpressurePolicy#FAIL} had no room for the event. Every other subscriber received
 * the event before this was thrown.
 */
public final class EventRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String subscription;

    EventRejectedException(String subscription) {
        super("subscription '" + subscription + "' is full");
        this.subscription = subscription;
    }

    /** The name of the subscription that refused the event. */
    public String subscription() {
        return subscription;
    }
}
