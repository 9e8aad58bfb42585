package io.rvoip.sip.dialog;

import io.rvoip.infra.concurrent.ShardedExecutor;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.Scheduler;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.EventHeader;
import io.rvoip.sip.header.HeaderName;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.SubscriptionState;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.transaction.ServerTransaction;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SIP-specific event notification (RFC 6665) for the {@link DialogLayer}: the subscriber side
 * (SUBSCRIBE out of dialog, NOTIFYs that create one dialog per notifier, refreshes, Timer N,
 * unsubscription) and the notifier side (the packages of {@link DialogConfig#eventPackages()}:
 * 489, 423, 406, 403, 200 and the immediate NOTIFY, refreshes, expiry, state changes).
 * Everything here runs on the shard of the dialog's Call-ID.
 */
final class Subscriptions {
    /** Codes to a refresh or NOTIFY that end the subscription (RFC 6665 §4.1.2.2, §4.2.2). */
    private static final Set<Integer> FATAL = Set.of(404, 405, 410, 416, 480, 481, 482, 483, 484, 485, 489, 501, 604);

    private final DialogLayer layer;
    private final DialogConfig config;
    private final Scheduler scheduler;
    private final EventBus bus;
    private final ShardedExecutor shards;
    /** Subscriber: our SUBSCRIBEs still taking new notifiers (until Timer N), by Call-ID and From tag. */
    private final Map<String, OutgoingSubscription> pending = new ConcurrentHashMap<>();
    /** Dialogs carrying a subscription, both roles. */
    private final Set<Dialog> live = ConcurrentHashMap.newKeySet();

    Subscriptions(DialogLayer layer, DialogConfig config, Scheduler scheduler, EventBus bus, ShardedExecutor shards) {
        this.layer = layer;
        this.config = config;
        this.scheduler = scheduler;
        this.bus = bus;
        this.shards = shards;
    }

    int count() {
        return live.size();
    }

    int pendingCount() {
        return pending.size();
    }

    void forget(Dialog d) {
        live.remove(d);
    }

    private static String key(String callId, String tag) {
        return callId + '\u0000' + tag;
    }

    private static EventHeader event(SipRequest r) {
        try {
            return r.get(SipHeaders.EVENT);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static SubscriptionState subscriptionState(SipRequest r) {
        try {
            return r.get(SipHeaders.SUBSCRIPTION_STATE);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** RFC 6665 §8.2.1: same event type (case-insensitive) and the same id, or both without. */
    static boolean sameEvent(EventHeader a, EventHeader b) {
        return a.type().equalsIgnoreCase(b.type()) && java.util.Objects.equals(a.id(), b.id());
    }

    private static boolean terminated(SubscriptionState s) {
        return s.state().equalsIgnoreCase("terminated");
    }

    private long t1Nanos() {
        return config.t1().toNanos();
    }

    // ================================================================== subscriber

    OutgoingSubscription subscribe(SipRequest request) {
        if (!request.method().equals(SipMethod.SUBSCRIBE)) {
            throw new IllegalArgumentException("not a SUBSCRIBE: " + request.method());
        }
        if (request.from() == null || request.from().tag() == null || request.to() == null || request.to().tag() != null) {
            throw new IllegalArgumentException("an initial SUBSCRIBE needs a From tag and no To tag");
        }
        EventHeader ev = event(request);
        if (ev == null) {
            throw new IllegalArgumentException("a SUBSCRIBE needs an Event header");
        }
        Long asked;
        try {
            asked = request.get(SipHeaders.EXPIRES);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable Expires", e);
        }
        SipRequest r = request.contact() == null ? request.toBuilder().contact(config.contact()).build() : request;
        r = layer.withSupported(r);
        OutgoingSubscription out = new OutgoingSubscription(r, ev, asked == null ? -1 : asked);
        String key = key(r.callId(), r.from().tag());
        String callId = r.callId();
        pending.put(key, out);
        shards.execute(callId, () -> out.timerN = scheduler.schedule(callId, 64 * t1Nanos(), TimeUnit.NANOSECONDS,
                () -> timerN(out, key)));
        layer.sendOutOfDialog(r, sent -> out.request = sent)
                .whenComplete((resp, err) -> shards.execute(callId, () -> answered(out, key, resp, err)));
        return out;
    }

    private void timerN(OutgoingSubscription out, String key) {
        out.timerNFired = true;
        pending.remove(key, out);
        out.established.completeExceptionally(new TimeoutException("no NOTIFY within 64·T1 of the SUBSCRIBE (Timer N)"));
    }

    private void answered(OutgoingSubscription out, String key, SipResponse resp, Throwable err) {
        if (err != null || resp.statusCode() >= 300) {
            pending.remove(key, out);
            if (out.timerN != null) {
                out.timerN.cancel();
            }
            if (err != null) {
                out.response.completeExceptionally(err);
                out.established.completeExceptionally(err);
            } else {
                out.response.complete(resp);
                out.established.completeExceptionally(new IllegalStateException(
                        "SUBSCRIBE refused: " + resp.statusCode() + " " + resp.reasonPhrase()));
            }
            return;
        }
        out.response.complete(resp);
        // the 200's Expires is the duration granted by that notifier, until its NOTIFY says otherwise
        Long granted;
        try {
            granted = resp.get(SipHeaders.EXPIRES);
        } catch (RuntimeException e) {
            granted = null;
        }
        String toTag = resp.to() == null ? null : resp.to().tag();
        if (granted != null && granted > 0 && toTag != null) {
            // our own Call-ID and From tag: the response matched our transaction by its branch,
            // and a peer may have damaged its copies of them
            Dialog d = layer.dialog(new DialogId(out.request.callId(), out.request.from().tag(), toTag));
            if (d != null && d.usage != null && d.usage.timer == null) {
                scheduleRefresh(d, d.usage, granted);
            }
        }
    }

    /** Does a NOTIFY we got outside any dialog belong to one of our SUBSCRIBEs (RFC 6665 §4.4.1)? */
    boolean expects(SipRequest notify) {
        if (!notify.method().equals(SipMethod.NOTIFY) || notify.to().tag() == null) {
            return false;
        }
        OutgoingSubscription out = pending.get(key(notify.callId(), notify.to().tag()));
        EventHeader ev = event(notify);
        return out != null && !out.timerNFired && ev != null && sameEvent(out.event(), ev);
    }

    void onNotify(ServerTransaction tx, SipRequest notify, Dialog d) {
        EventHeader ev = event(notify);
        if (ev == null) {
            layer.reply(tx, SipResponse.forRequest(notify, StatusCode.BAD_REQUEST).reasonPhrase("Missing Event").build());
            return;
        }
        SubscriptionState st = subscriptionState(notify);
        if (st == null) {
            layer.reply(tx, SipResponse.forRequest(notify, StatusCode.BAD_REQUEST)
                    .reasonPhrase("Missing Subscription-State").build());
            return;
        }
        if (d == null) {
            if (notify.from().tag() == null) {
                // the notifier's From tag is the remote tag of the dialog this NOTIFY would make
                // (RFC 6665 §4.4.1, RFC 3261 §8.1.1.3)
                layer.reply(tx, SipResponse.forRequest(notify, StatusCode.BAD_REQUEST).reasonPhrase("Missing From tag")
                        .build());
                return;
            }
            OutgoingSubscription out = pending.get(key(notify.callId(), notify.to().tag()));
            if (out == null || out.timerNFired || !sameEvent(out.event(), ev)) {
                layer.reply(tx, SipResponse.forRequest(notify, StatusCode.CALL_DOES_NOT_EXIST).build());
                return;
            }
            layer.reply(tx, SipResponse.forRequest(notify, StatusCode.OK).build());
            Dialog created = null;
            if (!terminated(st)) {
                created = subscriberDialog(out, notify, ev);
            }
            bus.publish(new DialogEvent.NotifyReceived(out, created, ev, st, notify));
            if (created != null) {
                out.established.complete(created);
                applyState(created, created.usage, st);
            } else if (out.dialogs.isEmpty()) {
                out.established.completeExceptionally(new IllegalStateException("subscription terminated: "
                        + (st.reason() == null ? "no reason" : st.reason())));
            }
            return;
        }
        Dialog.EventUsage u = d.usage;
        if (u == null || u.notifier || !sameEvent(u.event, ev)) {
            layer.reply(tx, SipResponse.forRequest(notify, StatusCode.CALL_DOES_NOT_EXIST)
                    .reasonPhrase("Subscription does not exist").build());
            return;
        }
        layer.reply(tx, SipResponse.forRequest(notify, StatusCode.OK).build());
        layer.updateTarget(d, notify.contact()); // NOTIFY is a target refresh request (RFC 6665 §4.1.3)
        if (u.timerN != null) {
            u.timerN.cancel();
            u.timerN = null;
        }
        bus.publish(new DialogEvent.NotifyReceived(u.owner, d, ev, st, notify));
        if (terminated(st)) {
            layer.end(d, "subscription terminated" + (st.reason() == null ? "" : ": " + st.reason()));
        } else {
            applyState(d, u, st);
        }
    }

    private Dialog subscriberDialog(OutgoingSubscription out, SipRequest notify, EventHeader ev) {
        SipRequest sub = out.request;
        DialogId id = new DialogId(notify.callId(), notify.to().tag(), notify.from().tag());
        // §4.4.1: the route set comes from the NOTIFY, as a UAS takes it (§12.1.1: in order)
        List<Address> routes = notify.getAll(SipHeaders.RECORD_ROUTE);
        Address contact = notify.contact();
        boolean secure = sub.requestUri() instanceof SipUri s && s.isSecure();
        Dialog d = new Dialog(id, Dialog.Role.UAC, DialogLayer.dialogParty(sub.from()), DialogLayer.dialogParty(notify.from()),
                contact != null ? contact.uri() : sub.requestUri(), routes, sub.cseq().seq(), notify.cseq().seq(), secure,
                sub.contact(), DialogState.CONFIRMED);
        Dialog.EventUsage u = new Dialog.EventUsage(false, ev);
        u.owner = out;
        u.requestedExpires = out.requestedExpires;
        d.usage = u;
        layer.register(d);
        live.add(d);
        out.dialogs.add(d);
        return d;
    }

    private void applyState(Dialog d, Dialog.EventUsage u, SubscriptionState st) {
        u.state = st.state().toLowerCase(Locale.ROOT);
        long expires = st.expires();
        if (expires > 0) {
            scheduleRefresh(d, u, expires);
        }
    }

    /** Refresh before the subscription ends: at half its length, at most 10 minutes early. */
    static long refreshDelaySeconds(long expires) {
        return expires >= 1200 ? expires - 600 : Math.max(1, expires / 2);
    }

    private void scheduleRefresh(Dialog d, Dialog.EventUsage u, long expires) {
        if (u.timer != null) {
            u.timer.cancel();
        }
        u.timer = scheduler.schedule(d.callId(), refreshDelaySeconds(expires), TimeUnit.SECONDS, () -> {
            if (d.state() != DialogState.TERMINATED && d.usage == u) {
                refresh(d, u.requestedExpires).exceptionally(x -> null);
            }
        });
    }

    CompletableFuture<SipResponse> refresh(Dialog d, long expires) {
        Dialog.EventUsage u = d.usage;
        if (u == null || u.notifier) {
            return CompletableFuture.failedFuture(new IllegalStateException("not a subscription we made: " + d));
        }
        SipRequest.Builder b = layer.requestOrNull(d, SipMethod.SUBSCRIBE);
        if (b == null) {
            return DialogLayer.ended(d);
        }
        b.set(SipHeaders.EVENT, u.event);
        if (expires >= 0) {
            b.set(SipHeaders.EXPIRES, expires);
        }
        SipRequest subscribe = b.build();
        shards.execute(d.callId(), () -> {
            if (u.timerN != null) {
                u.timerN.cancel();
            }
            // §4.1.2.2: without a NOTIFY within 64·T1 the subscription is over
            u.timerN = scheduler.schedule(d.callId(), 64 * t1Nanos(), TimeUnit.NANOSECONDS, () -> {
                if (d.usage == u) {
                    layer.end(d, "no NOTIFY after the SUBSCRIBE (Timer N)");
                }
            });
        });
        return layer.send(d, subscribe).whenComplete((resp, err) -> shards.execute(d.callId(), () -> {
            if (resp == null || d.state() == DialogState.TERMINATED) {
                return;
            }
            if (FATAL.contains(resp.statusCode())) {
                layer.end(d, "subscription refresh refused: " + resp.statusCode());
            } else if (resp.statusCode() / 100 == 2) {
                Long granted;
                try {
                    granted = resp.get(SipHeaders.EXPIRES);
                } catch (RuntimeException e) {
                    granted = null;
                }
                if (granted != null && granted > 0) {
                    scheduleRefresh(d, u, granted);
                }
            }
        }));
    }

    // ================================================================== notifier

    void onSubscribe(ServerTransaction tx, SipRequest req, Dialog d) {
        EventHeader ev = event(req);
        if (ev == null) {
            layer.reply(tx, SipResponse.forRequest(req, StatusCode.BAD_REQUEST).reasonPhrase("Missing Event").build());
            return;
        }
        if (d != null) {
            Dialog.EventUsage u = d.usage;
            if (u != null && u.notifier && sameEvent(u.event, ev)) {
                refreshServed(tx, req, d, u);
            } else if (ev.type().equalsIgnoreCase("refer") && d.refers != null && referOf(d, ev) != null) {
                referOf(d, ev).refresh(tx, req);
            } else if (u != null && !u.notifier) {
                layer.reply(tx, SipResponse.forRequest(req, StatusCode.CALL_DOES_NOT_EXIST)
                        .reasonPhrase("Subscription does not exist").build());
            } else {
                // a new usage in an INVITE dialog (RFC 6665 §4.5.2): not done here; 403 leaves the dialog alone
                layer.reply(tx, SipResponse.forRequest(req, StatusCode.FORBIDDEN)
                        .reasonPhrase("Subscriptions inside this dialog are not supported").build());
            }
            return;
        }
        EventPackage pkg = config.eventPackages().get(ev.type().toLowerCase(Locale.ROOT));
        if (pkg == null) {
            SipResponse.Builder r = SipResponse.forRequest(req, StatusCode.BAD_EVENT);
            r.setAll(SipHeaders.ALLOW_EVENTS, new ArrayList<>(config.eventPackages().keySet()));
            layer.reply(tx, r.build());
            return;
        }
        if (req.contact() == null) {
            layer.reply(tx, SipResponse.forRequest(req, StatusCode.BAD_REQUEST).reasonPhrase("Missing Contact").build());
            return;
        }
        if (req.has(HeaderName.ACCEPT) && !accepts(req, pkg.contentType())) {
            layer.reply(tx, SipResponse.forRequest(req, StatusCode.NOT_ACCEPTABLE).build());
            return;
        }
        long granted = granted(tx, req, pkg);
        if (granted < 0) {
            return;
        }
        EventPackage.Authorization decision;
        try {
            decision = pkg.authorize(req);
        } catch (RuntimeException e) {
            layer.reply(tx, SipResponse.forRequest(req, StatusCode.SERVER_INTERNAL_ERROR).build());
            return;
        }
        if (decision == EventPackage.Authorization.REJECT) {
            layer.reply(tx, SipResponse.forRequest(req, StatusCode.FORBIDDEN).build());
            return;
        }
        String tag = SipIds.newTag();
        DialogId id = new DialogId(req.callId(), tag, req.from().tag());
        boolean secure = req.requestUri() instanceof SipUri s && s.isSecure();
        Dialog dialog = new Dialog(id, Dialog.Role.UAS, DialogLayer.dialogParty(req.to()), DialogLayer.dialogParty(req.from()),
                req.contact().uri(), req.getAll(SipHeaders.RECORD_ROUTE), 0, req.cseq().seq(), secure, config.contact(),
                DialogState.CONFIRMED);
        Dialog.EventUsage u = new Dialog.EventUsage(true, ev);
        u.pkg = pkg;
        u.resource = req.requestUri();
        u.state = decision == EventPackage.Authorization.PENDING ? "pending" : "active";
        dialog.usage = u;
        layer.register(dialog);
        live.add(dialog);
        layer.reply(tx, SipResponse.forRequest(req, StatusCode.OK, tag).contact(config.contact())
                .set(SipHeaders.EXPIRES, granted).build());
        bus.publish(new DialogEvent.SubscriptionReceived(dialog, req, granted));
        startOrRefresh(dialog, u, granted);
    }

    private static boolean accepts(SipRequest req, MediaType type) {
        for (MediaType t : req.getAll(SipHeaders.ACCEPT)) {
            boolean typeOk = t.type().equals("*") || t.type().equalsIgnoreCase(type.type());
            boolean subOk = t.subtype().equals("*") || t.subtype().equalsIgnoreCase(type.subtype());
            if (typeOk && subOk) {
                return true;
            }
        }
        return false;
    }

    /** The duration to grant, or -1 when a refusal (400, 423) was sent. */
    private long granted(ServerTransaction tx, SipRequest req, EventPackage pkg) {
        Long asked;
        try {
            asked = req.get(SipHeaders.EXPIRES);
        } catch (RuntimeException e) {
            layer.reply(tx, SipResponse.forRequest(req, StatusCode.BAD_REQUEST).reasonPhrase("Bad Expires").build());
            return -1;
        }
        long expires = asked == null ? pkg.defaultExpires() : asked;
        if (expires > 0 && expires < 3600 && expires < pkg.minExpires()) {
            SipResponse.Builder r = SipResponse.forRequest(req, StatusCode.INTERVAL_TOO_BRIEF);
            r.set(SipHeaders.MIN_EXPIRES, pkg.minExpires());
            layer.reply(tx, r.build());
            return -1;
        }
        return Math.min(expires, pkg.maxExpires());
    }

    private void refreshServed(ServerTransaction tx, SipRequest req, Dialog d, Dialog.EventUsage u) {
        if (u.terminating) {
            layer.reply(tx, SipResponse.forRequest(req, StatusCode.CALL_DOES_NOT_EXIST)
                    .reasonPhrase("Subscription does not exist").build());
            return;
        }
        long granted = granted(tx, req, u.pkg);
        if (granted < 0) {
            return;
        }
        layer.updateTarget(d, req.contact());
        layer.reply(tx, SipResponse.forRequest(req, StatusCode.OK).contact(d.localContact())
                .set(SipHeaders.EXPIRES, granted).build());
        bus.publish(new DialogEvent.SubscriptionReceived(d, req, granted));
        startOrRefresh(d, u, granted);
    }

    private void startOrRefresh(Dialog d, Dialog.EventUsage u, long granted) {
        if (u.timer != null) {
            u.timer.cancel();
        }
        if (granted == 0) {
            terminate(d, u, "timeout"); // a fetch or an unsubscription: the last NOTIFY, then the end
            return;
        }
        u.expiresAtNanos = scheduler.clock().nanoTime() + TimeUnit.SECONDS.toNanos(granted);
        u.timer = scheduler.schedule(d.callId(), granted, TimeUnit.SECONDS, () -> {
            if (d.usage == u && !u.terminating) {
                terminate(d, u, "timeout");
            }
        });
        sendNotify(d, u, null);
    }

    /** Sends the NOTIFY of the current state; {@code endReason} non-null makes it the last one. */
    private void sendNotify(Dialog d, Dialog.EventUsage u, String endReason) {
        if (d.state() == DialogState.TERMINATED) {
            return;
        }
        String state;
        boolean withState;
        if (endReason != null) {
            state = "terminated;reason=" + endReason;
            withState = "timeout".equals(endReason) && u.state.equals("active"); // a fetch or unsubscription gets the state
        } else {
            long left = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(u.expiresAtNanos - scheduler.clock().nanoTime()));
            state = u.state + ";expires=" + left;
            withState = u.state.equals("active");
        }
        SipRequest.Builder b = layer.createRequest(d, SipMethod.NOTIFY).set(SipHeaders.EVENT, u.event)
                .set("Subscription-State", state);
        if (withState) {
            EventPackage.Notification n;
            try {
                n = u.pkg.state(u.resource, u.version);
            } catch (RuntimeException e) {
                n = null; // a failing package: the NOTIFY goes without state rather than not at all
            }
            if (n != null) {
                b.body(n.type(), n.body());
            }
        }
        u.version++;
        layer.send(d, b.build()).whenComplete((resp, err) -> shards.execute(d.callId(), () -> {
            if (endReason != null) {
                layer.end(d, "subscription terminated: " + endReason);
            } else if (err != null || FATAL.contains(resp.statusCode())) {
                // §4.2.2: a NOTIFY that timed out or was refused with one of those codes removes the subscription
                layer.end(d, "NOTIFY failed: " + (err != null ? "timeout" : resp.statusCode()));
            }
        }));
    }

    private void terminate(Dialog d, Dialog.EventUsage u, String reason) {
        if (u.terminating) {
            return;
        }
        u.terminating = true;
        if (u.timer != null) {
            u.timer.cancel();
        }
        sendNotify(d, u, reason);
    }

    void notifyChanged(String packageName, Uri resource) {
        String resourceKey = resource == null ? null : resourceKey(resource);
        for (Dialog d : live) {
            Dialog.EventUsage u = d.usage;
            if (u == null || !u.notifier || !u.pkg.name().equalsIgnoreCase(packageName)
                    || resourceKey != null && !resourceKey.equals(resourceKey(u.resource))) {
                continue;
            }
            shards.execute(d.callId(), () -> {
                if (d.usage == u && !u.terminating && u.state.equals("active")) {
                    sendNotify(d, u, null);
                }
            });
        }
    }

    private static String resourceKey(Uri uri) {
        return uri instanceof SipUri ? io.rvoip.sip.dialog.registration.Registrar.canonical(uri) : uri.toString();
    }

    void activate(Dialog d) {
        shards.execute(d.callId(), () -> {
            Dialog.EventUsage u = d.usage;
            if (u != null && u.notifier && !u.terminating && !u.state.equals("active")) {
                u.state = "active";
                sendNotify(d, u, null);
            }
        });
    }

    void terminateSubscription(Dialog d, String reason) {
        shards.execute(d.callId(), () -> {
            Dialog.EventUsage u = d.usage;
            if (u != null && u.notifier) {
                terminate(d, u, reason);
            }
        });
    }

    private static ReferSubscription referOf(Dialog d, EventHeader ev) {
        String id = ev.id();
        if (id == null) {
            return d.refers.size() == 1 ? d.refers.values().iterator().next() : null;
        }
        try {
            return d.refers.get(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
