package dev.conntrace.sockets.proc;

/**
 * What one read of a /proc/net table produced.
 *
 * @param rows data rows decoded and delivered
 * @param malformed data rows skipped as malformed
 * @param firstError line number and reason of the first malformed row, or null
 */
public record ProcNetStats(long rows, long malformed, String firstError) {
    /** No rows. */
    public static final ProcNetStats EMPTY = new ProcNetStats(0, 0, null);

    /** The sum of two reads; keeps the first error seen. */
    public ProcNetStats plus(ProcNetStats o) {
        return new ProcNetStats(rows + o.rows, malformed + o.malformed, firstError != null ? firstError : o.firstError);
    }
}
