package io.rvoip.rtp.stats;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * SSRC collision and loop detection of RFC 3550 §8.2: each SSRC is bound to the transport
 * address it was first heard from.
 *
 * <ul>
 *   <li>a known SSRC from another address is a third-party collision or a loop: the packet is
 *       dropped and counted (unless the old binding timed out, then the source moved);</li>
 *   <li>our own SSRC from an address that is one of ours is our own traffic looped back;</li>
 *   <li>our own SSRC from any other address is a collision: the owner must send BYE for the old
 *       SSRC and pick a new one ({@link Verdict#OWN_COLLISION}).</li>
 * </ul>
 * Bounded: at most {@code maxSources} entries; more new sources are refused. The common case (the
 * same source as the previous packet) is answered from a one-entry cache without a map lookup.
 */
public final class SourceTable {
    /** What a packet from (SSRC, address) means. */
    public enum Verdict {
        /** A source heard for the first time; accepted. */
        NEW,
        /** A known source from its known address; accepted. */
        KNOWN,
        /** A known source from another address; drop. */
        CONFLICT,
        /** Our own SSRC from an address of ours: a loop; drop. */
        OWN_LOOP,
        /** Our own SSRC from elsewhere: change our SSRC. */
        OWN_COLLISION,
        /** A new source while the table is full; drop. */
        FULL
    }

    private final Map<Integer, Entry> sources = new HashMap<>();
    private final int maxSources;
    private final long rebindAfterNanos;
    private int lastSsrc;
    private Entry lastEntry;
    private long conflicts;
    private long loops;
    private long collisions;

    private static final class Entry {
        InetSocketAddress address;
        long lastHeard;
    }

    /**
     * @param maxSources       most sources remembered
     * @param rebindAfterNanos a source silent this long may reappear from a new address
     */
    public SourceTable(int maxSources, long rebindAfterNanos) {
        this.maxSources = maxSources;
        this.rebindAfterNanos = rebindAfterNanos;
    }

    /**
     * Classifies a packet.
     *
     * @param ourSsrc      our current SSRC
     * @param ourAddresses whether an address is one of our own sending addresses
     */
    public Verdict observe(int ssrc, InetSocketAddress from, long nowNanos, int ourSsrc,
                           java.util.function.Predicate<InetSocketAddress> ourAddresses) {
        if (ssrc == ourSsrc) {
            if (ourAddresses.test(from)) {
                loops++;
                return Verdict.OWN_LOOP;
            }
            collisions++;
            return Verdict.OWN_COLLISION;
        }
        Entry e = lastEntry != null && lastSsrc == ssrc ? lastEntry : sources.get(ssrc);
        if (e != null && e.address.equals(from)) {
            e.lastHeard = nowNanos;
            lastSsrc = ssrc;
            lastEntry = e;
            return Verdict.KNOWN;
        }
        if (e == null) {
            if (sources.size() >= maxSources) {
                return Verdict.FULL;
            }
            e = new Entry();
            e.address = from;
            e.lastHeard = nowNanos;
            sources.put(ssrc, e);
            return Verdict.NEW;
        }
        if (!e.address.equals(from)) {
            if (nowNanos - e.lastHeard < rebindAfterNanos) {
                conflicts++;
                return Verdict.CONFLICT;
            }
            e.address = from;
        }
        e.lastHeard = nowNanos;
        return Verdict.KNOWN;
    }

    /** Forgets a source (BYE or timeout). */
    public void remove(int ssrc) {
        sources.remove(ssrc);
        if (lastSsrc == ssrc) {
            lastEntry = null;
        }
    }

    /** Sources remembered. */
    public int size() {
        return sources.size();
    }

    /** Third-party conflicts seen. */
    public long conflicts() {
        return conflicts;
    }

    /** Our own packets looped back. */
    public long loops() {
        return loops;
    }

    /** Collisions with our SSRC. */
    public long collisions() {
        return collisions;
    }
}
