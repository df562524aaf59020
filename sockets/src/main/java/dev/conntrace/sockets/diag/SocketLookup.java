package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.AddressFamily;
import dev.conntrace.sockets.Direction;
import dev.conntrace.sockets.FiveTuple;
import dev.conntrace.sockets.Protocol;
import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.SocketState;
import dev.conntrace.sockets.direction.UdpBind;
import dev.conntrace.sockets.direction.UdpDirectionMemory;
import dev.conntrace.sockets.process.ProcessInfo;
import dev.conntrace.sys.IpAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds who owns a packet's connection in one network namespace, without dumping any table: an
 * exact sock_diag get per step (a few microseconds in the kernel), then the process index.
 *
 * <ul>
 *   <li>TCP: the get is asked for (local, remote); a miss returns the listener of the local port,
 *       which is reported as {@link Attribution#LISTENER} (a SYN, or a stray segment), inbound.
 *       A connection is inbound when a socket listens on its local port. A pending handshake's
 *       request socket has no owner; the listener's processes are given.
 *   <li>UDP: the get is asked in the kernel's receive orientation (remote as source); an
 *       unconnected socket's direction is the first datagram's, kept by a {@link UdpDirectionMemory}.
 *       When nothing receives on a local address and port any more (a miss), the directions
 *       remembered for binds there are forgotten, so a new socket on that port starts afresh.
 *   <li>IPv4 tuples find dual-stack IPv6 sockets too: for TCP the kernel's IPv4 lookup covers them
 *       (it looks an IPv4-mapped IPv6 request up in the same IPv4 tables), for UDP a miss is asked
 *       again as {@code ::ffff:} addresses of IPv6.
 * </ul>
 *
 * <p>Whether a TCP connection is inbound needs a second get (is a socket listening on the local
 * port?). Its answer is kept per (local address, port) for {@link Config#listenerTtl()} (default
 * 1 s, bounded by the cache size), so lookups of many connections of one server port cost one get
 * each; a listener opened within that time after a "none" answer for its port makes its first
 * connections read as outbound until the answer expires. The pids are never taken from that cache.
 *
 * <p>Every lookup has a time budget ({@link Mode#FAST} 1 ms, {@link Mode#THOROUGH} 50 ms by
 * default) turned into a {@link System#nanoTime()} deadline that each step is given and that is
 * checked between steps; when it passes the result is {@link LookupOutcome#BUDGET_EXCEEDED} with
 * what was found so far. Fast lookups only read the process index; thorough ones may rescan /proc
 * for a new socket and retry a missed get twice, 0.5 ms apart. Found results are cached for a
 * short time (default 1 s, at most 4096 tuples, LRU), so a repeated tuple costs one probe of a
 * table keyed by the tuple's fields, and allocates nothing: the answer is the cached result itself.
 *
 * <p>Thread-safe (lookups are serialised). Memory: the cache cap plus the parts'.
 */
public final class SocketLookup {
    /** How hard to look. */
    public enum Mode {
        /** The kernel gets and the process index as it is. */
        FAST,
        /** Also rescans /proc for unknown sockets and retries misses. */
        THOROUGH
    }

    /**
     * Budgets and cache bounds.
     *
     * @param fast the fast mode's budget
     * @param thorough the thorough mode's budget
     * @param cacheTtl how long a found result is reused (zero: no cache)
     * @param cacheSize how many tuples the cache holds (and how many listener answers), 1..{@link #MAX_CACHE_SIZE}
     * @param listenerTtl how long the answer to "does a TCP socket listen on this local address and
     *     port" is reused (zero: asked every time)
     */
    public record Config(Duration fast, Duration thorough, Duration cacheTtl, int cacheSize, Duration listenerTtl) {
        /** The largest {@code cacheSize}. */
        public static final int MAX_CACHE_SIZE = TupleCache.MAX_CAPACITY;

        /** 1 ms, 50 ms, 1 s, 4096, 1 s. */
        public static final Config DEFAULT = new Config(Duration.ofMillis(1), Duration.ofMillis(50),
                Duration.ofSeconds(1), 4096, Duration.ofSeconds(1));

        public Config {
            if (fast.isNegative() || fast.isZero() || thorough.isNegative() || thorough.isZero()) {
                throw new IllegalArgumentException("budgets must be positive: " + fast + ", " + thorough);
            }
            if (cacheTtl.isNegative() || cacheSize < 1 || cacheSize > MAX_CACHE_SIZE || listenerTtl.isNegative()) {
                throw new IllegalArgumentException("cache ttl " + cacheTtl + " / size " + cacheSize
                        + " / listener ttl " + listenerTtl + " out of range");
            }
        }

        /** Budgets and a result cache; listener answers are kept as long as results ({@code cacheTtl}). */
        public Config(Duration fast, Duration thorough, Duration cacheTtl, int cacheSize) {
            this(fast, thorough, cacheTtl, cacheSize, cacheTtl);
        }
    }

    private static final long RETRY_PAUSE_NANOS = 500_000;
    private static final int THOROUGH_RETRIES = 2;

    /** Answers to a miss, one per outcome and packet direction: a miss allocates no result. */
    private static final LookupResult NOT_FOUND_IN = missResult(LookupOutcome.CONNECTION_NOT_FOUND, true);
    private static final LookupResult NOT_FOUND_OUT = missResult(LookupOutcome.CONNECTION_NOT_FOUND, false);
    private static final LookupResult OUT_OF_TIME_IN = missResult(LookupOutcome.BUDGET_EXCEEDED, true);
    private static final LookupResult OUT_OF_TIME_OUT = missResult(LookupOutcome.BUDGET_EXCEEDED, false);

    private final long netns;
    private final LookupSteps steps;
    private final UdpDirectionMemory udp;
    private final long fastNanos;
    private final long thoroughNanos;
    private final long ttlNanos;
    /** Found results by (protocol, direction, family; source; destination), see {@link #tag}. */
    private final TupleCache<LookupResult> cache;
    private final long listenerTtlNanos;
    /** Whether a TCP socket listens, by (family; local address and port). */
    private final TupleCache<Boolean> listeners;
    private long cacheHits;
    private long budgetExceeded;

    /** A lookup in namespace {@code netns} (its inode, for the UDP memory) through {@code steps}. */
    public SocketLookup(long netns, LookupSteps steps, UdpDirectionMemory udp, Config config) {
        this.netns = netns;
        this.steps = Objects.requireNonNull(steps, "steps");
        this.udp = Objects.requireNonNull(udp, "udp");
        this.fastNanos = config.fast().toNanos();
        this.thoroughNanos = config.thorough().toNanos();
        this.ttlNanos = config.cacheTtl().toNanos();
        this.listenerTtlNanos = config.listenerTtl().toNanos();
        long seed = System.nanoTime() ^ System.identityHashCode(this);
        this.cache = new TupleCache<>(config.cacheSize(), seed);
        this.listeners = new TupleCache<>(config.cacheSize(), ~seed);
    }

    /**
     * Who owns the connection of a packet with {@code tuple}, seen {@code inbound} (arrived) or
     * outbound (sent), within the mode's budget.
     */
    public synchronized LookupResult lookup(FiveTuple tuple, boolean inbound, Mode mode) throws IOException {
        long start = System.nanoTime();
        IpAddress src = tuple.source();
        IpAddress dst = tuple.destination();
        int tag = tag(tuple, inbound);
        if (ttlNanos > 0) { // a hit allocates nothing: the key is the tuple's fields, the result the cached one
            LookupResult cached = cache.get(tag, src.high(), src.low(), tuple.sourcePort(), dst.high(), dst.low(),
                    tuple.destinationPort(), start);
            if (cached != null) {
                cacheHits++;
                return cached;
            }
        }
        long deadline = start + (mode == Mode.FAST ? fastNanos : thoroughNanos);
        LookupResult r = tuple.protocol() == Protocol.TCP ? tcp(tuple, inbound, mode, deadline)
                : udp(tuple, inbound, mode, deadline);
        if (r.outcome() == LookupOutcome.BUDGET_EXCEEDED) {
            budgetExceeded++;
        } else if (r.found() && ttlNanos > 0) {
            cache.put(tag, src.high(), src.low(), tuple.sourcePort(), dst.high(), dst.low(), tuple.destinationPort(),
                    r, System.nanoTime() + ttlNanos);
        }
        return r;
    }

    /** The small fields of a cache key: protocol, the packet's direction and the address family. */
    private static int tag(FiveTuple tuple, boolean inbound) {
        return (tuple.protocol() == Protocol.TCP ? 1 : 2) | (inbound ? 4 : 0) | (tuple.source().v6() ? 8 : 0);
    }

    /**
     * Whether a socket carries this packet's connection right now (portmaster's {@code Exists}):
     * a connected TCP socket with exactly this tuple (a listener does not count), or a UDP socket
     * that would receive it. Never cached.
     */
    public synchronized boolean exists(FiveTuple tuple, boolean inbound) throws IOException {
        IpAddress local = tuple.local(inbound);
        IpAddress remote = tuple.remote(inbound);
        int lport = tuple.localPort(inbound);
        int rport = tuple.remotePort(inbound);
        long deadline = System.nanoTime() + fastNanos;
        SocketEntry s = tuple.protocol() == Protocol.TCP
                ? get(Protocol.TCP, local, lport, remote, rport, deadline)
                : get(Protocol.UDP, remote, rport, local, lport, deadline);
        return s != null && (tuple.protocol() == Protocol.UDP || !s.isListening());
    }

    private LookupResult tcp(FiveTuple t, boolean inbound, Mode mode, long deadline) throws IOException {
        IpAddress local = t.local(inbound);
        IpAddress remote = t.remote(inbound);
        int lport = t.localPort(inbound);
        int rport = t.remotePort(inbound);
        SocketEntry s = retried(Protocol.TCP, local, lport, remote, rport, mode, deadline);
        if (s == null) {
            return miss(inbound, deadline);
        }
        if (s.isListening() && !(rport == 0 && remote.isAny())) {
            return owners(s, s, Attribution.LISTENER, true, mode, deadline);
        }
        Attribution how = attribution(local, s);
        if (expired(deadline)) {
            return partial(s, how, inbound);
        }
        boolean handshake = s.inode() == 0 && (s.state().equals(SocketState.SYN_RECV)
                || s.state().equals(SocketState.NEW_SYN_RECV));
        if (handshake) { // the request socket has no owner: the listener's processes are given
            SocketEntry listener = listener(local, lport, deadline);
            boolean listened = listener != null;
            return owners(s, listened ? listener : s, how, listened, mode, deadline);
        }
        return owners(s, s, how, listening(local, lport, deadline), mode, deadline);
    }

    private LookupResult udp(FiveTuple t, boolean inbound, Mode mode, long deadline) throws IOException {
        IpAddress local = t.local(inbound);
        IpAddress remote = t.remote(inbound);
        int lport = t.localPort(inbound);
        int rport = t.remotePort(inbound);
        SocketEntry s = retried(Protocol.UDP, remote, rport, local, lport, mode, deadline); // receive orientation
        if (s == null) {
            if (!expired(deadline)) { // nothing receives on (local, lport) now: the binds there closed
                forgetBinds(local, lport);
            }
            return miss(inbound, deadline);
        }
        Attribution how = attribution(local, s);
        UdpBind bind = new UdpBind(netns, s.localAddress(), lport);
        Direction packet = inbound ? Direction.INCOMING : Direction.OUTGOING;
        if (!s.isConnected()) {
            how = udp.lookup(bind, remote, rport) == Direction.UNKNOWN ? Attribution.LISTENER
                    : Attribution.REMEMBERED_UDP_DIRECTION;
        }
        boolean in = udp.record(bind, remote, rport, packet) == Direction.INCOMING;
        return owners(s, s, how, in, mode, deadline);
    }

    /**
     * Drops the remembered directions of every bind that could have received on (local, port): the
     * address itself and the any-addresses (IPv6's too for an IPv4 address, a dual-stack bind).
     */
    private void forgetBinds(IpAddress local, int port) {
        udp.removeBind(new UdpBind(netns, local, port));
        udp.removeBind(new UdpBind(netns, IpAddress.ipv6(0, 0), port));
        if (!local.fromV4Mapped().v6()) {
            udp.removeBind(new UdpBind(netns, IpAddress.ipv4(0), port));
        }
    }

    /** Whether a TCP socket listens on (local, port), from a recent answer or a get. */
    private boolean listening(IpAddress local, int port, long deadline) throws IOException {
        int tag = local.v6() ? 1 : 0;
        long now = System.nanoTime();
        if (listenerTtlNanos > 0) {
            Boolean known = listeners.get(tag, local.high(), local.low(), port, 0, 0, 0, now);
            if (known != null) {
                return known;
            }
        }
        boolean yes = listener(local, port, deadline) != null;
        if (listenerTtlNanos > 0 && (yes || !expired(deadline))) { // a "no" for want of time is no answer
            listeners.put(tag, local.high(), local.low(), port, 0, 0, 0, yes, now + listenerTtlNanos);
        }
        return yes;
    }

    /** The TCP socket listening on (local, port), or null. */
    private SocketEntry listener(IpAddress local, int port, long deadline) throws IOException {
        if (expired(deadline)) {
            return null;
        }
        SocketEntry l = steps.listener(local.v6() ? AddressFamily.INET6 : AddressFamily.INET, local, port, deadline);
        return l != null && l.isListening() && l.localPort() == port ? l : null;
    }

    private static Attribution attribution(IpAddress local, SocketEntry s) {
        return !local.v6() && s.family() == AddressFamily.INET6 ? Attribution.V4_MAPPED : Attribution.EXACT_SOCKET;
    }

    /** The get, and in thorough mode up to two more tries 0.5 ms apart, all before the deadline. */
    private SocketEntry retried(Protocol p, IpAddress src, int sport, IpAddress dst, int dport, Mode mode,
            long deadline) throws IOException {
        SocketEntry s = get(p, src, sport, dst, dport, deadline);
        for (int i = 0; s == null && mode == Mode.THOROUGH && i < THOROUGH_RETRIES; i++) {
            long wake = System.nanoTime() + RETRY_PAUSE_NANOS;
            if (wake - deadline >= 0) {
                break;
            }
            LockSupport.parkNanos(RETRY_PAUSE_NANOS);
            if (expired(deadline)) {
                break;
            }
            s = get(p, src, sport, dst, dport, deadline);
        }
        return s;
    }

    /**
     * One get in the family of the addresses. A UDP IPv4 miss is asked again as IPv4-mapped IPv6;
     * for TCP that would be the same lookup (the kernel answers an IPv4-mapped request from its
     * IPv4 tables, which hold dual-stack sockets too), so it is not repeated.
     */
    private SocketEntry get(Protocol p, IpAddress src, int sport, IpAddress dst, int dport, long deadline)
            throws IOException {
        if (expired(deadline)) {
            return null;
        }
        AddressFamily f = src.v6() ? AddressFamily.INET6 : AddressFamily.INET;
        SocketEntry s = steps.get(p, f, src, sport, dst, dport, deadline);
        if (s == null && p == Protocol.UDP && !src.v6() && !expired(deadline)) {
            s = steps.get(p, AddressFamily.INET6, src.toV4Mapped(), sport, dst.toV4Mapped(), dport, deadline);
        }
        return s;
    }

    private LookupResult owners(SocketEntry socket, SocketEntry holder, Attribution how, boolean inbound, Mode mode,
            long deadline) throws IOException {
        if (holder.inode() == 0) {
            return new LookupResult(LookupOutcome.PROCESS_NOT_FOUND, how, socket, List.of(), inbound);
        }
        if (expired(deadline)) {
            return partial(socket, how, inbound);
        }
        int[] pids = steps.pids(holder.inode(), mode == Mode.THOROUGH, deadline);
        if (pids == null) {
            return partial(socket, how, inbound);
        }
        ProcessInfo[] found = new ProcessInfo[pids.length];
        int n = 0;
        for (int pid : pids) {
            if (expired(deadline)) { // counted by lookup()
                return new LookupResult(LookupOutcome.BUDGET_EXCEEDED, how, socket, list(found, n), inbound);
            }
            ProcessInfo p = steps.process(pid);
            if (p != null) {
                found[n++] = p;
            }
        }
        return new LookupResult(n == 0 ? LookupOutcome.PROCESS_NOT_FOUND : LookupOutcome.FOUND, how, socket,
                list(found, n), inbound);
    }

    /**
     * The first {@code n} of {@code found}: one holder (the usual case) as an immutable list that the
     * result keeps as it is, more as a view that the result copies once.
     */
    private static List<ProcessInfo> list(ProcessInfo[] found, int n) {
        return switch (n) {
            case 0 -> List.of();
            case 1 -> List.of(found[0]);
            default -> Arrays.asList(found).subList(0, n);
        };
    }

    private static LookupResult miss(boolean inbound, long deadline) {
        if (expired(deadline)) {
            return inbound ? OUT_OF_TIME_IN : OUT_OF_TIME_OUT;
        }
        return inbound ? NOT_FOUND_IN : NOT_FOUND_OUT;
    }

    private static LookupResult missResult(LookupOutcome outcome, boolean inbound) {
        return new LookupResult(outcome, Attribution.NOT_FOUND, null, List.of(), inbound);
    }

    private static LookupResult partial(SocketEntry s, Attribution how, boolean inbound) {
        return new LookupResult(LookupOutcome.BUDGET_EXCEEDED, how, s, List.of(), inbound);
    }

    private static boolean expired(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }

    /** Lookups answered from the cache. */
    public synchronized long cacheHits() {
        return cacheHits;
    }

    /** Cached tuples evicted for room. */
    public synchronized long cacheEvictions() {
        return cache.evictions();
    }

    /** Results held in the cache now (expired ones until they are asked for or evicted); at most the cache size. */
    public synchronized int cacheSize() {
        return cache.size();
    }

    /** Lookups that ran out of budget. */
    public synchronized long budgetExceeded() {
        return budgetExceeded;
    }

    /** Forgets every cached result and listener answer (e.g. after sockets were closed or opened). */
    public synchronized void clearCache() {
        cache.clear();
        listeners.clear();
    }
}
