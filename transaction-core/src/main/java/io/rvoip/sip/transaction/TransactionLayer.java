package io.rvoip.sip.transaction;

import io.rvoip.infra.concurrent.ShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.event.Subscription;
import io.rvoip.infra.lifecycle.Lifecycle;
import io.rvoip.infra.time.Scheduler;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.transport.Destination;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.TransportEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction layer (RFC 3261 §17): matches every received message to its transaction
 * (§17.1.3, §17.2.3), creates server transactions for new requests, runs client transactions
 * for the TU's requests, and publishes {@link TransactionEvent}s.
 *
 * <p>Threading: everything of one Call-ID runs on that Call-ID's shard — the bus delivers
 * transport events there (the bus must use the same {@link ShardedExecutor}), timers fire
 * there, and the public methods hop there. Transactions hold no locks.
 *
 * <p>A non-INVITE transaction over UDP that has completed ends for the TU at once; the layer
 * keeps its Completed state (Timer J, 64·T1, on the server side; Timer K, T4, on the client
 * side) as bytes — the key and the final response — and answers or absorbs retransmissions from
 * them ({@link #lingeringCount()}), so a busy server does not hold a million small objects.
 *
 * <p>Matching of requests whose branch lacks the RFC 3261 magic cookie (RFC 2543 peers) uses
 * Call-ID, CSeq number, From tag and the top Via's sent-by, so retransmissions and the ACK of a
 * non-2xx response still find their transaction.
 */
public final class TransactionLayer implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(TransactionLayer.class);

    private final EventBus bus;
    private final ShardedExecutor shards;
    private final Scheduler scheduler;
    private final MessageSender sender;
    private final TransactionTimers timers;
    private final ConcurrentHashMap<TransactionKey, Transaction> table = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder stateless = new LongAdder();
    /** Per shard: the Completed non-INVITE transactions over UDP, as bytes (see {@link CompletedStore}). */
    private final CompletedStore[] completed;
    /** Per shard: the pending sweep of {@link #completed}, or null. Confined to the shard. */
    private final io.rvoip.infra.time.Timeout[] sweeps;
    private Subscription subscription;
    private Subscription rejections;

    /** {@link #create}'s default bound on the bytes kept for completed transactions: 1 GiB. */
    public static final long DEFAULT_MAX_LINGERING_BYTES = 1L << 30;

    private TransactionLayer(EventBus bus, ShardedExecutor shards, Scheduler scheduler, MessageSender sender,
            TransactionTimers timers, long maxLingeringBytes) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.shards = Objects.requireNonNull(shards, "shards");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.timers = Objects.requireNonNull(timers, "timers");
        if (maxLingeringBytes < 0) {
            throw new IllegalArgumentException("maxLingeringBytes " + maxLingeringBytes);
        }
        this.completed = new CompletedStore[shards.shardCount()];
        for (int i = 0; i < completed.length; i++) {
            completed[i] = new CompletedStore(maxLingeringBytes / completed.length);
        }
        this.sweeps = new io.rvoip.infra.time.Timeout[completed.length];
    }

    /** A layer; {@code bus} must deliver shard subscriptions on {@code shards}. Call {@link #start()}. */
    public static TransactionLayer create(EventBus bus, ShardedExecutor shards, Scheduler scheduler,
            MessageSender sender, TransactionTimers timers) {
        return new TransactionLayer(bus, shards, scheduler, sender, timers, DEFAULT_MAX_LINGERING_BYTES);
    }

    /**
     * A layer that keeps at most {@code maxLingeringBytes} (split evenly between the shards) for
     * completed non-INVITE transactions over UDP ({@link #lingeringCount()}). Under a flood of
     * new requests past that bound the oldest records go first: a retransmission of one of
     * those requests is then taken as a new request, and counted in {@link #lingeringEvicted()}.
     * Zero keeps none as bytes: every completed transaction stays an object until its timer.
     */
    public static TransactionLayer create(EventBus bus, ShardedExecutor shards, Scheduler scheduler,
            MessageSender sender, TransactionTimers timers, long maxLingeringBytes) {
        return new TransactionLayer(bus, shards, scheduler, sender, timers, maxLingeringBytes);
    }

    @Override
    public synchronized void start() {
        if (subscription == null) {
            subscription = bus.subscribe(TransportEvent.MessageReceived.class).name("transaction-layer").onShard()
                    .handle(this::onMessage);
            rejections = bus.subscribe(TransportEvent.MessageRejected.class).name("transaction-layer-rejected")
                    .onShard().handle(this::onRejected);
        }
    }

    @Override
    public synchronized void stop() {
        if (subscription != null) {
            subscription.unsubscribe();
            rejections.unsubscribe();
            subscription = null;
            rejections = null;
        }
    }

    /**
     * The number of live transactions: those the TU can still act on, and those in a state that
     * only absorbs retransmissions (INVITE Accepted, Completed and Confirmed; non-INVITE
     * Completed over reliable transports, where it is instantaneous). Not counted: completed
     * non-INVITE transactions over UDP, which end for the TU at once and whose retransmission
     * duty the layer keeps as bytes ({@link #lingeringCount()}).
     */
    public int transactionCount() {
        return table.size();
    }

    /**
     * Completed non-INVITE transactions over UDP whose key (and, for a server transaction, final
     * response) the layer keeps until Timer J (64·T1) or Timer K (T4), to answer or absorb
     * retransmissions. Each takes its key and response's bytes and no objects.
     */
    public int lingeringCount() {
        int n = 0;
        for (CompletedStore c : completed) {
            n += c.size();
        }
        return n;
    }

    /** Completed transactions dropped from {@link #lingeringCount()} before their timer, to stay within the byte bound. */
    public long lingeringEvicted() {
        long n = 0;
        for (CompletedStore c : completed) {
            n += c.evicted();
        }
        return n;
    }

    /** Heap bytes held for {@link #lingeringCount()} (in 256 KiB chunks). */
    public long lingeringBytes() {
        long n = 0;
        for (CompletedStore c : completed) {
            n += c.bytes();
        }
        return n;
    }

    /**
     * Requests answered statelessly (400, 505) because they lack what a transaction needs or
     * because the parser refused them (RFC 4475 §3.1.2).
     */
    public long statelessRejections() {
        return stateless.sum();
    }

    /**
     * Messages dropped because no Via, branch or CSeq could be read, responses without Call-ID,
     * From or To (every response carries them, RFC 3261 §8.2.6.2: no transaction or dialog can
     * take one without), and refused messages that cannot be answered (responses, ACKs, no
     * readable Via).
     */
    public long droppedCount() {
        return dropped.sum();
    }

    /**
     * Starts a client transaction for {@code request} (any method but ACK). A request without
     * a branch gets one. Completes with the transaction once it has sent the request.
     */
    public CompletableFuture<ClientTransaction> sendRequest(SipRequest request, Destination destination) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(destination, "destination");
        if (request.method().equals(SipMethod.ACK)) {
            throw new IllegalArgumentException("ACK is not a transaction: use sendAck");
        }
        Via top = request.via();
        if (top == null) {
            throw new IllegalArgumentException("a request needs a Via");
        }
        SipRequest r = top.hasRfc3261Branch() ? request
                : (SipRequest) request.withTopVia(top.withParam("branch", SipIds.newBranch()));
        CompletableFuture<ClientTransaction> created = new CompletableFuture<>();
        onShard(r.callId(), () -> {
            TransactionKey key = TransactionKey.client(r.via(), r.method());
            ClientTransaction tx;
            if (r.method().equals(SipMethod.INVITE)) {
                InviteClientTransaction t = new InviteClientTransaction(this, key, r, destination);
                table.put(key, t);
                t.start();
                tx = t;
            } else {
                NonInviteClientTransaction t = new NonInviteClientTransaction(this, key, r, destination);
                table.put(key, t);
                t.start();
                tx = t;
            }
            created.complete(tx);
        });
        return created;
    }

    /**
     * Cancels a pending INVITE (RFC 3261 §9.1): builds the CANCEL and sends it in its own
     * transaction once a provisional response has arrived (at once if one has). Completes with
     * the CANCEL's transaction, or with null if the INVITE already got a final response.
     */
    public CompletableFuture<ClientTransaction> cancel(ClientTransaction invite) {
        if (!(invite instanceof InviteClientTransaction ict)) {
            throw new IllegalArgumentException("only an INVITE can be cancelled");
        }
        CompletableFuture<ClientTransaction> out = new CompletableFuture<>();
        onShard(ict.callId(), () -> {
            boolean accepted = ict.cancelWhenProceeding(() -> sendRequest(ict.cancelRequest(), ict.destination())
                    .whenComplete((tx, e) -> {
                        if (e != null) {
                            out.completeExceptionally(e);
                        } else {
                            out.complete(tx);
                        }
                    }));
            if (!accepted) {
                out.complete(null);
            }
        });
        return out;
    }

    /**
     * The TU agrees to a received CANCEL (RFC 3261 §9.2): 200 to the CANCEL and, if the INVITE
     * it matches has no final response yet, 487 Request Terminated to the INVITE; 481 to the
     * CANCEL if it matches no INVITE. Returns the INVITE's transaction, or null.
     */
    public ServerTransaction acceptCancel(ServerTransaction cancel) {
        SipRequest c = cancel.request();
        if (!c.method().equals(SipMethod.CANCEL)) {
            throw new IllegalArgumentException("not a CANCEL: " + c.method());
        }
        Transaction t = table.get(inviteKeyFor(c));
        if (!(t instanceof InviteServerTransaction invite)) {
            cancel.respond(SipResponse.forRequest(c, io.rvoip.sip.message.StatusCode.CALL_DOES_NOT_EXIST).build());
            return null;
        }
        cancel.respond(SipResponse.forRequest(c, io.rvoip.sip.message.StatusCode.OK).build());
        if (invite.state() == TransactionState.PROCEEDING) {
            String toTag = invite.lastResponse() != null && invite.lastResponse().to().tag() != null
                    ? invite.lastResponse().to().tag() : SipIds.newTag();
            invite.respond(SipResponse.forRequest(invite.request(),
                    io.rvoip.sip.message.StatusCode.REQUEST_TERMINATED, toTag).build());
        }
        return invite;
    }

    /** The INVITE server transaction a CANCEL refers to (same branch and sent-by), or null. */
    public ServerTransaction findInviteFor(SipRequest cancel) {
        Transaction t = table.get(inviteKeyFor(cancel));
        return t instanceof InviteServerTransaction st ? st : null;
    }

    private static TransactionKey inviteKeyFor(SipRequest cancel) {
        Via top = cancel.via();
        if (top.hasRfc3261Branch()) {
            return TransactionKey.server(top, SipMethod.INVITE);
        }
        return serverKey(cancel, top, SipMethod.INVITE);
    }

    /** Sends an ACK for a 2xx (no transaction, RFC 3261 §13.2.2.4). */
    public CompletableFuture<Destination> sendAck(SipRequest ack, Destination destination) {
        return sender.sendRequest(ack, destination);
    }

    /** Sends {@code response} through {@code transaction}, on its shard. */
    public void respond(ServerTransaction transaction, SipResponse response) {
        onShard(transaction.callId(), () -> transaction.respond(response));
    }

    // ---- inbound ----------------------------------------------------------------------------

    private void onMessage(TransportEvent.MessageReceived e) {
        SipMessage m = e.message();
        try {
            Via top = m.via();
            if (top == null || m.cseq() == null) {
                dropped.increment();
                return;
            }
            if (m instanceof SipRequest req) {
                onRequest(req, top, e);
            } else {
                onResponse((SipResponse) m, top, e);
            }
        } catch (SipParseException ex) {
            dropped.increment();
            log.debug("dropping a message whose Via or CSeq is malformed: {}", ex.getMessage());
        }
    }

    private void onRequest(SipRequest req, Via top, TransportEvent.MessageReceived e) {
        io.rvoip.sip.message.StatusCode problem = basicProblem(req);
        if (problem != null) {
            if (!req.method().equals(SipMethod.ACK)) {
                rejectStatelessly(req, problem, e);
            }
            return;
        }
        TransactionKey key = serverKey(req, top);
        Transaction tx = table.get(key);
        if (tx instanceof ServerTransaction st) {
            st.receive(req);
            return;
        }
        if (!req.method().equals(SipMethod.ACK) && !req.method().equals(SipMethod.INVITE)) {
            CompletedStore store = completed[shards.shardOf(req.callId())];
            long record = store.find(CompletedStore.SERVER, key, scheduler.clock().nanoTime());
            if (record >= 0) { // a retransmission to a Completed transaction (RFC 3261 §17.2.2): the final response again
                resendCompleted(store.response(record), e);
                return;
            }
        }
        if (req.method().equals(SipMethod.ACK)) {
            publish(new TransactionEvent.AckReceived(req, null, e));
            return;
        }
        ServerTransaction created;
        if (req.method().equals(SipMethod.INVITE)) {
            InviteServerTransaction t = new InviteServerTransaction(this, key, req, e);
            table.put(key, t);
            t.start();
            created = t;
        } else {
            created = new NonInviteServerTransaction(this, key, req, e);
            table.put(key, created);
        }
        publish(new TransactionEvent.RequestReceived(created, req));
    }

    private static TransactionKey serverKey(SipRequest req, Via top) {
        if (top.hasRfc3261Branch()) {
            return TransactionKey.server(top, req.method());
        }
        return serverKey(req, top, req.method().equals(SipMethod.ACK) ? SipMethod.INVITE : req.method());
    }

    /** RFC 2543 peers (RFC 3261 §17.2.3): Call-ID, CSeq number, From tag and sent-by identify the transaction. */
    private static TransactionKey serverKey(SipRequest req, Via top, SipMethod method) {
        String from = req.from() != null && req.from().tag() != null ? req.from().tag() : "";
        String pseudo = "2543:" + req.callId() + ":" + req.cseq().seq() + ":" + from;
        return new TransactionKey(pseudo, top.sentBy().toLowerCase(java.util.Locale.ROOT), method);
    }

    /**
     * What makes a request unfit for a transaction (RFC 3261 §8.2): a SIP version other than
     * 2.0 (505), a missing Call-ID, From or To, or a CSeq method that differs from the request's
     * (400). Null if none. (A missing Max-Forwards is tolerated: RFC 2543 peers omit it.)
     */
    private static io.rvoip.sip.message.StatusCode basicProblem(SipRequest req) {
        if (!req.version().equalsIgnoreCase("SIP/2.0")) {
            return io.rvoip.sip.message.StatusCode.VERSION_NOT_SUPPORTED;
        }
        if (req.callId() == null || req.from() == null || req.to() == null
                || !req.cseq().method().equals(req.method())) {
            return io.rvoip.sip.message.StatusCode.BAD_REQUEST;
        }
        return null;
    }

    /** Answers without a transaction, to where the Via says (RFC 3261 §8.2, RFC 4475 insuf). */
    private void rejectStatelessly(SipRequest req, io.rvoip.sip.message.StatusCode status,
            TransportEvent.MessageReceived e) {
        stateless.increment();
        try {
            sender.sendResponse(SipResponse.forRequest(req, status).build(), e.connection());
        } catch (RuntimeException ex) {
            log.debug("cannot answer a malformed request: {}", ex.getMessage());
        }
    }

    /**
     * A message the parser refused (RFC 4475 §3.1.2, "element" behaviour): a request with a
     * readable Via is answered 400 statelessly, back where it came from; anything else is
     * dropped and counted.
     */
    private void onRejected(TransportEvent.MessageRejected e) {
        SipResponse answer = SipParser.defaults().badRequestFor(e.bytes(), e.reason());
        if (answer == null) {
            dropped.increment();
            return;
        }
        stateless.increment();
        try {
            SipResponse routed = (SipResponse) SipTransport.stampReceived(answer, e.remote());
            sender.sendResponse(routed, e.connection()).whenComplete((v, ex) -> {
                if (ex != null) {
                    log.debug("cannot answer a refused request from {}: {}", e.remote(), ex.toString());
                }
            });
        } catch (RuntimeException ex) {
            log.debug("cannot answer a refused request from {}: {}", e.remote(), ex.toString());
        }
    }

    private void onResponse(SipResponse resp, Via top, TransportEvent.MessageReceived e) {
        if (resp.callId() == null || resp.from() == null || resp.to() == null) {
            // no transaction or dialog can take it (an ACK to it would need its To): dropped
            dropped.increment();
            return;
        }
        if (top.branch() == null) {
            publish(new TransactionEvent.StrayResponse(resp, e));
            return;
        }
        SipMethod method = resp.cseq().method();
        TransactionKey key = TransactionKey.client(top, method);
        Transaction tx = table.get(key);
        if (tx instanceof ClientTransaction ct) {
            ct.receive(resp);
        } else if (method.equals(SipMethod.INVITE) || resp.callId() == null
                || completed[shards.shardOf(resp.callId())].find(CompletedStore.CLIENT, key, scheduler.clock().nanoTime()) < 0) {
            publish(new TransactionEvent.StrayResponse(resp, e));
        } // else a retransmitted response absorbed by a Completed client transaction (RFC 3261 §17.1.2.2)
    }

    private void resendCompleted(byte[] response, TransportEvent.MessageReceived e) {
        try {
            SipResponse r = (SipResponse) Transaction.REPARSE.parseOwned(response);
            sender.sendResponse(r, e.connection()).whenComplete((v, ex) -> {
                if (ex != null) {
                    log.debug("cannot resend a final response to {}: {}", e.remote(), ex.toString());
                }
            });
        } catch (RuntimeException ex) {
            log.debug("cannot resend a final response to {}: {}", e.remote(), ex.toString());
        }
    }

    // ---- Completed non-INVITE transactions as bytes ---------------------------------------------

    /**
     * Hands the rest of a Completed non-INVITE transaction over UDP to the layer: its key (and
     * the final response, for a server transaction) kept as bytes for {@code nanos}. Call on the
     * transaction's shard. False if the store cannot take it (an over-long message, a key outside
     * ASCII, or a bound of less than one chunk): the transaction then runs its timer as an object.
     */
    boolean linger(Transaction tx, byte kind, SipResponse response, long nanos) {
        int s = shards.shardOf(tx.callId());
        long now = scheduler.clock().nanoTime();
        if (!completed[s].put(kind, tx.key(), response, now + nanos)) {
            return false;
        }
        if (sweeps[s] == null) {
            scheduleSweep(s, tx.callId(), nanos);
        }
        return true;
    }

    /** Records go in batches: a sweep waits this long past the first due record. */
    private static final long SWEEP_SLACK_NANOS = 100_000_000L;

    private void scheduleSweep(int s, String shardKey, long delay) {
        sweeps[s] = scheduler.schedule(shardKey, delay + SWEEP_SLACK_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS, () -> {
            sweeps[s] = null;
            long now = scheduler.clock().nanoTime();
            long next = completed[s].expire(now);
            if (next != Long.MAX_VALUE) {
                scheduleSweep(s, shardKey, Math.max(0, next - now));
            }
        });
    }

    // ---- for the transactions ---------------------------------------------------------------

    void publish(TransactionEvent e) {
        bus.publish(e);
    }

    void terminated(Transaction tx) {
        table.remove(tx.key(), tx);
        publish(new TransactionEvent.Terminated(tx));
    }

    /** Runs {@code task} on the shard of {@code callId} (now, if already there). */
    void onShard(String callId, Runnable task) {
        if (shards.inShardOf(callId)) {
            task.run();
        } else {
            shards.execute(callId, task);
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    MessageSender sender() {
        return sender;
    }

    TransactionTimers timers() {
        return timers;
    }
}
