package io.rvoip.sip.transaction;

import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.TransportEvent;
import java.util.Objects;

/**
 * A server transaction: absorbs retransmitted requests, sends the TU's responses and
 * retransmits the last one when asked (RFC 3261 §17.2). The TU answers with
 * {@link #respond(SipResponse)} on the transaction's shard.
 */
public abstract sealed class ServerTransaction extends Transaction
        permits InviteServerTransaction, NonInviteServerTransaction {
    private final io.rvoip.sip.transport.TransportType transport;
    private final java.net.InetSocketAddress local;
    private final java.net.InetSocketAddress remote;
    private final ConnectionId connection;
    /** How the request arrived; null once compacted (rebuilt on demand). */
    private volatile TransportEvent.MessageReceived source;
    /** The last response sent; null before the first, or once compacted into {@link #compactResponse}. */
    private volatile SipResponse lastResponse;
    private java.nio.ByteBuffer compactResponse;

    ServerTransaction(TransactionLayer layer, TransactionKey key, SipRequest request,
            TransportEvent.MessageReceived source, TransactionState initial) {
        super(layer, key, request, source.transport().isReliable(), initial);
        this.source = source;
        this.transport = source.transport();
        this.local = source.local();
        this.remote = source.remote();
        this.connection = source.connection();
    }

    /** How the request arrived (transport, addresses, connection). */
    public final TransportEvent.MessageReceived source() {
        TransportEvent.MessageReceived s = source;
        return s != null ? s : new TransportEvent.MessageReceived(request(), transport, local, remote, connection);
    }

    /** The connection the request came on, or null (UDP). */
    public final ConnectionId connection() {
        return connection;
    }

    /**
     * The last response sent, or null. Once the transaction only absorbs retransmissions it
     * keeps the response's bytes and each call parses them again (an equal response).
     */
    public final SipResponse lastResponse() {
        SipResponse r = lastResponse;
        if (r == null && compactResponse != null) {
            r = (SipResponse) REPARSE.parseDatagram(compactResponse);
        }
        return r;
    }

    /** True once a response has been sent. */
    final boolean answered() {
        return lastResponse != null || compactResponse != null;
    }

    /** Also drops the parsed request held by {@link #source()} and keeps the last response as bytes. */
    @Override
    final void compact() {
        super.compact();
        source = null;
        SipResponse r = lastResponse;
        if (r != null) {
            compactResponse = r.wireBuffer(); // the message's own bytes, no copy
            lastResponse = null;
        }
    }

    /**
     * Sends the TU's response through this transaction. Call on the transaction's shard (the
     * layer's {@link TransactionLayer#respond} hops there for you).
     *
     * @throws IllegalStateException if the transaction cannot take it in its state
     */
    public final void respond(SipResponse response) {
        Objects.requireNonNull(response, "response");
        if (!response.cseq().method().equals(key.method())) { // the key's method is the request's
            throw new IllegalArgumentException("response CSeq method does not match the request");
        }
        tuResponse(response);
    }

    abstract void tuResponse(SipResponse response);

    /**
     * True if {@link #respond} takes a response with {@code statusCode} now. False once a final
     * response ended what the TU may say: the transaction layer's 487 after a CANCEL, a timeout,
     * or the TU's own final response (after a 2xx an INVITE transaction still takes 2xx
     * retransmissions, RFC 6026). Call on the transaction's shard.
     */
    public abstract boolean accepts(int statusCode);

    /** A retransmission of the request (or, for INVITE, an ACK) matched this transaction. */
    abstract void receive(SipRequest request);

    final void transmit(SipResponse response) {
        lastResponse = response;
        compactResponse = null;
        send(response);
    }

    /** Sends the last response again (a retransmitted request, Timer G); keeps it compact. */
    final void resend() {
        send(lastResponse());
    }

    private void send(SipResponse response) {
        layer.sender().sendResponse(response, connection()).whenComplete((v, e) -> {
            if (e != null) {
                layer.onShard(callId, () -> transportError(e));
            }
        });
    }

    @Override
    final void transportError(Throwable cause) {
        // RFC 6026 §8.8: inform the TU and stay in the current state.
        layer.publish(new TransactionEvent.TransportError(this, String.valueOf(cause.getMessage())));
    }
}
