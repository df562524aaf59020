package dev.conntrace.conntrack;

import java.util.Objects;

/**
 * A change in the conntrack table, as the kernel multicasts it.
 *
 * @param type new, updated or destroyed
 * @param flow the entry (an update carries only what changed plus the tuples; a destroy has final
 *     counters and the stop time when accounting and timestamps are on)
 * @param portId the netlink port id of the process whose request caused the event ({@code nlmsg_pid}),
 *     0 when the kernel itself (traffic, timeouts) caused it
 */
public record FlowEvent(EventType type, Flow flow, int portId) implements ConntrackEvent {
    public FlowEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(flow, "flow");
    }

    /** True when a user-space request (e.g. {@code conntrack -I}) caused the event. */
    public boolean fromUserspace() {
        return portId != 0;
    }
}
