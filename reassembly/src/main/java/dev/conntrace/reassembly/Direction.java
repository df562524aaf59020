package dev.conntrace.reassembly;

/**
 * Direction of a half connection. The client is the side that sent the first SYN (without ACK) seen
 * for the connection, the receiver of a SYN-ACK seen first, or else the sender of the first packet.
 */
public enum Direction {
    CLIENT_TO_SERVER("c2s"),
    SERVER_TO_CLIENT("s2c");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    /** Short label: {@code c2s} or {@code s2c}. */
    public String label() {
        return label;
    }

    /** The other direction. */
    public Direction reverse() {
        return this == CLIENT_TO_SERVER ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
    }
}
