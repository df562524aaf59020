package dev.conntrace.conntrack;

/** What a bounded hand-off queue does with an event when it is full. */
public enum OverflowPolicy {
    /**
     * The reader waits for room. The kernel keeps queueing meanwhile; if its receive buffer fills,
     * the kernel drops events and the loss arrives as an {@link Overrun} ({@code ENOBUFS}).
     */
    BLOCK,
    /** The event that does not fit is dropped and counted; an {@link Overrun} follows once there is room. */
    DROP_NEWEST
}
