package dev.conntrace.sockets.diag;

/**
 * What one or more sock_diag dumps delivered.
 *
 * @param sockets sockets delivered
 * @param messages netlink messages received
 * @param interrupted dumps the kernel marked {@code NLM_F_DUMP_INTR} (the table changed during the
 *     dump: a socket may be missing or repeated)
 */
public record DumpStats(long sockets, long messages, long interrupted) {
    /** Nothing. */
    public static final DumpStats EMPTY = new DumpStats(0, 0, 0);

    /** The sum of two results. */
    public DumpStats plus(DumpStats o) {
        return new DumpStats(sockets + o.sockets, messages + o.messages, interrupted + o.interrupted);
    }
}
