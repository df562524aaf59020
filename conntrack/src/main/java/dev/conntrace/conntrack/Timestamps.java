package dev.conntrace.conntrack;

/**
 * Start and stop time of a connection ({@code CTA_TIMESTAMP}); the kernel sends them only while
 * {@code net.netfilter.nf_conntrack_timestamp} is on.
 *
 * @param startNanos wall-clock start in nanoseconds since the epoch
 * @param stopNanos wall-clock stop in nanoseconds since the epoch, 0 while the connection lives
 */
public record Timestamps(long startNanos, long stopNanos) {

    /** True once the connection has ended (the kernel sets stop on destroy). */
    public boolean stopped() {
        return stopNanos != 0;
    }
}
