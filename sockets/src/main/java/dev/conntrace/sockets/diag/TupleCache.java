package dev.conntrace.sockets.diag;

import java.util.Arrays;

/**
 * A bounded LRU map from a tuple of primitive fields to a value with an expiry time, for the hot
 * path of {@link SocketLookup}: looking a key up allocates nothing (no key object, no boxing), and
 * storing one allocates only while the table grows towards its cap.
 *
 * <p>A key is {@code tag} (the caller's small fields packed: protocol, direction, family), two
 * addresses as two longs each, and two ports. Entries live in parallel arrays indexed by an entry
 * number; an open-addressing index (linear probing, load at most 1/2, backward-shift deletion) maps
 * a key's hash to its entry, and a doubly-linked list of entry numbers keeps the use order. Hashes
 * are seeded per table, so crafted tuples cannot be aimed at one probe run.
 *
 * <p>Expired entries are dropped when they are looked up; when the table is full, a new key
 * evicts the least recently used one (counted). Not thread-safe. Memory: {@code capacity} entries
 * of about 70 bytes and an index of 8 to 16 bytes per entry, allocated as the table fills.
 */
final class TupleCache<V> {
    private static final int NONE = -1;
    private static final int FIRST_ENTRIES = 16;
    /** A cap that keeps the index (two slots per entry, a power of two) within an int array. */
    static final int MAX_CAPACITY = 1 << 26;

    private final int capacity;
    private final long seed;
    private int[] index; // entry number + 1 per slot, 0 for an empty slot
    private int mask;
    private int[] hashes;
    private int[] tags;
    private int[] ports;
    private long[] aHigh;
    private long[] aLow;
    private long[] bHigh;
    private long[] bLow;
    private long[] expires;
    private Object[] values;
    private int[] prev;
    private int[] next;
    private int[] free; // a stack of unused entry numbers
    private int freeCount;
    private int head = NONE; // most recently used
    private int tail = NONE; // least recently used
    private int size;
    private long evictions;

