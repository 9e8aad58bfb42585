package io.rvoip.sip.transaction;

import io.rvoip.infra.time.Timeout;
import io.rvoip.sip.message.SipRequest;
import java.util.concurrent.TimeUnit;

/**
 * A SIP transaction (RFC 3261 §17): a request, the responses to it, and the state machine of
 * its RFC figure, with its timers.
 *
 * <p>Threading: a transaction is confined to the shard of its Call-ID. Its methods must be
 * called there (subscribers of {@link TransactionEvent}s on the shard are); timers fire there.
 * It holds no locks.
 */
public abstract sealed class Transaction permits ClientTransaction, ServerTransaction {
    final TransactionLayer layer;
    final TransactionKey key;
    /**
     * Re-parses compacted messages. They were accepted before (perhaps by a transport with
     * larger limits than the defaults), so the limits here only keep the arithmetic in range.
     */
    static final io.rvoip.sip.parser.SipParser REPARSE = new io.rvoip.sip.parser.SipParser(
            new io.rvoip.sip.parser.ParserLimits(1 << 28, 1 << 20, 1 << 28, 1 << 28, 1 << 28, 1 << 20, 1 << 20));

    /** The request; null once {@link #compact()}ed, when {@link #compactRequest} holds its bytes. */
    private volatile SipRequest request;
    private java.nio.ByteBuffer compactRequest;
    final String callId;
    boolean reliable;
    TransactionState state;
    /** Live timers; a slot whose timer ran or was cancelled is reused (Timer E re-arms itself). */
    private Timeout[] timers = new Timeout[3];

    Transaction(TransactionLayer layer, TransactionKey key, SipRequest request, boolean reliable,
            TransactionState initial) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.callId = request.callId();
        this.reliable = reliable;
        this.state = initial;
    }

    /** The key that matches messages to this transaction. */
    public final TransactionKey key() {
        return key;
    }

    /** The current state. */
    public final TransactionState state() {
        return state;
    }

    /**
     * The request that created the transaction. Once the transaction has completed it keeps
     * only the request's bytes (a Completed server transaction lingers 64·T1 on UDP), and this
     * parses them again on each call: an equal request, not the same instance.
     */
    public final SipRequest request() {
        SipRequest r = request;
        return r != null ? r : (SipRequest) REPARSE.parseDatagram(compactRequest);
    }

    /**
     * Keeps only the request's wire bytes: called on entering a state that merely absorbs
     * retransmissions, so the lingering transaction holds ≈ 0.3 KB of request, not ≈ 1.5 KB.
     */
    void compact() {
        SipRequest r = request;
        if (r != null) {
            compactRequest = r.wireBuffer(); // the message's own bytes, no copy
            request = null;
        }
    }

    /** The Call-ID (the transaction's shard key). */
    public final String callId() {
        return callId;
    }

    /** True over TCP, TLS, WS and WSS (no retransmissions). */
    public final boolean isReliable() {
        return reliable;
    }

    /** True once terminated. */
    public final boolean isTerminated() {
        return state == TransactionState.TERMINATED;
    }

    /**
     * Starts a timer of {@code nanos} whose task runs on this transaction's shard. Every timer
     * is kept until it runs or is cancelled, and {@link #terminate()} cancels them all, so no
     * task runs after Terminated (a cancelled timer never runs, even when already due). Null,
     * and nothing scheduled, once terminated.
     */
    final Timeout timer(long nanos, Runnable task) {
        if (state == TransactionState.TERMINATED) {
            return null;
        }
        Timeout t = layer.scheduler().schedule(callId, nanos, TimeUnit.NANOSECONDS, task);
        keep(t);
        return t;
    }

    private void keep(Timeout t) {
        for (int i = 0; i < timers.length; i++) {
            Timeout old = timers[i];
            if (old == null || old.hasRun() || old.isCancelled()) {
                timers[i] = t;
                return;
            }
        }
        int n = timers.length;
        timers = java.util.Arrays.copyOf(timers, n * 2);
        timers[n] = t;
    }

    static void cancel(Timeout t) {
        if (t != null) {
            t.cancel();
        }
    }

    /** Enters Terminated: cancels every timer, leaves every table, tells the TU. */
    final void terminate() {
        if (state == TransactionState.TERMINATED) {
            return;
        }
        state = TransactionState.TERMINATED;
        for (int i = 0; i < timers.length; i++) {
            if (timers[i] != null) {
                timers[i].cancel();
                timers[i] = null;
            }
        }
        layer.terminated(this);
    }

    /** Transport error (RFC 3261 §17.1.4 / §17.2.4). */
    abstract void transportError(Throwable cause);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + key + ", " + state + "]";
    }
}
