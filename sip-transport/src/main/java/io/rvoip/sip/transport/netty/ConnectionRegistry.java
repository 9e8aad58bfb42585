package io.rvoip.sip.transport.netty;

import io.netty.channel.Channel;
import io.rvoip.sip.transport.ConnectionId;
import io.rvoip.sip.transport.TransportType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open stream connections: by id (to answer on the connection a request came on), by
 * transport and peer address (to reuse a connection for requests), and counted per IP address
 * against the limits.
 *
 * <p>Thread-safe.
 */
public final class ConnectionRegistry {
    /** A transport and peer address. */
    public record Peer(TransportType transport, InetSocketAddress address) {
    }

    private final ConcurrentHashMap<ConnectionId, Channel> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Peer, Channel> byPeer = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private final int maxTotal;
    private final int maxPerIp;

    /** A registry enforcing the limits. */
    public ConnectionRegistry(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    /** A fresh connection id. */
    public ConnectionId nextId() {
        return new ConnectionId(ids.incrementAndGet());
    }

    /** Takes a slot for a connection from {@code ip}; false (nothing taken) if a limit is reached. */
    public boolean admit(InetAddress ip) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return false;
        }
        AtomicInteger n = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (n.incrementAndGet() > maxPerIp) {
            n.decrementAndGet();
            total.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back the slot taken by {@link #admit(InetAddress)}. */
    public void release(InetAddress ip) {
        total.decrementAndGet();
        perIp.computeIfPresent(ip, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** Records an open connection. */
    public void register(ConnectionId id, TransportType transport, InetSocketAddress remote, Channel channel) {
        byId.put(id, channel);
        byPeer.put(new Peer(transport, remote), channel);
    }

    /** Forgets a closed connection. */
    public void unregister(ConnectionId id, TransportType transport, InetSocketAddress remote, Channel channel) {
        byId.remove(id, channel);
        byPeer.remove(new Peer(transport, remote), channel);
    }

    /** The open channel with this id, or null. */
    public Channel get(ConnectionId id) {
        Channel c = byId.get(id);
        return c != null && c.isActive() ? c : null;
    }

    /** An open channel to this peer, or null. */
    public Channel find(TransportType transport, InetSocketAddress remote) {
        Channel c = byPeer.get(new Peer(transport, remote));
        return c != null && c.isActive() ? c : null;
    }

    /** The number of open connections. */
    public int size() {
        return total.get();
    }

    /** Bytes waiting to be written on all registered connections now. */
    public long queuedBytes() {
        long n = 0;
        for (Channel c : byId.values()) {
            io.netty.channel.ChannelOutboundBuffer out = c.unsafe().outboundBuffer();
            if (out != null) {
                n += out.totalPendingWriteBytes();
            }
        }
        return n;
    }

    /** All open channels (for shutdown). */
    public java.util.Collection<Channel> channels() {
        return byId.values();
    }
}
