package dev.conntrace.conntrack;

import java.util.Objects;

/**
 * A change in the conntrack table, as the kernel multicasts it.
 *
 * @param type new, updated or destroyed
 * @param flow the entry (an update carries only what changed plus the tuples; a destroy has final
 *     counters and the stop time when accounting and timestamps are on)
 */
public record FlowEvent(EventType type, Flow flow) {
    public FlowEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(flow, "flow");
    }
}
