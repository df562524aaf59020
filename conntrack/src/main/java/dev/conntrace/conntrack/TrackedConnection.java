package dev.conntrace.conntrack;

import java.time.Instant;
import java.util.Objects;

/**
 * One connection as a {@link ConnectionTracker} reports it.
 *
 * @param key id and zone
 * @param flow the latest state seen (for an ended connection, the destroy event's final state when
 *     there was one, otherwise the last state seen before it disappeared)
 * @param active true while the kernel still tracks it
 * @param reconciled true when the tracker inferred this state from a dump rather than from an event: it
 *     appeared in a re-dump without a NEW event, or vanished from one without a DESTROY event (after lost
 *     events, or because it was older than the tracker and the kernel sends no events for it); then
 *     {@link #endedAt()} is when the dump found it gone, not when it ended
 * @param firstSeen when the tracker first learnt of it
 * @param endedAt when it ended, or null while active
 */
public record TrackedConnection(FlowKey key, Flow flow, boolean active, boolean reconciled, Instant firstSeen,
                                Instant endedAt) {
    public TrackedConnection {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(firstSeen, "firstSeen");
        if (active != (endedAt == null)) {
            throw new IllegalArgumentException("an active connection has no end time and an ended one has: " + key);
        }
    }
}
