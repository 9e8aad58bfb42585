package io.rvoip.session;

/** An outgoing call that was not answered: rejected, cancelled, timed out or not acceptable. */
public final class CallFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient EndReason reason;

    /** A failure for {@code reason}. */
    public CallFailedException(EndReason reason) {
        super(reason.cause() + (reason.status() > 0 ? " " + reason.status() : "") + ": " + reason.detail());
        this.reason = reason;
    }

    /** Why the call failed. */
    public EndReason reason() {
        return reason;
    }
}
