package dev.conntrace.sockets.diag;

/** What a lookup found; misses are outcomes, never a pid of -1. */
public enum LookupOutcome {
    /** A socket and at least one process holding it. */
    FOUND,
    /** No socket carries the connection (nor listens on or is bound to its local port). */
    CONNECTION_NOT_FOUND,
    /** A socket, but no process holds it (TIME_WAIT, another namespace's pid, a process that just exited…). */
    PROCESS_NOT_FOUND,
    /** The time budget ran out; what was found so far is in the result (possibly nothing). */
    BUDGET_EXCEEDED
}
