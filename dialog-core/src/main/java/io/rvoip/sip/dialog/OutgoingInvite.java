package io.rvoip.sip.dialog;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transaction.ClientTransaction;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An INVITE we sent outside a dialog: its early dialogs (one per fork that answered with a
 * To tag), the dialog the first 2xx confirmed, and the final outcome.
 */
public final class OutgoingInvite {
    private volatile SipRequest request;
    final java.util.Set<String> answeredNonces = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final CompletableFuture<SipResponse> finalResponse = new CompletableFuture<>();
    final CompletableFuture<Dialog> dialog = new CompletableFuture<>();
    final List<Dialog> dialogs = new CopyOnWriteArrayList<>();
    volatile ClientTransaction transaction;
    boolean retried422;
    Dialog confirmed;

    OutgoingInvite(SipRequest request) {
        this.request = request;
    }

    /** The INVITE as last sent (after a 401/407, the authorized retry). */
    public SipRequest request() {
        return request;
    }

    void request(SipRequest r) {
        this.request = r;
    }

    /** The Call-ID. */
    public String callId() {
        return request.callId();
    }

    /**
     * Completes with the final response: the first 2xx, or the failure (3xx–6xx); fails with
     * {@link io.rvoip.sip.transaction.TransactionTimeoutException} when no final response came.
     */
    public CompletableFuture<SipResponse> finalResponse() {
        return finalResponse;
    }

    /** Completes with the dialog the first 2xx confirmed; fails when the INVITE failed. */
    public CompletableFuture<Dialog> dialog() {
        return dialog;
    }

    /** Every dialog created for this INVITE so far (early ones of other forks included). */
    public List<Dialog> dialogs() {
        return List.copyOf(dialogs);
    }

    /** The INVITE client transaction, once sent. */
    public ClientTransaction transaction() {
        return transaction;
    }
}
