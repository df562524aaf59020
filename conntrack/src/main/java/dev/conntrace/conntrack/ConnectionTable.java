package dev.conntrace.conntrack;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state behind a {@link ConnectionTracker}: active connections by key, and ended ones kept until
 * the next {@link #connections()}. Events and dumps change it; bounded by two caps, with counters of
 * what did not fit. Thread-safe (one lock).
 */
final class ConnectionTable {
    /** An active connection; changed under the table's lock only. */
    private static final class Entry {
        Flow flow;
        boolean reconciled;
        final Instant firstSeen;

        Entry(Flow flow, boolean reconciled, Instant firstSeen) {
            this.flow = flow;
            this.reconciled = reconciled;
            this.firstSeen = firstSeen;
        }
    }

    private final int maxActive;
    private final int maxEnded;
    private final Clock clock;
    private final Map<FlowKey, Entry> active = new HashMap<>();
    private final LinkedHashMap<FlowKey, TrackedConnection> ended = new LinkedHashMap<>();
    private final AtomicLong untracked = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();

    ConnectionTable(int maxActive, int maxEnded, Clock clock) {
        this.maxActive = maxActive;
        this.maxEnded = maxEnded;
        this.clock = clock;
    }

    /** Active connections not tracked because the active cap was reached. */
    long untracked() {
        return untracked.get();
    }

    /** Ended connections dropped unreported because the ended cap was reached. */
    long evicted() {
        return evicted.get();
    }

    /**
     * Applies an event for the connection {@code key}. The kernel reuses ids (an id is derived from the
     * entry's address), so an event whose original tuple differs from the tracked connection's is about
     * another life of that id: one that a newer dump has already replaced. It never changes or ends the
     * tracked connection; a DESTROY of it is still reported as an ended connection.
     */
    synchronized void apply(FlowKey key, EventType type, Flow f) {
        Instant now = clock.instant();
        Entry known = active.get(key);
        boolean otherLife = known != null && !sameLife(known.flow, f);
        switch (type) {
            case NEW, UPDATE -> {
                if (known == null) {
                    track(key, new Entry(f, false, now));
                } else if (!otherLife) {
                    known.flow = f;
                    known.reconciled = false;
                }
            }
            case DESTROY -> {
                Instant first = now;
                if (known != null && !otherLife) {
                    active.remove(key);
                    first = known.firstSeen;
                } else if (known == null) {
                    // A re-dump may have ended it already: this is the real end, with final state.
                    TrackedConnection inferred = ended.remove(key);
                    if (inferred != null) {
                        first = inferred.firstSeen();
                    }
                }
                end(key, new TrackedConnection(key, f, false, false, first, now));
            }
        }
    }

    /**
     * Merges a dump: {@code seen} is every connection it listed. When the dump is {@code complete},
     * active connections it lacks are ended; connections it has that the table lacks are added,
     * marked reconciled when {@code inferred}.
     */
    synchronized void merge(Map<FlowKey, Flow> seen, boolean complete, boolean inferred) {
        Instant now = clock.instant();
        if (complete) {
            for (Iterator<Map.Entry<FlowKey, Entry>> it = active.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<FlowKey, Entry> e = it.next();
                if (!seen.containsKey(e.getKey())) {
                    it.remove();
                    end(e.getKey(), new TrackedConnection(e.getKey(), e.getValue().flow, false, true,
                            e.getValue().firstSeen, now));
                }
            }
        }
        for (Map.Entry<FlowKey, Flow> e : seen.entrySet()) {
            Entry known = active.get(e.getKey());
            if (known != null && !sameLife(known.flow, e.getValue())) {
                // The id was reused: the connection tracked under it ended unseen.
                active.remove(e.getKey());
                end(e.getKey(), new TrackedConnection(e.getKey(), known.flow, false, true, known.firstSeen, now));
                known = null;
            }
            if (known != null) {
                known.flow = e.getValue();
            } else {
                track(e.getKey(), new Entry(e.getValue(), inferred, now));
            }
        }
    }

    /** Every active connection and every ended one since the previous call; forgets the ended ones. */
    synchronized List<TrackedConnection> connections() {
        List<TrackedConnection> out = new ArrayList<>(active.size() + ended.size());
        for (Map.Entry<FlowKey, Entry> e : active.entrySet()) {
            Entry c = e.getValue();
            out.add(new TrackedConnection(e.getKey(), c.flow, true, c.reconciled, c.firstSeen, null));
        }
        out.addAll(ended.values());
        ended.clear();
        return out;
    }

    /** True unless both flows carry original tuples and they differ (a reused id). */
    private static boolean sameLife(Flow a, Flow b) {
        return a.original() == null || b.original() == null || a.original().equals(b.original());
    }

    private void track(FlowKey key, Entry entry) {
        if (active.size() >= maxActive) {
            untracked.incrementAndGet();
            return;
        }
        active.put(key, entry);
    }

    private void end(FlowKey key, TrackedConnection c) {
        if (ended.remove(key) != null) {
            evicted.incrementAndGet(); // an id reused before the previous life was reported
        }
        if (ended.size() >= maxEnded) {
            Iterator<TrackedConnection> oldest = ended.values().iterator();
            oldest.next();
            oldest.remove();
            evicted.incrementAndGet();
        }
        ended.put(key, c);
    }
}