    /** An empty table holding at most {@code capacity} keys; {@code seed} varies the hash. */
    TupleCache(int capacity, long seed) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + capacity + " outside 1.." + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.seed = seed;
        allocate(Math.min(capacity, FIRST_ENTRIES));
    }

    /**
     * The value stored under the key if it has not expired at {@code now} ({@link System#nanoTime()}
     * scale), marking it recently used; null otherwise (an expired entry is removed).
     */
    @SuppressWarnings("unchecked")
    V get(int tag, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, long now) {
        int slot = find(hash(tag, aHi, aLo, aPort, bHi, bLo, bPort), tag, aHi, aLo, aPort, bHi, bLo, bPort);
        if (slot < 0) {
            return null;
        }
        int e = index[slot] - 1;
        if (now - expires[e] >= 0) {
            remove(slot);
            return null;
        }
        toFront(e);
        return (V) values[e];
    }

    /**
     * Stores {@code value} under the key until {@code expiresAt}, replacing what was there; when the
     * table is full, the least recently used key makes room.
     */
    void put(int tag, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, V value, long expiresAt) {
        int hash = hash(tag, aHi, aLo, aPort, bHi, bLo, bPort);
        int slot = find(hash, tag, aHi, aLo, aPort, bHi, bLo, bPort);
        if (slot >= 0) {
            int e = index[slot] - 1;
            values[e] = value;
            expires[e] = expiresAt;
            toFront(e);
            return;
        }
        if (size == capacity) {
            removeEntry(tail);
            evictions++;
        } else if (freeCount == 0) {
            allocate(Math.min(capacity, 2 * hashes.length));
        }
        int e = free[--freeCount];
        hashes[e] = hash;
        tags[e] = tag;
        ports[e] = packPorts(aPort, bPort);
        aHigh[e] = aHi;
        aLow[e] = aLo;
        bHigh[e] = bHi;
        bLow[e] = bLo;
        values[e] = value;
        expires[e] = expiresAt;
        index[emptySlot(hash)] = e + 1;
        size++;
        linkFront(e);
    }

    /** How many keys are stored (expired ones included until they are looked up or evicted). */
    int size() {
        return size;
    }

    /** The most keys this table holds. */
    int capacity() {
        return capacity;
    }

    /** Keys evicted to make room for others. */
    long evictions() {
        return evictions;
    }

    /** Removes every key; the arrays are kept. */
    void clear() {
        Arrays.fill(index, 0);
        Arrays.fill(values, null);
        freeCount = 0;
        for (int e = hashes.length - 1; e >= 0; e--) {
            free[freeCount++] = e;
        }
        head = NONE;
        tail = NONE;
        size = 0;
    }

    // ---------------------------------------------------------------- internals

    private static int packPorts(int aPort, int bPort) {
        return aPort << 16 | (bPort & 0xFFFF);
    }

    private int hash(int tag, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long h = seed ^ tag;
        h = mix(h ^ aHi);
        h = mix(h ^ aLo);
        h = mix(h ^ bHi);
        h = mix(h ^ bLo);
        h = mix(h ^ packPorts(aPort, bPort));
        return (int) (h ^ (h >>> 32));
    }

    /** A multiply-xorshift step (from the SplitMix64 finaliser). */
    private static long mix(long h) {
        h *= 0xBF58_476D_1CE4_E5B9L;
        return h ^ (h >>> 31);
    }

    /** The index slot holding the key, or -1. */
    private int find(int hash, int tag, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        int p = packPorts(aPort, bPort);
        for (int slot = hash & mask;; slot = (slot + 1) & mask) {
            int e = index[slot] - 1;
            if (e < 0) {
                return -1;
            }
            if (hashes[e] == hash && tags[e] == tag && ports[e] == p && aLow[e] == aLo && bLow[e] == bLo
                    && aHigh[e] == aHi && bHigh[e] == bHi) {
                return slot;
            }
        }
    }

    private int emptySlot(int hash) {
        int slot = hash & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void removeEntry(int e) {
        int slot = hashes[e] & mask;
        while (index[slot] != e + 1) {
            slot = (slot + 1) & mask;
        }
        remove(slot);
    }

    /** Empties {@code slot}, shifting back the probe run after it so that every key stays reachable. */
    private void remove(int slot) {
        int e = index[slot] - 1;
        int hole = slot;
        index[hole] = 0;
        for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int home = hashes[index[j] - 1] & mask;
            // the key at j may fill the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                index[hole] = index[j];
                index[j] = 0;
                hole = j;
            }
        }
        unlink(e);
        values[e] = null;
        free[freeCount++] = e;
        size--;
    }

    private void toFront(int e) {
        if (head != e) {
            unlink(e);
            linkFront(e);
        }
    }

    private void linkFront(int e) {
        prev[e] = NONE;
        next[e] = head;
        if (head != NONE) {
            prev[head] = e;
        }
        head = e;
        if (tail == NONE) {
            tail = e;
        }
    }

    private void unlink(int e) {
        int p = prev[e];
        int n = next[e];
        if (p != NONE) {
            next[p] = n;
        } else {
            head = n;
        }
        if (n != NONE) {
            prev[n] = p;
        } else {
            tail = p;
        }
        prev[e] = NONE;
        next[e] = NONE;
    }

    /** Grows the entry arrays to {@code entries} and rebuilds the index at twice that or more. */
    private void allocate(int entries) {
        int old = hashes == null ? 0 : hashes.length;
        hashes = grow(hashes, entries);
        tags = grow(tags, entries);
        ports = grow(ports, entries);
        prev = grow(prev, entries);
        next = grow(next, entries);
        aHigh = grow(aHigh, entries);
        aLow = grow(aLow, entries);
        bHigh = grow(bHigh, entries);
        bLow = grow(bLow, entries);
        expires = grow(expires, entries);
        values = values == null ? new Object[entries] : Arrays.copyOf(values, entries);
        int[] stack = new int[entries];
        System.arraycopy(free == null ? stack : free, 0, stack, 0, freeCount);
        free = stack;
        for (int e = entries - 1; e >= old; e--) {
            free[freeCount++] = e;
        }
        index = new int[Integer.highestOneBit(entries) << 2]; // 2 to 4 slots per entry
        mask = index.length - 1;
        for (int e = head; e != NONE; e = next[e]) {
            index[emptySlot(hashes[e])] = e + 1;
        }
    }

    private static int[] grow(int[] a, int length) {
        return a == null ? new int[length] : Arrays.copyOf(a, length);
    }

    private static long[] grow(long[] a, int length) {
        return a == null ? new long[length] : Arrays.copyOf(a, length);
    }
}
