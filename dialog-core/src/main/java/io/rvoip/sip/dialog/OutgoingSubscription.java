package io.rvoip.sip.dialog;

import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.header.EventHeader;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A SUBSCRIBE we sent outside a dialog (RFC 6665 §4.1.2): its final response, and the
 * subscriptions it created — one dialog per notifier whose NOTIFY arrived (several when the
 * SUBSCRIBE forked). A NOTIFY may arrive before the 200; new dialogs are accepted until Timer N
 * (64·T1 after sending) fires, after which a NOTIFY that would create one gets 481.
 */
public final class OutgoingSubscription {
    private final EventHeader event;
    volatile SipRequest request;
    final long requestedExpires;
    final CompletableFuture<SipResponse> response = new CompletableFuture<>();
    final CompletableFuture<Dialog> established = new CompletableFuture<>();
    final List<Dialog> dialogs = new CopyOnWriteArrayList<>();
    Timeout timerN;
    boolean timerNFired;

    OutgoingSubscription(SipRequest request, EventHeader event, long requestedExpires) {
        this.request = request;
        this.event = event;
        this.requestedExpires = requestedExpires;
    }

    /** The SUBSCRIBE as last sent (after a 401/407, the authorized retry). */
    public SipRequest request() {
        return request;
    }

    /** The Event subscribed to. */
    public EventHeader event() {
        return event;
    }

    /** The Call-ID. */
    public String callId() {
        return request.callId();
    }

    /** Completes with the SUBSCRIBE's final response (2xx, or the refusal). */
    public CompletableFuture<SipResponse> response() {
        return response;
    }

    /**
     * Completes with the first subscription dialog (created by the first NOTIFY that is not
     * {@code terminated}); fails on a non-2xx final response or when Timer N fires first.
     */
    public CompletableFuture<Dialog> established() {
        return established;
    }

    /** The subscription dialogs created so far, one per notifier. */
    public List<Dialog> dialogs() {
        return List.copyOf(dialogs);
    }
}
