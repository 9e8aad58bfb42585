package io.rvoip.session;

import io.rvoip.infra.concurrent.ShardPool;
import io.rvoip.infra.event.Event;
import io.rvoip.infra.event.EventBus;
import io.rvoip.infra.time.Clock;
import io.rvoip.infra.time.TimerService;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.session.MediaClock;
import io.rvoip.media.session.MediaSession;
import io.rvoip.rtp.net.PortAllocator;
import io.rvoip.rtp.net.RtpSession;
import io.rvoip.rtp.net.RtpTransportGroup;
import io.rvoip.session.sdp.NegotiatedMedia;
import io.rvoip.session.sdp.OfferAnswer;
import io.rvoip.session.sdp.OfferRejectedException;
import io.rvoip.sip.dialog.DialogConfig;
import io.rvoip.sip.dialog.DialogEvent;
import io.rvoip.sip.dialog.DialogLayer;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.header.MediaType;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipIds;
import io.rvoip.sip.message.SipMethod;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.message.SipResponse;
import io.rvoip.sip.message.StatusCode;
import io.rvoip.sip.sdp.Direction;
import io.rvoip.sip.sdp.SessionDescription;
import io.rvoip.sip.transaction.MessageSender;
import io.rvoip.sip.transaction.TransactionLayer;
import io.rvoip.sip.transaction.TransactionTimers;
import io.rvoip.sip.transport.ListeningPoint;
import io.rvoip.sip.transport.SipTransport;
import io.rvoip.sip.transport.SipTransportConfig;
import io.rvoip.sip.transport.TransportType;
import io.rvoip.sip.uri.SipUri;
import io.rvoip.sip.uri.Uri;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point for calls with media: one SIP stack (transport, transactions, dialogs), an
 * RTP port range, the codecs, and the media clock. Incoming calls go to the {@link
 * CallHandler}; {@link #call} places one.
 *
 * <pre>{@code
 * SessionCoordinator phone = SessionCoordinator.builder()
 *         .listen(TransportType.UDP, new InetSocketAddress("0.0.0.0", 5060))
 *         .handler(call -> { call.audio(PcmSource.of(greeting, false), recorder); return Decision.accept(); })
 *         .build();
 * phone.start();
 * CallSession out = phone.call(Address.of(Uri.parse("sip:me@example.com")), Uri.parse("sip:bob@192.0.2.7"),
 *         source, sink);
 * }</pre>
 *
 * <p>Threads: SIP work runs on the shards (a call on the shard of its Call-ID), media on the
 * {@link MediaClock}. {@link #stop()} hangs up what is still up and releases everything.
 */
public final class SessionCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCoordinator.class);

    private final Builder cfg;
    private final ShardPool shards;
    private final TimerService timers;
    private final EventBus bus;
    private final SipTransport transport;
    private final TransactionLayer transactions;
    private final DialogLayer dialogs;
    private final RtpTransportGroup rtpGroup;
    /** The shared RTP ports every call uses, or null when each call binds a pair of its own. */
    private final io.rvoip.rtp.net.SharedRtpPorts sharedRtp;
    private final MediaClock mediaClock;
    /** Incoming INVITEs whose RTP sockets are being bound (they count against the call limit). */
    private final java.util.concurrent.atomic.AtomicInteger binding = new java.util.concurrent.atomic.AtomicInteger();
    private final boolean ownsMediaClock;
    private final Map<String, CallSession> calls = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong overloadRejected = new java.util.concurrent.atomic.AtomicLong();
    /** Seconds a caller refused for overload is asked to wait. */
    private static final int OVERLOAD_RETRY_AFTER_S = 5;
    private final java.util.List<io.rvoip.sip.dialog.registration.Registration> registrations =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ListeningPoint sip;
    private final Address contact;
    private final TransportType primary;   // the first listening point: our Contact by default
    private final java.util.Map<TransportType, ListeningPoint> points = new java.util.EnumMap<>(TransportType.class);
    private final java.util.Map<TransportType, Address> contacts = new java.util.EnumMap<>(TransportType.class);

    private SessionCoordinator(Builder b) {
        this.cfg = b;
        this.shards = ShardPool.builder().shards(b.shards).threadNamePrefix("rvoip-session-").build();
        TimerService.Builder tb = TimerService.builder(shards);
        this.timers = (b.clock == null ? tb : tb.clock(b.clock)).build();
        this.bus = EventBus.builder().shards(shards).build();
        SipTransportConfig.Builder tc = SipTransportConfig.builder(timers);
        b.listens().forEach(tc::listen);
        if (b.tls != null) {
            tc.tls(b.tls);
        }
        tc.parseDepth(b.parseDepth);
        this.transport = SipTransport.create(tc.build(), bus);
        this.transport.start();
        for (TransportType t : b.listens().keySet()) {
            ListeningPoint p = transport.listeningPoint(t);
            points.put(t, p);
            contacts.put(t, Address.of(Uri.parse("sip:" + b.user + "@" + hostForUri(p.advertisedHost()) + ":" + p.port()
                    + (t == TransportType.UDP ? "" : ";transport=" + t.name().toLowerCase(java.util.Locale.ROOT)))));
        }
        this.primary = b.listens().keySet().iterator().next();
        this.sip = points.get(primary);
        this.contact = contacts.get(primary);
        this.transactions = TransactionLayer.create(bus, shards, timers, MessageSender.of(transport), TransactionTimers.DEFAULT);
        this.transactions.start();
        DialogConfig.Builder dc = DialogConfig.builder(contact);
        if (b.sessionInterval != null) {
            dc.sessionTimers(b.sessionInterval, b.minSessionInterval);
        }
        if (b.reliableProvisional) {
            dc.supported("100rel");
        }
        if (b.credentials != null) {
            dc.credentials(b.credentials);
        }
        this.dialogs = DialogLayer.create(transactions, bus, shards, timers, dc.build());
        this.dialogs.start();
        this.rtpGroup = RtpTransportGroup.start(b.rtpThreads, new PortAllocator(b.rtpMin, b.rtpMax));
        this.sharedRtp = b.sharedRtpPorts == 0 ? null : openSharedRtp(b);
        this.ownsMediaClock = b.mediaClock == null;
        this.mediaClock = ownsMediaClock ? MediaClock.start(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))
                : b.mediaClock;
        bus.subscribe(DialogEvent.class).onShard().handle(this::onDialogEvent);
        bus.subscribe(io.rvoip.rtp.net.RtpEvent.MediaTimeout.class).onShard().handle(this::onMediaTimeout);
        bus.subscribe(io.rvoip.media.MediaEvent.QualityChanged.class).inline().handle(q -> {
            CallSession c = calls.get(q.sessionId());
            if (c != null) {
                c.quality(q);
            }
        });
    }

    /**
     * The listening point a request to {@code target} goes out on: the URI's {@code transport}
     * parameter (sips: TLS), else UDP; the first listening point when we have none of that kind.
     */
    private TransportType transportFor(Uri target) {
        TransportType wanted = TransportType.UDP;
        if (target instanceof SipUri u) {
            String t = u.param("transport");
            if (t != null) {
                try {
                    wanted = TransportType.valueOf(t.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    wanted = primary;
                }
            } else if (u.isSecure()) {
                wanted = TransportType.TLS;
            }
        }
        return points.containsKey(wanted) ? wanted : primary;
    }

    /** The transport a request arrived over, from its top Via; the first listening point if unknown. */
    private TransportType transportOf(SipRequest req) {
        try {
            TransportType t = TransportType.valueOf(req.via().transport().toUpperCase(java.util.Locale.ROOT));
            return points.containsKey(t) ? t : primary;
        } catch (RuntimeException e) {
            return primary;
        }
    }

    private Via viaFor(TransportType t) {
        ListeningPoint p = points.get(t);
        return Via.of(t.name(), p.advertisedHost(), p.port(), SipIds.newBranch());
    }

    /** Our Contact for a request that came over the transport of {@code req} (a dialog's remote target). */
    private Address contactFor(SipRequest req) {
        return contacts.get(transportOf(req));
    }

    /** The Contact of each listening point, by transport (the first one is {@link #contact()}). */
    public java.util.Map<TransportType, Address> contacts() {
        return java.util.Collections.unmodifiableMap(contacts);
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** A builder with defaults: UDP on 127.0.0.1, an ephemeral port, G.722/PCMU/PCMA with telephone-event. */
    public static Builder builder() {
        return new Builder();
    }

    /** The SIP address calls reach us at. */
    public Address contact() {
        return contact;
    }

    /** The event bus carrying {@link SessionEvent}s and media-core's {@code MediaEvent}s. */
    public EventBus events() {
        return bus;
    }

    /** The calls not yet ended. */
    public java.util.Collection<CallSession> calls() {
        return java.util.List.copyOf(calls.values());
    }

    /** Calls not yet ended. */
    public int callCount() {
        return calls.size();
    }

    /** INVITEs refused with 503 because {@link Builder#maxCalls(int)} calls were up. */
    public long overloadRejected() {
        return overloadRejected.get();
    }

    /**
     * Media frames the coordinator's media clock skipped because its thread fell more than five
     * frames behind ({@link MediaClock#overruns()}): a sign the machine cannot keep up with its
     * calls. Zero while it can.
     */
    public long mediaFramesSkipped() {
        return mediaClock.overruns();
    }

    /** Dialogs, transactions, RTP ports, calls and pending timers, in that order (for leak checks). */
    public int[] resourceCounts() {
        return new int[] {dialogs.dialogCount(), transactions.transactionCount(), rtpGroup.ports().inUse(), calls.size(),
                timers.activeCount()};
    }

    /**
     * Registers {@code aor} with {@code registrar} under our Contact (RFC 3261 §10), refreshing
     * it before it expires; challenges are answered with the builder's credentials. {@link
     * #stop()} unregisters. Progress comes as dialog-core's {@code RegistrationEvent}s on the bus.
     */
    public io.rvoip.sip.dialog.registration.Registration register(Address aor, Uri registrar) {
        io.rvoip.sip.dialog.registration.Registration r = io.rvoip.sip.dialog.registration.Registration.start(dialogs,
                timers, bus, io.rvoip.sip.dialog.registration.Registration.Account.of(aor, registrar, contact));
        registrations.add(r);
        return r;
    }

    /** Starts (the stack is already listening after {@code build}; this is for symmetry with {@link #stop()}). */
    public SessionCoordinator start() {
        return this;
    }

    /**
     * Places a call.
     *
     * @param from   our address (a tag is added)
     * @param target the Request-URI
     * @param source what the call plays (null: silence)
     * @param sink   where what it hears goes (null: nowhere)
     */
    public CallSession call(Address from, Uri target, io.rvoip.media.io.AudioSource source, io.rvoip.media.io.AudioSink sink) {
        return call(from, target, source, sink, null);
    }

    private CallSession call(Address from, Uri target, io.rvoip.media.io.AudioSource source, io.rvoip.media.io.AudioSink sink,
                             String replaces) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(target, "target");
        String callId = SipIds.newCallId();
        CallSession.Forwarder fwd = new CallSession.Forwarder();
        return call(from, target, source, sink, replaces, callId, fwd, openRtp(callId, fwd));
    }

    /** Places a call whose RTP session is already open. */
    private CallSession call(Address from, Uri target, io.rvoip.media.io.AudioSource source, io.rvoip.media.io.AudioSink sink,
                             String replaces, String callId, CallSession.Forwarder fwd, RtpSession rtp) {
        OfferAnswer oa = new OfferAnswer(cfg.codecs, cfg.mediaAddress, cfg.codecOrder, cfg.srtp, cfg.rtcpMux);
        Address to = Address.of(target);
        CallSession call = new CallSession(this, callId, CallSession.Direction.OUTGOING, from, to, oa, rtp, fwd,
                CallState.INITIATING);
        call.audio(source, sink);
        calls.put(callId, call);
        SessionDescription offer = oa.offer(rtp.localRtpPort(), Direction.SENDRECV, cfg.ptime);
        TransportType via = transportFor(target);
        SipRequest.Builder ib = SipRequest.builder(SipMethod.INVITE, target)
                .via(viaFor(via))
                .contact(contacts.get(via))
                .maxForwards(70)
                .from(from.withTag(SipIds.newTag()))
                .to(to)
                .callId(callId)
                .cseq(1)
                .body(MediaType.APPLICATION_SDP, offer.toBytes());
        if (replaces != null) {
            ib.set("Replaces", replaces);
        }
        SipRequest invite = ib.build();
        shards.execute(callId, () -> {
            call.outgoing = dialogs.invite(invite);
            call.outgoing.finalResponse().whenComplete((r, e) -> shards.execute(callId, () -> onFinalResponse(call, r, e)));
        });
        return call;
    }

    private void onFinalResponse(CallSession call, SipResponse r, Throwable e) {
        if (call.state() == CallState.TERMINATED) {
            return;
        }
        if (e != null || r == null) {
            if (call.state() == CallState.TERMINATING) { // we hung up; the peer never sent the INVITE's 487 (RFC 3261 §9.1)
                call.end(new EndReason(EndReason.Cause.CANCELLED, 487, "cancelled; no final response came"));
                return;
            }
            call.end(new EndReason(EndReason.Cause.TIMEOUT, 408, e == null ? "no response" : String.valueOf(e.getMessage())));
            return;
        }
        int status = r.statusCode();
        if (status >= 300 && status < 400 && call.state() != CallState.TERMINATING && call.redirects < MAX_REDIRECTS
                && followRedirect(call, r)) {
            return;
        }
        if (status >= 300) {
            EndReason.Cause cause = status == 487 ? EndReason.Cause.CANCELLED
                    : status == 488 ? EndReason.Cause.NOT_ACCEPTABLE
                    : status == 408 ? EndReason.Cause.TIMEOUT : EndReason.Cause.REJECTED;
            call.end(new EndReason(cause, status, r.reasonPhrase()));
            return;
        }
        call.outgoing.dialog().whenComplete((d, failed) -> shards.execute(call.id(), () -> {
            if (failed != null) { // a 2xx no dialog could be made of: dialog-core ACKed it and sent BYE
                if (call.state() != CallState.TERMINATED) {
                    call.end(new EndReason(EndReason.Cause.ERROR, r.statusCode(), String.valueOf(failed.getMessage())));
                }
                return;
            }
            call.dialog = d;
            try {
                byte[] body = r.body();
                if ((body == null || body.length == 0) && call.mediaSession() == null) {
                    throw new OfferRejectedException("the 2xx carries no SDP answer");
                }
                if (call.mediaSession() == null) {
                    startMedia(call, call.offerAnswer.accept(SessionDescription.parse(body), Direction.SENDRECV));
                } else if (body != null && body.length > 0) {
                    // early media ran on a provisional response's answer; the 2xx's is the one
                    // that holds (another fork's, or the answering phone's after a media server's
                    // ringback): media follows what it changes, and an unchanged one changes nothing
                    follow(call, call.offerAnswer.accept(SessionDescription.parse(body), Direction.SENDRECV), false);
                }
                call.answeredNow();
                if (call.state() == CallState.TERMINATING) {
                    sendBye(call); // hung up while the answer was on its way
                }
            } catch (OfferRejectedException | RuntimeException ex) {
                LOG.info("call {}: unusable answer: {}", call.id(), ex.getMessage());
                sendBye(call);
                call.end(new EndReason(EndReason.Cause.NOT_ACCEPTABLE, 488, ex.getMessage()));
            }
        }));
    }

    /** How many 3xx responses a call follows before it fails with the last one. */
    private static final int MAX_REDIRECTS = 3;

    /**
     * A 3xx to our INVITE: the same request, with the next CSeq and a new branch, to the first
     * SIP contact (RFC 3261 §8.1.3.4); the Call-ID and our tag stay, so the call keeps its id.
     */
    private boolean followRedirect(CallSession call, SipResponse r) {
        java.util.List<Address> contacts;
        try {
            contacts = r.getAll(io.rvoip.sip.header.SipHeaders.CONTACT);
        } catch (RuntimeException malformed) {
            return false;
        }
        Uri next = null;
        for (Address a : contacts) {
            if (a.uri() instanceof SipUri) {
                next = a.uri();
                break;
            }
        }
        if (next == null) {
            return false;
        }
        call.redirects++;
        SipRequest previous = call.outgoing.request();
        SipRequest invite = previous.toBuilder().requestUri(next).remove(io.rvoip.sip.header.HeaderName.VIA)
                .via(viaFor(transportFor(next))).remove(io.rvoip.sip.header.HeaderName.CONTACT)
                .contact(this.contacts.get(transportFor(next)))
                .cseq(previous.cseq().seq() + 1).build();
        LOG.debug("call {}: redirected to {}", call.id(), next);
        call.outgoing = dialogs.invite(invite);
        call.outgoing.finalResponse().whenComplete((resp, e) -> shards.execute(call.id(), () -> onFinalResponse(call, resp, e)));
        return true;
    }

    private RtpSession openRtp(String callId, CallSession.Forwarder listener) {
        return rtpBuilder(callId, listener, null).open();
    }

    /**
     * Continues on {@code key}'s shard once an RTP session is bound; if the coordinator is
     * closing and the shards take no more work, closes the session instead and returns false.
     */
    private boolean onShardOrClose(String key, RtpSession rtp, Runnable then) {
        try {
            shards.execute(key, then);
            return true;
        } catch (RuntimeException stopped) {
            if (rtp != null) {
                rtp.closeAsync();
            }
            return false;
        }
    }

    /**
     * Binds the shared RTP ports, the last step of construction that can fail for a reason
     * outside the program (the range too small, its ports taken): on failure everything started
     * so far is stopped, so no socket or thread is left behind, and the error goes to the caller.
     */
    private io.rvoip.rtp.net.SharedRtpPorts openSharedRtp(Builder b) {
        try {
            return io.rvoip.rtp.net.SharedRtpPorts.open(rtpGroup, b.mediaAddress, b.sharedRtpPorts);
        } catch (RuntimeException e) {
            rtpGroup.close();
            dialogs.stop();
            transactions.stop();
            transport.stop();
            timers.stop();
            bus.close();
            shards.shutdownNow();
            throw e;
        }
    }

    /** Opens a call's RTP session without waiting for the bind (for shards). */
    private java.util.concurrent.CompletableFuture<RtpSession> openRtpAsync(String callId, CallSession.Forwarder listener,
                                                                            java.net.InetSocketAddress peerRtp) {
        try {
            return rtpBuilder(callId, listener, peerRtp).openAsync();
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private RtpSession.Builder rtpBuilder(String callId, CallSession.Forwarder listener, java.net.InetSocketAddress peerRtp) {
        RtpSession.Builder b = RtpSession.builder(rtpGroup, timers).id(callId).localAddress(cfg.mediaAddress).clockRate(8000)
                .mediaTimeout(cfg.mediaTimeout.isZero() ? cfg.holdTimeout : cfg.mediaTimeout).listener(listener).events(bus);
        return sharedRtp == null ? b.latching(cfg.rtpLatching) : b.shared(sharedRtp, peerRtp).latching(false);
    }

    /** Where an INVITE's offer says the peer's RTP comes from: chooses a shared port; null otherwise. */
    private java.net.InetSocketAddress offeredRtp(SipRequest req) {
        byte[] body = req.body();
        if (sharedRtp == null || body == null || body.length == 0) {
            return null;
        }
        try {
            return OfferAnswer.offeredRtp(SessionDescription.parse(body));
        } catch (RuntimeException unparsable) {
            return null; // the negotiation will answer 488
        }
    }

    /** The shared RTP ports' counters, or null when calls have ports of their own ({@link Builder#sharedRtpPorts}). */
    public io.rvoip.rtp.net.SharedRtpPorts sharedRtpPorts() {
        return sharedRtp;
    }

    private void startMedia(CallSession call, NegotiatedMedia media) {
        CallAudio port = audioPort(call, media);
        call.startMedia(media, mediaSession(call, media, port), port, mediaClock);
    }

    /**
     * Applies a negotiation to the running media (the 2xx's answer after early media, a
     * renegotiation's): when its codec runs at another RTP clock rate than the stream (a media
     * server's PCMU ringback, then the phone's Opus; a re-offer with Opus only), the media restarts
     * on a new RTP stream, as one SSRC is one timing space (RFC 3550 §5.2).
     */
    private void follow(CallSession call, NegotiatedMedia media, boolean weHold) {
        MediaSession running = call.mediaSession();
        // (every codec of a stream has its clock rate, so the send codec tells it on any thread)
        if (running != null && media.codec().clockRate() != running.codec().clockRate()) {
            CallAudio port = audioPort(call, media);
            call.restartMedia(media, mediaSession(call, media, port), port, weHold);
        } else {
            call.apply(media, weHold);
        }
    }

    private CallAudio audioPort(CallSession call, NegotiatedMedia media) {
        CallAudio port = new CallAudio(media.codec().sampleRate(), media.ptime());
        if (cfg.dtmf == DtmfMode.INBAND) {
            String id = call.id();
            port.detectDigits(d -> publish(new io.rvoip.media.MediaEvent.DtmfReceived(id, d.digit(), d.samples() / 8)));
        }
        return port;
    }

    private MediaSession mediaSession(CallSession call, NegotiatedMedia media, CallAudio port) {
        MediaSession.Builder mb = MediaSession.builder(media.codec(), media.payloadType()).ptime(media.ptime())
                .events(bus, call.id(), cfg.qualityInterval);
        media.receive().forEach((pt, c) -> {
            if (pt != media.payloadType()) {
                mb.receive(pt, c);
            }
        });
        if (media.telephoneEvent() >= 0) {
            mb.telephoneEvents(media.telephoneEvent());
        }
        if (media.comfortNoise() >= 0) {
            mb.comfortNoise(media.comfortNoise());
        }
        if (cfg.voiceProcessing != null) {
            mb.voiceProcessing(cfg.voiceProcessing);
        }
        return mb.source(port).sink(port).build();
    }

    // ------------------------------------------------------------------ incoming

    private void onDialogEvent(DialogEvent e) {
        try {
            if (e instanceof DialogEvent.RequestReceived r) {
                onRequest(r);
            } else if (e instanceof DialogEvent.Terminated t) {
                onTerminated(t);
            } else if (e instanceof DialogEvent.Early early) {
                adoptDialog(early.dialog());
                onEarly(early);
            } else if (e instanceof DialogEvent.Confirmed confirmed) {
                adoptDialog(confirmed.dialog());
            } else if (e instanceof DialogEvent.AckReceived ack) {
                adoptDialog(ack.dialog());
                onAck(ack);
            } else if (e instanceof DialogEvent.SessionRefreshDue due) {
                CallSession call = calls.get(due.dialog().callId());
                if (call != null) {
                    // the peer does not take UPDATE: refresh with a re-INVITE carrying our SDP
                    renegotiate(call, call.state() == CallState.ON_HOLD ? Direction.SENDONLY : Direction.SENDRECV);
                }
            } else if (e instanceof DialogEvent.ReferReceived r) {
                onReferReceived(r);
            } else if (e instanceof DialogEvent.ReferProgress p) {
                onReferProgress(p);
            }
        } catch (RuntimeException ex) {
            LOG.warn("session event failed: {}", e, ex);
        }
    }

    /** A provisional response to our INVITE: ringing, or early media when it carries the SDP answer. */
    private void onEarly(DialogEvent.Early e) {
        CallSession call = calls.get(e.dialog().callId());
        if (call == null || call.direction() != CallSession.Direction.OUTGOING || call.state() == CallState.TERMINATED) {
            return;
        }
        byte[] body = e.response().body();
        if (body != null && body.length > 0 && call.mediaSession() == null) {
            try {
                startMedia(call, call.offerAnswer.accept(SessionDescription.parse(body), Direction.SENDRECV));
                call.state(CallState.EARLY_MEDIA);
            } catch (OfferRejectedException | RuntimeException ex) {
                LOG.info("call {}: unusable early answer: {}", call.id(), ex.getMessage());
            }
        } else if (call.state() == CallState.INITIATING) {
            call.state(CallState.RINGING);
        }
    }

    /** An incoming call learns its dialog from the events of the responses we sent. */
    private void adoptDialog(io.rvoip.sip.dialog.Dialog d) {
        CallSession call = calls.get(d.callId());
        if (call != null && call.direction() == CallSession.Direction.INCOMING && call.dialog == null) {
            call.dialog = d;
        }
    }

    private void onRequest(DialogEvent.RequestReceived r) {
        SipRequest req = r.request();
        if (req.method().equals(SipMethod.INVITE) && r.dialog() == null) {
            onInvite(r);
        } else if (req.method().equals(SipMethod.INVITE)) {
            onReInvite(r);
        } else if (req.method().equals(SipMethod.UPDATE) && r.dialog() != null) {
            if (req.body() == null || req.body().length == 0) {
                dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.OK).build()); // a session refresh
            } else {
                onReInvite(r); // an offer in an UPDATE is answered like one in a re-INVITE
            }
        } else if (req.method().equals(SipMethod.INFO) && r.dialog() != null) {
            onInfo(r);
        } else if (r.dialog() == null && req.method().equals(SipMethod.OPTIONS)) {
            // a keep-alive or capability query (RFC 3261 §11): what we take
            dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.OK)
                    .set("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REFER, NOTIFY, PRACK")
                    .set("Accept", "application/sdp").build());
        } else if (req.method().equals(SipMethod.MESSAGE)) {
            onMessage(r);
        } else if (r.dialog() == null && req.method().equals(SipMethod.REGISTER)) {
            // not a registrar: say so rather than let the request time out
            dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.valueOf(405))
                    .set("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REFER, NOTIFY, PRACK").build());
        } else if (req.method().equals(SipMethod.CANCEL)) {
            CallSession call = calls.get(req.callId());
            if (call != null && call.dialog == null) {
                call.end(new EndReason(EndReason.Cause.CANCELLED, 487, "cancelled by the caller"));
            }
        } else if (!req.method().equals(SipMethod.ACK)) {
            // everything else still gets an answer: a server transaction left in Trying would
            // never end (a non-INVITE server transaction has no timer until the TU responds)
            dialogs.respond(r.transaction(), unhandled(req, r.dialog() != null));
        }
    }

    /**
     * A new INVITE whose Call-ID belongs to a call already here (another dialog: other tags).
     * Calls are keyed by Call-ID, which RFC 3261 §8.1.1.4 asks UAs to make unique; taking it
     * would orphan the first call's media.
     */
    private static SipResponse callIdInUse(SipRequest req) {
        return SipResponse.forRequest(req, StatusCode.BAD_REQUEST).reasonPhrase("Call-ID in use by another call").build();
    }

    private static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REFER, NOTIFY, PRACK, MESSAGE";

    /**
     * The answer to a request no part of the session layer takes: 481 for a mid-dialog method
     * outside any dialog (UPDATE, INFO, PRACK; RFC 3311 §5.2, RFC 6086 §4.2.2) and for a NOTIFY
     * that matches no subscription (RFC 6665 §4.1.3); 200 to an in-dialog OPTIONS (§11.2); 405
     * with Allow otherwise (an out-of-dialog REFER, SUBSCRIBE or PUBLISH, §8.2.1).
     */
    private static SipResponse unhandled(SipRequest req, boolean inDialog) {
        SipMethod m = req.method();
        if (m.equals(SipMethod.NOTIFY) || !inDialog && (m.equals(SipMethod.UPDATE) || m.equals(SipMethod.INFO)
                || m.equals(SipMethod.PRACK) || m.equals(SipMethod.BYE))) {
            return SipResponse.forRequest(req, StatusCode.CALL_DOES_NOT_EXIST).build();
        }
        if (inDialog && m.equals(SipMethod.OPTIONS)) {
            return SipResponse.forRequest(req, StatusCode.OK).set("Allow", ALLOW).set("Accept", "application/sdp").build();
        }
        return SipResponse.forRequest(req, StatusCode.valueOf(405)).set("Allow", ALLOW).build();
    }

    private void onInvite(DialogEvent.RequestReceived r) {
        SipRequest req = r.request();
        if (calls.size() + binding.get() >= cfg.maxCalls) {
            overloadRejected.incrementAndGet();
            dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.valueOf(503))
                    .set("Retry-After", String.valueOf(OVERLOAD_RETRY_AFTER_S)).build());
            return;
        }
        String callId = req.callId();
        if (calls.containsKey(callId)) {
            dialogs.respond(r.transaction(), callIdInUse(req));
            return;
        }
        CallSession.Forwarder fwd = new CallSession.Forwarder();
        // the RTP sockets are bound on the RTP event loop; this shard goes on with other calls
        // meanwhile, and the INVITE continues here once the port is known
        binding.incrementAndGet();
        openRtpAsync(callId, fwd, offeredRtp(req)).whenComplete((rtp, ex) -> {
            if (!onShardOrClose(callId, rtp, () -> {
                binding.decrementAndGet();
                onInviteWithRtp(r, fwd, rtp, ex);
            })) {
                binding.decrementAndGet();
            }
        });
    }

    private void onInviteWithRtp(DialogEvent.RequestReceived r, CallSession.Forwarder fwd, RtpSession rtp, Throwable bindFailure) {
        SipRequest req = r.request();
        String callId = req.callId();
        if (bindFailure != null) {
            LOG.warn("call {}: no RTP port: {}", callId, bindFailure.toString());
            dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.valueOf(503)).build());
            return;
        }
        if (r.transaction().state() != io.rvoip.sip.transaction.TransactionState.PROCEEDING) {
            rtp.closeAsync(); // cancelled (the transaction layer answered 487) while the port was bound
            return;
        }
        if (calls.containsKey(callId)) { // another INVITE with this Call-ID got here while the port was bound
            rtp.closeAsync();
            dialogs.respond(r.transaction(), callIdInUse(req));
            return;
        }
        byte[] body = req.body();
        boolean offerless = body == null || body.length == 0; // RFC 3264 §4: our offer in the 2xx, the answer in the ACK
        OfferAnswer oa = new OfferAnswer(cfg.codecs, cfg.mediaAddress, cfg.codecOrder, cfg.srtp, cfg.rtcpMux);
        OfferAnswer.Answer answer = null;
        SessionDescription offer = null;
        try {
            if (offerless) {
                offer = oa.offer(rtp.localRtpPort(), Direction.SENDRECV, cfg.ptime);
            } else {
                answer = oa.answer(SessionDescription.parse(body), rtp.localRtpPort(), Direction.SENDRECV, cfg.ptime);
            }
        } catch (OfferRejectedException | RuntimeException ex) {
            rtp.closeAsync();
            dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.valueOf(488)).build());
            return;
        }
        CallSession call = new CallSession(this, callId, CallSession.Direction.INCOMING, req.from(), req.to(), oa, rtp, fwd,
                CallState.RINGING);
        call.pendingInvite = r.transaction();
        call.inviteRequest = req;
        call.localTag = SipIds.newTag();
        io.rvoip.sip.dialog.Dialog replacedDialog = dialogs.replacedDialog(req);
        CallSession replaced = replacedDialog == null ? null : calls.get(replacedDialog.callId());
        call.pendingAnswer = answer;
        call.pendingOffer = offer;
        if (answer != null) {
            call.settled(answer.media()); // the handler can see the codec it is about to answer with
        }
        calls.put(callId, call);
        dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.RINGING, call.localTag).contact(contactFor(req)).build());
        publish(new SessionEvent.IncomingCall(callId, call));
        if (replaced != null && answer != null) {
            // RFC 3891: the new call takes the replaced one's place (and its audio); answering it
            // makes dialog-core end the replaced dialog
            replaced.replaced = true;
            call.audio(replaced.source(), replaced.sink());
            answerOnShard(call);
            return;
        }
        CallHandler.Decision d;
        try {
            d = cfg.handler.onIncomingCall(call);
        } catch (RuntimeException ex) {
            LOG.warn("call handler failed for {}", callId, ex);
            d = CallHandler.Decision.reject(500);
        }
        if (d.status() == 200) {
            answerOnShard(call);
        } else if (d.status() == 183) {
            earlyMediaOnShard(call);
        } else if (!d.contacts().isEmpty()) {
            SipResponse.Builder redirect = SipResponse.forRequest(req, StatusCode.valueOf(d.status()), call.localTag);
            for (Uri u : d.contacts()) {
                redirect.add("Contact", "<" + u + ">");
            }
            dialogs.respond(r.transaction(), redirect.build());
            call.pendingInvite = null;
            call.end(new EndReason(EndReason.Cause.REJECTED, d.status(), "redirected"));
        } else if (d.status() >= 300) {
            rejectOnShard(call, d.status());
        }
    }

    void answer(CallSession call) {
        shards.execute(call.id(), () -> answerOnShard(call));
    }

    private void answerOnShard(CallSession call) {
        if (call.pendingInvite == null || (call.state() != CallState.RINGING && call.state() != CallState.EARLY_MEDIA)) {
            return;
        }
        OfferAnswer.Answer a = call.pendingAnswer;
        if (a == null) {
            // offerless INVITE: our offer goes in the 2xx; the media starts with the answer in the ACK
            dialogs.respond(call.pendingInvite, SipResponse.forRequest(call.inviteRequest, StatusCode.OK, call.localTag).contact(contactFor(call.inviteRequest))
                    .body(MediaType.APPLICATION_SDP, call.pendingOffer.toBytes()).build());
            call.pendingInvite = null;
            return;
        }
        dialogs.respond(call.pendingInvite, SipResponse.forRequest(call.inviteRequest, StatusCode.OK, call.localTag).contact(contactFor(call.inviteRequest))
                .body(MediaType.APPLICATION_SDP, a.sdp().toBytes()).build());
        call.pendingInvite = null;
        if (call.mediaSession() == null) {
            startMedia(call, a.media());
        }
        call.answeredNow();
    }

    /** The ACK of an offerless INVITE's (or re-INVITE's) 2xx carries the answer to our offer. */
    private void onAck(DialogEvent.AckReceived e) {
        CallSession call = calls.get(e.dialog().callId());
        if (call != null && call.pendingReOffer != null) {
            onReOfferAnswer(call, e);
            return;
        }
        if (call == null || call.pendingOffer == null || call.mediaSession() != null) {
            return;
        }
        call.pendingOffer = null;
        byte[] body = e.ack().body();
        try {
            if (body == null || body.length == 0) {
                throw new OfferRejectedException("the ACK carries no SDP answer");
            }
            startMedia(call, call.offerAnswer.accept(SessionDescription.parse(body), Direction.SENDRECV));
            call.answeredNow();
        } catch (OfferRejectedException | RuntimeException ex) {
            LOG.info("call {}: unusable answer in the ACK: {}", call.id(), ex.getMessage());
            call.state(CallState.TERMINATING);
            call.byeSent = true;
            dialogs.bye(e.dialog());
            call.end(new EndReason(EndReason.Cause.NOT_ACCEPTABLE, 488, ex.getMessage()));
        }
    }

    /**
     * The answer to the offer in our 2xx to an offerless re-INVITE. A missing or unusable one
     * leaves no agreed session (RFC 3264 §5 makes the answer mandatory): the call ends with BYE,
     * as for an offerless INVITE's ACK.
     */
    private void onReOfferAnswer(CallSession call, DialogEvent.AckReceived e) {
        Direction offered = call.pendingReOffer;
        call.pendingReOffer = null;
        byte[] body = e.ack().body();
        try {
            if (body == null || body.length == 0) {
                throw new OfferRejectedException("the ACK carries no SDP answer");
            }
            follow(call, call.offerAnswer.accept(SessionDescription.parse(body), offered), offered != Direction.SENDRECV);
        } catch (OfferRejectedException | RuntimeException ex) {
            LOG.info("call {}: unusable answer in the re-INVITE's ACK: {}", call.id(), ex.getMessage());
            call.state(CallState.TERMINATING);
            if (!call.byeSent) {
                call.byeSent = true;
                dialogs.bye(e.dialog());
            }
            call.end(new EndReason(EndReason.Cause.NOT_ACCEPTABLE, 488, ex.getMessage()));
        }
    }

    void earlyMedia(CallSession call) {
        shards.execute(call.id(), () -> earlyMediaOnShard(call));
    }

    private void earlyMediaOnShard(CallSession call) {
        if (call.pendingInvite == null || call.state() != CallState.RINGING || call.pendingAnswer == null) {
            return;
        }
        OfferAnswer.Answer a = call.pendingAnswer;
        dialogs.respond(call.pendingInvite, SipResponse.forRequest(call.inviteRequest, StatusCode.SESSION_PROGRESS,
                call.localTag).contact(contactFor(call.inviteRequest)).body(MediaType.APPLICATION_SDP, a.sdp().toBytes()).build());
        startMedia(call, a.media());
        call.state(CallState.EARLY_MEDIA);
    }

    void reject(CallSession call, int status) {
        shards.execute(call.id(), () -> rejectOnShard(call, status));
    }

    private void rejectOnShard(CallSession call, int status) {
        if (call.pendingInvite == null || (call.state() != CallState.RINGING && call.state() != CallState.EARLY_MEDIA)) {
            return;
        }
        dialogs.respond(call.pendingInvite, SipResponse.forRequest(call.inviteRequest, StatusCode.valueOf(status), call.localTag)
                .build());
        call.pendingInvite = null;
        call.end(new EndReason(EndReason.Cause.REJECTED, status, "rejected by us"));
    }

    private void onReInvite(DialogEvent.RequestReceived r) {
        CallSession call = calls.get(r.request().callId());
        byte[] body = r.request().body();
        if (call == null || call.media() == null) {
            dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.valueOf(488)).build());
            return;
        }
        if (body == null || body.length == 0) {
            // RFC 3261 §14.2: no offer in the re-INVITE: ours goes in the 2xx (the same media, our
            // key, the hold we keep), and the answer comes in the ACK (onAck)
            Direction ours = call.state() == CallState.ON_HOLD ? Direction.SENDONLY : Direction.SENDRECV;
            SessionDescription offer;
            try {
                offer = call.offerAnswer.offer(call.rtp.localRtpPort(), ours, cfg.ptime);
            } catch (RuntimeException ex) {
                dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.valueOf(500)).build());
                return;
            }
            call.pendingReOffer = ours;
            dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.OK)
                    .body(MediaType.APPLICATION_SDP, offer.toBytes()).build());
            return;
        }
        try {
            boolean weHold = call.state() == CallState.ON_HOLD;
            OfferAnswer.Answer a = call.offerAnswer.answer(SessionDescription.parse(body), call.rtp.localRtpPort(),
                    weHold ? Direction.SENDONLY : Direction.SENDRECV, cfg.ptime);
            dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.OK)
                    .body(MediaType.APPLICATION_SDP, a.sdp().toBytes()).build());
            follow(call, a.media(), weHold);
        } catch (OfferRejectedException | RuntimeException ex) {
            dialogs.respond(r.transaction(), SipResponse.forRequest(r.request(), StatusCode.valueOf(488)).build());
        }
    }

    private void onTerminated(DialogEvent.Terminated t) {
        CallSession call = calls.get(t.dialog().callId());
        if (call == null || (call.dialog != null && call.dialog != t.dialog() && call.dialog.state() != null
                && !call.dialog.id().equals(t.dialog().id()))) {
            return;
        }
        String why = t.reason() == null ? "" : t.reason();
        EndReason.Cause cause = call.replaced ? EndReason.Cause.REPLACED
                : call.transferred ? EndReason.Cause.TRANSFERRED
                : call.byeSent ? EndReason.Cause.LOCAL_BYE
                : why.toLowerCase(java.util.Locale.ROOT).contains("bye") ? EndReason.Cause.REMOTE_BYE
                : why.toLowerCase(java.util.Locale.ROOT).contains("cancel") ? EndReason.Cause.CANCELLED
                : why.toLowerCase(java.util.Locale.ROOT).contains("expire") || why.contains("ACK")
                ? EndReason.Cause.TIMEOUT : EndReason.Cause.ERROR;
        if (call.dialog == null && call.direction() == CallSession.Direction.OUTGOING) {
            return; // an early dialog of a fork ended; the final response decides
        }
        call.end(new EndReason(cause, 0, why));
    }

    /**
     * Nothing received for the media timeout (reported again each further period of silence).
     * A call with media both ways is dead: ended with BYE. A held call, by either side (media
     * anything but sendrecv: RFC 3264 §8.4's holder offers sendonly and sends nothing), is
     * ended only when the silence reaches the hold timeout, if one is set.
     */
    private void onMediaTimeout(io.rvoip.rtp.net.RtpEvent.MediaTimeout t) {
        CallSession call = calls.get(t.sessionId());
        if (call == null || call.media() == null || call.state() != CallState.ACTIVE && call.state() != CallState.ON_HOLD) {
            return; // not answered yet, or already ending
        }
        boolean held = call.state() == CallState.ON_HOLD || call.media().direction() != Direction.SENDRECV;
        if (held && (cfg.holdTimeout.isZero() || t.silentMillis() < cfg.holdTimeout.toMillis())) {
            return; // on hold: the peer is not meant to send, and RTCP may be silent too
        }
        if (!held && cfg.mediaTimeout.isZero()) {
            return; // only the hold timeout is on: the RTP session reports at its period
        }
        String what = (held ? "nothing on hold for " : "no RTP for ") + t.silentMillis() + " ms";
        LOG.info("call {}: {}, hanging up", call.id(), what);
        call.state(CallState.TERMINATING);
        if (call.dialog != null && !call.byeSent) {
            call.byeSent = true;
            dialogs.bye(call.dialog);
        }
        call.end(new EndReason(EndReason.Cause.MEDIA_TIMEOUT, 0, what));
    }

    // ------------------------------------------------------------------ instant messages

    /** The longest message text taken (a MESSAGE body is limited by the transport anyway). */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private void onMessage(DialogEvent.RequestReceived r) {
        SipRequest req = r.request();
        byte[] body = req.body() == null ? new byte[0] : req.body();
        MediaType type = req.contentType();
        String sub = type == null ? "text/plain" : type.type().toLowerCase(java.util.Locale.ROOT) + "/"
                + type.subtype().toLowerCase(java.util.Locale.ROOT);
        if (!sub.startsWith("text/") || body.length > MAX_MESSAGE_BYTES) {
            dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.valueOf(415))
                    .set("Accept", "text/plain").build());
            return;
        }
        dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.OK).build());
        publish(new SessionEvent.MessageReceived(req.callId(), req.from(), req.to(), sub,
                new String(body, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Sends an instant message (RFC 3428 MESSAGE, {@code text/plain}) outside any call.
     *
     * @return the final status (200 or 202 when delivered)
     */
    public CompletableFuture<Integer> sendMessage(Address from, Uri to, String text) {
        SipRequest message = SipRequest.builder(SipMethod.MESSAGE, to)
                .via(viaFor(transportFor(to)))
                .maxForwards(70)
                .from(from.withTag(SipIds.newTag()))
                .to(Address.of(to))
                .callId(SipIds.newCallId())
                .cseq(1)
                .body(MediaType.TEXT_PLAIN, text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .build();
        return dialogs.request(message).thenApply(SipResponse::statusCode);
    }

    // ------------------------------------------------------------------ DTMF

    void sendDigit(CallSession call, char digit) {
        DtmfMode mode = cfg.dtmf;
        if (mode == DtmfMode.RFC4733 && call.media().telephoneEvent() < 0) {
            mode = DtmfMode.INFO; // the peer negotiated no telephone-event
        }
        switch (mode) {
            case RFC4733 -> call.mediaSession().sendDigit(digit, 100);
            case INBAND -> call.port().inbandDigit(digit);
            case INFO -> shards.execute(call.id(), () -> {
                if (call.dialog != null && !ended(call.dialog)) { // (a BYE may have ended it just now)
                    String body = "Signal=" + digit + "\r\nDuration=100\r\n";
                    SipRequest info = dialogs.createRequest(call.dialog, SipMethod.INFO)
                            .body(MediaType.APPLICATION_DTMF_RELAY, body.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .build();
                    dialogs.send(call.dialog, info);
                }
            });
            default -> throw new IllegalStateException(String.valueOf(mode));
        }
    }

    /** A legacy INFO: {@code application/dtmf-relay} ({@code Signal=5}) or {@code application/dtmf} ({@code 5}) is a digit. */
    private void onInfo(DialogEvent.RequestReceived r) {
        SipRequest req = r.request();
        MediaType type = req.contentType();
        byte[] body = req.body();
        if (body == null || body.length == 0) {
            dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.OK).build());
            return;
        }
        String sub = type == null ? "" : type.type().toLowerCase(java.util.Locale.ROOT) + "/"
                + type.subtype().toLowerCase(java.util.Locale.ROOT);
        char digit = 0;
        long duration = 100;
        String text = new String(body, 0, Math.min(body.length, 512), java.nio.charset.StandardCharsets.US_ASCII);
        if (sub.equals("application/dtmf-relay")) {
            for (String line : text.split("\r?\n")) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = line.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
                String value = line.substring(eq + 1).strip();
                if (key.equals("signal") && value.length() == 1) {
                    digit = Character.toUpperCase(value.charAt(0));
                } else if (key.equals("duration")) {
                    try {
                        duration = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        // keep the default
                    }
                }
            }
        } else if (sub.equals("application/dtmf") && text.strip().length() == 1) {
            digit = Character.toUpperCase(text.strip().charAt(0));
        } else {
            dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.valueOf(415)).build());
            return;
        }
        dialogs.respond(r.transaction(), SipResponse.forRequest(req, StatusCode.OK).build());
        if (digit != 0 && io.rvoip.media.dtmf.Dtmf.eventCode(digit) >= 0) {
            publish(new io.rvoip.media.MediaEvent.DtmfReceived(req.callId(), digit, duration));
        }
    }

    // ------------------------------------------------------------------ hold / resume

    CompletableFuture<NegotiatedMedia> renegotiate(CallSession call, Direction direction) {
        CompletableFuture<NegotiatedMedia> result = new CompletableFuture<>();
        shards.execute(call.id(), () -> {
            boolean holding = direction != Direction.SENDRECV;
            CallState s = call.state();
            if (call.dialog == null || (s != CallState.ACTIVE && s != CallState.ON_HOLD) || ended(call.dialog)) {
                // (the dialog can end before the call does: the peer's BYE, handled just before
                // this task, has its DialogEvent.Terminated queued behind it)
                result.completeExceptionally(new IllegalStateException(ended(call.dialog) ? "the call has ended" : "the call is " + s));
                return;
            }
            SipRequest reInvite;
            try {
                SessionDescription offer = call.offerAnswer.offer(call.rtp.localRtpPort(), direction, cfg.ptime);
                reInvite = dialogs.createRequest(call.dialog, SipMethod.INVITE).body(MediaType.APPLICATION_SDP, offer.toBytes())
                        .build();
            } catch (RuntimeException ex) { // the caller hears of it: its future never stays open
                result.completeExceptionally(ex);
                return;
            }
            dialogs.send(call.dialog, reInvite).whenComplete((r, e) -> shards.execute(call.id(), () -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else if (r.statusCode() >= 300) {
                    result.completeExceptionally(new IllegalStateException("re-INVITE refused: " + r.statusCode()));
                } else {
                    try {
                        NegotiatedMedia m = call.offerAnswer.accept(SessionDescription.parse(r.body()), direction);
                        follow(call, m, holding);
                        call.state(holding ? CallState.ON_HOLD : CallState.ACTIVE);
                        result.complete(m);
                    } catch (OfferRejectedException | RuntimeException ex) {
                        result.completeExceptionally(ex);
                    }
                }
            }));
        });
        return result;
    }

    // ------------------------------------------------------------------ transfer

    CompletableFuture<Integer> transfer(CallSession call, Uri target) {
        return refer(call, target);
    }

    CompletableFuture<Integer> attendedTransfer(CallSession call, CallSession consultation) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        shards.execute(consultation.id(), () -> {
            io.rvoip.sip.dialog.Dialog d = consultation.dialog;
            if (d == null || consultation.state() != CallState.ACTIVE && consultation.state() != CallState.ON_HOLD) {
                result.completeExceptionally(new IllegalStateException("the consultation call is " + consultation.state()));
                return;
            }
            // Replaces names the dialog as the far end of the consultation sees it: to-tag is its
            // local tag (our remote), from-tag its remote tag (our local) (RFC 3891 §3)
            String replaces = d.callId() + ";to-tag=" + d.id().remoteTag() + ";from-tag=" + d.id().localTag();
            if (!(d.remoteTarget() instanceof SipUri contact)) { // a peer's Contact in a dialog is a SIP URI (RFC 3261 §12.1)
                result.completeExceptionally(new IllegalStateException("the consultation's peer has no SIP contact: "
                        + d.remoteTarget()));
                return;
            }
            Uri referTo = contact.toBuilder().headers("Replaces=" + escapeHeader(replaces)).build();
            refer(call, referTo).whenComplete((status, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(status);
                }
            });
        });
        return result;
    }

    /** Escapes a URI header value (RFC 3261 §25.1 hvalue): everything but unreserved characters. */
    private static String escapeHeader(String v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (Character.isLetterOrDigit(c) && c < 128 || "-_.!~*'()".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return sb.toString();
    }

    private CompletableFuture<Integer> refer(CallSession call, Uri target) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        shards.execute(call.id(), () -> {
            CallState s = call.state();
            if (call.dialog == null || (s != CallState.ACTIVE && s != CallState.ON_HOLD) || call.transferResult != null
                    || ended(call.dialog)) {
                result.completeExceptionally(new IllegalStateException(ended(call.dialog) ? "the call has ended" : "the call is " + s));
                return;
            }
            Address us = call.direction() == CallSession.Direction.OUTGOING ? call.from() : call.to();
            CompletableFuture<SipResponse> sent;
            try {
                sent = dialogs.refer(call.dialog, Address.of(target), Address.of(us.uri()), true);
            } catch (RuntimeException ex) { // the caller hears of it: its future never stays open
                result.completeExceptionally(ex);
                return;
            }
            call.transferResult = result;
            call.state(CallState.TRANSFERRING);
            sent.whenComplete((r, e) -> shards.execute(call.id(), () -> {
                if (e != null || r.statusCode() >= 300) {
                    call.transferResult = null;
                    call.state(s); // (an ended call keeps TERMINATED: state() ignores it)
                    result.completeExceptionally(new IllegalStateException(
                            "REFER refused: " + (e != null ? e.getMessage() : r.statusCode())));
                }
            }));
        });
        return result;
    }

    private void onReferProgress(DialogEvent.ReferProgress p) {
        CallSession call = calls.get(p.dialog().callId());
        if (call == null || call.transferResult == null) {
            return;
        }
        boolean done = p.terminated() || p.status() >= 200;
        publish(new SessionEvent.TransferProgress(call.id(), p.status(), done));
        if (!done) {
            return;
        }
        CompletableFuture<Integer> result = call.transferResult;
        call.transferResult = null;
        if (p.status() >= 200 && p.status() < 300) {
            call.state(CallState.TERMINATING);
            call.byeSent = true;
            call.transferred = true;
            dialogs.bye(call.dialog).whenComplete((r, e) -> shards.execute(call.id(),
                    () -> call.end(new EndReason(EndReason.Cause.TRANSFERRED, 0, "transferred"))));
        } else {
            call.state(CallState.ACTIVE);
        }
        result.complete(p.status());
    }

    /** The peer transfers us (blind): we call the target with this call's audio and report how it went. */
    private void onReferReceived(DialogEvent.ReferReceived r) {
        CallSession call = calls.get(r.dialog().callId());
        publish(new SessionEvent.TransferRequested(r.dialog().callId(), r.referTo()));
        if (call == null || !cfg.acceptTransfers) {
            r.subscription().notify(603, "Declined");
            return;
        }
        Address us = call.direction() == CallSession.Direction.OUTGOING ? call.from() : call.to();
        Uri target = r.referTo().uri();
        String replaces = null;
        if (target instanceof SipUri su && su.rawHeaders() != null) {
            replaces = su.headers().get("Replaces");
            target = su.toBuilder().headers(null).build(); // the Request-URI carries no headers
        }
        // the new call's RTP is bound on the RTP event loop; this shard does not wait for it
        String nextId = SipIds.newCallId();
        CallSession.Forwarder fwd = new CallSession.Forwarder();
        Uri to = target;
        String withReplaces = replaces;
        openRtpAsync(nextId, fwd, null).whenComplete((rtp, bindFailure) -> onShardOrClose(call.id(), rtp, () -> {
            if (bindFailure != null) {
                r.subscription().notify(503, "Service Unavailable");
                return;
            }
            CallSession next = call(Address.of(us.uri()), to, call.source(), call.sink(), withReplaces, nextId, fwd, rtp);
            next.answered().whenComplete((ok, e) -> {
                if (e == null) {
                    r.subscription().notify(200, "OK");
                } else {
                    EndReason why = e instanceof CallFailedException f ? f.reason()
                            : e.getCause() instanceof CallFailedException f2 ? f2.reason() : null;
                    int status = why != null && why.status() >= 300 ? why.status() : 500;
                    r.subscription().notify(status, why == null ? "Failed" : String.valueOf(why.cause()));
                }
            });
        }));
    }

    // ------------------------------------------------------------------ hang up

    void hangup(CallSession call) {
        shards.execute(call.id(), () -> {
            switch (call.state()) {
                case ACTIVE, ON_HOLD, TRANSFERRING -> {
                    call.state(CallState.TERMINATING);
                    sendBye(call);
                }
                case INITIATING, RINGING, EARLY_MEDIA -> {
                    if (call.direction() == CallSession.Direction.INCOMING) {
                        rejectOnShard(call, 486);
                    } else {
                        call.state(CallState.TERMINATING);
                        if (call.outgoing != null) {
                            dialogs.cancel(call.outgoing);
                        }
                    }
                }
                default -> {
                }
            }
        });
    }

    /**
     * The dialog has ended, though its call may not have yet: dialog-core ends it as it handles
     * the peer's BYE, and the {@code DialogEvent.Terminated} that ends the call is queued behind
     * whatever task of the call's shard runs now. Null-safe.
     */
    private static boolean ended(io.rvoip.sip.dialog.Dialog d) {
        return d != null && d.state() == io.rvoip.sip.dialog.DialogState.TERMINATED;
    }

    private void sendBye(CallSession call) {
        if (call.dialog == null || call.byeSent) {
            return;
        }
        if (ended(call.dialog)) {
            // the dialog ended first (the peer's BYE crossed our hangup): its DialogEvent.Terminated
            // is queued behind this task and ends the call with the dialog's own cause
            return;
        }
        call.byeSent = true;
        dialogs.bye(call.dialog).whenComplete((r, e) -> shards.execute(call.id(),
                () -> call.end(new EndReason(EndReason.Cause.LOCAL_BYE, 0, "BYE sent"))));
    }

    // ------------------------------------------------------------------ bridges and conferences

    /**
     * Connects two answered calls back to back: each hears the other (transcoding when their
     * codecs differ). Their own sources and sinks are set aside until {@link Bridge#unbridge()}.
     */
    public Bridge bridge(CallSession a, CallSession b) {
        return new Bridge(mediaClock, a, b);
    }

    /** A new, empty conference; add answered calls to it. */
    public Conference conference() {
        return new Conference(mediaClock, cfg.ptime);
    }

    /** Takes an ending call out of its bridge or conference. */
    void leaveGroup(CallSession call) {
        Object g = call.group;
        if (g instanceof Conference c) {
            c.remove(call);
        } else if (g instanceof Bridge b) {
            b.unbridge();
        }
    }

    /** Now on the coordinator's clock (the builder's {@code clock}, or the system's). */
    long nanoTime() {
        return timers.clock().nanoTime();
    }

    void forget(CallSession call) {
        calls.remove(call.id(), call);
    }

    void publish(Event e) {
        bus.publish(e);
    }

    /**
     * Unregisters, hangs up every call and waits up to 5 s for both, then stops the media clock
     * (when ours), the SIP stack and the RTP sockets. Calls still up after that are ended locally.
     */
    public void stop() {
        java.util.List<CompletableFuture<SipResponse>> unregistering = new java.util.ArrayList<>();
        for (io.rvoip.sip.dialog.registration.Registration r : registrations) {
            unregistering.add(r.unregister());
        }
        for (CallSession c : calls.values()) {
            c.hangup();
        }
        // graceful: give the BYEs (and CANCELs) up to 5 s to be answered before the stack goes
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while ((!calls.isEmpty() || unregistering.stream().anyMatch(f -> !f.isDone())) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5));
        }
        dialogs.stop();
        transactions.stop();
        transport.stop();
        for (CallSession c : calls.values()) {
            c.end(new EndReason(EndReason.Cause.ERROR, 0, "coordinator stopped"));
        }
        if (ownsMediaClock) {
            mediaClock.close();
        }
        if (sharedRtp != null) {
            sharedRtp.close();
        }
        rtpGroup.close();
        timers.stop();
        shards.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }

    /** Builder of {@link SessionCoordinator}. */
    public static final class Builder {
        private final java.util.Map<TransportType, InetSocketAddress> listens = new java.util.LinkedHashMap<>();
        private InetAddress mediaAddress = InetAddress.getLoopbackAddress();
        private int rtpMin = 20000;
        private int rtpMax = 29999;
        private CodecRegistry codecs = CodecRegistry.defaults();
        private OfferAnswer.CodecOrder codecOrder = OfferAnswer.CodecOrder.OFFERER;
        private CallHandler handler = CallHandler.rejectAll(480);
        private int shards = Math.max(2, Runtime.getRuntime().availableProcessors());
        private int rtpThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        private Clock clock;
        private MediaClock mediaClock;
        private int ptime = 20;
        private int maxCalls = Integer.MAX_VALUE;
        private String user = "rvoip";
        private java.time.Duration mediaTimeout = java.time.Duration.ofSeconds(30);
        private java.time.Duration holdTimeout = java.time.Duration.ZERO;
        private java.time.Duration qualityInterval = java.time.Duration.ofSeconds(5);
        private boolean acceptTransfers = true;
        private DtmfMode dtmf = DtmfMode.RFC4733;
        private io.rvoip.media.processing.VoiceProcessor.Config voiceProcessing;
        private boolean rtcpMux = true;
        private boolean rtpLatching = true;
        private int sharedRtpPorts;
        private io.rvoip.sip.transport.TlsConfig tls;
        private io.rvoip.sip.dialog.auth.CredentialsProvider credentials;
        private java.time.Duration sessionInterval;
        private java.time.Duration minSessionInterval;
        private boolean reliableProvisional;
        private io.rvoip.sip.parser.SipParser.Depth parseDepth = io.rvoip.sip.parser.SipParser.Depth.TRANSACTION;
        private io.rvoip.session.sdp.SrtpMode srtp = io.rvoip.session.sdp.SrtpMode.OFF;

        private Builder() {
        }

        /**
         * Adds a SIP listening point (one per transport; the first is our {@link #contact()} and
         * carries requests whose target names no transport). Without any: UDP on 127.0.0.1, an
         * ephemeral port. Requests go out on the listening point of the target's transport
         * ({@code ;transport=}, or TLS for {@code sips:}), and each dialog's Contact is that of the
         * listening point its INVITE used.
         */
        public Builder listen(TransportType type, InetSocketAddress address) {
            listens.remove(Objects.requireNonNull(type, "type"));
            listens.put(type, Objects.requireNonNull(address, "address"));
            return this;
        }

        /** The listening points asked for, in order; the default when none was. */
        java.util.Map<TransportType, InetSocketAddress> listens() {
            return listens.isEmpty() ? java.util.Map.of(TransportType.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    : listens;
        }

        /**
         * The TLS certificate and trust for a {@link TransportType#TLS} listening point (and for
         * the TLS connections we open; peers are verified against the trust roots by default).
         */
        public Builder tls(io.rvoip.sip.transport.TlsConfig config) {
            this.tls = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Credentials for Digest challenges (registrars, proxies that authenticate our calls). */
        public Builder credentials(io.rvoip.sip.dialog.auth.CredentialsProvider provider) {
            this.credentials = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** The address RTP binds to and SDP advertises. */
        public Builder mediaAddress(InetAddress address) {
            this.mediaAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The RTP port range (even ports for RTP, the next odd for RTCP). */
        public Builder rtpPorts(int min, int max) {
            this.rtpMin = min;
            this.rtpMax = max;
            return this;
        }

        /** The codecs, in preference order (with telephone-event and CN as the registry says). */
        public Builder codecs(CodecRegistry registry) {
            this.codecs = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Whose order picks the codec when we answer. */
        public Builder codecOrder(OfferAnswer.CodecOrder order) {
            this.codecOrder = Objects.requireNonNull(order, "order");
            return this;
        }

        /** Decides incoming calls (default: reject with 480). */
        public Builder handler(CallHandler h) {
            this.handler = Objects.requireNonNull(h, "handler");
            return this;
        }

        /** Shards for SIP work. */
        public Builder shards(int n) {
            this.shards = n;
            return this;
        }

        /**
         * Event-loop threads for the calls' RTP sockets (default: half the cores, at least one).
         * Each call's sockets stay on one of them. One thread carries a few hundred G.711 calls
         * (receiving and sending 50 packets a second each); a server with more calls than that
         * and cores to spare should have more. Media is encoded and decoded on the media clock's
         * threads, not here.
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder rtpThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("rtpThreads " + n);
            }
            this.rtpThreads = n;
            return this;
        }

        /** The clock of every timer (tests pass a ManualClock). */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** The media clock (default: a real-time one of its own, closed with the coordinator). */
        public Builder mediaClock(MediaClock c) {
            this.mediaClock = c;
            return this;
        }

        /**
         * The most calls (both directions) this coordinator carries at once; an INVITE that
         * arrives when that many are up is refused with 503 Service Unavailable and a
         * Retry-After (RFC 3261 §21.5.4), before any media is allocated, and counted in
         * {@link SessionCoordinator#overloadRejected()}. Default: no limit. A server under a
         * flood of calls stays within its heap and keeps the calls it has.
         */
        public Builder maxCalls(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxCalls " + n);
            }
            this.maxCalls = n;
            return this;
        }

        /** The packet time we ask for and send, ms (default 20). */
        public Builder ptime(int ms) {
            this.ptime = ms;
            return this;
        }

        /** The user part of our Contact. */
        public Builder user(String u) {
            this.user = Objects.requireNonNull(u, "user");
            return this;
        }

        /**
         * How long a call may receive nothing (neither RTP nor RTCP) before it is ended with BYE
         * as dead ({@link EndReason.Cause#MEDIA_TIMEOUT}); RTCP alone counts as life. A held
         * call (media anything but sendrecv, whichever side holds) is under
         * {@link #holdTimeout} instead. Default 30 s; zero turns it off.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder mediaTimeout(java.time.Duration d) {
            this.mediaTimeout = notNegative(d, "mediaTimeout");
            return this;
        }

        /**
         * How long a held call (media anything but sendrecv: we hold, or the peer holds with
         * sendonly or inactive and, as RFC 3264 §8.4 says, sends no media) may receive nothing
         * at all, not even RTCP, before it is ended with BYE as dead
         * ({@link EndReason.Cause#MEDIA_TIMEOUT}). RFC 3264 §5.1 keeps RTCP flowing on held
         * streams, so a live peer is heard; but some phones and trunks stop RTCP while held, so
         * this is off by default (zero). Session timers ({@code sessionTimers}) are the
         * negotiated way to find a dead peer. It is checked each time the media timeout reports
         * the silence, so it takes effect at the first multiple of the media timeout that
         * reaches it (with the media timeout off: after exactly this).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder holdTimeout(java.time.Duration d) {
            this.holdTimeout = notNegative(d, "holdTimeout");
            return this;
        }

        private static java.time.Duration notNegative(java.time.Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative " + what + ": " + d);
            }
            return d;
        }

        /** How often calls report {@code MediaEvent.QualityChanged}. */
        public Builder qualityInterval(java.time.Duration d) {
            this.qualityInterval = Objects.requireNonNull(d, "qualityInterval");
            return this;
        }

        /**
         * Whether a peer's REFER (blind transfer) is followed: we call the target with the
         * call's audio and report the outcome (default true). Refused transfers are reported as
         * 603.
         */
        public Builder acceptTransfers(boolean on) {
            this.acceptTransfers = on;
            return this;
        }

        /**
         * Session timers (RFC 4028): calls are refreshed (UPDATE, or a re-INVITE when the peer
         * lacks UPDATE) and a call whose refreshes stop is ended. {@code minimum} is at least 90 s.
         */
        public Builder sessionTimers(java.time.Duration interval, java.time.Duration minimum) {
            this.sessionInterval = Objects.requireNonNull(interval, "interval");
            this.minSessionInterval = Objects.requireNonNull(minimum, "minimum");
            if (minimum.getSeconds() < 90 || interval.compareTo(minimum) < 0) {
                throw new IllegalArgumentException("Min-SE is at least 90 s and the interval at least Min-SE");
            }
            return this;
        }

        /**
         * How strictly received messages are read (default
         * {@link io.rvoip.sip.parser.SipParser.Depth#TRANSACTION}: the start line and the headers
         * the transaction and dialog layers need are checked, and any other header is read only
         * when something uses it, so a phone's malformed {@code Date} costs no call). At
         * {@link io.rvoip.sip.parser.SipParser.Depth#FULL} every header with a typed form is
         * checked on arrival, and a request with a malformed one is answered 400 (naming the
         * fault) before any call, dialog or transaction exists: the choice of a server that
         * wants to refuse what it cannot fully read. It costs parse time: every header is typed,
         * not only the few a call needs (figures in benchmarks/README.md).
         */
        public Builder parseDepth(io.rvoip.sip.parser.SipParser.Depth depth) {
            this.parseDepth = Objects.requireNonNull(depth, "depth");
            return this;
        }

        /** Reliable provisional responses (RFC 3262, 100rel): our 180/183 are PRACKed, theirs we PRACK. */
        public Builder reliableProvisional(boolean on) {
            this.reliableProvisional = on;
            return this;
        }

        /** How calls send DTMF (default RFC 4733); digits are received in every mode, in-band only in INBAND. */
        public Builder dtmf(DtmfMode mode) {
            this.dtmf = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Voice processing on every call's captured audio — echo cancellation against what the
         * call plays, noise suppression, voice activity detection (talk and listen time) and gain
         * control — for a softphone with a real microphone and loudspeaker; null (the default)
         * for none. Each call's {@code mediaSession().voiceProcessor()} switches stages and reads
         * talk time.
         */
        public Builder voiceProcessing(io.rvoip.media.processing.VoiceProcessor.Config config) {
            this.voiceProcessing = config;
            return this;
        }

        /**
         * Whether calls offer and accept RTCP on the RTP port (RFC 5761; default on). When the
         * peer agrees, RTCP goes to its RTP port; RTCP arriving on our RTP port is always taken.
         */
        public Builder rtcpMux(boolean on) {
            this.rtcpMux = on;
            return this;
        }

        /**
         * Symmetric RTP (RFC 4961; default on): each call sends its RTP and RTCP to where the
         * peer's RTP really comes from, once a packet from there passed RTP's probation (or SRTP
         * authentication), instead of to the SDP address. A phone behind NAT advertises an
         * address nobody can reach, and only this makes its audio two-way. Once latched, another
         * source takes over only with the same SSRC continuing its sequence (a NAT re-binding),
         * and strangers' packets are dropped and counted. Turn it off only when every peer's SDP
         * is right and the network must not decide where media goes.
         */
        public Builder rtpLatching(boolean on) {
            this.rtpLatching = on;
            return this;
        }

        /**
         * Puts every call's RTP on {@code n} shared port pairs instead of a pair per call
         * (default 0: a pair per call). Packets are then told apart by the peer's address, and
         * sent and received many per system call: on loopback, 1,000 G.711 calls cost the kernel
         * about a third of what a socket pair per call costs. For servers whose peers send RTP
         * from the address their SDP names (trunks, SBCs, other servers): there is no latching
         * ({@link #rtpLatching} is ignored), so a phone behind NAT gets one-way audio. A peer
         * address can have one call per shared port: with two servers sharing ports, n × their n
         * calls at once.
         *
         * @throws IllegalArgumentException unless {@code 0 <= n <= 1024}
         */
        public Builder sharedRtpPorts(int n) {
            if (n < 0 || n > 1024) {
                throw new IllegalArgumentException("sharedRtpPorts " + n);
            }
            this.sharedRtpPorts = n;
            return this;
        }

        /** SRTP keyed by SDES: off (default), offered best-effort, or required. */
        public Builder srtp(io.rvoip.session.sdp.SrtpMode mode) {
            this.srtp = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Builds and starts listening. */
        public SessionCoordinator build() {
            return new SessionCoordinator(this);
        }
    }
}
