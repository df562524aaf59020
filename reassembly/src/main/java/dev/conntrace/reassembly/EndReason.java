package dev.conntrace.reassembly;

/** Why a half connection ended. */
public enum EndReason {
    /** Its FIN was reached with every byte before it delivered or skipped. */
    FIN("fin"),
    /** A RST was seen in either direction; it ends both. */
    RST("rst"),
    /** The connection was idle longer than the close age. */
    TIMEOUT("timeout"),
    /** The input ended ({@link Assembler#flushAll()}). */
    EOF("eof"),
    /** A new SYN with a different initial sequence number reused the 4-tuple before this one ended. */
    REUSED("reused");

    private final String label;

    EndReason(String label) {
        this.label = label;
    }

    /** Lower-case label used in listings. */
    public String label() {
        return label;
    }
}
