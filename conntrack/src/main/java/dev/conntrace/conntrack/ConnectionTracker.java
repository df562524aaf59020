package dev.conntrace.conntrack;

import dev.conntrace.netlink.NetlinkException;
import dev.conntrace.netlink.NetlinkSocket;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Every connection of a network namespace since the previous look: it subscribes to conntrack
 * events first, then dumps the table, then keeps the two reconciled.
 *
 * <pre>{@code
 * try (ConnectionTracker tracker = ConnectionTracker.open(ConnectionTracker.Config.defaults())) {
 *     while (running) {
 *         Thread.sleep(10_000);
 *         for (TrackedConnection c : tracker.connections()) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #connections()} returns every connection active now plus every connection that ended
 * since the previous call, including those that opened and closed in between; ended ones are then
 * forgotten. Connections are keyed by {@link FlowKey} (id and zone); by default only TCP and UDP
 * flows, IPv4 and IPv6, are tracked ({@link Config#filter()}).
 *
 * <p><b>Lost events.</b> When events are lost ({@link Overrun}: {@code ENOBUFS}, or a full hand-off
 * queue) the tracker dumps the table again: connections it holds that the dump lacks are ended,
 * connections the dump has that it lacks are added, both marked {@link TrackedConnection#reconciled()}.
 * A dump interrupted by table changes ({@code NLM_F_DUMP_INTR}) or cut short by the cap does not end
 * anything; a failed dump is retried.
 *
 * <p><b>Connections older than the tracker.</b> With {@code net.netfilter.nf_conntrack_events=2}, the
 * default since Linux 5.19, the kernel keeps events only for connections created while a listener
 * existed: a connection that was there before the tracker subscribed ends without a DESTROY event. So the
 * tracker also dumps the table every {@link Config#resyncEvery()}; a connection missing from such a dump has
 * ended, and is reported so, marked reconciled, at most that long after it ended.
 *
 * <p><b>Bounds.</b> At most {@link Config#maxActive()} active connections (more are not tracked and
 * are counted in {@link #untracked()}) and {@link Config#maxEnded()} ended ones waiting to be reported
 * (the oldest is evicted and counted in {@link #evicted()}). The event hand-off queue is bounded by
 * {@link Config#listener()}. A dump holds at most {@code maxActive} flows while it is merged.
 *
 * <p><b>Threads.</b> One reader thread takes events from the socket; one tracker thread applies them
 * and runs the dumps on its own socket. All methods are thread-safe. {@link #close()} stops both
 * threads within about {@link ConntrackListener.Config#pollMillis()} (longer only while a dump is
 * running).
 */
public final class ConnectionTracker implements AutoCloseable {
    /**
     * Tracker settings.
     *
     * @param maxActive most active connections held (1..{@value #MAX_CAP})
     * @param maxEnded most ended connections held until the next {@link #connections()} (1..{@value #MAX_CAP})
     * @param updates also listen to UPDATE events (fresher state and counters, more events)
     * @param receiveBuffer the event socket's kernel receive queue in bytes (0: {@link ConntrackEvents#DEFAULT_RECEIVE_BUFFER})
     * @param listener the event hand-off queue
     * @param filter which flows to track
     * @param clock source of first-seen and ended times
     * @param resyncEvery time between two dumps that end connections gone without a DESTROY event (zero: dump
     *     only after lost events); see the class comment on connections older than the tracker
     */
    public record Config(int maxActive, int maxEnded, boolean updates, int receiveBuffer,
                         ConntrackListener.Config listener, Predicate<Flow> filter, Clock clock, Duration resyncEvery) {
        /** Largest accepted cap. */
        public static final int MAX_CAP = 1 << 24;
        /** The default time between two dumps that find connections which ended without an event. */
        public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(10);

        public Config {
            if (maxActive < 1 || maxActive > MAX_CAP || maxEnded < 1 || maxEnded > MAX_CAP) {
                throw new IllegalArgumentException("caps " + maxActive + "/" + maxEnded + " outside 1.." + MAX_CAP);
            }
            if (receiveBuffer < 0) {
                throw new IllegalArgumentException("negative receive buffer " + receiveBuffer);
            }
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(resyncEvery, "resyncEvery");
            if (resyncEvery.isNegative()) {
                throw new IllegalArgumentException("negative resync interval " + resyncEvery);
            }
        }

        /** TCP and UDP flows. */
        public static boolean tcpOrUdp(Flow f) {
            L4Protocol p = f.protocol();
            return L4Protocol.TCP.equals(p) || L4Protocol.UDP.equals(p);
        }

        /**
         * 262,144 active and 65,536 ended connections, no UPDATE events, an 8 MiB receive queue, the
         * listener's defaults ({@link OverflowPolicy#BLOCK}), TCP and UDP, the system clock, a dump every
         * {@link #DEFAULT_RESYNC}.
         */
        public static Config defaults() {
            return new Config(1 << 18, 1 << 16, false, 0, ConntrackListener.Config.defaults(), Config::tcpOrUdp,
                    Clock.systemUTC(), DEFAULT_RESYNC);
        }

        /** With other caps. */
        public Config withCaps(int active, int ended) {
            return new Config(active, ended, updates, receiveBuffer, listener, filter, clock, resyncEvery);
        }

        /** With or without UPDATE events. */
        public Config withUpdates(boolean on) {
            return new Config(maxActive, maxEnded, on, receiveBuffer, listener, filter, clock, resyncEvery);
        }

        /** With another kernel receive queue size for the event socket. */
        public Config withReceiveBuffer(int bytes) {
            return new Config(maxActive, maxEnded, updates, bytes, listener, filter, clock, resyncEvery);
        }

        /** With other hand-off queue settings. */
        public Config withListener(ConntrackListener.Config l) {
            return new Config(maxActive, maxEnded, updates, receiveBuffer, l, filter, clock, resyncEvery);
        }

        /** Tracking the flows {@code f} accepts. */
        public Config withFilter(Predicate<Flow> f) {
            return new Config(maxActive, maxEnded, updates, receiveBuffer, listener, f, clock, resyncEvery);
        }

        /** Dumping the table every {@code every} (zero: only after lost events). */
        public Config withResyncEvery(Duration every) {
            return new Config(maxActive, maxEnded, updates, receiveBuffer, listener, filter, clock, every);
        }

        /** With another clock. */
        public Config withClock(Clock c) {
            return new Config(maxActive, maxEnded, updates, receiveBuffer, listener, filter, c, resyncEvery);
        }
    }

    private static final int RETRY_MILLIS = 200;
    private static final int INTERRUPTED_DUMP_RETRIES = 3;

    private final Config config;
    private final ConntrackListener listener;
    private final Conntrack dumper;
    private final Thread worker;
    private final ConnectionTable table;
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong dumpFailures = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean synced;
    private final CountDownLatch syncedLatch = new CountDownLatch(1);
    private volatile IOException lastError;
    // tracker thread only
    private boolean resyncNeeded = true;
    private boolean initialDump = true;
    private long lastResync;

    private ConnectionTracker(Config config, ConntrackListener listener, Conntrack dumper) {
        this.config = config;
        this.listener = listener;
        this.dumper = dumper;
        this.table = new ConnectionTable(config.maxActive(), config.maxEnded(), config.clock());
        this.worker = Thread.ofPlatform().daemon().name("conntrack-tracker").unstarted(this::run);
    }

    /**
     * Subscribes to NEW and DESTROY (and with {@link Config#updates()} UPDATE) events on one socket and
     * opens a second socket for dumps, both in the calling thread's network namespace, then starts.
     */
    public static ConnectionTracker open(Config config) throws NetlinkException {
        Set<EventType> types = config.updates() ? EnumSet.allOf(EventType.class)
                : EnumSet.of(EventType.NEW, EventType.DESTROY);
        ConntrackEvents events = ConntrackEvents.open(types, Set.of(),
                NetlinkSocket.Options.defaults().withSocketReceiveBuffer(config.receiveBuffer()));
        Conntrack dumper;
        try {
            dumper = Conntrack.open();
        } catch (NetlinkException | RuntimeException e) {
            events.close();
            throw e;
        }
        return over(events, dumper, config);
    }

    /** A tracker over an event source and a dump client (fake kernels in tests); takes ownership of both. */
    public static ConnectionTracker over(ConntrackEvents events, Conntrack dumper, Config config) {
        Objects.requireNonNull(config, "config");
        ConntrackListener listener = ConntrackListener.start(events, config.listener());
        ConnectionTracker t = new ConnectionTracker(config, listener, Objects.requireNonNull(dumper, "dumper"));
        t.worker.start();
        return t;
    }

    /**
     * Every connection active now, and every connection that ended since the previous call (those
     * are then forgotten). The list is a snapshot, at most {@code maxActive + maxEnded} long.
     */
    public List<TrackedConnection> connections() {
        return table.connections();
    }

    /** True once the first dump has been merged (before that, {@link #connections()} knows only events). */
    public boolean isSynced() {
        return synced;
    }

    /** Waits up to {@code timeout} for the first dump to be merged; returns {@link #isSynced()}. */
    public boolean awaitSynced(long timeout, TimeUnit unit) throws InterruptedException {
        return syncedLatch.await(timeout, unit);
    }

    /** Active connections not tracked because {@link Config#maxActive()} was reached. */
    public long untracked() {
        return table.untracked();
    }

    /** Ended connections evicted unreported because {@link Config#maxEnded()} was reached. */
    public long evicted() {
        return table.evicted();
    }

    /** Losses reported by the event stream ({@link Overrun}s). */
    public long overruns() {
        return overruns.get();
    }

    /** Completed dumps merged into the view (the first one included). */
    public long resyncs() {
        return resyncs.get();
    }

    /** Dumps that failed (retried); {@link #lastError()} says why. */
    public long dumpFailures() {
        return dumpFailures.get();
    }

    /** Flow events applied. */
    public long eventsApplied() {
        return applied.get();
    }

    /** The last dump or socket error, or null. */
    public IOException lastError() {
        IOException e = lastError;
        return e != null ? e : listener.failure();
    }

    /** The event reader, for its counters. */
    public ConntrackListener listener() {
        return listener;
    }

    // ---------------------------------------------------------------- tracker thread

    private void run() {
        try {
            while (!closed) {
                if (!resyncNeeded && !initialDump && config.resyncEvery().isPositive()
                        && System.nanoTime() - lastResync >= config.resyncEvery().toNanos()) {
                    resyncNeeded = true;
                }
                if (resyncNeeded) {
                    resync();
                    if (resyncNeeded) {
                        sleepQuietly();
                        continue;
                    }
                }
                ConntrackEvent e = listener.poll(config.listener().pollMillis(), TimeUnit.MILLISECONDS);
                try {
                    switch (e) {
                        case null -> {
                            if (listener.isStopped()) {
                                return;
                            }
                        }
                        case FlowEvent f -> apply(f);
                        case Overrun o -> {
                            overruns.incrementAndGet();
                            resyncNeeded = true;
                        }
                        case ExpectEvent x -> { }
                    }
                } catch (RuntimeException failure) {
                    // A bug must not stop tracking silently: record it and repair the view with a dump.
                    lastError = new IOException("tracker failed on " + e, failure);
                    resyncNeeded = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dumper.close();
        }
    }

    private void sleepQuietly() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
        while (!closed && System.nanoTime() - until < 0) {
            Thread.sleep(Math.min(RETRY_MILLIS, config.listener().pollMillis()));
        }
    }

    private void apply(FlowEvent e) {
        Flow f = e.flow();
        FlowKey key = FlowKey.of(f);
        if (key == null || !config.filter().test(f)) {
            return;
        }
        applied.incrementAndGet();
        table.apply(key, e.type(), f);
    }

    /** Dumps the table and merges it; leaves {@code resyncNeeded} set when the dump failed. */
    private void resync() {
        Map<FlowKey, Flow> seen = new HashMap<>();
        boolean complete = false;
        long[] overflow = {0};
        try {
            for (int attempt = 0; attempt < INTERRUPTED_DUMP_RETRIES && !complete && !closed; attempt++) {
                seen.clear();
                overflow[0] = 0;
                DumpSummary s = dumper.dump(f -> {
                    FlowKey key = FlowKey.of(f);
                    if (key != null && config.filter().test(f)) {
                        if (seen.size() < config.maxActive()) {
                            seen.put(key, f);
                        } else {
                            overflow[0]++;
                        }
                    }
                });
                complete = !s.interrupted() && overflow[0] == 0;
            }
        } catch (IOException | RuntimeException e) {
            lastError = e instanceof IOException io ? io : new IOException("conntrack dump failed", e);
            dumpFailures.incrementAndGet();
            return;
        }
        table.merge(seen, complete, !initialDump);
        lastResync = System.nanoTime();
        resyncNeeded = false;
        initialDump = false;
        synced = true;
        resyncs.incrementAndGet();
        syncedLatch.countDown();
    }

    /** Stops the reader and tracker threads and closes both sockets; idempotent. */
    @Override
    public void close() {
        closed = true;
        listener.close();
        if (Thread.currentThread() != worker) {
            worker.interrupt();
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
