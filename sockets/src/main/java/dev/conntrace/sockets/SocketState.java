package dev.conntrace.sockets;

/**
 * A socket state as the kernel reports it: an open enum over the {@code TCP_*} states of
 * {@code include/net/tcp_states.h}. Codes the kernel may add later are carried as
 * {@code unknown(n)} and never rejected. UDP sockets reuse two codes: {@link #ESTABLISHED} for a
 * connected socket and {@link #CLOSE} for a bound, unconnected one.
 *
 * @param code the kernel's state number (0..255)
 */
public record SocketState(int code) {
    public static final SocketState ESTABLISHED = new SocketState(1); // TCP_ESTABLISHED
    public static final SocketState SYN_SENT = new SocketState(2); // TCP_SYN_SENT
    public static final SocketState SYN_RECV = new SocketState(3); // TCP_SYN_RECV
    public static final SocketState FIN_WAIT1 = new SocketState(4); // TCP_FIN_WAIT1
    public static final SocketState FIN_WAIT2 = new SocketState(5); // TCP_FIN_WAIT2
    public static final SocketState TIME_WAIT = new SocketState(6); // TCP_TIME_WAIT
    public static final SocketState CLOSE = new SocketState(7); // TCP_CLOSE
    public static final SocketState CLOSE_WAIT = new SocketState(8); // TCP_CLOSE_WAIT
    public static final SocketState LAST_ACK = new SocketState(9); // TCP_LAST_ACK
    public static final SocketState LISTEN = new SocketState(10); // TCP_LISTEN
    public static final SocketState CLOSING = new SocketState(11); // TCP_CLOSING
    public static final SocketState NEW_SYN_RECV = new SocketState(12); // TCP_NEW_SYN_RECV

    /** Highest known code; also the bit count of an all-states filter mask. */
    public static final int MAX_KNOWN = 12;

    private static final String[] NAMES = {
        null, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
        "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    };
    private static final SocketState[] KNOWN = {
        null, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT,
        LAST_ACK, LISTEN, CLOSING, NEW_SYN_RECV,
    };

    public SocketState {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("socket state " + code + " outside 0..255");
        }
    }

    /** The state for {@code code}; known codes return the shared constant. */
    public static SocketState of(int code) {
        return code > 0 && code <= MAX_KNOWN ? KNOWN[code] : new SocketState(code);
    }

    /** True when the code is one this version knows. */
    public boolean isKnown() {
        return code > 0 && code <= MAX_KNOWN;
    }

    /** The kernel name without the {@code TCP_} prefix, or {@code unknown(n)}. */
    public String name() {
        return isKnown() ? NAMES[code] : "unknown(" + code + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}
