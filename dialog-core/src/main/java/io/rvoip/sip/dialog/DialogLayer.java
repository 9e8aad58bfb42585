package io.rvoip.sip.dialog;

import io.rvoip.infra.concurrent.ShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.event.Subscription;
import io.rvoip.infra.lifecycle.Lifecycle;
import io.rvoip.infra.time.Scheduler;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.HeaderType;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.ClientTransaction;
import io.rvoip.sip.transaction.ServerTransaction;
import io.rvoip.sip.transaction.TransactionEvent;
import io.rvoip.sip.transaction.TransactionLayer;
import io.rvoip.sip.uri.AbsoluteUri;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialog layer (RFC 3261 §12–§15) above transaction-core: creates and tracks dialogs on
 * both sides of an INVITE, builds and routes in-dialog requests, owns the 2xx/ACK exchange, and
 * answers what this user agent does not support.
 *
 * <p>UAC: {@link #invite} sends an INVITE; provisional responses with a To tag create early
 * dialogs (several when the request forks); the first 2xx confirms its dialog and is ACKed;
 * a 2xx from another fork is ACKed and then ended with BYE (§13.2.2.4); retransmitted 2xx get
 * the same ACK again.
 *
 * <p>UAS: new requests that pass the checks of §8.2 arrive as
 * {@link DialogEvent.RequestReceived}; {@link #respond} answers them, creating the dialog with a
 * 1xx or 2xx that carries a To tag, and retransmits a 2xx (T1 doubling to T2) until the ACK
 * arrives — after 64·T1 without ACK the dialog is ended with BYE (§13.3.1.4).
 *
 * <p>In a dialog: {@link #createRequest} builds a request per §12.2.1.1 (loose and strict
 * routing), {@link #send} sends it; BYE ends the dialog; a received request with a lower CSeq
 * gets 500, one for no dialog 481, a re-INVITE while another INVITE is pending 491 (or 500 if
 * it is ours that is pending… see {@link #respond}).
 *
 * <p>The UAS core's refusals, in the order of §8.2: 405 with Allow (501 for a method it does not
 * know), 481 for a To tag matching no dialog, 482 for a merged request (§8.2.2.2), 416 for an
 * unknown URI scheme, 420 with Unsupported for an unknown Require option, 415 with Accept for an
 * unknown body type, 406 for an INVITE whose Accept excludes our body types.
 * Max-Forwards is a proxy's concern: a UAS answers a request with Max-Forwards 0.
 *
 * <p>Threading: every Call-ID's dialogs live on its shard (the bus must use the same
 * {@link ShardedExecutor} as the transaction layer); public methods may be called from any
 * thread and hop there.
 */
public final class DialogLayer implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(DialogLayer.class);
    /** The methods of RFC 3261 and its extensions this stack recognises (405 rather than 501). */
    private static final String REL100 = "100rel";
    private static final java.util.Set<String> KNOWN_METHODS = java.util.Set.of("INVITE", "ACK", "BYE", "CANCEL",
            "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");

    private final TransactionLayer transactions;
    private final EventBus bus;
    private final ShardedExecutor shards;
    private final Scheduler scheduler;
    private final DialogConfig config;
    private final Map<DialogId, Dialog> dialogs = new ConcurrentHashMap<>();
    /** Our INVITEs by Via branch, registered before they are sent (a 2xx can beat any callback). */
    private final Map<String, OutgoingInvite> outgoing = new ConcurrentHashMap<>();
    private final Map<ServerTransaction, Dialog> pendingReinvites = new ConcurrentHashMap<>();
    private final Map<ServerTransaction, Dialog> pendingUpdates = new ConcurrentHashMap<>();
    private final Map<String, String> recentRequests;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Subscriptions events;

    private DialogLayer(TransactionLayer transactions, EventBus bus, ShardedExecutor shards, Scheduler scheduler,
                        DialogConfig config) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.shards = Objects.requireNonNull(shards, "shards");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.config = Objects.requireNonNull(config, "config");
        this.events = new Subscriptions(this, config, scheduler, bus, shards);
        int memory = config.mergeMemory();
        this.recentRequests = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > memory;
            }
        });
    }

    /** A dialog layer over a transaction layer; call {@link #start()}. */
    public static DialogLayer create(TransactionLayer transactions, EventBus bus, ShardedExecutor shards,
                                     Scheduler scheduler, DialogConfig config) {
        return new DialogLayer(transactions, bus, shards, scheduler, config);
    }

    @Override
    public synchronized void start() {
        if (!subscriptions.isEmpty()) {
            return;
        }
        subscriptions.add(bus.subscribe(TransactionEvent.RequestReceived.class).name("dialog-requests").onShard()
                .handle(this::onRequest));
        subscriptions.add(bus.subscribe(TransactionEvent.ResponseReceived.class).name("dialog-responses").onShard()
                .handle(this::onResponse));
        subscriptions.add(bus.subscribe(TransactionEvent.AckReceived.class).name("dialog-acks").onShard()
                .handle(this::onAck));
        subscriptions.add(bus.subscribe(TransactionEvent.StrayResponse.class).name("dialog-stray").onShard()
                .handle(this::onStrayResponse));
        subscriptions.add(bus.subscribe(TransactionEvent.Terminated.class).name("dialog-tx-ended").onShard()
                .handle(this::onTransactionTerminated));
    }

    @Override
    public synchronized void stop() {
        subscriptions.forEach(Subscription::unsubscribe);
        subscriptions.clear();
        for (Dialog d : dialogs.values()) {
            d.terminate("stopped");
        }
        dialogs.clear();
    }

    private static final String TIMER = "timer";

    /** The methods we take, for Allow (PRACK too when 100rel is supported). */
    private List<String> allowed() {
        List<String> allow = new ArrayList<>(config.allowedMethods());
        if (reliableProvisionals() && !allow.contains(SipMethod.PRACK.name())) {
            allow.add(SipMethod.PRACK.name());
        }
        return allow;
    }

    /** Adds Allow and our Supported options to an INVITE or its 1xx/2xx when they are missing. */
    private <M extends io.rvoip.sip.message.SipMessage> M withCapabilities(M m) {
        boolean allow = !m.has(io.rvoip.sip.header.HeaderName.ALLOW);
        List<String> supported = new ArrayList<>(m.getAll(SipHeaders.SUPPORTED));
        boolean more = false;
        for (String option : config.supported()) {
            if (!supported.contains(option)) {
                supported.add(option);
                more = true;
            }
        }
        if (!allow && !more) {
            return m;
        }
        io.rvoip.sip.message.MessageBuilder<?, ?> b = m.toBuilder();
        if (allow) {
            b.setAll(SipHeaders.ALLOW, allowed());
        }
        if (more) {
            b.setAll(SipHeaders.SUPPORTED, supported);
        }
        @SuppressWarnings("unchecked")
        M built = (M) b.build();
        return built;
    }

    /** Adds our Supported options to a message that lacks some (RFC 3261 §20.37: every request and response). */
    <M extends io.rvoip.sip.message.SipMessage> M withSupported(M m) {
        if (config.supported().isEmpty()) {
            return m;
        }
        List<String> supported;
        try {
            supported = new ArrayList<>(m.getAll(SipHeaders.SUPPORTED));
        } catch (RuntimeException e) {
            return m;
        }
        boolean more = false;
        for (String option : config.supported()) {
            if (!supported.contains(option)) {
                supported.add(option);
                more = true;
            }
        }
        if (!more) {
            return m;
        }
        @SuppressWarnings("unchecked")
        M built = (M) m.toBuilder().setAll(SipHeaders.SUPPORTED, supported).build();
        return built;
    }

    /** Sends a response the layer generated, with our Supported options. */
    void reply(ServerTransaction tx, SipResponse response) {
        if (tx.accepts(response.statusCode())) {
            tx.respond(withSupported(response));
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    void onShard(Dialog d, Runnable task) {
        shards.execute(d.callId(), task);
    }

    void register(Dialog d) {
        dialogs.put(d.id(), d);
    }

    private boolean sessionTimers() {
        return config.sessionInterval() != null;
    }

    /**
     * A request that can refresh the session (INVITE, UPDATE) with Supported: timer,
     * Session-Expires (the interval in force, or ours) and Min-SE (RFC 4028 §7).
     */
    private SipRequest withSessionTimer(SipRequest r, Dialog d, long interval) {
        if (!sessionTimers()) {
            return r;
        }
        SipRequest.Builder b = r.toBuilder();
        List<String> supported = new ArrayList<>(r.getAll(SipHeaders.SUPPORTED));
        if (!supported.contains(TIMER)) {
            supported.add(TIMER);
            b.setAll(SipHeaders.SUPPORTED, supported);
        }
        if (!r.has(io.rvoip.sip.header.HeaderName.SESSION_EXPIRES)) {
            long se = interval > 0 ? interval : d != null && d.sessionInterval > 0 ? d.sessionInterval
                    : config.sessionInterval().getSeconds();
            String refresher = d != null && d.sessionInterval > 0 && d.weRefresh ? "uac" : null;
            b.set(SipHeaders.SESSION_EXPIRES, io.rvoip.sip.header.SessionExpires.of(se, refresher));
        }
        b.set(SipHeaders.MIN_SE, io.rvoip.sip.header.SessionExpires.of(
                Math.max(config.minSessionInterval().getSeconds(), interval > 0 ? interval : 0), null));
        return b.build();
    }

    /**
     * The UAS side of RFC 4028 §9 for a 2xx to an INVITE or UPDATE: Session-Expires copied from
     * the request (or ours when the UAC supports timers but asked for none), the refresher per
     * Table 2, and Require: timer when the UAC refreshes or supports timers.
     */
    private SipResponse withSessionExpires(SipRequest req, SipResponse resp) {
        if (!sessionTimers() || resp.has(io.rvoip.sip.header.HeaderName.SESSION_EXPIRES)) {
            return resp;
        }
        io.rvoip.sip.header.SessionExpires asked = sessionExpires(req);
        boolean uacSupports = peerSupports(req, TIMER);
        long se = asked != null ? asked.seconds() : config.sessionInterval().getSeconds();
        String refresher = asked != null && asked.refresher() != null && uacSupports ? asked.refresher()
                : uacSupports ? "uac" : "uas";
        SipResponse.Builder b = resp.toBuilder().set(SipHeaders.SESSION_EXPIRES,
                io.rvoip.sip.header.SessionExpires.of(se, refresher));
        if (uacSupports) {
            List<String> require = new ArrayList<>(resp.getAll(SipHeaders.REQUIRE));
            require.add(TIMER);
            b.setAll(SipHeaders.REQUIRE, require);
        }
        return b.build();
    }

    private static io.rvoip.sip.header.SessionExpires sessionExpires(io.rvoip.sip.message.SipMessage m) {
        try {
            return m.get(SipHeaders.SESSION_EXPIRES);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Starts (or restarts) a dialog's session timer from the Session-Expires of a 2xx to a
     * session refresh: the refresher refreshes at half the interval (UPDATE when the peer takes
     * it, else a {@link DialogEvent.SessionRefreshDue} for a re-INVITE); whoever does not see a
     * refresh ends the dialog with BYE min(32 s, interval/3) before it expires (RFC 4028 §10).
     */
    private void applySessionTimer(Dialog d, SipResponse twoXx, boolean weWereUac) {
        if (d.refreshTimer != null) {
            d.refreshTimer.cancel();
        }
        if (d.expiryTimer != null) {
            d.expiryTimer.cancel();
        }
        io.rvoip.sip.header.SessionExpires se = sessionExpires(twoXx);
        if (se == null || se.seconds() <= 0 || d.state() == DialogState.TERMINATED) {
            d.sessionInterval = 0;
            return;
        }
        long s = se.seconds();
        d.sessionInterval = s;
        d.weRefresh = "uac".equalsIgnoreCase(se.refresher()) == weWereUac;
        if (d.weRefresh) {
            d.refreshTimer = scheduler.schedule(d.callId(), s * 500, TimeUnit.MILLISECONDS, () -> refreshSession(d));
        }
        long before = Math.min(32, s / 3);
        d.expiryTimer = scheduler.schedule(d.callId(), (s - before) * 1000, TimeUnit.MILLISECONDS, () -> {
            if (d.state() != DialogState.TERMINATED) {
                SipRequest bye = createRequest(d, SipMethod.BYE).build();
                end(d, "session expired");
                send(d, bye).exceptionally(x -> null);
            }
        });
    }

    private void refreshSession(Dialog d) {
        if (d.state() == DialogState.TERMINATED) {
            return;
        }
        if (d.peerAllowsUpdate) {
            send(d, createRequest(d, SipMethod.UPDATE).build()).exceptionally(x -> null);
        } else {
            bus.publish(new DialogEvent.SessionRefreshDue(d));
        }
    }

    /**
     * Whether a received message lists {@code option} in Supported. Supported only informs
     * (RFC 3261 §20.37), so one that cannot be read counts as listing nothing.
     */
    private static boolean peerSupports(io.rvoip.sip.message.SipMessage m, String option) {
        try {
            return m.getAll(SipHeaders.SUPPORTED).contains(option);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean allowsUpdate(io.rvoip.sip.message.SipMessage m) {
        try {
            return m.getAll(SipHeaders.ALLOW).contains(SipMethod.UPDATE.name());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean reliableProvisionals() {
        return config.supported().contains(REL100);
    }

    /** Dialogs alive (early or confirmed). */
    public int dialogCount() {
        return dialogs.size();
    }

    /** The dialog with this id, or null. */
    public Dialog dialog(DialogId id) {
        return dialogs.get(id);
    }

    /** The configuration. */
    public DialogConfig config() {
        return config;
    }

    // ================================================================== UAC

    /**
     * Sends an INVITE outside a dialog (it needs From with a tag, To without, Call-ID, CSeq, a
     * Contact — ours is added when missing — and a Via; the branch is set by the transaction
     * layer). The next hop is the first Route when it routes loosely, else the Request-URI.
     */
    public OutgoingInvite invite(SipRequest invite) {
        if (!invite.method().equals(SipMethod.INVITE)) {
            throw new IllegalArgumentException("not an INVITE: " + invite.method());
        }
        if (invite.from() == null || invite.from().tag() == null || invite.to() == null || invite.to().tag() != null) {
            throw new IllegalArgumentException("an initial INVITE needs a From tag and no To tag");
        }
        SipRequest r = withCapabilities(invite.contact() == null ? invite.toBuilder().contact(config.contact()).build() : invite);
        r = withSessionTimer(r, null, 0);
        OutgoingInvite out = new OutgoingInvite(r);
        sendInvite(out, r);
        return out;
    }

    private void sendInvite(OutgoingInvite out, SipRequest request) {
        SipRequest r = request.via().hasRfc3261Branch() ? request
                : (SipRequest) request.withTopVia(request.via().withParam("branch", io.rvoip.sip.message.SipIds.newBranch()));
        out.request(r);
        String branch = r.via().branch();
        outgoing.put(branch, out);
        Address route = r.get(SipHeaders.ROUTE);
        boolean loose = route != null && route.uri() instanceof SipUri s && s.isLooseRouting();
        config.resolver().resolve(loose ? route.uri() : r.requestUri())
                .thenCompose(dest -> transactions.sendRequest(r, dest))
                .whenComplete((tx, e) -> {
                    if (e != null) {
                        outgoing.remove(branch);
                        out.dialog.completeExceptionally(e);
                        out.finalResponse.completeExceptionally(e);
                        return;
                    }
                    out.transaction = tx;
                    tx.finalResponse().whenComplete((resp, err) -> {
                        if (err != null && out.transaction == tx) {
                            shards.execute(r.callId(), () -> failInvite(out, err));
                        }
                    });
                });
    }

    private static String branchOf(io.rvoip.sip.transaction.Transaction tx) {
        return tx.request().via().branch();
    }

    /**
     * Cancels an INVITE that has no final response yet (RFC 3261 §9.1; the CANCEL waits for a
     * provisional response). The INVITE then completes with 487 (or with the 2xx that crossed
     * the CANCEL).
     */
    public CompletableFuture<ClientTransaction> cancel(OutgoingInvite invite) {
        ClientTransaction tx = invite.transaction();
        if (tx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the INVITE was not sent yet"));
        }
        return transactions.cancel(tx);
    }

    private void failInvite(OutgoingInvite out, Throwable err) {
        for (Dialog d : out.dialogs) {
            if (d.state() == DialogState.EARLY) {
                end(d, "INVITE failed: " + err.getMessage());
            }
        }
        out.dialog.completeExceptionally(err);
        out.finalResponse.completeExceptionally(err);
    }

    private void onResponse(TransactionEvent.ResponseReceived e) {
        SipResponse resp = e.response();
        SipRequest req = e.transaction().request();
        int code = resp.statusCode();
        if (!req.method().equals(SipMethod.INVITE)) {
            if (req.method().equals(SipMethod.BYE) || code < 200) {
                return;
            }
            Dialog d = dialogFor(req);
            if (d != null && (code == 481 || code == 408) && !(d.usage != null && d.usage.terminating)) {
                end(d, code + " to " + req.method()); // §12.2.1.2 (a last NOTIFY ends its dialog itself)
            }
            return;
        }
        OutgoingInvite out = outgoing.get(branchOf(e.transaction()));
        if (out == null) {
            onReinviteResponse(req, resp);
            return;
        }
        String toTag = resp.to() == null ? null : resp.to().tag();
        String unreadable = toTag == null || code >= 300 ? null : unreadableDialogParts(resp);
        if (code < 200) {
            if (code > 100 && toTag != null) {
                if (unreadable != null) { // no early dialog from it; the final response decides
                    log.debug("1xx for {} with an unreadable {}", req.callId(), unreadable);
                    return;
                }
                Dialog d = uacDialog(out, resp, DialogState.EARLY, true);
                if (d == null || d.state() != DialogState.EARLY) {
                    return;
                }
                Long rseq;
                try {
                    rseq = resp.getAll(SipHeaders.REQUIRE).contains(REL100) ? resp.get(SipHeaders.RSEQ) : null;
                } catch (io.rvoip.sip.parser.SipParseException ex) { // not PRACKed: the UAS's retransmissions end it
                    log.debug("1xx for {} with an unreadable Require or RSeq: {}", req.callId(), ex.getMessage());
                    rseq = null;
                }
                if (rseq != null) {
                    // RFC 3262 §4: PRACK each new reliable 1xx once, in order; ignore retransmissions
                    if (d.lastRseq >= 0 && rseq != d.lastRseq + 1) {
                        return;
                    }
                    d.lastRseq = rseq;
                    bus.publish(new DialogEvent.Early(d, resp));
                    if (resp.bodyLength() > 0 && req.bodyLength() == 0 && !d.offerAnswered) {
                        // RFC 3262 §5: the 1xx carries the offer of an INVITE without one; its
                        // PRACK carries the answer, which the application gives with prack()
                        d.offerAnswered = true;
                        return;
                    }
                    SipRequest prack = createRequest(d, SipMethod.PRACK)
                            .set(SipHeaders.RACK, new io.rvoip.sip.header.RAck(rseq, req.cseq().seq(), SipMethod.INVITE))
                            .build();
                    send(d, prack).exceptionally(x -> null);
                    return;
                }
                bus.publish(new DialogEvent.Early(d, resp));
            }
            return;
        }
        if (code < 300) {
            if (toTag == null) {
                log.debug("2xx without To tag for {}", req.callId());
                return;
            }
            for (Dialog ended : out.dialogs) {
                if (ended.state() == DialogState.TERMINATED && ended.ack != null
                        && ended.id().remoteTag().equals(toTag)) {
                    sendAck(ended, ended.ack); // a retransmission of a 2xx whose dialog we ended: ACK only
                    return;
                }
            }
            Dialog d = uacDialog(out, resp, DialogState.CONFIRMED, unreadable == null);
            if (d == null) {
                return;
            }
            if (d.ack != null) {
                sendAck(d, d.ack); // a retransmitted 2xx
                return;
            }
            boolean first = out.confirmed == null;
            if (unreadable != null) {
                // a 2xx whose Contact or Record-Route cannot be read makes no usable dialog. It is
                // still ACKed (§13.2.2.4: else the UAS retransmits it for 32 s), along the way
                // the INVITE went, and then ended with BYE; the call fails with the reason
                d.confirm();
                d.ack = d.newRequest(SipMethod.ACK, req.cseq().seq()).build();
                sendAck(d, d.ack);
                send(d, createRequest(d, SipMethod.BYE).build()).exceptionally(x -> null);
                if (first) {
                    out.confirmed = d;
                    out.dialog.completeExceptionally(new IllegalStateException("INVITE answered with an unreadable "
                            + unreadable));
                    out.finalResponse.complete(resp);
                }
                return;
            }
            if (d.state() == DialogState.EARLY) {
                // §13.2.2.4: the route set is recomputed from the 2xx
                List<Address> routes = new ArrayList<>(resp.getAll(SipHeaders.RECORD_ROUTE));
                Collections.reverse(routes);
                d.routeSet(routes);
            }
            d.confirm();
            d.ack = d.newRequest(SipMethod.ACK, req.cseq().seq()).build();
            sendAck(d, d.ack);
            if (first) {
                out.confirmed = d;
                d.peerAllowsUpdate = allowsUpdate(resp);
                applySessionTimer(d, resp, true);
                bus.publish(new DialogEvent.Confirmed(d, resp));
                out.dialog.complete(d);
                out.finalResponse.complete(resp);
                // the other forks' early dialogs end with the final response (§13.2.2.4)
            } else {
                // another fork answered 2xx too: ACK it, then end it (§13.2.2.4)
                bus.publish(new DialogEvent.Confirmed(d, resp));
                send(d, createRequest(d, SipMethod.BYE).build()).exceptionally(x -> null);
            }
            return;
        }
        if (code == 422 && out.confirmed == null && !out.retried422 && sessionTimers()) {
            // RFC 4028 §7.3: retry with the peer's Min-SE
            io.rvoip.sip.header.SessionExpires min;
            try {
                min = resp.get(SipHeaders.MIN_SE);
            } catch (RuntimeException ex) {
                min = null;
            }
            if (min != null) {
                out.retried422 = true;
                SipRequest retry = req.toBuilder().remove(io.rvoip.sip.header.HeaderName.SESSION_EXPIRES)
                        .cseq(req.cseq().seq() + 1)
                        .via(req.via().withParam("branch", io.rvoip.sip.message.SipIds.newBranch())).build();
                retry = withSessionTimer(retry, null, Math.max(min.seconds(), config.sessionInterval().getSeconds()));
                out.request(retry);
                sendInvite(out, retry);
                return;
            }
        }
        if ((code == 401 || code == 407) && out.confirmed == null) {
            SipRequest retry = authorize(req, resp, req.cseq().seq() + 1, out.answeredNonces);
            if (retry != null) {
                out.request(retry);
                sendInvite(out, retry);
                return;
            }
        }
        for (Dialog d : out.dialogs) {
            if (d.state() == DialogState.EARLY) {
                end(d, "INVITE failed: " + code);
            }
        }
        // the dialog future first: whoever waits on the final response then sees both settled
        out.dialog.completeExceptionally(new IllegalStateException("INVITE failed: " + code + " " + resp.reasonPhrase()));
        out.finalResponse.complete(resp);
    }

    /**
     * What a dialog-forming response's dialog is made of (§12.1.2) that cannot be read: "Contact
     * (…)" or "Record-Route (…)" with the parse error, or null when both read.
     */
    private static String unreadableDialogParts(SipResponse resp) {
        for (HeaderType<Address> t : List.of(SipHeaders.CONTACT, SipHeaders.RECORD_ROUTE)) {
            try {
                resp.getAll(t);
            } catch (io.rvoip.sip.parser.SipParseException e) {
                return t.name() + " (" + e.getMessage() + ")";
            }
        }
        return null;
    }

    /**
     * The UAC dialog of a response with a To tag, made if new. {@code readable}: the response's
     * Contact and Record-Route read ({@link #unreadableDialogParts}); else the dialog goes the
     * way the INVITE went (its Request-URI and our Route set), only to be ACKed and ended.
     */
    private Dialog uacDialog(OutgoingInvite out, SipResponse resp, DialogState initial, boolean readable) {
        SipRequest req = out.request();
        DialogId id = new DialogId(req.callId(), req.from().tag(), resp.to().tag());
        Dialog d = dialogs.get(id);
        if (d != null) {
            if (readable) {
                updateTarget(d, resp.contact());
            }
            return d;
        }
        if (out.confirmed != null && initial == DialogState.EARLY) {
            return null; // a late provisional response of another fork
        }
        List<Address> routes;
        Uri target;
        if (readable) {
            routes = new ArrayList<>(resp.getAll(SipHeaders.RECORD_ROUTE));
            Collections.reverse(routes); // §12.1.2: the UAC reverses the Record-Route
            Address contact = resp.contact();
            target = contact != null ? contact.uri() : req.requestUri();
        } else {
            routes = req.getAll(SipHeaders.ROUTE);
            target = req.requestUri();
        }
        boolean secure = req.requestUri() instanceof SipUri s && s.isSecure();
        d = new Dialog(id, Dialog.Role.UAC, dialogParty(req.from()), dialogParty(resp.to()), target, routes,
                req.cseq().seq(), -1, secure, req.contact() != null ? req.contact() : config.contact(), initial);
        d.inviteSeq = req.cseq().seq();
        dialogs.put(id, d);
        out.dialogs.add(d);
        return d;
    }

    private void onReinviteResponse(SipRequest req, SipResponse resp) {
        Dialog d = dialogFor(req);
        if (d == null) {
            return;
        }
        int code = resp.statusCode();
        if (code < 200) {
            return;
        }
        d.inviteClientPending = false;
        if (code < 300) {
            updateTarget(d, refreshedContact(resp));
            SipRequest ack = d.newRequest(SipMethod.ACK, req.cseq().seq()).build();
            d.ack = ack;
            sendAck(d, ack);
        } else if (code == 481 || code == 408) {
            end(d, code + " to re-INVITE");
        }
    }

    private void onStrayResponse(TransactionEvent.StrayResponse e) {
        SipResponse resp = e.response();
        if (resp.cseq() == null || !resp.cseq().method().equals(SipMethod.INVITE) || resp.statusCode() / 100 != 2
                || resp.to() == null || resp.from() == null) {
            return;
        }
        Dialog d = dialogs.get(new DialogId(resp.callId(), resp.from().tag() == null ? "" : resp.from().tag(),
                resp.to().tag() == null ? "" : resp.to().tag()));
        if (d != null && d.ack != null) {
            sendAck(d, d.ack); // the 2xx retransmitted after the INVITE transaction ended
        }
    }

    private void sendAck(Dialog d, SipRequest ack) {
        config.resolver().resolve(d.nextHop(ack))
                .thenCompose(dest -> transactions.sendAck(ack, dest))
                .exceptionally(err -> {
                    log.debug("ACK for {} not sent: {}", d, err.toString());
                    return null;
                });
    }

    private void onTransactionTerminated(TransactionEvent.Terminated e) {
        if (e.transaction() instanceof ClientTransaction ct) {
            if (!ct.key().method().equals(SipMethod.INVITE)) {
                return;
            }
            OutgoingInvite out = outgoing.remove(branchOf(ct));
            if (out != null && out.transaction == ct) {
                for (Dialog d : out.dialogs) {
                    if (d.state() == DialogState.EARLY) {
                        end(d, "no 2xx from this fork");
                    }
                }
            }
        } else if (e.transaction() instanceof ServerTransaction st) {
            Dialog r = pendingReinvites.remove(st);
            if (r != null) { // ended without the TU's final response (a CANCEL's 487, a timeout)
                r.inviteServerPending = false;
            }
            Dialog d = pendingUpdates.remove(st);
            if (d != null) {
                d.updateServerPending = false;
            }
        }
    }


    // ================================================================== client authentication

    private final Map<String, Long> nonceCounts = new ConcurrentHashMap<>();

    /**
     * {@code request} again with Authorization / Proxy-Authorization answering the challenges of
     * {@code challenge} (RFC 3261 §22.2), the CSeq {@code cseq} and a new branch; null when no
     * challenge can be answered or a nonce was already answered (wrong credentials).
     */
    private SipRequest authorize(SipRequest request, SipResponse challenge, long cseq, java.util.Set<String> answered) {
        boolean proxy = challenge.statusCode() == 407;
        List<io.rvoip.sip.header.AuthHeader> challenges;
        try {
            challenges = challenge.getAll(proxy ? SipHeaders.PROXY_AUTHENTICATE : SipHeaders.WWW_AUTHENTICATE);
        } catch (RuntimeException e) {
            log.debug("unreadable challenge in {}: {}", challenge.callId(), e.getMessage());
            return null; // the challenge goes up unanswered
        }
        List<io.rvoip.sip.header.AuthHeader> answers = new ArrayList<>();
        java.util.Set<String> realms = new java.util.HashSet<>();
        for (io.rvoip.sip.header.AuthHeader c : challenges) {
            if (!c.isDigest() || c.realm() == null || c.nonce() == null || !realms.add(c.realm())) {
                continue; // not Digest, or a weaker alternative for a realm already answered (RFC 7616 §3.7)
            }
            io.rvoip.sip.dialog.auth.Credentials creds = config.credentials().forRealm(c.realm());
            if (creds == null) {
                continue;
            }
            String key = c.realm() + '\u0000' + c.nonce();
            if (!answered.add(key) && !c.stale()) {
                return null; // the same nonce challenged again: the credentials are wrong
            }
            long nc = nonceCounts.merge(key, 1L, Long::sum);
            try {
                answers.add(io.rvoip.sip.auth.DigestCredentials.answer(c, request.method().name(),
                        request.requestUri().toString(), creds.username(), creds.password(), nc, request.body()));
            } catch (IllegalArgumentException e) {
                realms.remove(c.realm()); // an algorithm we cannot do: try the realm's next challenge
            }
        }
        if (answers.isEmpty()) {
            return null;
        }
        SipRequest.Builder b = request.toBuilder();
        b.remove(proxy ? io.rvoip.sip.header.HeaderName.PROXY_AUTHORIZATION : io.rvoip.sip.header.HeaderName.AUTHORIZATION);
        for (io.rvoip.sip.header.AuthHeader a : answers) {
            b.add(proxy ? SipHeaders.PROXY_AUTHORIZATION : SipHeaders.AUTHORIZATION, a);
        }
        b.cseq(cseq);
        b.via(request.via().withParam("branch", io.rvoip.sip.message.SipIds.newBranch()));
        return b.build();
    }

    /**
     * Sends a request outside any dialog (OPTIONS, MESSAGE, REGISTER…) to the next hop of its
     * Route or Request-URI, answering 401/407 with the configured credentials.
     *
     * @return the final response (the last challenge when the credentials were refused)
     */
    public CompletableFuture<SipResponse> request(SipRequest request) {
        if (request.method().equals(SipMethod.INVITE) || request.method().equals(SipMethod.ACK)) {
            throw new IllegalArgumentException("use invite() for INVITE; ACKs are sent by the layers");
        }
        if (request.method().equals(SipMethod.SUBSCRIBE) && request.to() != null && request.to().tag() == null
                && request.has(io.rvoip.sip.header.HeaderName.EVENT)) {
            throw new IllegalArgumentException("use subscribe() for an initial SUBSCRIBE: its NOTIFYs create the dialog");
        }
        return sendOutOfDialog(withSupported(request), r -> { });
    }

    /** Sends out of dialog answering challenges; {@code sent} sees each authorized retry. */
    CompletableFuture<SipResponse> sendOutOfDialog(SipRequest request, java.util.function.Consumer<SipRequest> sent) {
        java.util.Set<String> answered = ConcurrentHashMap.newKeySet();
        return sendAuthorized(request, answered, r -> r.cseq().seq() + 1, sent);
    }

    private CompletableFuture<SipResponse> sendAuthorized(SipRequest request, java.util.Set<String> answered,
            java.util.function.ToLongFunction<SipRequest> nextCseq) {
        return sendAuthorized(request, answered, nextCseq, r -> { });
    }

    private CompletableFuture<SipResponse> sendAuthorized(SipRequest request, java.util.Set<String> answered,
            java.util.function.ToLongFunction<SipRequest> nextCseq, java.util.function.Consumer<SipRequest> sent) {
        Address route = request.get(SipHeaders.ROUTE);
        boolean loose = route != null && route.uri() instanceof SipUri s && s.isLooseRouting();
        return config.resolver().resolve(loose ? route.uri() : request.requestUri())
                .thenCompose(dest -> transactions.sendRequest(request, dest))
                .thenCompose(ClientTransaction::finalResponse)
                .thenCompose(resp -> {
                    int code = resp.statusCode();
                    if (code == 401 || code == 407) {
                        SipRequest retry = authorize(request, resp, nextCseq.applyAsLong(request), answered);
                        if (retry != null) {
                            sent.accept(retry);
                            return sendAuthorized(retry, answered, nextCseq, sent);
                        }
                    }
                    return CompletableFuture.completedFuture(resp);
                });
    }

    // ================================================================== in-dialog requests

    /**
     * A request in the dialog (§12.2.1.1), with the next CSeq. Add headers and a body, then
     * {@link #send} it. Not for ACK (the layer sends ACKs) or CANCEL.
     *
     * @throws IllegalStateException when the dialog has ended
     */
    public SipRequest.Builder createRequest(Dialog dialog, SipMethod method) {
        if (dialog.state() == DialogState.TERMINATED) {
            throw new IllegalStateException("the dialog has ended: " + dialog.terminationReason());
        }
        if (method.equals(SipMethod.ACK) || method.equals(SipMethod.CANCEL)) {
            throw new IllegalArgumentException(method + " is sent by the layers, not built in the dialog");
        }
        SipRequest.Builder b;
        synchronized (dialog) {
            b = dialog.newRequest(method, dialog.nextLocalSeq());
        }
        if (!config.supported().isEmpty()) {
            b.setAll(SipHeaders.SUPPORTED, new ArrayList<>(config.supported()));
        }
        return b;
    }

    /**
     * Sends a request built by {@link #createRequest}. A BYE ends the dialog at once (§15.1.1);
     * a re-INVITE is refused locally with an {@link IllegalStateException} while another INVITE
     * is pending in the dialog (§14.1).
     *
     * @return the final response (or a transaction timeout)
     */
    public CompletableFuture<SipResponse> send(Dialog dialog, SipRequest request) {
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        shards.execute(dialog.callId(), () -> sendInDialog(dialog, request, result, GLARE_RETRIES));
        return result;
    }

    /** Times a re-INVITE or UPDATE refused with 491 is tried again after the random wait of §14.1. */
    private static final int GLARE_RETRIES = 3;

    private void sendInDialog(Dialog dialog, SipRequest original, CompletableFuture<SipResponse> result, int retries) {
        boolean invite = original.method().equals(SipMethod.INVITE);
        boolean update = original.method().equals(SipMethod.UPDATE);
        SipRequest request = invite || update ? withSessionTimer(original, dialog, 0) : original;
        if (invite) {
            if (dialog.inviteClientPending || dialog.inviteServerPending) {
                result.completeExceptionally(new IllegalStateException("an INVITE is already pending in the dialog"));
                return;
            }
            dialog.inviteClientPending = true;
        }
        if (update) {
            if (dialog.updateClientPending || dialog.updateServerPending) {
                result.completeExceptionally(new IllegalStateException("an UPDATE is already pending in the dialog"));
                return;
            }
            dialog.updateClientPending = true;
        }
        if (request.method().equals(SipMethod.BYE)) {
            end(dialog, "BYE sent");
        }
        java.util.Set<String> answered = ConcurrentHashMap.newKeySet();
        sendAuthorized(request, answered, r -> {
            synchronized (dialog) {
                return dialog.nextLocalSeq();
            }
        }).whenComplete((resp, err) -> shards.execute(dialog.callId(), () -> {
            if (invite) {
                dialog.inviteClientPending = false;
            }
            if (update) {
                dialog.updateClientPending = false;
                if (err == null && resp.statusCode() / 100 == 2) {
                    updateTarget(dialog, refreshedContact(resp));
                }
            }
            if (err == null && (invite || update) && resp.statusCode() / 100 == 2) {
                applySessionTimer(dialog, resp, true);
            }
            if (err == null) {
                bus.publish(new DialogEvent.ResponseReceived(dialog, request, resp));
            }
            if (err != null) {
                result.completeExceptionally(err);
            } else if ((invite || update) && resp.statusCode() == 491 && retries > 0 && dialog.state() != DialogState.TERMINATED) {
                // §14.1: glare — try again after a random wait: 2.1–4 s if we own the Call-ID
                // (we sent the initial INVITE), else 0–2 s, in 10 ms units
                java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
                long waitMs = dialog.role() == Dialog.Role.UAC ? 2100 + 10L * rnd.nextInt(191) : 10L * rnd.nextInt(201);
                scheduler.schedule(dialog.callId(), waitMs, TimeUnit.MILLISECONDS, () -> {
                    if (dialog.state() == DialogState.TERMINATED) {
                        result.complete(resp);
                        return;
                    }
                    SipRequest again;
                    synchronized (dialog) {
                        again = request.toBuilder().cseq(dialog.nextLocalSeq())
                                .via(request.via().withParam("branch", io.rvoip.sip.message.SipIds.newBranch())).build();
                    }
                    sendInDialog(dialog, again, result, retries - 1);
                });
            } else {
                result.complete(resp);
            }
        }));
    }

    /**
     * Asks the peer to send a request to {@code referTo} (RFC 3515; blind transfer, or attended
     * with a Replaces header inside the Refer-To URI). Progress arrives as
     * {@link DialogEvent.ReferProgress} unless {@code subscribe} is false ({@code Refer-Sub: false},
     * RFC 4488).
     *
     * @param referredBy who asks (RFC 3892), or null
     * @return the REFER's final response (202 Accepted when the peer takes it); failed with
     *     {@link IllegalStateException} if the dialog has ended (nothing is sent)
     */
    public CompletableFuture<SipResponse> refer(Dialog dialog, Address referTo, Address referredBy, boolean subscribe) {
        SipRequest.Builder b = requestOrNull(dialog, SipMethod.REFER);
        if (b == null) {
            return ended(dialog);
        }
        b.set(SipHeaders.REFER_TO, referTo);
        if (referredBy != null) {
            b.set(SipHeaders.REFERRED_BY, referredBy);
        }
        if (!subscribe) {
            b.set("Refer-Sub", "false");
        }
        return send(dialog, b.build());
    }

    /**
     * The dialog an INVITE with a Replaces header (RFC 3891) would replace, or null. Sending a 2xx
     * to that INVITE through {@link #respond} ends the replaced dialog (BYE if confirmed, CANCEL
     * if it is our early INVITE).
     */
    public Dialog replacedDialog(SipRequest invite) {
        io.rvoip.sip.header.Replaces rep;
        try {
            rep = invite.get(SipHeaders.REPLACES);
        } catch (RuntimeException e) {
            return null;
        }
        if (rep == null || rep.toTag() == null || rep.fromTag() == null) {
            return null;
        }
        return dialogs.get(new DialogId(rep.callId(), rep.toTag(), rep.fromTag()));
    }

    /**
     * PRACKs a reliable provisional response that carried the offer of our INVITE without one
     * (RFC 3262 §5): the PRACK carries the answer. The layer PRACKs every other reliable 1xx
     * itself; this one it leaves to the application, which got it as {@link DialogEvent.Early}.
     *
     * @return the PRACK's final response; failed with {@link IllegalStateException} if the
     *     dialog has ended
     */
    public CompletableFuture<SipResponse> prack(Dialog dialog, SipResponse provisional, MediaType type, byte[] answer) {
        Long rseq = provisional.get(SipHeaders.RSEQ);
        if (rseq == null || provisional.statusCode() >= 200 || !provisional.cseq().method().equals(SipMethod.INVITE)) {
            throw new IllegalArgumentException("not a reliable provisional response to an INVITE");
        }
        SipRequest.Builder b = requestOrNull(dialog, SipMethod.PRACK);
        if (b == null) {
            return ended(dialog);
        }
        b.set(SipHeaders.RACK, new io.rvoip.sip.header.RAck(rseq, provisional.cseq().seq(), SipMethod.INVITE));
        if (answer != null) {
            b.body(type, answer);
        }
        return send(dialog, b.build());
    }

    /**
     * Ends a dialog with BYE; completes with the BYE's final response. A dialog that has already
     * ended (a BYE crossed ours, or the 2xx was never acknowledged) gives a future failed with
     * {@link IllegalStateException}: nothing is sent, and nothing is thrown at the caller, which
     * may be reacting to an event that raced the end.
     */
    public CompletableFuture<SipResponse> bye(Dialog dialog) {
        SipRequest.Builder b = requestOrNull(dialog, SipMethod.BYE);
        return b == null ? ended(dialog) : send(dialog, b.build());
    }

    /**
     * {@link #createRequest}, or null when the dialog has ended (also when it ends on another
     * thread between a check and the build): for the methods that answer with a future, which
     * then fails instead of throwing at a caller that may be reacting to an event that raced
     * the end.
     */
    SipRequest.Builder requestOrNull(Dialog dialog, SipMethod method) {
        if (dialog.state() == DialogState.TERMINATED) {
            return null;
        }
        try {
            return createRequest(dialog, method);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** A future failed because {@code dialog} has ended. */
    static <T> CompletableFuture<T> ended(Dialog dialog) {
        return CompletableFuture.failedFuture(new IllegalStateException("the dialog has already ended: "
                + dialog.terminationReason()));
    }

    // ================================================================== events (RFC 6665)

    /**
     * Subscribes (RFC 6665 §4.1.2.1): sends a SUBSCRIBE outside a dialog (it needs an Event, a
     * From tag and no To tag; our Contact is added when missing, Expires is optional). Each
     * notifier's first NOTIFY creates a subscription dialog, also before the 200 arrives and
     * several when the request forks; NOTIFYs arrive as {@link DialogEvent.NotifyReceived}. The
     * layer refreshes each subscription before it ends, at half its duration (at most 10 minutes
     * early), and ends it when a refresh is refused, no NOTIFY follows a refresh within 64·T1
     * (Timer N), or a NOTIFY says {@code terminated}.
     */
    public OutgoingSubscription subscribe(SipRequest subscribe) {
        return events.subscribe(subscribe);
    }

    /**
     * Refreshes a subscription we made, asking for {@code expires} seconds (negative: the
     * notifier's default); 0 unsubscribes — the dialog ends with the notifier's final NOTIFY. A
     * subscription that has ended gives a future failed with {@link IllegalStateException}.
     */
    public CompletableFuture<SipResponse> refreshSubscription(Dialog subscription, long expires) {
        return events.refresh(subscription, expires);
    }

    /**
     * Ends a subscription we made: SUBSCRIBE with Expires 0 (RFC 6665 §4.1.2.3). One that has
     * already ended gives a future failed with {@link IllegalStateException}.
     */
    public CompletableFuture<SipResponse> unsubscribe(Dialog subscription) {
        return events.refresh(subscription, 0);
    }

    /**
     * The state of {@code resource} in {@code eventPackage} changed: every active subscription to
     * it gets a NOTIFY with the package's new state. A null resource means every resource.
     */
    public void notifyChanged(String eventPackage, Uri resource) {
        events.notifyChanged(eventPackage, resource);
    }

    /** A {@code pending} subscription (see {@link EventPackage#authorize}) becomes active, with a NOTIFY. */
    public void activate(Dialog subscription) {
        events.activate(subscription);
    }

    /**
     * Ends a subscription we serve with a NOTIFY {@code terminated;reason=<reason>} (RFC 6665
     * §4.1.3: {@code deactivated}, {@code probation}, {@code rejected}, {@code timeout},
     * {@code giveup}, {@code noresource}, {@code invariant}); the dialog ends with it.
     */
    public void terminateSubscription(Dialog subscription, String reason) {
        events.terminateSubscription(subscription, reason);
    }

    /** Subscriptions alive, both those we serve and those we made. */
    public int subscriptionCount() {
        return events.count();
    }

    /** Our SUBSCRIBEs still accepting NOTIFYs from new notifiers (until their Timer N). */
    public int pendingSubscribeCount() {
        return events.pendingCount();
    }

    // ================================================================== UAS

    /**
     * A request from the transaction layer. The parse there typed only the transaction's
     * headers; any other header this layer reads on its way (Accept, Require, Contact,
     * Record-Route, …) and cannot parse gets a 400 naming the fault (RFC 3261 §8.2, §21.4.1), so
     * a request is always answered and never reaches the application half-readable.
     */
    private void onRequest(TransactionEvent.RequestReceived e) {
        ServerTransaction tx = e.transaction();
        SipRequest req = e.request();
        try {
            onReadableRequest(tx, req);
        } catch (io.rvoip.sip.parser.SipParseException ex) {
            log.debug("unreadable {} in {}: {}", req.method(), req.callId(), ex.getMessage());
            if (!req.method().equals(SipMethod.ACK)) {
                reply(tx, SipResponse.forRequest(req, StatusCode.BAD_REQUEST)
                        .reasonPhrase("Bad Request (" + printable(ex.getMessage()) + ")").build());
            }
        }
    }

    /** {@code text} cut to printable ASCII for a reason phrase. */
    private static String printable(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 80));
        for (int i = 0; i < text.length() && sb.length() < 80; i++) {
            char c = text.charAt(i);
            sb.append(c >= ' ' && c < 127 ? c : '?');
        }
        return sb.toString();
    }

    private void onReadableRequest(ServerTransaction tx, SipRequest req) {
        SipMethod method = req.method();
        if (!tx.accepts(200)) {
            // answered before this event was taken: an INVITE that a CANCEL queued behind it
            // already ended with 487 (RFC 3261 §9.2); there is nothing left to decide
            return;
        }
        if (method.equals(SipMethod.CANCEL)) {
            onCancel(tx, req);
            return;
        }
        // §8.2.1: method — 405 for a method we know but do not take, 501 for one we do not know
        if (!config.allowedMethods().contains(method.name())
                && !(method.equals(SipMethod.PRACK) && reliableProvisionals())) {
            SipResponse.Builder r = SipResponse.forRequest(req,
                    KNOWN_METHODS.contains(method.name()) ? StatusCode.METHOD_NOT_ALLOWED : StatusCode.NOT_IMPLEMENTED);
            r.setAll(SipHeaders.ALLOW, allowed());
            if (!method.equals(SipMethod.ACK)) {
                reply(tx, r.build());
            }
            return;
        }
        // §8.2.2.2 / §12.2.2: To tag
        String toTag = req.to().tag();
        if (toTag == null || method.equals(SipMethod.INVITE) || method.equals(SipMethod.UPDATE)) {
            // what a dialog this request may create or refresh is made of (§12.1.1, §12.2.2): read
            // here, so that a malformed one gets its 400 now and never fails the answer later
            req.getAll(SipHeaders.CONTACT);
            req.getAll(SipHeaders.RECORD_ROUTE);
        }
        if (req.bodyLength() > 0) {
            req.contentType(); // a body is read by its type (§8.2.3): one that does not parse gets 400 here
        }
        Dialog dialog = null;
        if (toTag != null) {
            dialog = dialogFor(req);
            if (dialog == null) {
                if (events.expects(req)) {
                    events.onNotify(tx, req, null); // a NOTIFY creating a subscription dialog (RFC 6665 §4.4.1)
                    return;
                }
                reply(tx, SipResponse.forRequest(req, StatusCode.CALL_DOES_NOT_EXIST).build());
                return;
            }
        } else if (isMerged(req)) {
            reply(tx, SipResponse.forRequest(req, StatusCode.LOOP_DETECTED).build());
            return;
        }
        // §8.2.2.1: Request-URI scheme
        if (req.requestUri() instanceof AbsoluteUri) {
            reply(tx, SipResponse.forRequest(req, StatusCode.UNSUPPORTED_URI_SCHEME).build());
            return;
        }
        // §8.2.2.3: Require
        List<String> unsupported = new ArrayList<>();
        for (String option : req.getAll(SipHeaders.REQUIRE)) {
            if (!config.supported().contains(option)) {
                unsupported.add(option);
            }
        }
        if (!unsupported.isEmpty()) {
            SipResponse.Builder r = SipResponse.forRequest(req, StatusCode.BAD_EXTENSION);
            r.setAll(SipHeaders.UNSUPPORTED, unsupported);
            reply(tx, r.build());
            return;
        }
        // §8.2.3: content
        if (req.bodyLength() > 0 && !config.opaqueBodyMethods().contains(method.name())) {
            MediaType type = req.contentType();
            String name = type == null ? "" : (type.type() + "/" + type.subtype()).toLowerCase(java.util.Locale.ROOT);
            if (!config.acceptedBodyTypes().contains(name)) {
                SipResponse.Builder r = SipResponse.forRequest(req, StatusCode.UNSUPPORTED_MEDIA_TYPE);
                List<MediaType> accept = new ArrayList<>();
                for (String t : config.acceptedBodyTypes()) {
                    accept.add(MediaType.parse(t));
                }
                r.setAll(SipHeaders.ACCEPT, accept);
                reply(tx, r.build());
                return;
            }
        }
        // §8.2.3 / RFC 4475 sdp01: an INVITE whose Accept excludes every body type we could answer with
        if (method.equals(SipMethod.INVITE) && req.has(io.rvoip.sip.header.HeaderName.ACCEPT)) {
            boolean acceptable = false;
            for (MediaType t : req.getAll(SipHeaders.ACCEPT)) {
                String name = (t.type() + "/" + t.subtype()).toLowerCase(java.util.Locale.ROOT);
                if (name.equals("*/*") || config.acceptedBodyTypes().contains(name)
                        || t.subtype().equals("*") && config.acceptedBodyTypes().stream().anyMatch(a -> a.startsWith(t.type() + "/"))) {
                    acceptable = true;
                }
            }
            if (!acceptable) {
                reply(tx, SipResponse.forRequest(req, StatusCode.NOT_ACCEPTABLE).build());
                return;
            }
        }
        // RFC 4028 §9: a session interval below our minimum gets 422 with Min-SE
        if (sessionTimers() && (method.equals(SipMethod.INVITE) || method.equals(SipMethod.UPDATE))) {
            io.rvoip.sip.header.SessionExpires asked = sessionExpires(req);
            if (asked != null && asked.seconds() < config.minSessionInterval().getSeconds()) {
                SipResponse.Builder r = SipResponse.forRequest(req, StatusCode.SESSION_INTERVAL_TOO_SMALL);
                r.set(SipHeaders.MIN_SE, io.rvoip.sip.header.SessionExpires.of(config.minSessionInterval().getSeconds(), null));
                reply(tx, r.build());
                return;
            }
        }
        if (dialog == null) {
            if (method.equals(SipMethod.BYE)) {
                reply(tx, SipResponse.forRequest(req, StatusCode.CALL_DOES_NOT_EXIST).build());
                return;
            }
            if (req.has(io.rvoip.sip.header.HeaderName.REPLACES)) {
                // RFC 3891 §3
                if (!method.equals(SipMethod.INVITE) || req.count(io.rvoip.sip.header.HeaderName.REPLACES) > 1) {
                    reply(tx, SipResponse.forRequest(req, StatusCode.BAD_REQUEST).build());
                    return;
                }
                io.rvoip.sip.header.Replaces asked = req.get(SipHeaders.REPLACES); // malformed: 400 (onRequest)
                Dialog replaced = asked == null ? null : replacedDialog(req);
                io.rvoip.sip.header.Replaces rep = replaced == null ? null : asked;
                if (replaced == null || replaced.state() == DialogState.EARLY && replaced.role() == Dialog.Role.UAS) {
                    reply(tx, SipResponse.forRequest(req, StatusCode.CALL_DOES_NOT_EXIST).build());
                    return;
                }
                if (replaced.state() == DialogState.CONFIRMED && rep.earlyOnly()) {
                    reply(tx, SipResponse.forRequest(req, StatusCode.BUSY_HERE).build());
                    return;
                }
            }
            if (method.equals(SipMethod.SUBSCRIBE) && !config.eventPackages().isEmpty()) {
                events.onSubscribe(tx, req, null);
                return;
            }
            bus.publish(new DialogEvent.RequestReceived(tx, req, null));
            return;
        }
        // §12.2.2: in a dialog
        if (!dialog.acceptRemoteSeq(req.cseq().seq())) {
            reply(tx, SipResponse.forRequest(req, StatusCode.SERVER_INTERNAL_ERROR).reasonPhrase("CSeq out of order").build());
            return;
        }
        if (method.equals(SipMethod.BYE)) {
            reply(tx, SipResponse.forRequest(req, StatusCode.OK).build());
            end(dialog, "BYE received");
            return;
        }
        if (method.equals(SipMethod.PRACK)) {
            onPrack(tx, req, dialog);
            return;
        }
        if (method.equals(SipMethod.REFER)) {
            onRefer(tx, req, dialog);
            return;
        }
        if (method.equals(SipMethod.SUBSCRIBE)) {
            events.onSubscribe(tx, req, dialog);
            return;
        }
        if (method.equals(SipMethod.NOTIFY) && dialog.usage != null) {
            events.onNotify(tx, req, dialog);
            return;
        }
        if (method.equals(SipMethod.NOTIFY) && req.header("Event") == null) {
            // RFC 6665 §8.2.1: a NOTIFY carries an Event; without one it matches no subscription
            reply(tx, SipResponse.forRequest(req, StatusCode.BAD_REQUEST).reasonPhrase("Missing Event").build());
            return;
        }
        if (method.equals(SipMethod.NOTIFY) && String.valueOf(req.header("Event")).strip().toLowerCase(java.util.Locale.ROOT)
                .startsWith("refer")) {
            onReferNotify(tx, req, dialog);
            return;
        }
        if (method.equals(SipMethod.INFO)) {
            String pkg = req.header("Info-Package");
            if (pkg != null && !config.infoPackages().contains(pkg.strip().toLowerCase(java.util.Locale.ROOT))) {
                // RFC 6086 §4.2.2: an Info Package we did not indicate
                SipResponse.Builder r = SipResponse.forRequest(req, StatusCode.valueOf(469)).reasonPhrase("Bad Info Package");
                r.set("Recv-Info", String.join(", ", config.infoPackages()));
                reply(tx, r.build());
                return;
            }
        }
        if (method.equals(SipMethod.UPDATE)) {
            boolean offer = req.bodyLength() > 0;
            if (dialog.updateClientPending || offer && dialog.inviteClientPending) {
                reply(tx, SipResponse.forRequest(req, StatusCode.REQUEST_PENDING).build()); // RFC 3311 §5.2 glare
                return;
            }
            if (dialog.updateServerPending || offer && dialog.inviteServerPending) {
                reply(tx, retryLater(req)); // an offer of theirs is still unanswered
                return;
            }
            dialog.updateServerPending = true;
            pendingUpdates.put(tx, dialog);
        }
        if (method.equals(SipMethod.INVITE)) {
            if (dialog.inviteClientPending) {
                reply(tx, SipResponse.forRequest(req, StatusCode.REQUEST_PENDING).build()); // glare (§14.2)
                return;
            }
            if (dialog.inviteServerPending || dialog.updateServerPending) {
                reply(tx, retryLater(req)); // §14.2: a second INVITE while one is unanswered
                return;
            }
            dialog.inviteServerPending = true;
            pendingReinvites.put(tx, dialog);
        }
        bus.publish(new DialogEvent.RequestReceived(tx, req, dialog));
    }

    /** 500 with a random Retry-After of 0–10 s (RFC 3261 §14.2, RFC 3311 §5.2). */
    private static SipResponse retryLater(SipRequest req) {
        SipResponse.Builder r = SipResponse.forRequest(req, StatusCode.SERVER_INTERNAL_ERROR);
        r.set(SipHeaders.RETRY_AFTER, new io.rvoip.sip.header.RetryAfter(
                java.util.concurrent.ThreadLocalRandom.current().nextInt(11), null, io.rvoip.sip.header.Parameters.EMPTY));
        return r.build();
    }

    private boolean isMerged(SipRequest req) {
        String key = req.callId() + '\u0000' + req.from().tag() + '\u0000' + req.cseq().seq() + '\u0000' + req.cseq().method();
        String branch = req.via() == null ? "" : String.valueOf(req.via().branch()) + req.via().sentBy();
        String seen = recentRequests.putIfAbsent(key, branch);
        return seen != null && !seen.equals(branch);
    }

    private void onCancel(ServerTransaction tx, SipRequest cancel) {
        ServerTransaction invite = transactions.acceptCancel(tx);
        if (invite == null) {
            return;
        }
        String fromTag = remoteTagOf(invite.request());
        for (Dialog d : dialogs.values()) {
            if (d.callId().equals(cancel.callId()) && d.role() == Dialog.Role.UAS && d.id().remoteTag().equals(fromTag)
                    && d.state() == DialogState.EARLY) {
                end(d, "cancelled");
            }
        }
        bus.publish(new DialogEvent.RequestReceived(tx, cancel, null));
    }

    /**
     * Answers a request the layer passed up. For an INVITE, a 1xx (not 100) or 2xx with a To
     * tag creates the dialog (our Contact is added when missing); a 2xx is retransmitted until
     * the ACK arrives; a 3xx–6xx ends the INVITE's early dialogs. For a re-INVITE, a 2xx
     * replaces the remote target from the request's Contact. A response the transaction can no
     * longer take (a CANCEL or a timeout ended it first) is dropped, not thrown.
     */
    public void respond(ServerTransaction transaction, SipResponse response) {
        shards.execute(transaction.callId(), () -> respondOnShard(transaction, response));
    }

    private void respondOnShard(ServerTransaction tx, SipResponse response) {
        int code = response.statusCode();
        if (!tx.accepts(code)) {
            // the transaction ended while this response was on its way here (a CANCEL's 487, a
            // timeout): there is no one left to send it to
            log.debug("{} not sent: the transaction is {}", code, tx.state());
            return;
        }
        SipRequest req = tx.request();
        SipResponse resp = withSupported(response);
        if (req.method().equals(SipMethod.INVITE) && code > 100 && code < 300) {
            if (resp.contact() == null) {
                resp = resp.toBuilder().contact(config.contact()).build();
            }
            resp = withCapabilities(resp);
        }
        Dialog updated = pendingUpdates.get(tx);
        if (updated != null) {
            if (code >= 200) {
                pendingUpdates.remove(tx);
                updated.updateServerPending = false;
                if (code < 300) {
                    if (resp.contact() == null) {
                        resp = resp.toBuilder().contact(updated.localContact()).build();
                    }
                    resp = withSessionExpires(req, resp);
                    updateTarget(updated, req.contact()); // UPDATE is a target refresh (RFC 3311 §5.2)
                    applySessionTimer(updated, resp, false);
                }
            }
            tx.respond(resp);
            return;
        }
        Dialog reinvite = pendingReinvites.get(tx);
        if (reinvite != null) {
            if (code >= 200) {
                pendingReinvites.remove(tx);
                reinvite.inviteServerPending = false;
                if (code < 300) {
                    resp = withSessionExpires(req, resp);
                    updateTarget(reinvite, req.contact());
                    applySessionTimer(reinvite, resp, false);
                    startOkRetransmission(reinvite, tx, resp);
                }
            }
            tx.respond(resp);
            return;
        }
        if (req.method().equals(SipMethod.INVITE) && req.to().tag() == null) {
            String toTag = resp.to().tag();
            if (code > 100 && code < 300 && toTag != null) {
                DialogId id = new DialogId(req.callId(), toTag, remoteTagOf(req));
                Dialog d = dialogs.get(id);
                if (d == null) {
                    List<Address> routes = req.getAll(SipHeaders.RECORD_ROUTE); // §12.1.1: in order
                    Address contact = req.contact();
                    boolean secure = req.requestUri() instanceof SipUri s && s.isSecure();
                    d = new Dialog(id, Dialog.Role.UAS, dialogParty(req.to()), dialogParty(req.from()),
                            contact != null ? contact.uri() : req.from().uri(), routes, 0, req.cseq().seq(), secure,
                            resp.contact(), code < 200 ? DialogState.EARLY : DialogState.CONFIRMED);
                    d.inviteSeq = req.cseq().seq();
                    dialogs.put(id, d);
                    if (code < 200) {
                        bus.publish(new DialogEvent.Early(d, resp));
                    }
                }
                if (code < 200 && reliableProvisionals() && (peerSupports(req, REL100)
                        || req.getAll(SipHeaders.REQUIRE).contains(REL100))) {
                    sendReliable(d, tx, resp);
                    return;
                }
                if (code >= 200 && d.reliable != null && d.reliable.outstanding != null) {
                    if (d.reliable.outstanding.bodyLength() > 0) {
                        d.reliable.queued.add(resp); // RFC 3262 §3: no 2xx before an SDP-carrying 1xx is PRACKed
                        return;
                    }
                    d.reliable.stop();
                }
                if (code >= 200) {
                    if (d.reliable != null) {
                        d.reliable.finalSent = true;
                    }
                    resp = withSessionExpires(req, resp);
                    d.peerAllowsUpdate = allowsUpdate(req);
                    applySessionTimer(d, resp, false);
                    d.confirm();
                    endReplaced(req);
                    bus.publish(new DialogEvent.Confirmed(d, resp));
                    startOkRetransmission(d, tx, resp);
                }
            } else if (code >= 300) {
                for (Dialog d : dialogs.values()) {
                    if (d.callId().equals(req.callId()) && d.role() == Dialog.Role.UAS && d.state() == DialogState.EARLY
                            && d.id().remoteTag().equals(remoteTagOf(req))) {
                        end(d, "INVITE rejected: " + code);
                    }
                }
            }
        }
        tx.respond(resp);
    }

    /**
     * Sends a provisional response reliably (RFC 3262 §3): Require 100rel and the next RSeq, then
     * again at T1, 2·T1, 4·T1 … (no cap) until its PRACK; after 64·T1 without one the INVITE is
     * answered 504. A second reliable 1xx waits until the first is acknowledged.
     */
    private void sendReliable(Dialog d, ServerTransaction tx, SipResponse resp) {
        Dialog.Reliable r = d.reliable;
        if (r == null) {
            r = new Dialog.Reliable();
            r.transaction = tx;
            r.nextRseq = 1 + java.util.concurrent.ThreadLocalRandom.current().nextLong((1L << 31) - 2);
            d.reliable = r;
        }
        if (r.finalSent) {
            return; // §3: no new reliable provisional after the final response
        }
        if (r.outstanding != null) {
            r.queued.add(resp);
            return;
        }
        List<String> require = new ArrayList<>(resp.getAll(SipHeaders.REQUIRE));
        if (!require.contains(REL100)) {
            require.add(REL100);
        }
        long rseq = r.nextRseq++;
        SipResponse reliable = resp.toBuilder().setAll(SipHeaders.REQUIRE, require).set(SipHeaders.RSEQ, rseq).build();
        r.outstanding = reliable;
        r.outstandingRseq = rseq;
        r.interval = config.t1().toNanos();
        tx.respond(reliable);
        Dialog.Reliable state = r;
        r.retransmit = scheduler.schedule(d.callId(), r.interval, TimeUnit.NANOSECONDS, () -> retransmitReliable(d, state, reliable));
        r.giveUp = scheduler.schedule(d.callId(), 64 * config.t1().toNanos(), TimeUnit.NANOSECONDS, () -> {
            if (state.outstanding == reliable && !state.finalSent) {
                state.stop();
                state.finalSent = true;
                try {
                    reply(tx, SipResponse.forRequest(tx.request(), StatusCode.SERVER_TIMEOUT, d.id().localTag())
                            .reasonPhrase("Reliable provisional response not acknowledged").build());
                } catch (IllegalStateException ignored) {
                    // the transaction already ended
                }
                end(d, "no PRACK");
            }
        });
    }

    private void retransmitReliable(Dialog d, Dialog.Reliable r, SipResponse reliable) {
        if (r.outstanding != reliable || r.finalSent || d.state() == DialogState.TERMINATED) {
            return;
        }
        try {
            r.transaction.respond(reliable);
        } catch (IllegalStateException e) {
            return;
        }
        r.interval *= 2;
        r.retransmit = scheduler.schedule(d.callId(), r.interval, TimeUnit.NANOSECONDS, () -> retransmitReliable(d, r, reliable));
    }

    /** RFC 3891 §3: the replacing INVITE was accepted: BYE the replaced dialog, or CANCEL our early INVITE. */
    private void endReplaced(SipRequest invite) {
        Dialog replaced = invite.has(io.rvoip.sip.header.HeaderName.REPLACES) ? replacedDialog(invite) : null;
        if (replaced == null || replaced.state() == DialogState.TERMINATED) {
            return;
        }
        if (replaced.state() == DialogState.CONFIRMED) {
            SipRequest bye = createRequest(replaced, SipMethod.BYE).build();
            end(replaced, "replaced");
            send(replaced, bye).exceptionally(x -> null);
        } else {
            for (OutgoingInvite out : outgoing.values()) {
                if (out.dialogs.contains(replaced)) {
                    cancel(out).exceptionally(x -> null);
                }
            }
            end(replaced, "replaced");
        }
    }

    private void onRefer(ServerTransaction tx, SipRequest refer, Dialog d) {
        Address referTo;
        try {
            referTo = refer.get(SipHeaders.REFER_TO);
        } catch (RuntimeException e) {
            referTo = null;
        }
        if (referTo == null || refer.count(io.rvoip.sip.header.HeaderName.REFER_TO) != 1) {
            reply(tx, SipResponse.forRequest(refer, StatusCode.BAD_REQUEST).reasonPhrase("Bad Request (Refer-To)").build());
            return;
        }
        boolean subscribe = !"false".equalsIgnoreCase(String.valueOf(refer.header("Refer-Sub")).strip());
        SipResponse.Builder accepted = SipResponse.forRequest(refer, StatusCode.ACCEPTED);
        if (!subscribe) {
            accepted.set("Refer-Sub", "false");
        }
        reply(tx, accepted.build());
        ReferSubscription sub = new ReferSubscription(this, d, refer, subscribe);
        sub.start();
        sub.notify(100, "Trying").exceptionally(x -> null); // RFC 3515 §2.4.4: an initial NOTIFY at once
        bus.publish(new DialogEvent.ReferReceived(d, refer, referTo, sub));
    }

    private void onReferNotify(ServerTransaction tx, SipRequest notify, Dialog d) {
        reply(tx, SipResponse.forRequest(notify, StatusCode.OK).build());
        String frag = notify.bodyText();
        int status = 0;
        String reason = "";
        if (frag != null && frag.startsWith("SIP/2.0 ") && frag.length() >= 11) {
            try {
                status = Integer.parseInt(frag.substring(8, 11));
                int eol = frag.indexOf('\r');
                reason = frag.substring(Math.min(12, frag.length()), eol > 12 ? eol : frag.length()).strip();
            } catch (NumberFormatException ignored) {
                status = 0;
            }
        }
        boolean terminated = String.valueOf(notify.header("Subscription-State")).strip().toLowerCase(java.util.Locale.ROOT)
                .startsWith("terminated");
        bus.publish(new DialogEvent.ReferProgress(d, status, reason, terminated));
    }

    private void onPrack(ServerTransaction tx, SipRequest prack, Dialog d) {
        io.rvoip.sip.header.RAck rack;
        try {
            rack = prack.get(SipHeaders.RACK);
        } catch (RuntimeException e) {
            rack = null;
        }
        Dialog.Reliable r = d.reliable;
        if (r == null || r.outstanding == null || rack == null || rack.rseq() != r.outstandingRseq
                || rack.cseq() != d.inviteSeq || !rack.method().equals(SipMethod.INVITE)) {
            reply(tx, SipResponse.forRequest(prack, StatusCode.CALL_DOES_NOT_EXIST).build());
            return;
        }
        r.stop();
        r.outstanding = null;
        reply(tx, SipResponse.forRequest(prack, StatusCode.OK).build());
        bus.publish(new DialogEvent.PrackReceived(d, prack));
        SipResponse next = r.queued.poll();
        if (next != null) {
            respondOnShard(r.transaction, next);
        }
    }

    private void startOkRetransmission(Dialog d, ServerTransaction tx, SipResponse ok) {
        if (d.okTimer != null) {
            d.okTimer.cancel();
        }
        if (d.okGiveUp != null) {
            d.okGiveUp.cancel();
        }
        d.okResponse = ok;
        d.okTransaction = tx;
        d.okInterval = config.t1().toNanos();
        d.okTimer = scheduler.schedule(d.callId(), d.okInterval, TimeUnit.NANOSECONDS, () -> retransmitOk(d, ok));
        d.okGiveUp = scheduler.schedule(d.callId(), 64 * config.t1().toNanos(), TimeUnit.NANOSECONDS, () -> {
            if (d.okResponse == ok && d.state() != DialogState.TERMINATED) {
                // §13.3.1.4: no ACK after 64·T1: confirmed, but the session ends with BYE
                d.okResponse = null;
                send(d, createRequest(d, SipMethod.BYE).build()).exceptionally(x -> null);
                end(d, "no ACK for the 2xx");
            }
        });
    }

    private void retransmitOk(Dialog d, SipResponse ok) {
        if (d.okResponse != ok || d.state() == DialogState.TERMINATED) {
            return;
        }
        try {
            d.okTransaction.respond(ok);
        } catch (IllegalStateException e) {
            return; // the transaction ended (Timer L): the give-up timer handles the rest
        }
        d.okInterval = Math.min(2 * d.okInterval, config.t2().toNanos());
        d.okTimer = scheduler.schedule(d.callId(), d.okInterval, TimeUnit.NANOSECONDS, () -> retransmitOk(d, ok));
    }

    private void onAck(TransactionEvent.AckReceived e) {
        SipRequest ack = e.ack();
        Dialog d = dialogFor(ack);
        if (d == null) {
            return;
        }
        if (d.okResponse != null && ack.cseq().seq() == d.okResponse.cseq().seq()) {
            d.okResponse = null;
            if (d.okTimer != null) {
                d.okTimer.cancel();
            }
            if (d.okGiveUp != null) {
                d.okGiveUp.cancel();
            }
            bus.publish(new DialogEvent.AckReceived(d, ack));
        }
    }

    // ================================================================== helpers

    private Dialog dialogFor(SipRequest req) {
        // a request we received: local tag = To tag; one we sent: local tag = From tag
        String to = req.to() == null ? null : req.to().tag();
        String from = req.from() == null ? null : req.from().tag();
        if (to == null || req.from() == null) {
            return null;
        }
        if (from == null) {
            from = ""; // an RFC 2543 peer's request: see remoteTagOf
        }
        Dialog d = dialogs.get(new DialogId(req.callId(), to, from));
        return d != null ? d : dialogs.get(new DialogId(req.callId(), from, to));
    }

    /**
     * The Contact of a 2xx to our target refresh (re-INVITE, UPDATE), or null when it cannot be
     * read: the refresh then leaves the remote target as it was, and the 2xx is still ACKed.
     */
    private Address refreshedContact(SipResponse resp) {
        try {
            return resp.contact();
        } catch (io.rvoip.sip.parser.SipParseException e) {
            log.debug("unreadable Contact in a 2xx for {}: {}", resp.callId(), e.getMessage());
            return null;
        }
    }

    void updateTarget(Dialog d, Address contact) {
        if (contact != null && !contact.isWildcard() && !contact.uri().equals(d.remoteTarget())) {
            d.remoteTarget(contact.uri());
            bus.publish(new DialogEvent.TargetRefreshed(d));
        }
    }

    void end(Dialog d, String reason) {
        if (d.state() == DialogState.TERMINATED) {
            return;
        }
        d.terminate(reason);
        dialogs.remove(d.id());
        events.forget(d);
        bus.publish(new DialogEvent.Terminated(d, reason));
    }

    /**
     * The remote tag a received request gives its dialog: its From tag, or {@code ""} when it has
     * none (an RFC 2543 peer; RFC 3261 §12.1.1: "considered to have a value of null").
     */
    static String remoteTagOf(SipRequest received) {
        String tag = received.from().tag();
        return tag == null ? "" : tag;
    }

    /**
     * A party's address as a dialog keeps it for its requests' From and To (RFC 3261 §12.1):
     * without the tag (the dialog id holds it) and {@linkplain Address#sendable() sendable}
     * (the display name is no part of the dialog, §12.2.1.1), so that the dialog's requests can
     * always be sent.
     */
    static Address dialogParty(Address a) {
        Address s = a.sendable();
        return s.tag() == null ? s : new Address(s.displayName(), s.uri(), s.params().without("tag"), s.angleBrackets());
    }
}
