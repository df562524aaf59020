package dev.conntrace.sockets.direction;

import dev.conntrace.sockets.Direction;
import dev.conntrace.sys.IpAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Remembers which side of a UDP exchange spoke first. UDP has no handshake, so the first datagram
 * seen for (local bind, remote address) fixes the direction and later datagrams are classified
 * the same way.
 *
 * <p>An entry lives {@link Limits#ttl()} (72 h) after it was last seen, or {@link Limits#shortTtl()}
 * (3 h) while its bind holds more than {@link Limits#crowdedBind()} (256) entries. Entries of a
 * bind go when {@link #removeBind} or {@link #retainBinds} says the bind has disappeared.
 * Bounded: at most {@link Limits#maxPerBind()} entries per bind and {@link Limits#maxTotal()} in
 * all; when full, the least recently seen entry (of the bind, or of the largest bind) is evicted
 * and counted. Time comes from the injected {@link InstantSource}. Thread-safe (synchronized).
 */
public final class UdpDirectionMemory {

    /**
     * Lifetimes and caps.
     *
     * @param ttl lifetime after last use
     * @param shortTtl lifetime after last use in a crowded bind
     * @param crowdedBind entries above which a bind is crowded
     * @param maxPerBind entries per bind at most
     * @param maxTotal entries in all at most
     */
    public record Limits(Duration ttl, Duration shortTtl, int crowdedBind, int maxPerBind, int maxTotal) {
        /** 72 h, 3 h above 256 entries, 4,096 per bind, 262,144 in all. */
        public static final Limits DEFAULT = new Limits(Duration.ofHours(72), Duration.ofHours(3), 256, 4096, 1 << 18);

        public Limits {
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(shortTtl, "shortTtl");
            if (ttl.isNegative() || shortTtl.isNegative() || crowdedBind < 0 || maxPerBind < 1 || maxTotal < 1) {
                throw new IllegalArgumentException("invalid UDP direction limits");
            }
        }
    }

    private record Remote(IpAddress address, int port) {}

    private static final class Entry {
        final Direction direction;
        long lastSeenMillis;

        Entry(Direction direction, long now) {
            this.direction = direction;
            this.lastSeenMillis = now;
        }
    }

    private final InstantSource clock;
    private final Limits limits;
    private final Map<UdpBind, LinkedHashMap<Remote, Entry>> binds = new HashMap<>();
    private int total;
    private long evictions;
    private long expirations;

    /** A memory with the given clock and limits. */
    public UdpDirectionMemory(InstantSource clock, Limits limits) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * The direction of traffic between {@code bind} and the remote endpoint: the remembered one,
     * or {@code observed} when this is the first datagram (which is then remembered). Either way
     * the entry's last-seen time is now.
     */
    public synchronized Direction record(UdpBind bind, IpAddress remote, int remotePort, Direction observed) {
        Objects.requireNonNull(observed, "observed");
        long now = clock.millis();
        Remote key = new Remote(remote.fromV4Mapped(), remotePort);
        LinkedHashMap<Remote, Entry> m = binds.get(bind);
        if (m != null) {
            Entry e = m.get(key);
            if (e != null) {
                if (!expired(e, m.size(), now)) {
                    e.lastSeenMillis = now;
                    m.putLast(key, e); // keep encounter order = last-seen order
                    return e.direction;
                }
                m.remove(key);
                total--;
                expirations++;
            }
        } else {
            m = new LinkedHashMap<>();
            binds.put(bind, m);
        }
        makeRoom(bind, m, now);
        m.put(key, new Entry(observed, now));
        total++;
        return observed;
    }

    /** The remembered direction, or {@link Direction#UNKNOWN}; does not record or refresh anything. */
    public synchronized Direction lookup(UdpBind bind, IpAddress remote, int remotePort) {
        LinkedHashMap<Remote, Entry> m = binds.get(bind);
        if (m == null) {
            return Direction.UNKNOWN;
        }
        Entry e = m.get(new Remote(remote.fromV4Mapped(), remotePort));
        return e == null || expired(e, m.size(), clock.millis()) ? Direction.UNKNOWN : e.direction;
    }

    /** Forgets every entry of {@code bind} (its socket closed). */
    public synchronized void removeBind(UdpBind bind) {
        LinkedHashMap<Remote, Entry> m = binds.remove(bind);
        if (m != null) {
            total -= m.size();
        }
    }

    /** Forgets every bind not in {@code live} (the binds of the current socket table). */
    public synchronized void retainBinds(Collection<UdpBind> live) {
        Set<UdpBind> keep = live instanceof Set<UdpBind> s ? s : new HashSet<>(live);
        for (Iterator<Map.Entry<UdpBind, LinkedHashMap<Remote, Entry>>> it = binds.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!keep.contains(e.getKey())) {
                total -= e.getValue().size();
                it.remove();
            }
        }
    }

    /** Removes every expired entry; returns how many. */
    public synchronized int expire() {
        long now = clock.millis();
        int removed = 0;
        for (Iterator<LinkedHashMap<Remote, Entry>> bi = binds.values().iterator(); bi.hasNext(); ) {
            LinkedHashMap<Remote, Entry> m = bi.next();
            // encounter order is last-seen order: stop at the first entry still alive
            for (Iterator<Entry> it = m.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!expired(e, m.size(), now)) {
                    break;
                }
                it.remove();
                removed++;
            }
            if (m.isEmpty()) {
                bi.remove();
            }
        }
        total -= removed;
        expirations += removed;
        return removed;
    }

    /** Entries held. */
    public synchronized int size() {
        return total;
    }

    /** Binds held. */
    public synchronized int bindCount() {
        return binds.size();
    }

    /** Entries evicted by the caps so far. */
    public synchronized long evictions() {
        return evictions;
    }

    /** Entries removed because they expired so far. */
    public synchronized long expirations() {
        return expirations;
    }

    private boolean expired(Entry e, int bindSize, long now) {
        Duration ttl = bindSize > limits.crowdedBind() ? limits.shortTtl() : limits.ttl();
        return now - e.lastSeenMillis >= ttl.toMillis();
    }

    private void makeRoom(UdpBind bind, LinkedHashMap<Remote, Entry> m, long now) {
        if (m.size() >= limits.maxPerBind()) {
            evictEldest(m);
        }
        if (total >= limits.maxTotal()) {
            expire();
            if (!binds.containsKey(bind)) {
                binds.put(bind, m); // expire() drops empty binds, including the one being filled
            }
        }
        if (total >= limits.maxTotal()) {
            LinkedHashMap<Remote, Entry> largest = m;
            for (LinkedHashMap<Remote, Entry> other : binds.values()) {
                if (other.size() > largest.size()) {
                    largest = other;
                }
            }
            evictEldest(largest);
        }
    }

    private void evictEldest(LinkedHashMap<Remote, Entry> m) {
        Iterator<Entry> it = m.values().iterator();
        if (it.hasNext()) {
            it.next();
            it.remove();
            total--;
            evictions++;
        }
    }
}
