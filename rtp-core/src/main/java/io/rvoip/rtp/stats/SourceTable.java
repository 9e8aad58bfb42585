package io.rvoip.rtp.stats;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SSRC collision and loop detection of RFC 3550 §8.2: each SSRC is bound to the transport
 * address it was first heard from.
 *
 * <ul>
 *   <li>a known SSRC from another address is a third-party collision or a loop: the packet is
 *       dropped and counted (unless the old binding timed out, then the source moved);</li>
 *   <li>our own SSRC from an address that is one of ours, or from an address already on the
 *       list of conflicting addresses, is our own traffic looped back: dropped and counted, and
 *       the list entry's time is renewed;</li>
 *   <li>our own SSRC from any other address is a new collision: the address goes on the
 *       conflicting list, the old SSRC is remembered as a source at that address, and the owner
 *       must send BYE for the old SSRC and pick a new one ({@link Verdict#OWN_COLLISION}) that
 *       is not in this table ({@link #contains}).</li>
 * </ul>
 * So a peer that reflects our packets unchanged (an RTP echo device, {@code sipp -rtp_echo})
 * costs one SSRC change, not one per packet. A conflicting address is forgotten after {@code
 * conflictTimeoutNanos} without a conflicting packet (the RFC suggests about ten RTCP report
 * intervals).
 *
 * <p>Bounded: at most {@code maxSources} entries and {@value #MAX_CONFLICTS} conflicting
 * addresses (a new one replaces the longest silent); more new sources are refused. The common
 * case (the same source as the previous packet) is answered from a one-entry cache without a
 * map lookup.
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
        /** Our own SSRC from an address of ours or a known conflicting one: a loop; drop. */
        OWN_LOOP,
        /** Our own SSRC from a new address: a collision; send BYE and change our SSRC. */
        OWN_COLLISION,
        /** A new source while the table is full; drop. */
        FULL
    }

    /** Most conflicting addresses remembered (RFC 3550 §8.2: "usually empty"). */
    public static final int MAX_CONFLICTS = 4;

    private final Map<Integer, Entry> sources = new HashMap<>();
    private final int maxSources;
    private final long rebindAfterNanos;
    private final long conflictTimeoutNanos;
    private final InetSocketAddress[] conflicting = new InetSocketAddress[MAX_CONFLICTS];
    private final long[] conflictHeard = new long[MAX_CONFLICTS];
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
        this(maxSources, rebindAfterNanos, TimeUnit.SECONDS.toNanos(50));
    }

    /**
     * @param maxSources           most sources remembered
     * @param rebindAfterNanos     a source silent this long may reappear from a new address
     * @param conflictTimeoutNanos a conflicting address is forgotten after this long without a
     *                             conflicting packet (ten RTCP intervals of 5 s by the other
     *                             constructor)
     */
    public SourceTable(int maxSources, long rebindAfterNanos, long conflictTimeoutNanos) {
        this.maxSources = maxSources;
        this.rebindAfterNanos = rebindAfterNanos;
        this.conflictTimeoutNanos = conflictTimeoutNanos;
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
            if (ourAddresses.test(from) || renewConflict(from, nowNanos)) {
                loops++;
                return Verdict.OWN_LOOP;
            }
            collisions++;
            addConflict(from, nowNanos);
            if (sources.size() < maxSources) { // the old SSRC, as heard from there
                Entry old = new Entry();
                old.address = from;
                old.lastHeard = nowNanos;
                sources.put(ssrc, old);
            }
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

    /** True if {@code from} is a conflicting address still in force; renews its time. */
    private boolean renewConflict(InetSocketAddress from, long nowNanos) {
        for (int i = 0; i < MAX_CONFLICTS; i++) {
            InetSocketAddress a = conflicting[i];
            if (a != null && a.equals(from)) {
                if (nowNanos - conflictHeard[i] >= conflictTimeoutNanos) {
                    conflicting[i] = null; // forgotten: this is a new collision
                    return false;
                }
                conflictHeard[i] = nowNanos;
                return true;
            }
        }
        return false;
    }

    /** Puts {@code from} on the conflicting list, in a free slot or the longest silent one. */
    private void addConflict(InetSocketAddress from, long nowNanos) {
        int slot = 0;
        for (int i = 0; i < MAX_CONFLICTS; i++) {
            if (conflicting[i] == null) {
                slot = i;
                break;
            }
            if (conflictHeard[i] < conflictHeard[slot]) {
                slot = i;
            }
        }
        conflicting[slot] = from;
        conflictHeard[slot] = nowNanos;
    }

    /** The transport address {@code ssrc} is heard from, or null for a source not in the table. */
    public InetSocketAddress addressOf(int ssrc) {
        Entry e = sources.get(ssrc);
        return e == null ? null : e.address;
    }

    /** True if {@code ssrc} is a source in this table (a new SSRC of ours must not be). */
    public boolean contains(int ssrc) {
        return sources.containsKey(ssrc);
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
