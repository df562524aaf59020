package dev.conntrace.packet.dns;

/**
 * A DNS message that cannot be parsed: it ends early ({@link #truncated()}) or is corrupt (a
 * pointer loop, a label type that does not exist, a record overrunning its RDLENGTH...).
 */
public final class DnsFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final boolean truncated;

    /**
     * @param offset where in the message (from its first byte) the problem is
     * @param truncated true if the message merely ends too early
     */
    public DnsFormatException(int offset, boolean truncated, String problem) {
        super((truncated ? "DNS message ends early" : "corrupt DNS message") + " at offset " + offset + ": " + problem);
        this.offset = offset;
        this.truncated = truncated;
    }

    /** Offset of the problem from the first byte of the message. */
    public int offset() {
        return offset;
    }

    /** True if more bytes could have made the message valid. */
    public boolean truncated() {
        return truncated;
    }
}
