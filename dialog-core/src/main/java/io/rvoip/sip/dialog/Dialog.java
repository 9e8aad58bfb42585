package io.rvoip.sip.dialog;

import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.SipHeaders;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import io.rvoip.infra.time.Timeout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One dialog (RFC 3261 §12): identity, route set, remote target, CSeq counters and state.
 *
 * <p>All mutation happens on the shard of the dialog's Call-ID (the {@link DialogLayer} does
 * it); the getters may be read from anywhere but only the shard sees a consistent snapshot.
 */
public final class Dialog {
    /** Which side of the dialog we are. */
    public enum Role {
        /** We sent the request that created it. */
        UAC,
        /** We received it. */
        UAS
    }

    private final DialogId id;
    private final Role role;
    private final Address localUri;
    private final Address remoteUri;
    private volatile List<Address> routeSet;
    private final boolean secure;
    private final Address localContact;
    private volatile DialogState state;
    private volatile Uri remoteTarget;
    private long localSeq;
    private long remoteSeq;
    private volatile String terminationReason;

    // INVITE bookkeeping (the dialog layer's, on the shard)
    long inviteSeq;
    SipRequest ack;              // UAC: the ACK sent for the 2xx, re-sent on retransmissions
    SipResponse okResponse;      // UAS: the 2xx being retransmitted until the ACK
    io.rvoip.sip.transaction.ServerTransaction okTransaction;
    Timeout okTimer;
    Timeout okGiveUp;
    long okInterval;
    boolean inviteServerPending; // a re-INVITE we received is not answered yet
    boolean updateClientPending; // an UPDATE we sent has no final response yet
    boolean updateServerPending; // an UPDATE we received is not answered yet
    long sessionInterval;        // RFC 4028: seconds, 0 without a session timer
    boolean weRefresh;
    Timeout refreshTimer;
    Timeout expiryTimer;
    boolean peerAllowsUpdate = true;
    long lastRseq = -1;          // UAC: RSeq of the last reliable provisional response PRACKed
    boolean offerAnswered;       // UAC: a reliable 1xx brought the offer (its PRACK is the application's)
    volatile EventUsage usage;   // RFC 6665: the subscription this dialog carries, or null
    java.util.Map<Long, ReferSubscription> refers; // implicit subscriptions of REFERs we accepted, by id
    Reliable reliable;           // UAS: reliable provisional responses of the initial INVITE
    boolean inviteClientPending; // a re-INVITE we sent has no final response yet

    /** A subscription usage (RFC 6665) of the dialog: notifier or subscriber side. */
    static final class EventUsage {
        final boolean notifier;
        final io.rvoip.sip.header.EventHeader event;
        EventPackage pkg;            // notifier: the package served
        Uri resource;                // notifier: the SUBSCRIBE's Request-URI
        String state = "active";     // active or pending (terminated ends the dialog)
        long expiresAtNanos;         // notifier: the subscription's end
        long version;                // notifier: NOTIFYs sent (RFC 4235 version)
        long requestedExpires = -1;  // subscriber: the Expires asked for on refresh, -1 for the default
        Timeout timer;               // notifier: expiry; subscriber: refresh
        Timeout timerN;              // subscriber: a refresh waiting for its NOTIFY (RFC 6665 §4.1.2.2)
        boolean terminating;         // notifier: the terminated NOTIFY is on its way
        OutgoingSubscription owner;  // subscriber: the SUBSCRIBE that created it

        EventUsage(boolean notifier, io.rvoip.sip.header.EventHeader event) {
            this.notifier = notifier;
            this.event = event;
        }

        void stop() {
            if (timer != null) {
                timer.cancel();
            }
            if (timerN != null) {
                timerN.cancel();
            }
        }
    }

    /** UAS state of RFC 3262: the unacknowledged reliable 1xx and what waits behind it. */
    static final class Reliable {
        io.rvoip.sip.transaction.ServerTransaction transaction;
        long nextRseq;
        SipResponse outstanding;
        long outstandingRseq;
        Timeout retransmit;
        Timeout giveUp;
        long interval;
        final java.util.ArrayDeque<SipResponse> queued = new java.util.ArrayDeque<>();
        boolean finalSent;

        void stop() {
            if (retransmit != null) {
                retransmit.cancel();
            }
            if (giveUp != null) {
                giveUp.cancel();
            }
        }
    }

    Dialog(DialogId id, Role role, Address localUri, Address remoteUri, Uri remoteTarget, List<Address> routeSet,
           long localSeq, long remoteSeq, boolean secure, Address localContact, DialogState state) {
        this.id = id;
        this.role = role;
        this.localUri = localUri;
        this.remoteUri = remoteUri;
        this.remoteTarget = remoteTarget;
        this.routeSet = sendable(routeSet);
        this.localSeq = localSeq;
        this.remoteSeq = remoteSeq;
        this.secure = secure;
        this.localContact = localContact;
        this.state = state;
    }

    /** The dialog id. */
    public DialogId id() {
        return id;
    }

    /** The Call-ID. */
    public String callId() {
        return id.callId();
    }

    /** UAC or UAS. */
    public Role role() {
        return role;
    }

    /** Current state. */
    public DialogState state() {
        return state;
    }

    /** Our URI (From of our requests), without tag. */
    public Address localUri() {
        return localUri;
    }

    /** The peer's URI (To of our requests), without tag. */
    public Address remoteUri() {
        return remoteUri;
    }

    /** Where requests in the dialog go: the peer's Contact. */
    public Uri remoteTarget() {
        return remoteTarget;
    }

    /** The route set, in the order our requests carry it. */
    public List<Address> routeSet() {
        return routeSet;
    }

