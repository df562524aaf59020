package dev.conntrace.reassembly;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections shared by one or more {@link Assembler}s (one per thread), keyed by the
 * bidirectional 4-tuple. Thread-safe. Bounded by {@link AssemblerConfig#maxConnections()} connections
 * and {@link AssemblerConfig#maxBufferedTotal()} buffered bytes.
 */
public final class StreamPool {
    private final StreamFactory factory;
    private final AssemblerConfig config;
    private final ConcurrentHashMap<FlowKey, Connection> connections = new ConcurrentHashMap<>();
    private final Object createLock = new Object();
    private final AtomicLong totalBuffered = new AtomicLong();
    private long nextIndex;

    public StreamPool(StreamFactory factory, AssemblerConfig config) {
        this.factory = Objects.requireNonNull(factory);
        this.config = Objects.requireNonNull(config);
    }

    public StreamPool(StreamFactory factory) {
        this(factory, AssemblerConfig.defaults());
    }

    public AssemblerConfig config() {
        return config;
    }

    /** Connections tracked now (completed ones stay until their close age passes). */
    public int size() {
        return connections.size();
    }

    /** Bytes of buffer pages held by all connections now. */
    public long bufferedBytes() {
        return totalBuffered.get();
    }

    Connection get(FlowKey probe) {
        return connections.get(probe);
    }

    /**
     * Makes a connection for the probe's 4-tuple, replacing {@code previous} (null when there is none);
     * null when the pool is full.
     */
    Connection create(FlowKey probe, TcpSegment first, int senderSide, Connection previous) {
        synchronized (createLock) {
            if (previous == null && connections.size() >= config.maxConnections() && purgeCompleted() == 0) {
                return null;
            }
            FlowKey key = previous != null ? previous.key : probe.copy();
            Connection c = new Connection(nextIndex++, key, first, senderSide);
            c.stream = Objects.requireNonNull(factory.newStream(c, first), "stream factory returned null");
            connections.put(key, c);
            return c;
        }
    }

    /** Forgets completed connections (kept only to count late segments) to make room; returns how many. */
    private int purgeCompleted() {
        int n = 0;
        for (Connection c : connections.values()) {
            boolean done;
            synchronized (c) {
                done = c.completed;
            }
            if (done && connections.remove(c.key, c)) {
                n++;
            }
        }
        return n;
    }

    void remove(Connection c) {
        connections.remove(c.key, c);
    }

    Collection<Connection> all() {
        return connections.values();
    }

    /** Reserves {@code bytes} of the total budget; false (nothing reserved) when it would exceed the cap. */
    boolean tryReserve(long bytes) {
        long cap = config.maxBufferedTotal();
        while (true) {
            long now = totalBuffered.get();
            if (now + bytes > cap) {
                return false;
            }
            if (totalBuffered.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void forceReserve(long bytes) {
        totalBuffered.addAndGet(bytes);
    }

    void unreserve(long bytes) {
        totalBuffered.addAndGet(-bytes);
    }
}
