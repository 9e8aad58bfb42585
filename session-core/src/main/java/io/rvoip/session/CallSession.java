package io.rvoip.session;

import io.rvoip.media.io.AudioSink;
import io.rvoip.media.io.AudioSource;
import io.rvoip.media.session.MediaClock;
import io.rvoip.media.session.MediaSession;
import io.rvoip.rtp.RtpPacket;
import io.rvoip.rtp.net.RtpListener;
import io.rvoip.rtp.net.RtpSession;
import io.rvoip.session.sdp.NegotiatedMedia;
import io.rvoip.session.sdp.OfferAnswer;
import io.rvoip.sip.dialog.Dialog;
import io.rvoip.sip.dialog.OutgoingInvite;
import io.rvoip.sip.header.Address;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.transaction.ServerTransaction;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One call, incoming or outgoing: its dialog, its RTP stream and its media session. Methods may
 * be called from any thread; the work runs on the call's shard. Its id is the Call-ID.
 *
 * <pre>{@code
 * CallSession call = coordinator.call(from, to, PcmSource.of(wav, false), recorder);
 * call.answered().join();          // fails with CallFailedException when not answered
 * call.sendDigit('5');
 * call.hangup();
 * call.ended().join();
 * }</pre>
 */
public final class CallSession {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallSession.class);

    /** Whether we placed the call or received it. */
    public enum Direction {
        /** We sent the INVITE. */
        OUTGOING,
        /** We received the INVITE. */
        INCOMING
    }

    private final SessionCoordinator owner;
    private final String id;
    private final Direction direction;
    private final Address from;
    private final Address to;
    final OfferAnswer offerAnswer;
    final RtpSession rtp;
    final Forwarder forwarder;
    private final CompletableFuture<CallSession> answered = new CompletableFuture<>();
    private final CompletableFuture<EndReason> ended = new CompletableFuture<>();
    private volatile CallState state;
    private volatile AudioSource source;
    private volatile AudioSink sink;
    private volatile NegotiatedMedia media;
    private volatile MediaSession mediaSession;
    private volatile io.rvoip.media.MediaEvent.QualityChanged quality;
    private MediaClock.Registration ticking;
    private MediaClock clock;
    private volatile CallAudio port;
    /** The bridge or conference this call is in, or null (call's shard). */
    volatile Object group;
    /** When the call was answered, on the coordinator's clock; {@link Long#MIN_VALUE} until then. */
    private long answeredAtNanos = Long.MIN_VALUE;
    // shard-confined
    Dialog dialog;
    OutgoingInvite outgoing;
    ServerTransaction pendingInvite;
    SipRequest inviteRequest;
    String localTag;
    OfferAnswer.Answer pendingAnswer;
    io.rvoip.sip.sdp.SessionDescription pendingOffer;
    /**
     * The direction of the offer we put in the 2xx to a re-INVITE without one (RFC 3261 §14.2),
     * until the ACK brings the answer; null otherwise.
     */
    io.rvoip.sip.sdp.Direction pendingReOffer;
    boolean byeSent;
    boolean transferred;
    boolean replaced;
    int redirects;
    CompletableFuture<Integer> transferResult;

    CallSession(SessionCoordinator owner, String id, Direction direction, Address from, Address to, OfferAnswer offerAnswer,
                RtpSession rtp, Forwarder forwarder, CallState initial) {
        this.owner = owner;
        this.id = id;
        this.direction = direction;
        this.from = from;
        this.to = to;
        this.offerAnswer = offerAnswer;
        this.rtp = rtp;
        this.forwarder = forwarder;
        this.state = initial;
    }

    /** The call's id (its Call-ID). */
    public String id() {
        return id;
    }

    /** Outgoing or incoming. */
    public Direction direction() {
        return direction;
    }

    /** The caller. */
    public Address from() {
        return from;
    }

    /** The callee. */
    public Address to() {
        return to;
    }

    /** For tests: the transport an incoming call's INVITE came over (its top Via), or null. */
    String inviteTransport() {
        return inviteRequest != null ? inviteRequest.via().transport() : null;
    }

    /** For tests: the dialog's remote target (the peer's Contact), or null before there is a dialog. */
    io.rvoip.sip.uri.Uri remoteTarget() {
        Dialog d = dialog;
        return d == null ? null : d.remoteTarget();
    }

    /** The Request-URI: what the caller dialled (for an outgoing call, our target). */
    public io.rvoip.sip.uri.Uri requestUri() {
        return inviteRequest != null ? inviteRequest.requestUri() : to.uri();
    }

    /** The current state. */
    public CallState state() {
        return state;
    }

    /**
     * What offer/answer settled, or null before it did. For an incoming call with an offer this
     * is already set when the {@link CallHandler} runs: the answer we will send.
     */
    public NegotiatedMedia media() {
        return media;
    }

    void settled(NegotiatedMedia m) {
        this.media = m;
    }

    /**
     * The last quality report of this call (loss, jitter, RTT, delay, R and MOS over the last
     * interval), or null before the first (any thread).
     */
    public io.rvoip.media.MediaEvent.QualityChanged quality() {
        return quality;
    }

    void quality(io.rvoip.media.MediaEvent.QualityChanged q) {
        this.quality = q;
    }

    /**
     * The media session once the media starts (early media or the answer), else null: quality,
     * levels, gain. A negotiation that chose a codec at another RTP clock rate (the 2xx's answer
     * after early media, a re-offer) replaces it; the application's mute and gains carry over, and
     * {@link SessionEvent.MediaNegotiated} announces it. So read it again rather than keeping it.
     */
    public MediaSession mediaSession() {
        return mediaSession;
    }

    /** The call's RTP counters (packets sent and received, drops), live. */
    public RtpSession.Counters rtpCounters() {
        return rtp.counters();
    }

    /** Completes when the call is answered; fails with {@link CallFailedException} when it is not. */
    public CompletableFuture<CallSession> answered() {
        return answered;
    }

    /** Completes when the call is over, with the reason. */
    public CompletableFuture<EndReason> ended() {
        return ended;
    }

    /**
     * Sets what the call plays and where what it hears goes (either may be null), at any rate.
     * Before the media starts it is kept for then; during the call it takes effect at the next
     * frame (any thread). While the call is in a bridge or conference, the group's audio is
     * plugged in instead and this is restored when the call leaves it.
     */
    public CallSession audio(AudioSource playFrom, AudioSink recordTo) {
        this.source = playFrom;
        this.sink = recordTo;
        CallAudio p = port;
        if (p != null && group == null) {
            p.source(playFrom);
            p.sink(recordTo);
        }
        return this;
    }

    /** The media session's audio port (null before the media starts). */
    CallAudio port() {
        return port;
    }

    /** Stops this call's own media tick (a group ticks it instead). */
    void stopTicking() {
        if (ticking != null) {
            ticking.cancel();
            ticking = null;
        }
    }

    /** Ticks this call's media on its own again, with its own audio. */
    void resumeTicking() {
        group = null;
        CallAudio p = port;
        if (p != null) {
            p.source(source);
            p.sink(sink);
        }
        if (ticking == null && mediaSession != null && state != CallState.TERMINATED) {
            ticking = clock.add(mediaSession);
        }
    }

    AudioSource source() {
        return source;
    }

    AudioSink sink() {
        return sink;
    }

    /** Answers an incoming call that is ringing (after {@link CallHandler.Decision#defer()}). */
    public void answer() {
        owner.answer(this);
    }

    /**
     * Early media for an incoming call that is ringing: a 183 with our SDP answer, and the media
     * starts (a prompt or ringback from the call's source plays to the caller) before {@link
     * #answer()}.
     */
    public void earlyMedia() {
        owner.earlyMedia(this);
    }

    /** Rejects an incoming call that is ringing. */
    public void reject(int status) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("not a final failure status: " + status);
        }
        owner.reject(this, status);
    }

    /** Hangs up: BYE when answered, CANCEL while our INVITE is pending, 486 for an incoming call still ringing. */
    public void hangup() {
        owner.hangup(this);
    }

    /**
     * Puts the call on hold: a re-INVITE offering {@code sendonly} (RFC 3264 §8.4). We stop
     * sending, and the peer's answer (recvonly) stops theirs. Completes when the peer answered.
     * Fails with {@link IllegalStateException} when the call is not active (also when the
     * peer's BYE has just ended its dialog) or another INVITE is pending, or when the peer
     * refuses (the call then stays as it was).
     */
    public CompletableFuture<NegotiatedMedia> hold() {
        return owner.renegotiate(this, io.rvoip.sip.sdp.Direction.SENDONLY);
    }

    /** Takes the call off hold: a re-INVITE offering {@code sendrecv}. */
    public CompletableFuture<NegotiatedMedia> resume() {
        return owner.renegotiate(this, io.rvoip.sip.sdp.Direction.SENDRECV);
    }

    /**
     * Blind transfer: asks the peer to call {@code target} (REFER, RFC 3515). Completes with the
     * final status of the peer's new call, as its NOTIFYs report it. On a 2xx we hang up
     * (ending as {@link EndReason.Cause#TRANSFERRED}); otherwise the call stays up. Fails when
     * the peer refuses the REFER, when the call is not active, and when the call ends before
     * the outcome is known.
     */
    public CompletableFuture<Integer> transfer(io.rvoip.sip.uri.Uri target) {
        return owner.transfer(this, target);
    }

    /**
     * Attended transfer: asks the peer of this call to call the peer of {@code consultation}
     * (our other call) and take its place (REFER with a Replaces header, RFC 3515 and RFC 3891).
     * When it succeeds both of our calls end: this one as {@link EndReason.Cause#TRANSFERRED},
     * the consultation call by the replacing INVITE ({@code REMOTE_BYE}).
     */
    public CompletableFuture<Integer> transfer(CallSession consultation) {
        return owner.attendedTransfer(this, consultation);
    }

    /**
     * Sends a DTMF digit (100 ms) the way the coordinator's {@link DtmfMode} says: RFC 4733
     * events (INFO when the peer negotiated none), SIP INFO, or in-band tones.
     *
     * @throws IllegalArgumentException for a character that is not a DTMF digit
     * @throws IllegalStateException before the media starts
     */
    public void sendDigit(char digit) {
        if (io.rvoip.media.dtmf.Dtmf.eventCode(digit) < 0) {
            throw new IllegalArgumentException("not a DTMF digit: " + digit);
        }
        MediaSession m = mediaSession;
        if (m == null) {
            throw new IllegalStateException("the call has no media yet");
        }
        owner.sendDigit(this, digit);
    }

    /** Sends silence instead of the source; RTP keeps flowing. */
    public void mute(boolean on) {
        MediaSession m = mediaSession;
        if (m != null) {
            m.mute(on);
        }
    }

    // ------------------------------------------------------------------ internal, on the call's shard

    void state(CallState next) {
        CallState previous = state;
        if (previous == next || previous == CallState.TERMINATED) {
            return;
        }
        state = next;
        owner.publish(new SessionEvent.StateChanged(id, previous, next));
    }

    /** A negotiation's keys, rtcp-mux and remote address for the RTP session. */
    private void transport(NegotiatedMedia before, NegotiatedMedia now) {
        if (now.secure() || (before != null && before.secure())) {
            // keys the exchange kept keep their contexts; a new key (or SRTP turned on or off) takes effect now
            rtp.srtp(now.sendSrtp(), now.receiveSrtp());
        }
        if (now.rtcpMux()) {
            rtp.useRtcpMux();
        }
        if (now.remoteRtp() != null) {
            rtp.remote(now.remoteRtp(), now.remoteRtcp());
        }
    }

    /** Applies a re-negotiation (ours or the peer's) to the running media. */
    void apply(NegotiatedMedia negotiated, boolean weHold) {
        NegotiatedMedia before = this.media;
        this.media = negotiated;
        transport(before, negotiated);
        MediaSession m = mediaSession;
        if (m != null) {
            formats(m, before, negotiated);
            m.sending(negotiated.sending() && !weHold);
            if (group instanceof Bridge bridge) {
                try {
                    bridge.renegotiated();
                } catch (IllegalStateException | IllegalArgumentException e) { // a leg that cannot join the transcoding
                    LOG.info("call {}: its bridge cannot follow the renegotiation ({}); unbridged", id, e.getMessage());
                    bridge.unbridge();
                }
            }
        }
        owner.publish(new SessionEvent.MediaNegotiated(id, negotiated));
    }

    /**
     * A renegotiation's formats for the running media: the codecs the peer may now send, the
     * codec we send (switched at the next packet, sequence numbers and timestamps continuing),
     * telephone-event's payload type (also when the call started without it) and comfort noise's
     * (brought, renumbered or dropped). A negotiation whose codec runs at another RTP clock rate
     * does not come here: the media restarts on a new stream ({@link #restartMedia}). Formats the
     * stream still cannot take leave it as it was.
     */
    private void formats(MediaSession m, NegotiatedMedia before, NegotiatedMedia now) {
        try {
            int clock = m.codec().clockRate();
            now.receive().forEach((pt, c) -> {
                if (c.clockRate() == clock) {
                    m.receive(pt, c);
                }
            });
            if (before == null || before.codec() != now.codec() || before.payloadType() != now.payloadType()) {
                m.switchCodec(now.codec(), now.payloadType());
            }
            if (now.telephoneEvent() >= 0 && (before == null || now.telephoneEvent() != before.telephoneEvent())) {
                m.telephoneEvents(now.telephoneEvent()); // renumbered, or negotiated only now
            }
            if (before == null || now.comfortNoise() != before.comfortNoise()) {
                m.comfortNoise(now.comfortNoise()); // negotiated only now, renumbered, or dropped
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.info("call {}: the renegotiated formats do not fit the running stream ({}); media goes on as it was",
                    id, e.getMessage());
        }
    }

    /**
     * Replaces the running media with {@code session} on a new RTP stream (new SSRC, sequence
     * number and timestamp) at its codec's RTP clock rate: a negotiation chose a codec at another
     * clock rate than the stream runs (the 2xx's answer after a media server's PCMU ringback, the
     * phone's Opus; a re-offer with Opus only). The application's settings (mute, gains) and the
     * audio attached to the port (the call's own, or a bridge's or conference's) move to the new
     * session and port. A call in a bridge or conference stays in it when the packet time is the
     * same, and leaves it otherwise (a group ticks one packet time). An ended call is left alone.
     */
    void restartMedia(NegotiatedMedia negotiated, MediaSession session, CallAudio audioPort, boolean weHold) {
        if (state == CallState.TERMINATED) {
            return; // its media is gone: nothing may start ticking again
        }
        NegotiatedMedia before = this.media;
        MediaSession old = this.mediaSession;
        CallAudio oldPort = this.port;
        int rate = negotiated.codec().clockRate();
        this.media = negotiated;
        stopTicking();
        audioPort.takeOver(oldPort);
        session.settingsFrom(old);
        rtp.clockRate(rate);
        offerAnswer.stream(rate);
        // the new stream first: from here on the old session's packets are dropped, and the old
        // SSRC's BYE goes where that stream went (another fork's 2xx brings a new address)
        session.attachNewStream(rtp);
        transport(before, negotiated);
        session.sending(negotiated.sending() && !weHold);
        this.port = audioPort;
        this.mediaSession = session;
        Object g = group;
        if (g instanceof Bridge bridge) {
            if (old.ptimeMillis() == session.ptimeMillis()) {
                try {
                    bridge.renegotiated(); // relays again, or transcodes: either way with the new session
                } catch (IllegalStateException | IllegalArgumentException e) {
                    LOG.info("call {}: its bridge cannot follow the new media ({}); unbridged", id, e.getMessage());
                    bridge.unbridge();
                }
                if (!bridge.relaying()) {
                    forwarder.target(session);
                }
            } else {
                forwarder.target(session);
                bridge.unbridge(); // the call ticks on its own again, with the new session
            }
        } else if (g instanceof Conference) {
            forwarder.target(session);
            if (old.ptimeMillis() != session.ptimeMillis()) {
                owner.leaveGroup(this);
            } // else the conference ticks the new session, its participant plugged into the new port
        } else {
            forwarder.target(session);
            this.ticking = clock.add(session);
        }
        owner.publish(new SessionEvent.MediaNegotiated(id, negotiated));
    }

    /** Starts media for what was negotiated. */
    void startMedia(NegotiatedMedia negotiated, MediaSession session, CallAudio audioPort, MediaClock mediaClock) {
        this.media = negotiated;
        this.mediaSession = session;
        this.clock = mediaClock;
        this.port = audioPort;
        audioPort.source(source);
        audioPort.sink(sink);
        rtp.clockRate(negotiated.codec().clockRate());
        offerAnswer.stream(negotiated.codec().clockRate());
        if (negotiated.secure()) {
            rtp.srtp(negotiated.sendSrtp(), negotiated.receiveSrtp());
        }
        session.attach(rtp);
        forwarder.target(session);
        if (negotiated.rtcpMux()) {
            rtp.useRtcpMux();
        }
        if (negotiated.remoteRtp() != null) {
            rtp.remote(negotiated.remoteRtp(), negotiated.remoteRtcp());
        }
        session.sending(negotiated.sending());
        this.ticking = mediaClock.add(session);
        owner.publish(new SessionEvent.MediaNegotiated(id, negotiated));
    }

    /** The call is answered: media (already running, or just started) now counts as the call. */
    void answeredNow() {
        this.answeredAtNanos = owner.nanoTime();
        state(CallState.ACTIVE);
        answered.complete(this);
    }

    /** Ends the call: stops media, closes the RTP stream, reports once. */
    void end(EndReason reason) {
        if (state == CallState.TERMINATED) {
            return;
        }
        if (ticking != null) {
            ticking.cancel();
        }
        owner.leaveGroup(this);
        rtp.closeAsync(); // the BYE, the sockets and the ports go on the RTP event loop: the shard does not wait
        Duration d = answeredAtNanos == Long.MIN_VALUE ? Duration.ZERO : Duration.ofNanos(owner.nanoTime() - answeredAtNanos);
        state(CallState.TERMINATED);
        owner.publish(new SessionEvent.CallEnded(id, reason, d));
        owner.forget(this);
        if (!answered.isDone()) { // (an exception's stack trace is not free: only for calls never answered)
            answered.completeExceptionally(new CallFailedException(reason));
        }
        if (transferResult != null) { // the call ended before the transfer's outcome came
            transferResult.completeExceptionally(new IllegalStateException("the call ended before the transfer's outcome: "
                    + reason.cause()));
            transferResult = null;
        }
        ended.complete(reason);
    }

    /** Forwards RTP to the media session once there is one; drops it before. */
    static final class Forwarder implements RtpListener {
        private volatile RtpListener target;

        void target(RtpListener m) {
            this.target = Objects.requireNonNull(m);
        }

        @Override
        public void onRtp(RtpSession session, RtpPacket packet, long arrivalNanos) {
            RtpListener m = target;
            if (m != null) {
                m.onRtp(session, packet, arrivalNanos);
            }
        }
    }
}