    /** CSeq number of the last request we sent in the dialog. */
    public long localSeq() {
        return localSeq;
    }

    /** CSeq number of the last request the peer sent, -1 before any. */
    public long remoteSeq() {
        return remoteSeq;
    }

    /** True when the dialog was established over {@code sips}. */
    public boolean isSecure() {
        return secure;
    }

    /** Our Contact in this dialog. */
    public Address localContact() {
        return localContact;
    }

    /** Why the dialog ended, or null. */
    public String terminationReason() {
        return terminationReason;
    }

    void confirm() {
        if (state == DialogState.EARLY) {
            state = DialogState.CONFIRMED;
        }
    }

    void terminate(String reason) {
        if (state != DialogState.TERMINATED) {
            state = DialogState.TERMINATED;
            terminationReason = reason;
            if (okTimer != null) {
                okTimer.cancel();
            }
            if (okGiveUp != null) {
                okGiveUp.cancel();
            }
            if (reliable != null) {
                reliable.stop();
            }
            if (refreshTimer != null) {
                refreshTimer.cancel();
            }
            if (usage != null) {
                usage.stop();
            }
            if (refers != null) {
                refers.values().forEach(ReferSubscription::stop);
            }
            if (expiryTimer != null) {
                expiryTimer.cancel();
            }
        }
    }

    /** The session interval in force (RFC 4028), seconds; 0 without a session timer. */
    public long sessionInterval() {
        return sessionInterval;
    }

    /** True when we send the session refreshes. */
    public boolean isRefresher() {
        return weRefresh;
    }

    /**
     * The Event of the subscription this dialog carries (RFC 6665), or null for a dialog
     * without one (an INVITE dialog).
     */
    public io.rvoip.sip.header.EventHeader subscriptionEvent() {
        EventUsage u = usage;
        return u == null ? null : u.event;
    }

    /** True when we are the notifier of this dialog's subscription. */
    public boolean isNotifier() {
        EventUsage u = usage;
        return u != null && u.notifier;
    }

    /** The subscription's state ({@code active} or {@code pending}), or null without one. */
    public String subscriptionState() {
        EventUsage u = usage;
        return u == null ? null : u.state;
    }

    void routeSet(List<Address> routes) {
        this.routeSet = sendable(routes);
    }

    /**
     * A route set as the dialog's requests write it in Route: each hop
     * {@linkplain Address#sendable() sendable} (a Record-Route hop named with a NUL is still a hop).
     */
    private static List<Address> sendable(List<Address> routes) {
        List<Address> out = new ArrayList<>(routes.size());
        for (Address a : routes) {
            out.add(a.sendable());
        }
        return Collections.unmodifiableList(out);
    }

    void remoteTarget(Uri target) {
        this.remoteTarget = target;
    }

    /**
     * Checks and records the CSeq of a request from the peer (§12.2.2).
     *
     * @return false when it is lower than the last one (answer 500)
     */
    boolean acceptRemoteSeq(long seq) {
        if (remoteSeq >= 0 && seq < remoteSeq) {
            return false;
        }
        if (seq > remoteSeq) {
            remoteSeq = seq;
        }
        return true;
    }

    long nextLocalSeq() {
        return ++localSeq;
    }

    /**
     * A request in this dialog (RFC 3261 §12.2.1.1): Request-URI and Route from the remote
     * target and route set (loose or strict routing), To/From with tags, Call-ID, the next CSeq
     * (the INVITE's for ACK), our Contact for target-refresh methods, Max-Forwards 70 and a Via
     * whose sent-by the transport fills.
     */
    SipRequest.Builder newRequest(SipMethod method, long cseq) {
        Uri requestUri;
        List<Address> routes = new ArrayList<>();
        if (routeSet.isEmpty()) {
            requestUri = remoteTarget;
        } else {
            Uri first = routeSet.get(0).uri();
            if (first instanceof SipUri s && s.isLooseRouting()) {
                requestUri = remoteTarget;
                routes.addAll(routeSet);
            } else {
                // strict routing (RFC 2543 proxies): the first route becomes the Request-URI
                requestUri = first;
                routes.addAll(routeSet.subList(1, routeSet.size()));
                routes.add(Address.of(remoteTarget));
            }
        }
        SipRequest.Builder b = SipRequest.builder(method, requestUri)
                .via(Via.of("UDP", "0.0.0.0", 0, SipIds.newBranch()))
                .maxForwards(70)
                .to(id.remoteTag().isEmpty() ? remoteUri : remoteUri.withTag(id.remoteTag())) // "": an RFC 2543 peer
                .from(localUri.withTag(id.localTag()))
                .callId(id.callId())
                .cseq(cseq);
        if (!routes.isEmpty()) {
            b.setAll(SipHeaders.ROUTE, routes);
        }
        if (method.equals(SipMethod.INVITE) || method.equals(SipMethod.UPDATE) || method.equals(SipMethod.SUBSCRIBE)
                || method.equals(SipMethod.NOTIFY) || method.equals(SipMethod.REFER)) {
            b.contact(localContact);
        }
        return b;
    }

    /**
     * Where a request is physically sent (§8.1.2): the top Route when it routes loosely ({@code lr}),
     * else the Request-URI (which holds the strict router, or the remote target).
     */
    Uri nextHop(SipRequest request) {
        Address route = request.get(SipHeaders.ROUTE);
        return route != null && route.uri() instanceof SipUri s && s.isLooseRouting() ? route.uri() : request.requestUri();
    }

    @Override
    public String toString() {
        return "Dialog{" + id.callId() + ", local=" + id.localTag() + ", remote=" + id.remoteTag() + ", " + role + ", "
                + state + '}';
    }
}
