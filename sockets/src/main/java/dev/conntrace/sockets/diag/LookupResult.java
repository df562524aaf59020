package dev.conntrace.sockets.diag;

import dev.conntrace.sockets.SocketEntry;
import dev.conntrace.sockets.process.ProcessInfo;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a 5-tuple lookup.
 *
 * @param outcome found, or which kind of miss
 * @param attribution how the socket was tied to the tuple ({@link Attribution#NOT_FOUND} without one)
 * @param socket the socket, or null when none was found
 * @param processes the processes holding the socket (for a pending TCP handshake, the listener's);
 *     empty on a miss
 * @param inbound whether the connection was started by the peer; when that could not be decided
 *     (no socket, budget exceeded) the packet's own direction
 */
public record LookupResult(LookupOutcome outcome, Attribution attribution, SocketEntry socket,
        List<ProcessInfo> processes, boolean inbound) {
    public LookupResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(attribution, "attribution");
        processes = List.copyOf(processes);
    }

    /** True when a socket and its processes were found. */
    public boolean found() {
        return outcome == LookupOutcome.FOUND;
    }
}
