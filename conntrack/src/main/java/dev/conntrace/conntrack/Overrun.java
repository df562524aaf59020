package dev.conntrace.conntrack;

import java.time.Instant;
import java.util.Objects;

/**
 * Events were lost: the kernel's receive queue for the socket overflowed ({@code ENOBUFS}), or a
 * bounded hand-off queue dropped events by its overflow policy. Whatever was lost cannot be
 * recovered from the event stream; a consumer that keeps state repairs it with a dump. Listening
 * continues after an overrun.
 *
 * @param at when the loss was noticed
 * @param kernelOverruns {@code ENOBUFS} reports on this socket so far (occurrences, not events: the
 *     kernel reports one per burst of drops)
 * @param socketDrops messages the kernel dropped for this socket so far (the {@code Drops} column
 *     of {@code /proc/net/netlink}), or -1 when unknown
 * @param queueDrops events the hand-off queue dropped so far by its overflow policy (0 without one)
 */
public record Overrun(Instant at, long kernelOverruns, long socketDrops, long queueDrops) implements ConntrackEvent {
    public Overrun {
        Objects.requireNonNull(at, "at");
    }

    /** The same report with the hand-off queue's drop count. */
    public Overrun withQueueDrops(long drops) {
        return new Overrun(at, kernelOverruns, socketDrops, drops);
    }
}
