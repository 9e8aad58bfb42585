package io.rvoip.session.sdp;

import io.rvoip.media.codec.AudioCodec;
import io.rvoip.media.codec.CodecRegistry;
import io.rvoip.media.codec.MediaFormat;
import io.rvoip.sip.sdp.Attribute;
import io.rvoip.sip.sdp.Connection;
import io.rvoip.sip.sdp.Direction;
import io.rvoip.sip.sdp.Fmtp;
import io.rvoip.sip.sdp.MediaDescription;
import io.rvoip.sip.sdp.Origin;
import io.rvoip.sip.sdp.RtcpAttribute;
import io.rvoip.sip.sdp.RtpMap;
import io.rvoip.sip.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The RFC 3264 offer/answer model for a call's audio stream over RTP/AVP. One instance per call:
 * it owns our {@code o=} line, whose session id stays and whose version goes up by one with
 * every description we send (§8).
 *
 * <ul>
 *   <li>{@link #offer}: every codec of the registry in preference order, then telephone-event
 *       and comfort noise when enabled, with {@code a=ptime} and the direction;</li>
 *   <li>{@link #answer}: the offered formats we support, with the offer's payload types, in the
 *       offerer's order or ours ({@link CodecOrder}); the offer's telephone-event and CN at the
 *       chosen codec's clock rate; the direction reversed and narrowed to what we want (§6.1);
 *       every other stream (video, an unknown profile, port 0) rejected with port 0 in its
 *       place; {@link OfferRejectedException} (488) when no audio stream is usable;</li>
 *   <li>{@link #accept}: what the answer to our offer settles.</li>
 * </ul>
 * A connection address of 0.0.0.0 (the RFC 2543 hold) means nothing may be sent to that peer
 * (§8.4): the negotiated remote address is null.
 */
public final class OfferAnswer {
    /** Whose order picks the codec in an answer. */
    public enum CodecOrder {
        /** The first offered codec we support (the RFC 3264 recommendation). */
        OFFERER,
        /** Our preferred codec among those offered. */
        OURS
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CodecRegistry registry;
    private final CodecOrder order;
    private final SrtpMode srtp;
    private final boolean rtcpMux;
    private List<io.rvoip.rtp.srtp.SdesCrypto> ourOffer;   // our keys in the last offer, one per suite
    private io.rvoip.rtp.srtp.SdesCrypto offeredWhileSending; // what sending was when ourOffer was made
    /**
     * Our key in use: what the last settled exchange gave the RTP session to send with (null for
     * plain RTP). Every later offer and answer carries it for its suite, so the call's sending
     * context (and its rollover counter) stays; only a change of suite brings a fresh key, with a
     * fresh context (RFC 4568 §7.1.4). A key once replaced is never offered again: a new context
     * starts its packet index at zero, and an old key with a reset index would repeat keystream.
     */
    private io.rvoip.rtp.srtp.SdesCrypto sending;
    private final String address;
    private Origin origin;
    private boolean sent;
    /** The RTP clock rate of the running stream, once media runs; 0 before. */
    private int streamClockRate;
    /**
     * The m-lines of the last description we sent (offer or answer), null before the first;
     * {@code audioSlot} is our audio stream's among them. A later offer keeps every slot in
     * its place (RFC 3264 §8: never fewer m-lines, the i-th matching the i-th), the others
     * rejected with port 0.
     */
    private List<MediaDescription> previous;
    private int audioSlot;

    /** Negotiation for one call whose media is at {@code mediaAddress}, plain RTP. */
    public OfferAnswer(CodecRegistry registry, InetAddress mediaAddress, CodecOrder order) {
        this(registry, mediaAddress, order, SrtpMode.OFF);
    }

    /** Negotiation for one call whose media is at {@code mediaAddress}, with SRTP as {@code srtp} says, offering rtcp-mux. */
    public OfferAnswer(CodecRegistry registry, InetAddress mediaAddress, CodecOrder order, SrtpMode srtp) {
        this(registry, mediaAddress, order, srtp, true);
    }

    /**
     * Negotiation for one call.
     *
     * @param rtcpMux whether to offer, and accept, RTCP on the RTP port (RFC 5761)
     */
    public OfferAnswer(CodecRegistry registry, InetAddress mediaAddress, CodecOrder order, SrtpMode srtp, boolean rtcpMux) {
        this.rtcpMux = rtcpMux;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.order = Objects.requireNonNull(order, "order");
        this.srtp = Objects.requireNonNull(srtp, "srtp");
        this.address = mediaAddress.getHostAddress();
        String id = Long.toString(RANDOM.nextLong() >>> 2);
        this.origin = new Origin("rvoip", id, id, "IN", Connection.of(address).addrType(), address);
    }

    /** The result of answering an offer: the SDP to send, and what it settles. */
    public record Answer(SessionDescription sdp, NegotiatedMedia media) {
    }

    private Origin nextOrigin() {
        if (sent) {
            origin = origin.nextVersion();
        }
        sent = true;
        return origin;
    }

    /**
     * Tells this negotiation that the call's RTP stream now runs at {@code clockRate}. A running
     * stream keeps its RTP clock (its timestamps and jitter buffer are counted in it), so from
     * now on our offers list only the codecs (and telephone-event, CN) at that rate, and an
     * answer to a peer's offer chooses among its codecs at that rate when it has any. A re-offer
     * with none there (Opus only, in a G.711 call) is answered with its codecs at another rate,
     * and the media then has to restart on a new RTP stream, which the session layer does.
     */
    public void stream(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate);
        }
        this.streamClockRate = clockRate;
    }

    /** The formats at the running stream's clock rate (all of them before media runs). */
    private List<MediaFormat> atStreamRate(List<MediaFormat> formats) {
        if (streamClockRate == 0) {
            return formats;
        }
        List<MediaFormat> out = new ArrayList<>(formats.size());
        for (MediaFormat f : formats) {
            if (f.clockRate() == streamClockRate) {
                out.add(f);
            }
        }
        return out;
    }

    /** Our {@code o=} line as last sent. */
    public Origin origin() {
        return origin;
    }

    /**
     * An offer (initial, or a re-INVITE's / UPDATE's).
     *
     * @param rtpPort   our RTP port
     * @param direction what we want: sendrecv, sendonly to hold, inactive…
     * @param ptime     the packet time we want to receive, ms
     */
    public SessionDescription offer(int rtpPort, Direction direction, int ptime) {
        // a later offer keeps the transport the stream runs (RTP/SAVP stays RTP/SAVP)
        String protocol = previous != null ? previous.get(audioSlot).protocol()
                : srtp == SrtpMode.REQUIRE ? "RTP/SAVP" : "RTP/AVP";
        MediaDescription m = audioLine(rtpPort, atStreamRate(registry.offer()), direction, ptime, protocol);
        if (rtcpMux) {
            m = m.withAttribute(Attribute.property("rtcp-mux")); // RFC 5761 §5.1.1: RTCP on the RTP port if the answer agrees
        }
        if (srtp != SrtpMode.OFF) {
            if (ourOffer == null || offeredWhileSending != sending) {
                // the same keys while nothing changed (an offer sent again must be answerable
                // as the first); after a change, the other suite's key is fresh again
                ourOffer = List.of(ourKey(1, io.rvoip.rtp.srtp.SrtpProfile.AES_CM_128_HMAC_SHA1_80),
                        ourKey(2, io.rvoip.rtp.srtp.SrtpProfile.AES_CM_128_HMAC_SHA1_32));
                offeredWhileSending = sending;
            }
            for (io.rvoip.rtp.srtp.SdesCrypto c : ourOffer) {
                m = m.withAttribute(Attribute.of("crypto", c.format()));
            }
        }
        List<MediaDescription> lines;
        if (previous == null) {
            lines = List.of(m);
            audioSlot = 0;
        } else {
            lines = new ArrayList<>(previous.size());
            for (int i = 0; i < previous.size(); i++) {
                lines.add(i == audioSlot ? m : rejected(previous.get(i)));
            }
        }
        previous = lines;
        return SessionDescription.of(nextOrigin(), Connection.of(address), lines);
    }

    /**
     * Answers an offer.
     *
     * @param wanted what we want: sendrecv normally, sendonly or inactive while we hold
     * @throws OfferRejectedException when no audio stream is usable or the offer is malformed (answer 488)
     */
    public Answer answer(SessionDescription offer, int rtpPort, Direction wanted, int ptime) throws OfferRejectedException {
        try {
            return answerParsed(offer, rtpPort, wanted, ptime);
        } catch (io.rvoip.sip.parser.SipParseException e) { // an attribute parsed on first use
            throw new OfferRejectedException("malformed SDP offer: " + e.getMessage(), e);
        }
    }

    private Answer answerParsed(SessionDescription offer, int rtpPort, Direction wanted, int ptime)
            throws OfferRejectedException {
        List<MediaDescription> lines = new ArrayList<>();
        NegotiatedMedia media = null;
        int slot = -1;
        for (MediaDescription m : offer.media()) {
            if (media == null && usable(m)) {
                List<MediaFormat> formats = formatsOf(m);
                List<MediaFormat> chosen = choose(atStreamRate(formats));
                if (streamClockRate != 0 && chosen.stream().noneMatch(f -> registry.codecOf(f) != null)) {
                    chosen = choose(formats); // nothing at the running stream's rate: the media restarts on a new stream
                }
                Keys keys = answerKeys(m);
                if (chosen.stream().anyMatch(f -> registry.codecOf(f) != null) && keys != null) {
                    Direction ours = intersect(offer.directionOf(m).reverse(), wanted);
                    int theirPtime = m.ptime() > 0 ? m.ptime() : ptime;
                    MediaDescription line = audioLine(rtpPort, chosen, ours, ptime, m.protocol());
                    if (keys.ours != null) {
                        line = line.withAttribute(Attribute.of("crypto", keys.ours.format()));
                    }
                    boolean mux = rtcpMux && m.rtcpMux();
                    if (mux) {
                        line = line.withAttribute(Attribute.property("rtcp-mux"));
                    }
                    media = negotiated(offer, m, chosen, ours, theirPtime, keys, mux);
                    slot = lines.size();
                    lines.add(line);
                    continue;
                }
            }
            lines.add(rejected(m));
        }
        if (media == null) {
            throw new OfferRejectedException((srtp == SrtpMode.REQUIRE ? "no common audio codec with SRTP"
                    : "no common audio codec over RTP/AVP" + (srtp == SrtpMode.OFF ? "" : " or RTP/SAVP")));
        }
        previous = lines;
        audioSlot = slot;
        return new Answer(SessionDescription.of(nextOrigin(), Connection.of(address), lines), media);
    }

    /**
     * What the answer to our offer settles.
     *
     * @param offered the direction we offered
     * @throws OfferRejectedException when the answer rejected the audio stream, names no codec we
     *     offered, or is malformed
     */
    public NegotiatedMedia accept(SessionDescription answer, Direction offered) throws OfferRejectedException {
        try {
            return acceptParsed(answer, offered);
        } catch (io.rvoip.sip.parser.SipParseException e) { // an attribute parsed on first use
            throw new OfferRejectedException("malformed SDP answer: " + e.getMessage(), e);
        }
    }

    private NegotiatedMedia acceptParsed(SessionDescription answer, Direction offered) throws OfferRejectedException {
        for (MediaDescription m : answer.media()) {
            if (usable(m)) {
                List<MediaFormat> formats = formatsOf(m);
                Keys keys = acceptKeys(m);
                if (formats.stream().anyMatch(f -> registry.codecOf(f) != null) && keys != null) {
                    Direction ours = intersect(answer.directionOf(m).reverse(), offered);
                    int theirPtime = m.ptime() > 0 ? m.ptime() : 20;
                    return negotiated(answer, m, formats, ours, theirPtime, keys, rtcpMux && m.rtcpMux());
                }
            }
        }
        throw new OfferRejectedException("the answer accepts no audio codec we offered");
    }

    /**
     * Where the first audio stream of {@code offer} says its RTP comes from (symmetric RTP), or
     * null when that is not a plain address (on hold, a host name, no audio). For choosing a
     * shared RTP port before the offer is negotiated; it decides nothing about the call.
     */
    public static InetSocketAddress offeredRtp(SessionDescription offer) {
        for (MediaDescription m : offer.media()) {
            if ("audio".equals(m.media()) && m.port() != 0) {
                Connection c = offer.connectionOf(m);
                if (c == null || c.isHoldAddress()) {
                    return null;
                }
                byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(c.host());
                try {
                    return literal == null ? null : new InetSocketAddress(java.net.InetAddress.getByAddress(literal), m.port());
                } catch (java.net.UnknownHostException | IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private boolean usable(MediaDescription m) {
        return "audio".equals(m.media()) && m.port() != 0
                && ("RTP/AVP".equals(m.protocol()) || ("RTP/SAVP".equals(m.protocol()) && srtp != SrtpMode.OFF));
    }

    /** The keys of a stream: ours (what we send with) and theirs; both null for plain RTP. */
    private record Keys(io.rvoip.rtp.srtp.SdesCrypto ours, io.rvoip.rtp.srtp.SdesCrypto theirs) {
        static final Keys PLAIN = new Keys(null, null);
    }

    /** For an offered stream: their first crypto line we support and a fresh key of ours; null when unusable. */
    private Keys answerKeys(MediaDescription m) {
        if (srtp != SrtpMode.OFF) {
            for (String value : m.attributes("crypto")) {
                try {
                    io.rvoip.rtp.srtp.SdesCrypto theirs = io.rvoip.rtp.srtp.SdesCrypto.parse(value);
                    theirs.toPolicy(); // a suite or parameter we cannot run is skipped
                    return new Keys(ourKey(theirs.tag(), theirs.profile()), theirs);
                } catch (io.rvoip.rtp.srtp.SdesException e) {
                    // next line
                }
            }
        }
        boolean plainAllowed = srtp != SrtpMode.REQUIRE && "RTP/AVP".equals(m.protocol());
        return plainAllowed ? Keys.PLAIN : null;
    }

    /** Our crypto line for this tag and suite: the key in use when the suite is its suite, else a fresh one. */
    private io.rvoip.rtp.srtp.SdesCrypto ourKey(int tag, io.rvoip.rtp.srtp.SrtpProfile profile) {
        if (sending != null && sending.profile() == profile) {
            return io.rvoip.rtp.srtp.SdesCrypto.of(tag, profile, sending.keys(), sending.kdrExponent(), sending.windowSize());
        }
        return io.rvoip.rtp.srtp.SdesCrypto.generate(tag, profile, RANDOM);
    }

    /** For the answer to our offer: their crypto line must answer one of ours (same tag and suite). */
    private Keys acceptKeys(MediaDescription m) {
        if (srtp != SrtpMode.OFF && ourOffer != null) {
            for (String value : m.attributes("crypto")) {
                try {
                    io.rvoip.rtp.srtp.SdesCrypto theirs = io.rvoip.rtp.srtp.SdesCrypto.parse(value);
                    for (io.rvoip.rtp.srtp.SdesCrypto ours : ourOffer) {
                        if (ours.tag() == theirs.tag() && ours.profile() == theirs.profile()) {
                            theirs.toPolicy();
                            return new Keys(ours, theirs);
                        }
                    }
                } catch (io.rvoip.rtp.srtp.SdesException e) {
                    // next line
                }
            }
        }
        return srtp == SrtpMode.REQUIRE ? null : Keys.PLAIN;
    }

    /** The offered formats we take, in the configured order; events and CN follow the codecs. */
    private List<MediaFormat> choose(List<MediaFormat> offered) {
        List<MediaFormat> answer = registry.answer(offered);
        if (order == CodecOrder.OURS || answer.isEmpty()) {
            return answer;
        }
        List<MediaFormat> codecs = new ArrayList<>();
        for (MediaFormat f : offered) {
            if (answer.contains(f) && registry.codecOf(f) != null) {
                codecs.add(f);
            }
        }
        // telephone-event and CN at the clock rate of the codec the offerer prefers
        int clock = codecs.get(0).clockRate();
        for (MediaFormat f : offered) {
            boolean extra = f.encoding().equalsIgnoreCase(CodecRegistry.TELEPHONE_EVENT)
                    ? answer.stream().anyMatch(a -> a.encoding().equalsIgnoreCase(CodecRegistry.TELEPHONE_EVENT))
                    : f.encoding().equalsIgnoreCase(CodecRegistry.COMFORT_NOISE) && registry.comfortNoise();
            if (extra && f.clockRate() == clock && codecs.stream().noneMatch(c -> c.encoding().equalsIgnoreCase(f.encoding()))) {
                codecs.add(f);
            }
        }
        return codecs;
    }

    /**
     * The address of a c= line, which must be an IP literal: a host name would need a DNS lookup,
     * and this runs on the call's shard, which never blocks (every user agent seen sends an
     * address).
     */
    private static java.net.InetAddress address(String host) throws OfferRejectedException {
        byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(host);
        if (literal == null) {
            throw new OfferRejectedException("c= names a host, not an address: " + host);
        }
        try {
            return java.net.InetAddress.getByAddress(literal);
        } catch (java.net.UnknownHostException e) {
            throw new OfferRejectedException("bad address in c=: " + host, e);
        }
    }

    private NegotiatedMedia negotiated(SessionDescription sdp, MediaDescription m, List<MediaFormat> formats,
                                       Direction direction, int ptime, Keys keys, boolean mux) throws OfferRejectedException {
        Map<Integer, AudioCodec> receive = new LinkedHashMap<>();
        MediaFormat first = null;
        for (MediaFormat f : formats) {
            AudioCodec c = registry.codecOf(f);
            if (c != null) {
                receive.putIfAbsent(f.payloadType(), c);
                if (first == null) {
                    first = f;
                }
            }
        }
        AudioCodec codec = registry.codecOf(first);
        int te = -1;
        int cn = -1;
        for (MediaFormat f : formats) {
            if (f.clockRate() != first.clockRate()) {
                continue;
            }
            if (te < 0 && f.encoding().equalsIgnoreCase(CodecRegistry.TELEPHONE_EVENT)) {
                te = f.payloadType();
            } else if (cn < 0 && f.encoding().equalsIgnoreCase(CodecRegistry.COMFORT_NOISE) && registry.comfortNoise()) {
                cn = f.payloadType();
            }
        }
        // codecs at another RTP clock rate than the chosen one cannot share its stream
        receive.values().removeIf(c -> c.clockRate() != codec.clockRate());
        Connection c = sdp.connectionOf(m);
        InetSocketAddress rtp = null;
        InetSocketAddress rtcp = null;
        if (c != null && !c.isHoldAddress()) {
            rtp = new InetSocketAddress(address(c.host()), m.port());
            RtcpAttribute a = m.rtcp();
            if (mux) {
                rtcp = rtp;
            } else if (a != null) {
                rtcp = new InetSocketAddress(a.connection() == null ? rtp.getAddress() : address(a.connection().host()), a.port());
            } else if (m.port() < 65535) {
                rtcp = new InetSocketAddress(rtp.getAddress(), m.port() + 1);
            } else {
                throw new OfferRejectedException("RTP port 65535 leaves no port for RTCP");
            }
        }
        int sendPtime = ptime >= 10 && ptime <= 60 && ptime % 10 == 0 ? ptime : 20;
        io.rvoip.rtp.srtp.SrtpPolicy send = null;
        io.rvoip.rtp.srtp.SrtpPolicy recv = null;
        if (keys.ours() != null) {
            try {
                send = keys.ours().toPolicy();
                recv = keys.theirs().toPolicy();
            } catch (io.rvoip.rtp.srtp.SdesException e) {
                throw new IllegalStateException("a checked SDES key failed", e);
            }
        }
        sending = keys.ours(); // what the RTP session sends with from now on (null: plain RTP)
        return new NegotiatedMedia(rtp, rtcp, codec, first.payloadType(), receive, te, cn, direction, sendPtime, send, recv, mux);
    }

    private static MediaDescription audioLine(int port, List<MediaFormat> formats, Direction direction, int ptime,
                                              String protocol) {
        List<String> pts = new ArrayList<>();
        List<Attribute> attrs = new ArrayList<>();
        for (MediaFormat f : formats) {
            pts.add(Integer.toString(f.payloadType()));
            attrs.add(Attribute.of("rtpmap", f.rtpmap()));
            if (f.fmtp() != null && !f.fmtp().isEmpty()) {
                attrs.add(Attribute.of("fmtp", f.payloadType() + " " + f.fmtp()));
            }
        }
        attrs.add(Attribute.of("ptime", Integer.toString(ptime)));
        return MediaDescription.of("audio", port, protocol, pts).withAttributes(attrs).withDirection(direction);
    }

    /** A stream we do not take: port 0, its formats kept (at least one is required), no attributes. */
    private static MediaDescription rejected(MediaDescription m) {
        return MediaDescription.of(m.media(), 0, m.protocol(), m.formats().isEmpty() ? List.of("0") : m.formats());
    }

    /** The formats of an m-line: rtpmap where given, else the RFC 3551 static type; unknown ones skipped. */
    static List<MediaFormat> formatsOf(MediaDescription m) {
        List<MediaFormat> out = new ArrayList<>();
        for (String s : m.formats()) {
            int pt;
            try {
                pt = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                continue;
            }
            if (pt < 0 || pt > 127) {
                continue;
            }
            RtpMap map = m.rtpMap(pt);
            Fmtp fmtp = m.fmtp(s);
            String params = fmtp == null ? null : fmtp.parameters();
            if (map != null) {
                out.add(new MediaFormat(pt, map.encoding(), map.clockRate(), Math.max(1, map.channels()), params));
            } else {
                MediaFormat st = MediaFormat.staticType(pt);
                if (st != null) {
                    out.add(params == null ? st : new MediaFormat(pt, st.encoding(), st.clockRate(), st.channels(), params));
                }
            }
        }
        return out;
    }

    /** The direction both allow: sends only when both send, receives only when both receive. */
    static Direction intersect(Direction a, Direction b) {
        boolean send = a.sends() && b.sends();
        boolean recv = a.receives() && b.receives();
        return send ? (recv ? Direction.SENDRECV : Direction.SENDONLY) : (recv ? Direction.RECVONLY : Direction.INACTIVE);
    }
}
