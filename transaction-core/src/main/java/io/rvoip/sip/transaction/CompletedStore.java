package io.rvoip.sip.transaction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The Completed state of non-INVITE transactions over UDP, kept as bytes instead of objects: for
 * each transaction its key, the time its Timer J (server) or Timer K (client) fires, and — on the
 * server side — the final response to send again when the request is retransmitted.
 *
 * <p>Why: RFC 3261 keeps a completed non-INVITE server transaction for 64·T1 = 32 s and a client
 * one for T4 = 5 s. At tens of thousands of transactions a second that is a million object
 * graphs that only wait to absorb a retransmission; the collector copies and marks each of them.
 * Here a lingering transaction is one record in large byte chunks (its key and the response's
 * wire bytes) and one slot (two longs) in a primitive hash index — nothing for the collector to trace.
 *
 * <p>Records are appended in the order they were completed, which is the order they expire
 * (Timers J and K are constant per layer), so expiry pops them from the head; chunks whose
 * records have all expired are dropped. {@link #find} never returns an expired record, so the
 * timing is exact whenever the sweep runs.
 *
 * <p>Confined to one shard: every method runs on it, except the counts, which may be read
 * from any thread.
 */
final class CompletedStore {
    /** A server transaction's record: the key of the request it absorbs, with the final response. */
    static final byte SERVER = 0;
    /** A client transaction's record: the key of the responses it absorbs. */
    static final byte CLIENT = 1;

    static final int CHUNK = 1 << 18;
    /** expiry (8), hash (4), kind (1), key length (2), response length (4). */
    private static final int HEADER = 19;
    /** Records bigger than this stay objects (the caller keeps the transaction). */
    static final int MAX_RECORD = CHUNK / 8;
    private static final int OFFSET_BITS = 24;
    private static final int SPARE_CHUNKS = 2;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    // the chunks, a ring: chunk number headSeq + i is chunks[(first + i) % chunks.length]
    private byte[][] chunks = new byte[4][];
    private int[] used = new int[4];
    private int first;
    private int chunkCount;
    private long headSeq;
    private int headOff;
    private final byte[][] spare = new byte[SPARE_CHUNKS][];
    private int spareCount;

    // the index: open addressing, linear probing; slot i is index[2i] = address + 1 (0: empty)
    // and index[2i + 1] = the key's hash, side by side so a probe reads one cache line
    private long[] index = new long[2 * 64];
    private int capacity = 64;
    private volatile int size;
    private volatile long bytes;
    private volatile long evicted;
    private final long maxBytes;
    /** The hash's multiplier: random and odd, so a peer cannot craft branches that collide. */
    private final int multiplier;

    /**
     * A store whose records take at most {@code maxBytes} (in whole chunks, plus at most two
     * spare chunks): when a new chunk would pass it, the oldest chunk's records are dropped
     * before their time and counted ({@link #evicted()}). Below one chunk the store takes
     * nothing and {@link #put} always refuses.
     */
    CompletedStore(long maxBytes) {
        this(maxBytes, java.util.concurrent.ThreadLocalRandom.current().nextInt() | 1);
    }

    /** A store whose key hash multiplies by {@code multiplier} (odd); tests use 31 to craft collisions. */
    CompletedStore(long maxBytes, int multiplier) {
        if (maxBytes < 0 || (multiplier & 1) == 0) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + ", multiplier " + multiplier);
        }
        this.maxBytes = maxBytes;
        this.multiplier = multiplier;
    }

    /** Records dropped before their time to stay within the byte limit. Any thread. */
    long evicted() {
        return evicted;
    }

    /** Records held. Any thread. */
    int size() {
        return size;
    }

    /** Bytes held in chunks: those with records, plus at most one emptied and two spare ones. Any thread. */
    long bytes() {
        return bytes;
    }

    /**
     * Adds a record. Returns false, storing nothing, if the key has characters outside ASCII, the
     * record would be larger than {@link #MAX_RECORD}, or the store's bound is below one chunk:
     * the caller keeps the transaction. At the bound, the oldest chunk's records make room.
     *
     * @param response the final response's wire form (server records), or null
     */
    boolean put(byte kind, TransactionKey key, io.rvoip.sip.message.SipResponse response, long expiresAt) {
        String branch = key.branch();
        String sentBy = key.sentBy();
        String method = key.method().name();
        int keyLen = branch.length() + 1 + sentBy.length() + 1 + method.length();
        int respLen = response == null ? 0 : response.encodedSize();
        int len = HEADER + keyLen + respLen;
        if (len > MAX_RECORD || maxBytes < CHUNK || !ascii(branch) || !ascii(sentBy) || !ascii(method)) {
            return false;
        }
        if (chunkCount == 0 || used[last()] + len > CHUNK) {
            while (chunkCount > 0 && (long) (chunkCount + 1) * CHUNK > maxBytes) {
                evictHeadChunk();
            }
            addChunk();
        }
        int ci = last();
        byte[] c = chunks[ci];
        int off = used[ci];
        int h = hash(kind, branch, sentBy, method);
        LONG.set(c, off, expiresAt);
        INT.set(c, off + 8, h);
        c[off + 12] = kind;
        SHORT.set(c, off + 13, (short) keyLen);
        INT.set(c, off + 15, respLen);
        int p = off + HEADER;
        p = copy(branch, c, p);
        c[p++] = 0;
        p = copy(sentBy, c, p);
        c[p++] = 0;
        p = copy(method, c, p);
        if (response != null) {
            response.encodeTo(c, p);
        }
        used[ci] = off + len;
        long address = ((headSeq + chunkCount - 1) << OFFSET_BITS) | off;
        insert(h, address);
        return true;
    }

    /**
     * The record of a live (not yet expired at {@code now}) transaction with this kind and key,
     * as an address for {@link #response}, or -1.
     */
    long find(byte kind, TransactionKey key, long now) {
        String branch = key.branch();
        String sentBy = key.sentBy();
        String method = key.method().name();
        int h = hash(kind, branch, sentBy, method);
        int mask = capacity - 1;
        for (int i = spread(h) & mask; index[2 * i] != 0; i = (i + 1) & mask) {
            if ((int) index[2 * i + 1] != h) {
                continue;
            }
            long address = index[2 * i] - 1;
            byte[] c = chunk(address);
            int off = (int) (address & ((1 << OFFSET_BITS) - 1));
            if (c[off + 12] == kind && (long) LONG.get(c, off) - now > 0
                    && sameKey(c, off + HEADER, ((short) SHORT.get(c, off + 13)) & 0xFFFF, branch, sentBy, method)) {
                return address;
            }
        }
        return -1;
    }

    /** The response bytes of the record at {@code address}, copied out (a retransmission is rare). */
    byte[] response(long address) {
        byte[] c = chunk(address);
        int off = (int) (address & ((1 << OFFSET_BITS) - 1));
        int keyLen = ((short) SHORT.get(c, off + 13)) & 0xFFFF;
        int respLen = (int) INT.get(c, off + 15);
        int from = off + HEADER + keyLen;
        return Arrays.copyOfRange(c, from, from + respLen);
    }

    /** Drops every record whose time has come; returns the expiry of the next one, or {@link Long#MAX_VALUE} if none is left. */
    long expire(long now) {
        while (chunkCount > 0) {
            int ci = first;
            byte[] c = chunks[ci];
            if (headOff >= used[ci]) {
                if (chunkCount == 1) {
                    // the only chunk, emptied: start it over
                    used[ci] = 0;
                    headOff = 0;
                    return Long.MAX_VALUE;
                }
                dropHeadChunk();
                continue;
            }
            long expiry = (long) LONG.get(c, headOff);
            if (expiry - now > 0) {
                return expiry;
            }
            dropHeadRecord(c);
        }
        return Long.MAX_VALUE;
    }

    /** Unindexes the record at the head of chunk {@code c} (the head chunk) and steps past it. */
    private void dropHeadRecord(byte[] c) {
        int h = (int) INT.get(c, headOff + 8);
        int len = HEADER + (((short) SHORT.get(c, headOff + 13)) & 0xFFFF) + (int) INT.get(c, headOff + 15);
        remove(h, (headSeq << OFFSET_BITS) | headOff);
        headOff += len;
    }

    // ---- chunks ---------------------------------------------------------------------------------

    /** Drops the oldest chunk with whatever records it still holds, before their time. */
    private void evictHeadChunk() {
        int ci = first;
        byte[] c = chunks[ci];
        int n = 0;
        while (headOff < used[ci]) {
            dropHeadRecord(c);
            n++;
        }
        evicted += n;
        dropHeadChunk();
    }

    private int last() {
        return (first + chunkCount - 1) % chunks.length;
    }

    private byte[] chunk(long address) {
        int i = (int) ((address >>> OFFSET_BITS) - headSeq);
        return chunks[(first + i) % chunks.length];
    }

    private void addChunk() {
        if (chunkCount == chunks.length) {
            byte[][] grown = new byte[chunks.length * 2][];
            int[] grownUsed = new int[chunks.length * 2];
            for (int i = 0; i < chunkCount; i++) {
                grown[i] = chunks[(first + i) % chunks.length];
                grownUsed[i] = used[(first + i) % chunks.length];
            }
            chunks = grown;
            used = grownUsed;
            first = 0;
        }
        byte[] c;
        if (spareCount > 0) {
            c = spare[--spareCount];
            spare[spareCount] = null;
        } else {
            c = new byte[CHUNK];
            bytes += CHUNK;
        }
        int ci = (first + chunkCount) % chunks.length;
        chunks[ci] = c;
        used[ci] = 0;
        chunkCount++;
    }

    private void dropHeadChunk() {
        byte[] c = chunks[first];
        chunks[first] = null;
        used[first] = 0;
        first = (first + 1) % chunks.length;
        chunkCount--;
        headSeq++;
        headOff = 0;
        if (spareCount < SPARE_CHUNKS) {
            spare[spareCount++] = c;
        } else {
            bytes -= CHUNK;
        }
    }

    // ---- index ----------------------------------------------------------------------------------

    private void insert(int h, long address) {
        if (2 * (size + 1) > capacity) {
            rehash(capacity * 2);
        }
        int mask = capacity - 1;
        int i = spread(h) & mask;
        while (index[2 * i] != 0) {
            i = (i + 1) & mask;
        }
        index[2 * i] = address + 1;
        index[2 * i + 1] = h;
        size++;
    }

    private void remove(int h, long address) {
        int mask = capacity - 1;
        int i = spread(h) & mask;
        while (index[2 * i] != address + 1) {
            if (index[2 * i] == 0) {
                return; // not indexed (cannot happen: every record is)
            }
            i = (i + 1) & mask;
        }
        // backward-shift deletion: move later members of the probe run into the hole
        for (int j = (i + 1) & mask; index[2 * j] != 0; j = (j + 1) & mask) {
            int home = spread((int) index[2 * j + 1]) & mask;
            boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!stays) {
                index[2 * i] = index[2 * j];
                index[2 * i + 1] = index[2 * j + 1];
                i = j;
            }
        }
        index[2 * i] = 0;
        index[2 * i + 1] = 0;
        size--;
        if (size == 0 && capacity > 64) {
            index = new long[2 * 64];
            capacity = 64;
        }
    }

    private void rehash(int grown) {
        long[] old = index;
        index = new long[2 * grown];
        capacity = grown;
        int mask = grown - 1;
        for (int k = 0; k < old.length; k += 2) {
            if (old[k] != 0) {
                int i = spread((int) old[k + 1]) & mask;
                while (index[2 * i] != 0) {
                    i = (i + 1) & mask;
                }
                index[2 * i] = old[k];
                index[2 * i + 1] = old[k + 1];
            }
        }
    }

    // ---- keys -----------------------------------------------------------------------------------

    /** The key's hash: a polynomial in {@link #multiplier} over its characters, separators included. */
    int hash(byte kind, String branch, String sentBy, String method) {
        int m = multiplier;
        int h = kind;
        h = mixIn(h, branch, m);
        h = h * m;
        h = mixIn(h, sentBy, m);
        h = h * m;
        return mixIn(h, method, m);
    }

    private static int mixIn(int h, String s, int m) {
        for (int i = 0, n = s.length(); i < n; i++) {
            h = m * h + s.charAt(i);
        }
        return h;
    }

    /** Murmur3's finaliser: the probe start uses every bit of the hash. */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private static boolean ascii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char ch = s.charAt(i);
            if (ch == 0 || ch >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int copy(String s, byte[] c, int p) {
        for (int i = 0, n = s.length(); i < n; i++) {
            c[p++] = (byte) s.charAt(i);
        }
        return p;
    }

    private static boolean sameKey(byte[] c, int p, int keyLen, String branch, String sentBy, String method) {
        if (keyLen != branch.length() + 1 + sentBy.length() + 1 + method.length()) {
            return false;
        }
        p = same(c, p, branch);
        if (p < 0 || c[p++] != 0) {
            return false;
        }
        p = same(c, p, sentBy);
        if (p < 0 || c[p++] != 0) {
            return false;
        }
        return same(c, p, method) >= 0;
    }

    private static int same(byte[] c, int p, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80 || c[p++] != (byte) ch) { // records are ASCII: 'Ł' must not match 'A'
                return -1;
            }
        }
        return p;
    }
}
