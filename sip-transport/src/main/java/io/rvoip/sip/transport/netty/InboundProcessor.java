package io.rvoip.sip.transport.netty;

import io.rvoip.infra.event.EventBus;
import io.rvoip.sip.header.Via;
import io.rvoip.sip.message.SipMessage;
import io.rvoip.sip.message.SipRequest;
import io.rvoip.sip.parser.SipParseException;
import io.rvoip.sip.parser.SipParser;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.TransportEvent;
import io.rvoip.sip.transport.TransportType;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every transport does with received bytes: parse (datagram or stream frame), add
 * {@code received}/{@code rport} to a request's top Via (RFC 3261 §18.2.1, RFC 3581 §4), and
 * publish the result on the event bus. Runs on the Netty I/O thread; never blocks.
 *
 * <p>Thread-safe.
 */
public final class InboundProcessor {
    private static final Logger wire = LoggerFactory.getLogger("io.rvoip.sip.wire");

    private final EventBus bus;
    private final SipParser parser;
    private final TransportCounters counters;

    /** A processor publishing to {@code bus}. */
    public InboundProcessor(EventBus bus, SipParser parser, TransportCounters counters) {
        this.bus = Objects.requireNonNull(bus, "bus");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** The parser (and its limits). */
    public SipParser parser() {
        return parser;
    }

    /** One datagram (UDP); the array is handed over. */
    public void datagram(byte[] data, TransportType transport, InetSocketAddress local, InetSocketAddress remote) {
        message(data, transport, local, remote, null);
    }

    /**
     * One self-delimited message: a UDP datagram, or a WebSocket message (RFC 7118 §5: one SIP
     * message per WebSocket message, Content-Length optional). The array is handed over.
     */
    public void message(byte[] data, TransportType transport, InetSocketAddress local, InetSocketAddress remote,
            ConnectionId connection) {
        if (isKeepAlive(data, 0, data.length)) {
            counters.keepAlives.increment();
            return;
        }
        SipMessage m;
        try {
            m = parser.parseOwned(data);
        } catch (SipParseException e) {
            reject(transport, local, remote, connection, e.getMessage(), data);
            return;
        }
        deliver(m, transport, local, remote, connection);
    }

    /** One complete stream frame (TCP/TLS), found by the stream framer. */
    public void frame(byte[] b, int offset, int length, TransportType transport, InetSocketAddress local,
            InetSocketAddress remote, ConnectionId connection) {
        SipMessage m;
        try {
            m = parser.parseFrame(b, offset, length);
        } catch (SipParseException e) {
            reject(transport, local, remote, connection, e.getMessage(),
                    java.util.Arrays.copyOfRange(b, offset, offset + length));
            return;
        }
        deliver(m, transport, local, remote, connection);
    }

    /** Publishes a refused message and counts it. */
    public void reject(TransportType transport, InetSocketAddress local, InetSocketAddress remote,
            ConnectionId connection, String reason, byte[] bytes) {
        counters.rejected.increment();
        if (wire.isDebugEnabled()) {
            wire.debug("dropped malformed {} message from {}: {}", transport, remote, reason);
        }
        bus.publish(new TransportEvent.MessageRejected(transport, local, remote, connection, reason, bytes));
    }

    private void deliver(SipMessage m, TransportType transport, InetSocketAddress local, InetSocketAddress remote,
            ConnectionId connection) {
        if (m instanceof SipRequest request) {
            m = stampReceived(request, remote);
        }
        counters.received.increment();
        io.rvoip.sip.transport.SipTrace.received(m, transport, remote);
        bus.publish(new TransportEvent.MessageReceived(m, transport, local, remote, connection));
    }

    /**
     * RFC 3261 §18.2.1 and RFC 3581 §4: add {@code received} when the sent-by host is not the
     * source address, and when {@code rport} is present fill it with the source port (and
     * always add {@code received}). Also applied to a response built for a refused request, so
     * it is routed like any answer.
     */
    public static SipMessage stampReceived(SipMessage request, InetSocketAddress remote) {
        Via top;
        try {
            top = request.via();
        } catch (SipParseException e) {
            return request;
        }
        if (top == null) {
            return request;
        }
        String source = remote.getAddress().getHostAddress();
        boolean rport = top.hasRport();
        Via stamped = top;
        if (rport || !sameHost(top.host(), source)) {
            stamped = stamped.withReceived(source);
        }
        if (rport) {
            stamped = stamped.withRport(remote.getPort());
        }
        return stamped == top ? request : request.withTopVia(stamped);
    }

    static boolean sameHost(String sentBy, String source) {
        String host = sentBy.startsWith("[") && sentBy.endsWith("]") ? sentBy.substring(1, sentBy.length() - 1) : sentBy;
        if (host.equalsIgnoreCase(source)) {
            return true;
        }
        if (host.indexOf(':') >= 0 && source.indexOf(':') >= 0) {
            byte[] a = io.netty.util.NetUtil.createByteArrayFromIpAddressString(host);
            byte[] b = io.netty.util.NetUtil.createByteArrayFromIpAddressString(source);
            return a != null && java.util.Arrays.equals(a, b);
        }
        return false;
    }

    /** True if b[off..off+len) is only CR, LF and white space (a NAT keep-alive datagram). */
    static boolean isKeepAlive(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c != '\r' && c != '\n' && c != ' ' && c != '\t' && c != 0) {
                return false;
            }
        }
        return true;
    }
}
